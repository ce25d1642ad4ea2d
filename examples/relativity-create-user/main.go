// Command relativity-create-user creates a Relativity user unless one with the same email
// exists, and reads it back. It looks the user type up by name among the available types,
// finds existing users by email with a query of the admin workspace (-1), and creates the
// user in the client of the vendor doc's sample (1015644) unless -client says otherwise.
// Run twice, it finds the user the first run created and creates nothing.
//
// The server comes from RELATIVITY_URL, the credentials from RELATIVITY_USERNAME and
// RELATIVITY_PASSWORD (HTTP Basic) or RELATIVITY_CLIENT_ID and RELATIVITY_CLIENT_SECRET
// (OAuth2). Without RELATIVITY_URL it runs against the in-memory fake and says so on stderr;
// naming a user (-email) without a server is an error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

type options struct {
	email, first, last, userType string
	client                       int
	explicit                     bool // a user was named on the command line
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var o options
	flag.StringVar(&o.email, "email", "jane.doe@example.com", "the user's email address (login name)")
	flag.StringVar(&o.first, "first", "Jane", "first name")
	flag.StringVar(&o.last, "last", "Doe", "last name")
	flag.StringVar(&o.userType, "type", "Internal", "user type, by name")
	flag.IntVar(&o.client, "client", 1015644, "Artifact ID of the user's client")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "email" {
			o.explicit = true
		}
	})
	err := run(ctx, os.Stdout, os.Stderr, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "relativity-create-user:", err)
		os.Exit(1)
	}
}

// config reads the server and credentials from the environment, or starts the fake.
func config(stderr io.Writer, explicit bool) (relativity.Config, func(), error) {
	cfg := relativity.Config{
		BaseURL:      os.Getenv("RELATIVITY_URL"),
		Username:     os.Getenv("RELATIVITY_USERNAME"),
		Password:     os.Getenv("RELATIVITY_PASSWORD"),
		ClientID:     os.Getenv("RELATIVITY_CLIENT_ID"),
		ClientSecret: os.Getenv("RELATIVITY_CLIENT_SECRET"),
	}
	if cfg.BaseURL != "" {
		return cfg, func() {}, nil
	}
	if explicit {
		return cfg, nil, errors.New("-email names a user but RELATIVITY_URL is not set: which server?")
	}
	srv := relativitytest.NewServer()
	fmt.Fprintf(stderr, "RELATIVITY_URL is not set: using the in-memory fake at %s\n", srv.URL)
	return relativity.Config{BaseURL: srv.URL, Username: srv.Username, Password: srv.Password}, srv.Close, nil
}

func run(ctx context.Context, stdout, stderr io.Writer, o options) error {
	cfg, done, err := config(stderr, o.explicit)
	if err != nil {
		return err
	}
	defer done()
	client, err := relativity.NewClient(cfg)
	if err != nil {
		return err
	}

	types, err := client.Users.AvailableTypes(ctx)
	if err != nil {
		return fmt.Errorf("list user types: %w", err)
	}
	typ, ok := relativity.TypeByName(types, o.userType)
	if !ok {
		return fmt.Errorf("no user type %q (the server has %d types)", o.userType, len(types))
	}

	found, err := client.WorkspaceUsers.Query(ctx, relativity.AdminWorkspace, relativity.UserQuery{
		Condition: relativity.Field("Email Address").Eq(o.email),
		Length:    2,
	})
	if err != nil {
		return fmt.Errorf("look up %s: %w", o.email, err)
	}
	var id int
	if len(found.DataResults) > 0 {
		id = found.DataResults[0].ArtifactID
		fmt.Fprintf(stdout, "Found %s: user %d (%s); not creating it again.\n", o.email, id, found.DataResults[0].FullName)
	} else {
		req := relativity.UserRequest{
			AllowSettingsChange:     true,
			Client:                  relativity.ClientRef(o.client),
			DefaultFilterVisibility: true,
			EmailAddress:            o.email,
			FirstName:               o.first,
			LastName:                o.last,
			ItemListPageLength:      50,
			RelativityAccess:        true,
			Type:                    relativity.ArtifactRef{ArtifactID: typ.ArtifactID},
		}
		u, err := client.Users.Create(ctx, req)
		if err != nil {
			return fmt.Errorf("create %s: %w", o.email, err)
		}
		id = u.ArtifactID
		fmt.Fprintf(stdout, "Created %s: user %d.\n", o.email, id)
	}

	u, err := client.Users.Get(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("read user %d back: %w", id, err)
	}
	fmt.Fprintf(stdout, "User %d: %s %s <%s>, type %s, client %s, last modified %s\n",
		u.ArtifactID, u.FirstName, u.LastName, u.EmailAddress, u.Type.Name, u.Client.Value.Name, u.LastModifiedOn)
	return nil
}

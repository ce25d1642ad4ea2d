// Command relativity-workspace-users lists the users of a Relativity workspace and queries
// them by user type: the workspace's full list (all-users), then the users of one type
// ('User Type' IN ['Internal'], the vendor doc's sample condition) sorted by full name, page
// by page. -workspace picks the workspace; the default, -1, is the admin context.
//
// The server comes from RELATIVITY_URL, the credentials from RELATIVITY_USERNAME and
// RELATIVITY_PASSWORD (HTTP Basic) or RELATIVITY_CLIENT_ID and RELATIVITY_CLIENT_SECRET
// (OAuth2). Without RELATIVITY_URL it runs against the in-memory fake and says so on stderr;
// naming a workspace (-workspace) without a server is an error.
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
	workspace int
	userType  string
	pageSize  int
	explicit  bool // a workspace was named on the command line
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var o options
	flag.IntVar(&o.workspace, "workspace", relativity.AdminWorkspace, "workspace Artifact ID; -1 is the admin context")
	flag.StringVar(&o.userType, "type", "Internal", "user type to query for")
	flag.IntVar(&o.pageSize, "page", 25, "query page size")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "workspace" {
			o.explicit = true
		}
	})
	err := run(ctx, os.Stdout, os.Stderr, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "relativity-workspace-users:", err)
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
		return cfg, nil, errors.New("-workspace names a workspace but RELATIVITY_URL is not set: which server?")
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

	all, err := client.WorkspaceUsers.AllUsers(ctx, o.workspace, false)
	if err != nil {
		return fmt.Errorf("list users of workspace %d: %w", o.workspace, err)
	}
	fmt.Fprintf(stdout, "Workspace %d has %d users (you are user %d):\n", o.workspace, len(all.Users), all.LoggedInUserID)
	for _, u := range all.Users {
		fmt.Fprintf(stdout, "  %d\t%s\n", u.ArtifactID, u.Name)
	}

	q := relativity.UserQuery{
		Condition: relativity.Field("User Type").In(o.userType),
		Sort:      []relativity.Sort{relativity.SortBy("FullName", relativity.Ascending)},
		Length:    o.pageSize,
	}
	fmt.Fprintf(stdout, "Users where %s:\n", q.Condition)
	n := 0
	for u, err := range client.WorkspaceUsers.QueryAll(ctx, o.workspace, q) {
		if err != nil {
			return fmt.Errorf("query users of workspace %d: %w", o.workspace, err)
		}
		n++
		fmt.Fprintf(stdout, "  %d\t%s\t%s\n", u.ArtifactID, u.FullName, u.Email)
	}
	fmt.Fprintf(stdout, "%d users of type %s.\n", n, o.userType)
	return nil
}

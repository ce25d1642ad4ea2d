// Command reltio-grant-role gives a Reltio user a role on a tenant. If the user does not exist
// it first creates it from Reltio's "Create Users" sample and says so. Run twice, it changes
// nothing the second time.
//
//	reltio-grant-role -user testdemouser@reltio.com -role ROLE_USER -tenant t1
//
// The server and credentials come from the environment: RELTIO_AUTH_URL (the oauth_uri,
// https://auth.reltio.com/oauth for Reltio's cloud), RELTIO_CUSTOMER, and RELTIO_CLIENT_ID +
// RELTIO_CLIENT_SECRET (plus RELTIO_USERNAME + RELTIO_PASSWORD for the password grant), or a
// ready RELTIO_TOKEN. With no RELTIO_AUTH_URL it runs against the in-memory fake and says so.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Stderr, os.Args[1:])
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reltio-grant-role:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("reltio-grant-role", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// The defaults are the user and a role and tenant of Reltio's "Create Users" sample.
	user := fs.String("user", "testdemouser@reltio.com", "username (or email) of the user")
	role := fs.String("role", "ROLE_USER", "role to grant")
	tenant := fs.String("tenant", "t1", "tenant id the role applies to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	cfg, closeFake, err := config(stderr, fs)
	if err != nil {
		return err
	}
	defer closeFake()
	client, err := reltio.NewClient(cfg)
	if err != nil {
		return err
	}

	_, err = client.Users.Get(ctx, *user)
	switch {
	case errors.Is(err, reltio.ErrNotFound):
		fmt.Fprintf(stdout, "user %s not found: creating it from Reltio's \"Create Users\" sample\n", *user)
		if _, err := client.Users.Create(ctx, []reltio.User{sampleUser(*user)}); err != nil {
			return fmt.Errorf("create %s: %w", *user, err)
		}
	case err != nil:
		return err
	}

	granted := false
	u, err := client.Users.Modify(ctx, *user, func(u *reltio.User) error {
		granted = !u.Permissions.Roles.Has(*role, *tenant)
		u.Permissions.Roles.Grant(*role, *tenant)
		return nil
	})
	if err != nil {
		return fmt.Errorf("grant %s on %s to %s: %w", *role, *tenant, *user, err)
	}
	if granted {
		fmt.Fprintf(stdout, "granted %s on %s to %s\n", *role, *tenant, u.Username)
	} else {
		fmt.Fprintf(stdout, "%s already has %s on %s: nothing changed\n", u.Username, *role, *tenant)
	}
	return nil
}

// sampleUser is the user of Reltio's "Create Users" sample under the given name. It leaves
// out three of the sample's values: the password (a password printed in Reltio's docs has no
// place on a real account; Reltio's OpenAPI create example sends none), and the roles and
// group, which name the sample customer's tenants and group: the role comes from the flags.
func sampleUser(name string) reltio.User {
	return reltio.User{
		Username:              name,
		Email:                 name,
		Entity:                json.RawMessage("null"),
		ExternalTokens:        []json.RawMessage{},
		Enabled:               reltio.Ptr(true),
		AccountNonExpired:     reltio.Ptr(true),
		CredentialsNonExpired: reltio.Ptr(true),
		AccountNonLocked:      reltio.Ptr(true),
		ExternalUser:          reltio.Ptr(false),
		Locale:                "en",
		Timezone:              "UTC",
	}
}

// config reads the server and credentials from the environment. With no RELTIO_AUTH_URL it
// starts the in-memory fake (and refuses flags given explicitly: they were meant for a real
// server); the returned func stops it.
func config(stderr io.Writer, fs *flag.FlagSet) (reltio.Config, func(), error) {
	cfg := reltio.Config{
		AuthURL:      os.Getenv("RELTIO_AUTH_URL"),
		Customer:     os.Getenv("RELTIO_CUSTOMER"),
		AccessToken:  os.Getenv("RELTIO_TOKEN"),
		ClientID:     os.Getenv("RELTIO_CLIENT_ID"),
		ClientSecret: os.Getenv("RELTIO_CLIENT_SECRET"),
		Username:     os.Getenv("RELTIO_USERNAME"),
		Password:     os.Getenv("RELTIO_PASSWORD"),
	}
	if cfg.AuthURL != "" {
		if cfg.Customer == "" {
			return cfg, func() {}, errors.New("RELTIO_CUSTOMER is not set")
		}
		return cfg, func() {}, nil
	}
	var explicit []string
	fs.Visit(func(f *flag.Flag) { explicit = append(explicit, "-"+f.Name) })
	if len(explicit) > 0 {
		return cfg, func() {}, fmt.Errorf("%v given but RELTIO_AUTH_URL is not set: point it at your Reltio oauth_uri", explicit)
	}
	srv := reltiotest.NewServer()
	fmt.Fprintf(stderr, "reltio-grant-role: RELTIO_AUTH_URL is not set: using the in-memory fake (customer %s)\n", srv.Customer)
	cfg = reltio.Config{AuthURL: srv.URL, Customer: srv.Customer, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret}
	return cfg, srv.Close, nil
}

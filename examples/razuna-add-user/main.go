// Command razuna-add-user adds a user to a Razuna host through the v1 User API, reads it back
// by logging in as the new user, and updates its email:
//
//	RAZUNA_URL=https://dam.example.com RAZUNA_HOST_ID=1 RAZUNA_USERNAME=admin RAZUNA_PASSWORD=... \
//		go run ./examples/razuna-add-user -login jdoe -email jdoe@example.com -new-email john.doe@example.com
//
// The server comes from RAZUNA_URL, the host from RAZUNA_HOST_ID or RAZUNA_HOST_NAME (host 1,
// the first host of every installation, when neither is set), the administrator from
// RAZUNA_USERNAME and RAZUNA_PASSWORD. With no RAZUNA_URL it says so on stderr and runs
// against the in-memory fake (razunatest); a flag given without a server is refused, since it
// was meant for a server.
//
// The user goes into group 2 (Administrator, which every Razuna host has) unless -group says
// otherwise; 0 means no group. Only members of SystemAdmin and Administrator may log in to the
// API, so a user added with -group 0 cannot be read back, and the example says so. Run twice,
// it finds the user already there ("User already exists"), reports it, and goes on: the
// password has a fixed default so that the read-back works on every run. It makes only v1
// calls; RAZUNA_API_KEY is not used.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"

	"github.com/rosterhq/roster/razuna"
	"github.com/rosterhq/roster/razuna/razunatest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("razuna-add-user", flag.ContinueOnError)
	fs.SetOutput(stderr)
	login := fs.String("login", "jdoe", "login name of the user to add")
	first := fs.String("first", "John", "first name")
	last := fs.String("last", "Doe", "last name")
	email := fs.String("email", "jdoe@example.com", "email")
	password := fs.String("password", "Roster-Example-1", "the new user's password (fixed, so that a second run can log in as the user)")
	group := fs.String("group", razuna.GroupAdministrator, "group id: 2 (Administrator), 1 (SystemAdmin), a group's id, or 0 for none")
	newEmail := fs.String("new-email", "john.doe@example.com", "email to set after the user was read back")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "razuna-add-user:", err)
		return 1
	}

	cfg := razuna.Config{
		BaseURL:  getenv("RAZUNA_URL"),
		HostName: getenv("RAZUNA_HOST_NAME"),
		Username: getenv("RAZUNA_USERNAME"),
		Password: getenv("RAZUNA_PASSWORD"),
	}
	if cfg.BaseURL == "" {
		var set []string
		fs.Visit(func(f *flag.Flag) { set = append(set, "-"+f.Name) })
		if len(set) > 0 {
			return fail(fmt.Errorf("%v given but RAZUNA_URL is not set: set the server too", set))
		}
		fmt.Fprintln(stderr, "razuna-add-user: RAZUNA_URL is not set: using the in-memory fake (razunatest)")
		srv := razunatest.NewServer()
		defer srv.Close()
		cfg = razuna.Config{BaseURL: srv.URL, HostID: srv.HostID, Username: srv.Username, Password: srv.Password}
	} else if id := getenv("RAZUNA_HOST_ID"); id != "" {
		n, err := strconv.Atoi(id)
		if err != nil {
			return fail(fmt.Errorf("RAZUNA_HOST_ID=%q: not a number", id))
		}
		cfg.HostID = n
	} else if cfg.HostName == "" {
		cfg.HostID = 1
	}
	admin, err := razuna.NewClient(cfg)
	if err != nil {
		return fail(err)
	}

	fmt.Fprintf(stdout, "Adding user %s (group %s)...\n", *login, *group)
	id, err := admin.Users.Add(ctx, razuna.NewUser{
		FirstName: *first, LastName: *last, Email: *email, LoginName: *login,
		Password: *password, Active: true, GroupID: *group,
	})
	switch {
	case errors.Is(err, razuna.ErrConflict):
		fmt.Fprintf(stdout, "User already exists: %s (id %s)\n", *login, id)
	case err != nil:
		return fail(err)
	default:
		fmt.Fprintf(stdout, "Added %s: id %s\n", *login, id)
	}

	if *group == razuna.NoGroup {
		fmt.Fprintln(stdout, "Not reading the user back: a user in no group cannot log in to the API")
	} else {
		// getuser returns the session's own user, so log in as the new user to read it.
		own := cfg
		own.Username, own.Password = *login, *password
		me, err := razuna.NewClient(own)
		if err != nil {
			return fail(err)
		}
		u, err := me.Users.Get(ctx)
		if err != nil {
			return fail(fmt.Errorf("read back as %s: %w", *login, err))
		}
		fmt.Fprintf(stdout, "Read back as %s: id %s, %s %s <%s>\n", u.LoginName, u.ID, u.FirstName, u.LastName, u.Email)
	}

	if _, err := admin.Users.Update(ctx, razuna.UserByLoginName(*login), razuna.UserData{Email: newEmail}); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "Updated the email of %s to %s\n", *login, *newEmail)
	return 0
}

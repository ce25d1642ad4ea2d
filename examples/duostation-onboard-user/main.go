// Command duostation-onboard-user adds a user to DuoSTATION MDM in a group found by its path,
// tags the user, and lists the user's devices. It looks before it creates: run twice, it
// finds the user (by email), the tag (by name) and the link instead of making them again.
//
//	DUOSTATION_URL=https://mdm.example.com DUOSTATION_USERNAME=admin DUOSTATION_PASSWORD=... \
//		go run ./examples/duostation-onboard-user -email ann@example.com -name "Ann Example"
//
// Flags: -group (default `Customers\Company Inc`, the group of the API document's example;
// \ or / between the levels), -tag (default Onboarded; created when no tag has that name),
// -name and -email of the user. With no DUOSTATION_URL it runs against the in-memory fake
// (duostationtest) and says so on stderr; naming a group, tag or user without a server is an
// error, since the fake would only pretend to do it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

type options struct {
	group, tag, name, email string
	explicit                []string // the flags given on the command line
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var o options
	flag.StringVar(&o.group, "group", `Customers\Company Inc`, `the user's group, by its full path ("Customers\Company Inc")`)
	flag.StringVar(&o.tag, "tag", "Onboarded", "the tag to link to the user (created when absent)")
	flag.StringVar(&o.name, "name", "New User", "the user's name")
	flag.StringVar(&o.email, "email", "new.user@example.com", "the user's email address, by which an existing user is found")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) { o.explicit = append(o.explicit, "-"+f.Name) })
	err := run(ctx, os.Stdout, os.Stderr, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "duostation-onboard-user:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout, stderr io.Writer, o options) error {
	cfg := duostation.Config{
		BaseURL:  os.Getenv("DUOSTATION_URL"),
		Username: os.Getenv("DUOSTATION_USERNAME"),
		Password: os.Getenv("DUOSTATION_PASSWORD"),
	}
	if cfg.BaseURL == "" {
		if len(o.explicit) > 0 {
			return fmt.Errorf("%s given but DUOSTATION_URL is not set: set DUOSTATION_URL, DUOSTATION_USERNAME and DUOSTATION_PASSWORD", o.explicit[0])
		}
		srv := duostationtest.NewServer()
		defer srv.Close()
		cfg.BaseURL, cfg.Username, cfg.Password = srv.URL, srv.Username, srv.Password
		fmt.Fprintln(stderr, "duostation-onboard-user: DUOSTATION_URL is not set; using the in-memory fake")
	}
	client, err := duostation.NewClient(cfg)
	if err != nil {
		return fmt.Errorf("%w (from DUOSTATION_URL, DUOSTATION_USERNAME and DUOSTATION_PASSWORD)", err)
	}

	group, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(o.group))
	if err != nil {
		return fmt.Errorf("group %s: %w", o.group, err)
	}
	fmt.Fprintf(stdout, "Group %s: id %d\n", o.group, group.ID)

	userID, err := findOrCreateUser(ctx, stdout, client, o, group.ID)
	if err != nil {
		return err
	}
	tagID, err := findOrCreateTag(ctx, stdout, client, o.tag)
	if err != nil {
		return err
	}
	if err := linkOnce(ctx, stdout, client, userID, tagID, o.tag); err != nil {
		return err
	}

	devices, err := client.Devices.List(ctx, &duostation.DeviceSearch{UserID: &userID})
	if err != nil {
		return fmt.Errorf("devices of user %d: %w", userID, err)
	}
	fmt.Fprintf(stdout, "Devices of user %d: %d\n", userID, len(devices))
	for _, d := range devices {
		fmt.Fprintf(stdout, "  %s %s\n", d.ID, d.SerialNumber)
	}
	return nil
}

// findOrCreateUser finds the user by email, or creates the user in the group.
func findOrCreateUser(ctx context.Context, stdout io.Writer, client *duostation.Client, o options, groupID int) (int, error) {
	users, err := client.Users.List(ctx, &duostation.UserSearch{Email: o.email})
	if err != nil {
		return 0, fmt.Errorf("find user %s: %w", o.email, err)
	}
	if len(users) > 0 {
		u := users[0]
		for _, other := range users[1:] {
			if other.ID < u.ID {
				u = other
			}
		}
		note := ""
		if len(users) > 1 {
			note = fmt.Sprintf(" (the oldest of %d users with this email)", len(users))
		}
		if u.GroupID != groupID {
			note += fmt.Sprintf(" (in group %d, left there)", u.GroupID)
		}
		fmt.Fprintf(stdout, "User %s: found, id %d%s\n", o.email, u.ID, note)
		return u.ID, nil
	}
	id, err := client.Users.Create(ctx, duostation.UserCreate{Name: o.name, Email: &o.email, GroupID: &groupID})
	if errors.Is(err, duostation.ErrMaybeApplied) {
		return 0, fmt.Errorf("create user %s: %w; run again: it looks the user up first", o.email, err)
	}
	if err != nil {
		return 0, fmt.Errorf("create user %s: %w", o.email, err)
	}
	fmt.Fprintf(stdout, "User %s: created, id %d\n", o.email, id)
	return id, nil
}

// findOrCreateTag finds the tag by its exact name among all tags, or creates it.
func findOrCreateTag(ctx context.Context, stdout io.Writer, client *duostation.Client, name string) (int, error) {
	tags, err := client.Tags.List(ctx)
	if err != nil {
		return 0, fmt.Errorf("list tags: %w", err)
	}
	for _, t := range tags {
		if t.Name == name {
			fmt.Fprintf(stdout, "Tag %s: found, id %d\n", name, t.ID)
			return t.ID, nil
		}
	}
	id, err := client.Tags.Create(ctx, duostation.TagCreate{Name: name})
	if err != nil {
		return 0, fmt.Errorf("create tag %s: %w", name, err)
	}
	fmt.Fprintf(stdout, "Tag %s: created, id %d\n", name, id)
	return id, nil
}

// linkOnce links the tag to the user unless the user already has it.
func linkOnce(ctx context.Context, stdout io.Writer, client *duostation.Client, userID, tagID int, name string) error {
	links, err := client.UserTags.List(ctx, &duostation.UserTagSearch{UserID: &userID})
	if err != nil {
		return fmt.Errorf("tags of user %d: %w", userID, err)
	}
	for _, l := range links {
		if l.TagID == tagID {
			fmt.Fprintf(stdout, "Tag %s on user %d: already linked\n", name, userID)
			return nil
		}
	}
	if _, err := client.UserTags.Link(ctx, userID, tagID); err != nil {
		return fmt.Errorf("link tag %s to user %d: %w", name, userID, err)
	}
	fmt.Fprintf(stdout, "Tag %s on user %d: linked\n", name, userID)
	return nil
}

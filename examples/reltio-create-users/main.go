// Command reltio-create-users creates Reltio users, with roles per tenant, from a CSV or JSON
// file, or, with no file, two sample users. It looks every user up first and creates only
// those missing, in one call: Reltio creates all users of a call or none, so one existing
// username would fail them all. Run twice, it creates nothing the second time.
//
//	reltio-create-users -f users.csv
//	reltio-create-users -role ROLE_API -tenant myTenantId   # the sample users
//
// A CSV file has a header line naming its columns: username and email (required), password,
// roles, groups, locale and timezone. roles is "ROLE=tenant tenant;ROLE=tenant", groups is
// "GROUP;GROUP":
//
//	username,email,password,roles,groups
//	jane@example.com,jane@example.com,S3cret!pass,ROLE_API=t1 t2;ROLE_USER=t3,
//
// A JSON file is an array of {"username", "email", "password", "roles": {"ROLE": ["t1"]},
// "groups": [...], "locale", "timezone"}.
//
// The server and credentials come from the environment: RELTIO_AUTH_URL (the oauth_uri,
// https://auth.reltio.com/oauth for Reltio's cloud), RELTIO_CUSTOMER, and RELTIO_CLIENT_ID +
// RELTIO_CLIENT_SECRET (plus RELTIO_USERNAME + RELTIO_PASSWORD for the password grant), or a
// ready RELTIO_TOKEN. With no RELTIO_AUTH_URL it runs against the in-memory fake and says so.
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

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
		fmt.Fprintln(os.Stderr, "reltio-create-users:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("reltio-create-users", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "CSV or JSON file of users (default: two sample users)")
	role := fs.String("role", "ROLE_USER", "role of the sample users (without -f)")
	tenant := fs.String("tenant", "t1", "tenant id of the sample users' role (without -f)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	var users []reltio.User
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		if users, err = parseUsers(*file, data); err != nil {
			return err
		}
	} else {
		users = sampleUsers(*role, *tenant)
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

	var missing []reltio.User
	existing := 0
	for _, u := range users {
		_, err := client.Users.Get(ctx, u.Username)
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "exists:  %s\n", u.Username)
			existing++
		case errors.Is(err, reltio.ErrNotFound):
			missing = append(missing, u)
		default:
			return fmt.Errorf("look up %s: %w", u.Username, err)
		}
	}
	if len(missing) > 0 {
		created, err := client.Users.Create(ctx, missing)
		if err != nil {
			return fmt.Errorf("create %d users: %w", len(missing), err)
		}
		for _, u := range created {
			fmt.Fprintf(stdout, "created: %s\n", u.Username)
		}
	}
	fmt.Fprintf(stdout, "created %d, existing %d\n", len(missing), existing)
	return nil
}

// sampleUsers are the users created without -f. Their names are not the "Create Users"
// sample's, so that they never collide with it; they get no password (Reltio's OpenAPI create
// example sends none), so no known password lands on a real account.
func sampleUsers(role, tenant string) []reltio.User {
	var out []reltio.User
	for _, name := range []string{"jane.sample@example.com", "john.sample@example.com"} {
		out = append(out, reltio.User{
			Username:    name,
			Email:       name,
			Enabled:     reltio.Ptr(true),
			Locale:      "en",
			Timezone:    "UTC",
			Permissions: reltio.UserPermissions{Roles: reltio.Roles{role: {tenant}}},
		})
	}
	return out
}

// inputUser is one user of a JSON file.
type inputUser struct {
	Username string              `json:"username"`
	Email    string              `json:"email"`
	Password string              `json:"password"`
	Roles    map[string][]string `json:"roles"`
	Groups   []string            `json:"groups"`
	Locale   string              `json:"locale"`
	Timezone string              `json:"timezone"`
}

func (in inputUser) user() reltio.User {
	u := reltio.User{
		Username: in.Username, Email: in.Email, Password: in.Password,
		Groups: in.Groups, Locale: in.Locale, Timezone: in.Timezone,
		Enabled: reltio.Ptr(true),
	}
	if len(in.Roles) > 0 {
		u.Permissions.Roles = reltio.Roles(in.Roles)
	}
	return u
}

// parseUsers reads a JSON file (by its .json name or a leading '[') or a CSV file.
func parseUsers(name string, data []byte) ([]reltio.User, error) {
	trimmed := bytes.TrimSpace(data)
	if strings.EqualFold(filepath.Ext(name), ".json") || bytes.HasPrefix(trimmed, []byte("[")) {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		var in []inputUser
		if err := dec.Decode(&in); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out := make([]reltio.User, len(in))
		for i := range in {
			out[i] = in[i].user()
		}
		return checkCount(name, out)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		switch h {
		case "username", "email", "password", "roles", "groups", "locale", "timezone":
		default:
			return nil, fmt.Errorf("%s: unknown column %q", name, h)
		}
		col[h] = i
	}
	for _, need := range []string{"username", "email"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: no %q column", name, need)
		}
	}
	get := func(row []string, key string) string {
		if i, ok := col[key]; ok {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []reltio.User
	for n, row := range rows[1:] {
		in := inputUser{
			Username: get(row, "username"), Email: get(row, "email"), Password: get(row, "password"),
			Locale: get(row, "locale"), Timezone: get(row, "timezone"),
		}
		if g := get(row, "groups"); g != "" {
			in.Groups = strings.Split(g, ";")
		}
		roles, err := parseRoles(get(row, "roles"))
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, n+2, err)
		}
		in.Roles = roles
		out = append(out, in.user())
	}
	return checkCount(name, out)
}

// parseRoles reads "ROLE=t1 t2;ROLE2=t3".
func parseRoles(s string) (map[string][]string, error) {
	if s == "" {
		return nil, nil
	}
	out := map[string][]string{}
	for part := range strings.SplitSeq(s, ";") {
		role, tenants, ok := strings.Cut(part, "=")
		role = strings.TrimSpace(role)
		if !ok || role == "" || len(strings.Fields(tenants)) == 0 {
			return nil, fmt.Errorf("roles: %q is not ROLE=tenant tenant", part)
		}
		out[role] = append(out[role], strings.Fields(tenants)...)
	}
	return out, nil
}

func checkCount(name string, users []reltio.User) ([]reltio.User, error) {
	if len(users) == 0 {
		return nil, fmt.Errorf("%s: no users", name)
	}
	return users, nil
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
	fmt.Fprintf(stderr, "reltio-create-users: RELTIO_AUTH_URL is not set: using the in-memory fake (customer %s)\n", srv.Customer)
	cfg = reltio.Config{AuthURL: srv.URL, Customer: srv.Customer, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret}
	return cfg, srv.Close, nil
}

package reltio

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// countingServer answers every request with a 500 and counts them: a test that expects
// nothing to be sent checks the count stays 0.
func countingServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/oauth", &n
}

func okUser() User {
	return User{Username: "jane@example.com", Email: "jane@example.com",
		Permissions: UserPermissions{Roles: Roles{"ROLE_USER": {"t1"}}}}
}

func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	url, hits := countingServer(t)
	c, err := NewClient(Config{AuthURL: url, Customer: "TestCustomer", ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	noCustomer, err := NewClient(Config{AuthURL: url, ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	with := func(edit func(*User)) []User { u := okUser(); edit(&u); return []User{u} }
	update := func(u User) error { _, err := c.Users.Update(ctx, "jane@example.com", u); return err }
	tests := []struct {
		name  string
		field string
		call  func() error
	}{
		{"nil slice", "users", func() error { _, err := c.Users.Create(ctx, nil); return err }},
		{"empty slice", "users", func() error { _, err := c.Users.Create(ctx, []User{}); return err }},
		{"no username", "users[0].Username", func() error { _, err := c.Users.Create(ctx, with(func(u *User) { u.Username = "" })); return err }},
		{"no email", "users[0].Email", func() error { _, err := c.Users.Create(ctx, with(func(u *User) { u.Email = " " })); return err }},
		{"bad email", "users[0].Email", func() error { _, err := c.Users.Create(ctx, with(func(u *User) { u.Email = "jane" })); return err }},
		{"no customer", "users[0].Customer", func() error { _, err := noCustomer.Users.Create(ctx, []User{okUser()}); return err }},
		{"control in username", "users[0].Username", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Username = "ja\nne" }))
			return err
		}},
		{"short password", "users[0].Password", func() error { _, err := c.Users.Create(ctx, with(func(u *User) { u.Password = "abc" })); return err }},
		{"role without tenants", "users[0].Permissions.Roles[ROLE_API]", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Permissions.Roles["ROLE_API"] = nil }))
			return err
		}},
		{"empty role name", "users[0].Permissions.Roles", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Permissions.Roles[""] = []string{"t1"} }))
			return err
		}},
		{"role with a blank", "users[0].Permissions.Roles", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Permissions.Roles["ROLE USER"] = []string{"t1"} }))
			return err
		}},
		{"tenant twice", "users[0].Permissions.Roles[ROLE_USER]", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Permissions.Roles["ROLE_USER"] = []string{"t1", "t1"} }))
			return err
		}},
		{"empty tenant", "users[0].Permissions.Roles[ROLE_USER]", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Permissions.Roles["ROLE_USER"] = []string{""} }))
			return err
		}},
		{"group twice", "users[0].Groups", func() error {
			_, err := c.Users.Create(ctx, with(func(u *User) { u.Groups = []string{"G", "G"} }))
			return err
		}},
		{"same user twice", "users[1].Username", func() error {
			a, b := okUser(), okUser()
			b.Username = strings.ToUpper(b.Username)
			_, err := c.Users.Create(ctx, []User{a, b})
			return err
		}},
		{"password in update", "User.Password", func() error { u := okUser(); u.Password = "Welcome1!!"; return update(u) }},
		{"no username in update", "User.Username", func() error { u := okUser(); u.Username = ""; return update(u) }},
		{"empty path username", "username", func() error { _, err := c.Users.Get(ctx, ""); return err }},
		{"nil change", "change", func() error { _, err := c.Users.Modify(ctx, "jane@example.com", nil); return err }},
		{"set groups twice", "groups", func() error { _, err := c.Users.SetGroups(ctx, "jane@example.com", []string{"a", "a"}); return err }},
		{"revoke empty token", "token", func() error { _, err := c.Tokens.Revoke(ctx, ""); return err }},
		{"customer-scoped without customer", "Customer", func() error { _, err := noCustomer.Groups.List(ctx); return err }},
		{"group without id", "groups[0].GroupID", func() error { _, err := c.Groups.Create(ctx, []Group{{GroupName: "x"}}); return err }},
		{"no roles to add", "roles", func() error { _, err := c.Roles.Add(ctx); return err }},
		{"role twice", "roles", func() error { _, err := c.Roles.Replace(ctx, "R", "R"); return err }},
		{"permissions without role", "perms[0].RoleName", func() error {
			_, err := c.Permissions.Create(ctx, []RolePermissions{{}})
			return err
		}},
		{"permission without id", "RolePermissions.ServicePermissions[0].ID", func() error {
			_, err := c.Permissions.Update(ctx, RolePermissions{RoleName: "R", ServicePermissions: []Permission{{}}})
			return err
		}},
		{"negative policy", "PasswordPolicy.ExpirePeriodInDays", func() error {
			_, err := c.PasswordPolicy.Set(ctx, PasswordPolicy{ExpirePeriodInDays: Ptr(-1)})
			return err
		}},
		{"rule without type", "PasswordPolicy.PasswordRules.Type", func() error {
			_, err := c.PasswordPolicy.Set(ctx, PasswordPolicy{PasswordRules: []PasswordRule{{}}})
			return err
		}},
		{"traversal in path", "username", func() error { _, err := c.Users.Get(ctx, ".."); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if ve.Field != tt.field {
				t.Errorf("Field = %q, want %q (%v)", ve.Field, tt.field, err)
			}
			if !strings.HasPrefix(err.Error(), "reltio: invalid ") {
				t.Errorf("message %q", err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

func TestModifyRefusesAPassword(t *testing.T) {
	t.Parallel()
	var puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			puts.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(specUser))
	}))
	defer srv.Close()
	c, err := NewClient(Config{AuthURL: srv.URL, AccessToken: "static-token"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Modify(context.Background(), "user@reltio.com", func(u *User) error {
		u.Password = "Welcome1!!"
		return nil
	})
	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "Welcome1") {
		t.Errorf("the password is in the error: %v", err)
	}
	if puts.Load() != 0 {
		t.Error("the user was written")
	}
}

func TestNewClientConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"nothing", Config{}, "ClientID"},
		{"secret only", Config{ClientSecret: "secret"}, "ClientID"},
		{"id only", Config{ClientID: "id"}, "ClientSecret"},
		{"short secret", Config{ClientID: "id", ClientSecret: "abc"}, "ClientSecret"},
		{"colon in id", Config{ClientID: "a:b", ClientSecret: "secret"}, "ClientID"},
		{"token and client", Config{AccessToken: "tok-1234", ClientID: "id", ClientSecret: "secret"}, "AccessToken"},
		{"password without user", Config{ClientID: "id", ClientSecret: "secret", Password: "pass"}, "Username"},
		{"user without password", Config{ClientID: "id", ClientSecret: "secret", Username: "me"}, "Password"},
		{"bad url", Config{AuthURL: "ftp://x", AccessToken: "tok-1234"}, "AuthURL"},
		{"url with creds", Config{AuthURL: "https://u:p@auth.reltio.com/oauth", AccessToken: "tok-1234"}, "AuthURL"},
		{"control in customer", Config{Customer: "a\tb", AccessToken: "tok-1234"}, "Customer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient(tt.cfg)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("err = %v, want a *ValidationError for %s", err, tt.field)
			}
			if strings.Contains(err.Error(), "secret") && tt.cfg.ClientSecret != "" && strings.Contains(err.Error(), tt.cfg.ClientSecret+"\"") {
				t.Errorf("secret in %v", err)
			}
		})
	}
	c, err := NewClient(Config{AccessToken: "tok-1234"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.core.NewRequest(t.Context(), "GET", "/users")
	if err != nil {
		t.Fatal(err)
	}
	if got := req.URL().String(); got != DefaultAuthURL+"/users" {
		t.Errorf("URL %s, want %s/users", got, DefaultAuthURL)
	}
	// The Postman environment of Reltio's collection writes the oauth_uri with a slash.
	c, err = NewClient(Config{AuthURL: "https://auth.reltio.com/oauth/", ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ = c.core.NewRequest(t.Context(), "GET", "/users/{username}", "a@b.c")
	if got := req.URL().String(); got != "https://auth.reltio.com/oauth/users/a@b.c" || c.tokens.URL != "https://auth.reltio.com/oauth/token" {
		t.Errorf("URL %s, token URL %s", got, c.tokens.URL)
	}
}

package reltio_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

func seeded() reltiotest.Option {
	return reltiotest.WithUsers(
		reltiotest.User{Username: "jane@example.com", Email: "jane@example.com", Locale: "en",
			Roles: map[string][]string{"ROLE_USER": {"t1"}}, Groups: []string{"Config_Admin"}},
		reltiotest.User{Username: "john@example.com", Email: "john.doe@example.com",
			Roles: map[string][]string{"ROLE_API": {"t2"}}},
	)
}

func TestUsersService(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(seeded())
	defer srv.Close()
	c := testClient(t, srv, nil)
	ctx := t.Context()

	all, err := c.Users.List(ctx)
	if err != nil || len(all) != 2 || all[0].Username != "jane@example.com" {
		t.Fatalf("List = %v, %v", all, err)
	}
	// By email, which the path also takes.
	john, err := c.Users.Get(ctx, "john.doe@example.com")
	if err != nil || john.Username != "john@example.com" || john.DBUserID == 0 {
		t.Fatalf("Get by email = %+v, %v", john, err)
	}
	byGroup, err := c.Users.ListByGroup(ctx, "Config_Admin")
	if err != nil || len(byGroup) != 1 || byGroup[0].Username != "jane@example.com" {
		t.Errorf("ListByGroup = %v, %v", byGroup, err)
	}
	// jane has t1 through ROLE_USER and through the group's ROLE_ADMIN_TENANT.
	byTenant, err := c.Users.ListByTenant(ctx, "t1")
	if diff := cmp.Diff([]reltio.UserRef{{Username: "jane@example.com", Email: "jane@example.com"}}, byTenant); diff != "" || err != nil {
		t.Errorf("ListByTenant: %v %s", err, diff)
	}
	groups, err := c.Users.Groups(ctx, "jane@example.com")
	if err != nil || !slices.Equal(groups, []string{"Config_Admin"}) {
		t.Errorf("Groups = %v, %v", groups, err)
	}
	srv.AddGroup(reltiotest.Group{GroupID: "SALES_GROUP", Roles: map[string][]string{"ROLE_API": {"t3"}}})
	set, err := c.Users.SetGroups(ctx, "john@example.com", []string{"SALES_GROUP"}, reltio.UpdateOptions{SkipTokenRevocation: true})
	if err != nil || !slices.Equal(set, []string{"SALES_GROUP"}) {
		t.Errorf("SetGroups = %v, %v", set, err)
	}
	if _, err := c.Users.SetGroups(ctx, "john@example.com", []string{"NO_SUCH_GROUP"}); err == nil || !strings.Contains(err.Error(), "doesn't exist") {
		t.Errorf("SetGroups with an unknown group: %v", err)
	}
	if err := c.Users.RevokeTokens(ctx, "john@example.com"); err != nil {
		t.Errorf("RevokeTokens: %v", err)
	}

	// Update replaces the user; the stored fields follow it.
	jane, err := c.Users.Get(ctx, "jane@example.com")
	if err != nil {
		t.Fatal(err)
	}
	jane.Locale = "de"
	jane.Groups = nil
	upd, err := c.Users.Update(ctx, "jane@example.com", *jane, reltio.UpdateOptions{SkipTokenRevocation: true})
	if err != nil || upd.Locale != "de" || len(upd.Groups) != 0 {
		t.Fatalf("Update = %+v, %v", upd, err)
	}
	stored, _ := srv.User("jane@example.com")
	if stored.Locale != "de" || len(stored.Groups) != 0 || stored.Roles["ROLE_USER"][0] != "t1" {
		t.Errorf("stored after update: %+v", stored)
	}
	var put *reltiotest.Request
	for _, r := range srv.Kit().Requests() {
		if r.Method == "PUT" && r.Path == "/oauth/users/jane@example.com" {
			put = &r
		}
	}
	if put == nil || put.Query.Get("skipTokenRevocation") != "true" {
		t.Errorf("PUT sent as %+v", put)
	}

	if err := c.Users.Delete(ctx, "john@example.com"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := c.Users.Delete(ctx, "john@example.com"); !errors.Is(err, reltio.ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
}

func TestModifyWritesNothingWhenNothingChanged(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(seeded())
	defer srv.Close()
	c := testClient(t, srv, nil)
	_, err := c.Users.Modify(t.Context(), "jane@example.com", func(u *reltio.User) error {
		u.Permissions.Roles.Grant("ROLE_USER", "t1") // already there
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Kit().Requests() {
		if r.Method == "PUT" {
			t.Errorf("a PUT was sent: %s", r.Path)
		}
		if r.Method == "GET" && r.Query.Has("resolveGroups") {
			t.Errorf("Modify read with resolveGroups: %v", r.Query)
		}
	}
	stop := errors.New("stop")
	if _, err := c.Users.Modify(t.Context(), "jane@example.com", func(*reltio.User) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("the change's error: %v", err)
	}
}

func TestUsernamesAreEscaped(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{Username: "a/b?c#d e+f@example.com", Email: "odd@example.com"}))
	defer srv.Close()
	c := testClient(t, srv, nil)
	u, err := c.Users.Get(t.Context(), "a/b?c#d e+f@example.com")
	if err != nil || u.Email != "odd@example.com" {
		t.Fatalf("Get = %+v, %v", u, err)
	}
	reqs := srv.Kit().Requests()
	last := reqs[len(reqs)-1]
	if last.Path != "/oauth/users/a/b?c#d e+f@example.com" || len(last.Query) != 0 {
		t.Errorf("the fake saw path %q query %v", last.Path, last.Query)
	}
}

func TestCreateIsNotResent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		fault reltiotest.Fault
	}{
		{"reply lost", reltiotest.Fault{Method: "POST", Path: "/oauth/users", DropAfterApply: true}},
		{"503", reltiotest.Fault{Method: "POST", Path: "/oauth/users", Status: 503}},
	} {
		srv := reltiotest.NewServer()
		defer srv.Close()
		c := testClient(t, srv, nil)
		if _, err := c.Tokens.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
		srv.Kit().Inject(tt.fault)
		_, err := c.Users.Create(t.Context(), []reltio.User{{Username: "jane@example.com", Email: "jane@example.com"}})
		if !errors.Is(err, reltio.ErrMaybeApplied) {
			t.Errorf("%s: err = %v, want ErrMaybeApplied", tt.name, err)
		}
		posts := 0
		for _, r := range srv.Kit().Requests() {
			if r.Method == "POST" && r.Path == "/oauth/users" {
				posts++
			}
		}
		if posts != 1 {
			t.Errorf("%s: create sent %d times", tt.name, posts)
		}
	}
}

func TestReadsAreRetried(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(seeded())
	defer srv.Close()
	c := testClient(t, srv, nil)
	srv.Kit().Inject(reltiotest.Fault{Method: "GET", Path: "/oauth/users", Status: 503, Count: 2})
	if _, err := c.Users.List(t.Context()); err != nil {
		t.Fatalf("List after two 503s: %v", err)
	}
}

func TestRevokeToken(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, nil)
	ctx := t.Context()
	tok, err := c.Tokens.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Revoke the client's own token: the next call fetches a new token first, with no 401.
	rev, err := c.Tokens.Revoke(ctx, tok.AccessToken)
	if err != nil || rev.Status != "success" {
		t.Fatalf("Revoke = %+v, %v", rev, err)
	}
	var sent *reltiotest.Request
	for _, r := range srv.Kit().Requests() {
		if r.Path == "/oauth/revoke" {
			sent = &r
		}
	}
	if sent == nil || sent.Method != "POST" || sent.Query.Get("token") != tok.AccessToken || sent.BodySize != 0 {
		t.Errorf("revoke sent as %+v", sent)
	}
	before := len(srv.Kit().Requests())
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatalf("List after revoking: %v", err)
	}
	if n := len(srv.Kit().Requests()) - before; n != 2 {
		t.Errorf("%d requests for the List after revoking, want 2 (a token, then the list)", n)
	}
	if next, _ := c.Tokens.Token(ctx); next.AccessToken == tok.AccessToken {
		t.Error("the revoked token is still used")
	}
}

func TestErrorsHideTheRevokedToken(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, nil)
	srv.Kit().Inject(reltiotest.Fault{Method: "POST", Path: "/oauth/revoke", Status: 500})
	secret := "a-token-to-revoke-1234"
	_, err := c.Tokens.Revoke(t.Context(), secret)
	if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), url.QueryEscape(secret)) {
		t.Fatalf("err = %v", err)
	}
}

func TestCustomerScopedServices(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, nil)
	ctx := t.Context()

	g, err := c.Groups.Get(ctx, "Config_Admin")
	if err != nil || g.Roles["ROLE_ADMIN_TENANT"][0] != "t1" {
		t.Fatalf("Groups.Get = %+v, %v", g, err)
	}
	g.Description = "admins"
	if g, err = c.Groups.Update(ctx, *g); err != nil || g.Description != "admins" {
		t.Errorf("Groups.Update = %+v, %v", g, err)
	}
	if _, err := c.Groups.Get(ctx, "NOPE"); !errors.Is(err, reltio.ErrNotFound) {
		t.Errorf("unknown group: %v", err)
	}

	roles, err := c.Roles.List(ctx, reltio.RoleListOptions{ForClients: true})
	if err != nil || !slices.Contains(roles, "ROLE_API") {
		t.Errorf("Roles.List = %v, %v", roles, err)
	}
	if _, err := c.Roles.Add(ctx, "ROLE_A", "ROLE_B"); err != nil {
		t.Fatal(err)
	}
	cust, err := c.Roles.Replace(ctx, "ROLE_B")
	if err != nil || !slices.Equal(cust.CustomerSpecificRoles, []string{"ROLE_B"}) || !slices.Equal(srv.CustomerRoles(), []string{"ROLE_B"}) {
		t.Errorf("Roles.Replace = %+v, %v", cust, err)
	}

	perms := reltio.RolePermissions{RoleName: "ROLE_B", ServicePermissions: []reltio.Permission{
		{ID: "dataloader", AllowedPrivileges: []reltio.Privilege{reltio.Read, reltio.Execute}},
	}}
	if _, err := c.Permissions.Create(ctx, []reltio.RolePermissions{perms}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Permissions.Get(ctx, "ROLE_B")
	if diff := cmp.Diff(&perms, got); diff != "" || err != nil {
		t.Errorf("Permissions.Get: %v %s", err, diff)
	}
	perms.ServicePermissions[0].AllowedPrivileges = []reltio.Privilege{reltio.Read}
	if _, err := c.Permissions.Update(ctx, perms); err != nil {
		t.Fatal(err)
	}
	list, err := c.Permissions.List(ctx)
	if err != nil || len(list) != 1 || len(list[0].ServicePermissions[0].AllowedPrivileges) != 1 {
		t.Errorf("Permissions.List = %+v, %v", list, err)
	}
	if err := c.Permissions.Delete(ctx, "ROLE_B"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Permissions.Get(ctx, "ROLE_B"); !errors.Is(err, reltio.ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}

	other := testClient(t, srv, func(cfg *reltio.Config) { cfg.Customer = "OtherCustomer" })
	if _, err := other.Customers.Get(ctx); !errors.Is(err, reltio.ErrNotFound) || !strings.Contains(err.Error(), "OtherCustomer") {
		t.Errorf("another customer: %v", err)
	}
}

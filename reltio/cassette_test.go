package reltio_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/vcr"
	"github.com/rosterhq/roster/reltio"
)

// The cassettes of fixtures/reltio are written from Reltio's "Create Users" sample and from
// the examples of its OpenAPI exports (each says so in its "# source:" lines). These tests
// replay them through the real client, with the recorder as the transport under the retry
// loop, so every attempt is one interaction.

const (
	cassetteDir = "../fixtures/reltio/"
	// cassetteToken is a made-up token; the cassettes record the header as REDACTED.
	cassetteToken = "c4553773-7e5a-4b1e-9d2c-synthetic0001"
)

type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// replay returns a client that replays fixtures/reltio/<name>.yaml. The cassettes come from
// documents, not recordings, so they are never recorded over.
func replay(t *testing.T, name string, edit func(*reltio.Config)) *reltio.Client {
	t.Helper()
	hc := vcr.Open(t, cassetteDir+name, vcr.ReplayOnly(), vcr.WithSecrets(cassetteToken))
	ct := &countingTransport{next: hc.Transport}
	cfg := reltio.Config{
		Customer:    "BestCustomer",
		AccessToken: cassetteToken,
		HTTPClient:  &http.Client{Transport: ct},
		Retry:       fastRetry,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := reltio.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cas, err := cassette.Load(cassetteDir + name)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := int(ct.n.Load()), len(cas.Interactions); got != want && !t.Failed() {
			t.Errorf("%s: %d requests sent, the cassette holds %d", name, got, want)
		}
	})
	return c
}

// docSampleUser is the user of the "Create Users" sample.
func docSampleUser() reltio.User {
	return reltio.User{
		Customer:              "TestCustomer",
		Username:              "testdemouser@reltio.com",
		Password:              "Welcome1!!",
		Email:                 "testdemouser@reltio.com",
		Entity:                json.RawMessage("null"),
		ExternalTokens:        []json.RawMessage{},
		Enabled:               reltio.Ptr(true),
		AccountNonExpired:     reltio.Ptr(true),
		CredentialsNonExpired: reltio.Ptr(true),
		AccountNonLocked:      reltio.Ptr(true),
		ExternalUser:          reltio.Ptr(false),
		Locale:                "en",
		Timezone:              "UTC",
		Permissions:           reltio.UserPermissions{Roles: reltio.Roles{"ROLE_API": {"t1", "t2"}, "ROLE_ADMIN_TENANT": {"t1"}, "ROLE_USER": {"t3"}}},
		Groups:                []string{"Config_Admin"},
	}
}

// specUser is the user of the OpenAPI export's create request example.
func specUser() reltio.User {
	return reltio.User{
		Customer:     "CustomerId",
		Username:     "user@reltio.com",
		Email:        "user@reltio.com",
		Enabled:      reltio.Ptr(true),
		ExternalUser: reltio.Ptr(false),
		Locale:       "en",
		Timezone:     "UTC",
		Permissions: reltio.UserPermissions{
			Roles:                reltio.Roles{"ROLE_API": {"devtenantId", "testTenantId"}, "ROLE_USER": {"devtenantId", "testTenantId"}},
			Permissions:          map[string]json.RawMessage{},
			PermissionsByService: map[string]json.RawMessage{},
		},
		Groups:    []string{"SALES_GROUP"},
		Encrypted: reltio.Ptr(true),
	}
}

func TestCassetteCreateUsersDocSample(t *testing.T) {
	t.Parallel()
	c := replay(t, "create-users", nil)
	got, err := c.Users.Create(t.Context(), []reltio.User{docSampleUser()})
	if err != nil {
		t.Fatal(err)
	}
	want := docSampleUser()
	want.Password, want.Entity, want.Customer = "", nil, "SYSTEM" // as the doc's response shows it
	want.Permissions.Permissions = map[string]json.RawMessage{}
	want.Permissions.PermissionsByService = map[string]json.RawMessage{}
	want.LegacyRoles, want.LegacyTenants = []string{}, []string{}
	if diff := cmp.Diff([]reltio.User{want}, got); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
}

func TestCassetteCreateUsersSingleObjectReply(t *testing.T) {
	t.Parallel()
	c := replay(t, "create-users-spec", nil)
	got, err := c.Users.Create(t.Context(), []reltio.User{specUser()})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Username != "user@reltio.com" || got[0].LastLoginDate.UnixMilli() != 1613715826703 {
		t.Errorf("created %+v", got)
	}
}

func TestCassetteCreateUsersInUse(t *testing.T) {
	t.Parallel()
	c := replay(t, "create-users-in-use", nil)
	_, err := c.Users.Create(t.Context(), []reltio.User{specUser()})
	var e *reltio.Error
	if !errors.As(err, &e) || !errors.Is(err, reltio.ErrConflict) || errors.Is(err, reltio.ErrMaybeApplied) {
		t.Fatalf("err = %v, want a refused conflict", err)
	}
	if e.StatusCode != 500 || e.Code != "500" || e.Message != "Username user1@reltio.com is already in use" ||
		!strings.HasPrefix(e.Detail, "com.reltio.auth.exception.AuthServiceException") {
		t.Errorf("error fields %+v", e)
	}
}

func TestCassettePasswordGrant(t *testing.T) {
	t.Parallel()
	c := replay(t, "token-password-grant", func(cfg *reltio.Config) {
		cfg.AccessToken = ""
		cfg.ClientID, cfg.ClientSecret = "client-id", "client-secret-value"
		cfg.Username, cfg.Password = "user@reltio.com", "a-user-password"
	})
	u, err := c.Users.Get(t.Context(), "user@reltio.com")
	if err != nil {
		t.Fatal(err)
	}
	if u.Customer != "CustomerId" || !u.Permissions.Roles.Has("ROLE_API", "testTenantId") {
		t.Errorf("user %+v", u)
	}
	tok, err := c.Tokens.Token(t.Context())
	if err != nil || tok.AccessToken != "00000000-0000-4000-8000-00000000a001" || tok.TokenType != "bearer" || tok.Expiry.IsZero() {
		t.Errorf("token %+v, %v", tok, err)
	}
}

func TestCassetteUserNotFound(t *testing.T) {
	t.Parallel()
	c := replay(t, "get-user-not-found", nil)
	_, err := c.Users.Get(t.Context(), "user@reltio.com")
	var e *reltio.Error
	if !errors.Is(err, reltio.ErrNotFound) || !errors.As(err, &e) || e.Message != "User user@reltio.com is not found" {
		t.Fatalf("err = %v", err)
	}
}

// The user as the spec's GET returns it, written back, is the spec's own PUT example.
func TestCassetteUpdateWritesBackWhatWasRead(t *testing.T) {
	t.Parallel()
	c := replay(t, "update-user", nil)
	ctx := t.Context()
	u, err := c.Users.Get(ctx, "user@reltio.com")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Users.Update(ctx, "user@reltio.com", *u)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("updated user differs from the read one:\n%s", diff)
	}
}

func TestCassetteUserEndpoints(t *testing.T) {
	t.Parallel()
	c := replay(t, "users-spec-examples", nil)
	ctx := t.Context()
	all, err := c.Users.List(ctx)
	if err != nil || len(all) != 1 || all[0].Username != "user@reltio.com" {
		t.Fatalf("List = %v, %v", all, err)
	}
	groups, err := c.Users.Groups(ctx, "user@reltio.com")
	if err != nil || !slices.Equal(groups, []string{"SALES_GROUP"}) {
		t.Errorf("Groups = %v, %v", groups, err)
	}
	set, err := c.Users.SetGroups(ctx, "user@reltio.com", []string{"SALES_GROUP"})
	if err != nil || !slices.Equal(set, []string{"SALES_GROUP"}) {
		t.Errorf("SetGroups = %v, %v", set, err)
	}
	if err := c.Users.RevokeTokens(ctx, "user@reltio.com"); err != nil {
		t.Errorf("RevokeTokens: %v", err)
	}
	byGroup, err := c.Users.ListByGroup(ctx, "SALES_GROUP")
	if err != nil || len(byGroup) != 1 {
		t.Errorf("ListByGroup = %v, %v", byGroup, err)
	}
	byTenant, err := c.Users.ListByTenant(ctx, "devtenantId")
	if err != nil || !slices.Equal(byTenant, []reltio.UserRef{{Username: "user@reltio.com", Email: "user@reltio.com"}}) {
		t.Errorf("ListByTenant = %v, %v", byTenant, err)
	}
	if err := c.Users.Delete(ctx, "user@reltio.com"); err != nil {
		t.Errorf("Delete: %v", err)
	}
}

func TestCassetteCustomerEndpoints(t *testing.T) {
	t.Parallel()
	c := replay(t, "customer-spec-examples", nil)
	ctx := t.Context()
	cust, err := c.Customers.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cust.ID != "BestCustomer" || len(cust.Tenants) != 3 || len(cust.CustomerSpecificRoles) != 3 ||
		cust.PasswordPolicy == nil || *cust.PasswordPolicy.NumberOfFailedLoginAttempts != 2 || cust.ExternalProviderConfig == nil {
		t.Errorf("customer %+v", cust)
	}
	roles, err := c.Roles.List(ctx)
	if err != nil || len(roles) != 3 {
		t.Errorf("Roles.List = %v, %v", roles, err)
	}
	if _, err := c.Roles.Add(ctx, "ROLE_EXPORT"); err != nil {
		t.Errorf("Roles.Add: %v", err)
	}
	if _, err := c.Roles.Replace(ctx, "ROLE_EXPORT"); err != nil {
		t.Errorf("Roles.Replace: %v", err)
	}
	sys, err := c.Permissions.System(ctx, "ROLE_DATALOADER")
	if err != nil || len(sys.ServicePermissions) != 3 {
		t.Errorf("Permissions.System = %+v, %v", sys, err)
	}
	rp := reltio.RolePermissions{RoleName: "ROLE_DATALOADER_INT", ServicePermissions: []reltio.Permission{
		{ID: "dataloader", ResourcePermissions: []reltio.Permission{
			{ID: "config", AllowedPrivileges: all5(), ResourcePermissions: []reltio.Permission{
				{ID: "mappings", AllowedPrivileges: all5()},
				{ID: "project", AllowedPrivileges: all5(), ResourcePermissions: []reltio.Permission{{ID: "jobs", AllowedPrivileges: all5()}}},
				{ID: "storage", AllowedPrivileges: all5()},
				{ID: "limits", AllowedPrivileges: all5()},
			}},
			{ID: "tasks", AllowedPrivileges: all5(), ResourcePermissions: []reltio.Permission{{ID: "jobs", AllowedPrivileges: all5()}}},
		}},
		{ID: "MDM", ResourcePermissions: []reltio.Permission{
			{ID: "data", ResourcePermissions: []reltio.Permission{
				{ID: "entities", ResourcePermissions: []reltio.Permission{{ID: "profile", AllowedPrivileges: []reltio.Privilege{reltio.Create, reltio.Update}}}},
				{ID: "relations", AllowedPrivileges: []reltio.Privilege{reltio.Create, reltio.Update}},
			}},
			{ID: "tasks", ResourcePermissions: []reltio.Permission{{ID: "periodic", AllowedPrivileges: []reltio.Privilege{reltio.Read, reltio.Execute, reltio.Update}}}},
		}},
	}}
	created, err := c.Permissions.Create(ctx, []reltio.RolePermissions{rp})
	if err != nil || len(created) != 1 {
		t.Fatalf("Permissions.Create = %v, %v", created, err)
	}
	if diff := cmp.Diff(rp, created[0]); diff != "" {
		t.Errorf("created permissions differ:\n%s", diff)
	}
	got, err := c.Permissions.Get(ctx, "ROLE_DATALOADER_API")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Permissions.Update(ctx, *got); err != nil {
		t.Errorf("Permissions.Update: %v", err)
	}
	if err := c.Permissions.Delete(ctx, "ROLE_DATALOADER_API"); err != nil {
		t.Errorf("Permissions.Delete: %v", err)
	}
}

func all5() []reltio.Privilege {
	return []reltio.Privilege{reltio.Read, reltio.Execute, reltio.Delete, reltio.Create, reltio.Update}
}

func TestCassetteInvalidToken(t *testing.T) {
	t.Parallel()
	c := replay(t, "invalid-token", nil)
	_, err := c.Permissions.Get(t.Context(), "ROLE_DATALOADER_API")
	var e *reltio.Error
	if !errors.Is(err, reltio.ErrUnauthorized) || !errors.As(err, &e) || e.Code != "invalid_token" {
		t.Fatalf("err = %v", err)
	}
}

func TestCassetteSynthesizedGroupsPolicyRevoke(t *testing.T) {
	t.Parallel()
	c := replay(t, "synthesized-groups-policy-revoke", nil)
	ctx := t.Context()
	g := reltio.Group{GroupID: "SALES_GROUP", GroupName: "Sales", Description: "Sales team", Roles: reltio.Roles{"ROLE_API": {"devtenantId"}}}
	created, err := c.Groups.Create(ctx, []reltio.Group{g})
	if err != nil || len(created) != 1 {
		t.Fatalf("Groups.Create = %v, %v", created, err)
	}
	list, err := c.Groups.List(ctx)
	if err != nil || len(list) != 1 {
		t.Errorf("Groups.List = %v, %v", list, err)
	}
	got, err := c.Groups.Get(ctx, "SALES_GROUP")
	if diff := cmp.Diff(&g, got); diff != "" || err != nil {
		t.Errorf("Groups.Get: %v %s", err, diff)
	}
	got.Description = "Sales and pre-sales"
	if upd, err := c.Groups.Update(ctx, *got); err != nil || upd.Description != "Sales and pre-sales" {
		t.Errorf("Groups.Update = %+v, %v", upd, err)
	}
	p := reltio.PasswordPolicy{
		PasswordRules:               []reltio.PasswordRule{{Type: ".HistoryPRule", LastPasswordVerifyCount: reltio.Ptr(4)}},
		ExpirePeriodInDays:          reltio.Ptr(90),
		InactivePeriodInDays:        reltio.Ptr(30),
		NumberOfFailedLoginAttempts: reltio.Ptr(5),
	}
	if _, err := c.PasswordPolicy.Set(ctx, p); err != nil {
		t.Fatal(err)
	}
	back, err := c.PasswordPolicy.Get(ctx)
	if diff := cmp.Diff(&p, back); diff != "" || err != nil {
		t.Errorf("PasswordPolicy.Get: %v %s", err, diff)
	}
	perms, err := c.Permissions.List(ctx)
	if err != nil || len(perms) != 1 || perms[0].RoleName != "ROLE_DATALOADER_API" {
		t.Errorf("Permissions.List = %v, %v", perms, err)
	}
	if rev, err := c.Tokens.Revoke(ctx, "a-token-someone-holds"); err != nil || rev.Status != "success" {
		t.Errorf("Revoke = %+v, %v", rev, err)
	}
}

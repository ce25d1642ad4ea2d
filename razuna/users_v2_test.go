package razuna_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/razuna"
	"github.com/rosterhq/roster/razuna/razunatest"
)

func v2Client(t *testing.T, srv *razunatest.Server, key string) *razuna.Client {
	t.Helper()
	c, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, APIKey: key, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUsersV2(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer(razunatest.WithUsers(razunatest.SeedUser{LoginName: "viewer", Email: "v@example.com",
		FirstName: "Vi", LastName: "Ewer", Password: "viewer-pw", APIKey: "11112222333344445555666677778888"}))
	defer srv.Close()
	c := v2Client(t, srv, srv.APIKey)
	ctx := t.Context()

	added, err := c.UsersV2.Add(ctx, jdoe)
	if err != nil || added.ID == "" || added.APIKey == "" {
		t.Fatalf("add: %+v, %v", added, err)
	}
	again, err := c.UsersV2.Add(ctx, jdoe)
	if !errors.Is(err, razuna.ErrConflict) || again == nil || again.ID != added.ID {
		t.Errorf("add again: %+v, %v", again, err)
	}
	if id, err := c.UsersV2.Update(ctx, razuna.UserByEmail("JOHN@doe.com"), razuna.UserData{Password: razuna.Ptr("n3wSecret"), Active: razuna.Ptr(false)}); err != nil || id != added.ID {
		t.Errorf("update: %q, %v", id, err)
	}
	u, _ := srv.User("jdoe")
	if u.PasswordHash != upperMD5("n3wSecret") || u.Active != "F" {
		t.Errorf("stored %+v", u)
	}
	members, err := c.GroupsV2.Users(ctx, razuna.GroupAdministrator)
	if err != nil {
		t.Fatal(err)
	}
	want := []razuna.GroupMember{
		{ID: razunatest.AdminID, FirstName: "System", LastName: "Administrator", Email: razunatest.AdminEmail},
		{ID: added.ID, FirstName: "John", LastName: "Doe", Email: "john@doe.com"},
	}
	if diff := cmp.Diff(want, members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if _, err := c.GroupsV2.Users(ctx, "4711"); !errors.Is(err, razuna.ErrNotFound) {
		t.Errorf("unknown group: %v", err)
	}
	if id, err := c.UsersV2.Delete(ctx, razuna.UserByLoginName("jdoe")); err != nil || id != added.ID {
		t.Errorf("delete: %q, %v", id, err)
	}
	if _, err := c.UsersV2.Delete(ctx, razuna.UserByLoginName("jdoe")); !errors.Is(err, razuna.ErrNotFound) {
		t.Errorf("delete again: %v", err)
	}

	if _, err := v2Client(t, srv, "0BADC0DE0BADC0DE0BADC0DE0BADC0DE").UsersV2.Get(ctx); !errors.Is(err, razuna.ErrUnauthorized) {
		t.Errorf("bad key getuser: %v", err)
	}
	if _, err := v2Client(t, srv, "0BADC0DE0BADC0DE0BADC0DE0BADC0DE").UsersV2.Delete(ctx, razuna.UserByID("1")); !errors.Is(err, razuna.ErrUnauthorized) {
		t.Errorf("bad key delete: %v", err)
	}
	if _, err := v2Client(t, srv, "11112222333344445555666677778888").UsersV2.Add(ctx, jdoe); !errors.Is(err, razuna.ErrForbidden) {
		t.Errorf("non-admin add: %v", err)
	}

	// The key travels in the form body only.
	for _, r := range srv.Kit().Requests() {
		if diff := cmp.Diff([]string{"method"}, keys(r.Query)); diff != "" {
			t.Errorf("%s query keys (-want +got):\n%s", r.Path, diff)
		}
		if form(t, r).Get("api_key") == "" {
			t.Errorf("%s?%s without api_key in the form", r.Path, r.Query.Encode())
		}
	}
}

func keys(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	return out
}

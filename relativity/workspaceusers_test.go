package relativity_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

func TestWorkspaceLists(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	me, err := client.WorkspaceUsers.Me(ctx, relativity.AdminWorkspace)
	if err != nil {
		t.Fatal(err)
	}
	if me.Name != "Allen, Rob" || me.AclUserID != 9 || me.CreatedOn.Raw() != "2007-01-01T00:00:00" {
		t.Errorf("me = %+v", me)
	}
	all, err := client.WorkspaceUsers.AllUsers(ctx, -1, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []relativity.WorkspaceUser{{ArtifactID: 1017952, Name: "1, 1"}, {ArtifactID: 9, Name: "Allen, Rob"}, {ArtifactID: 777, Name: "Sidney, Robin"}}
	if d := cmp.Diff(want, all.Users); d != "" || all.LoggedInUserID != 9 {
		t.Errorf("all-users (-doc +got):\n%s", d)
	}
	access, err := client.WorkspaceUsers.UsersWithAccess(ctx, -1)
	if err != nil {
		t.Fatal(err)
	}
	if len(access.Users) != 3 || access.Users[0].ArtifactID != 9 {
		t.Errorf("users-with-access = %+v", access.Users)
	}
	active, err := client.WorkspaceUsers.ActiveUsers(ctx, -1, relativity.ActiveUsersOptions{IncludeCurrentUser: false})
	if err != nil {
		t.Fatal(err)
	}
	if len(active.Users) != 2 {
		t.Errorf("active without me = %+v", active.Users)
	}
	var queries []string
	for _, r := range srv.Kit().Requests() {
		queries = append(queries, r.Query.Encode())
	}
	wantQ := []string{"", "includeDeleted=true", "", "enforceChoiceLimitForUI=false&includeCurrentUser=0"}
	if d := cmp.Diff(wantQ, queries); d != "" {
		t.Errorf("query strings (-want +got):\n%s", d)
	}
}

// Over ChoiceLimitForUI the server answers no users at all: an empty list is not proof of
// an empty workspace.
func TestActiveUsersChoiceLimit(t *testing.T) {
	t.Parallel()
	_, client := newFake(t, relativitytest.WithChoiceLimit(2))
	ctx := t.Context()
	opts := relativity.ActiveUsersOptions{IncludeCurrentUser: true, EnforceChoiceLimitForUI: true}
	limited, err := client.WorkspaceUsers.ActiveUsers(ctx, -1, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.EnforceChoiceLimitForUI = false
	full, err := client.WorkspaceUsers.ActiveUsers(ctx, -1, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(limited.Users) != 0 || len(full.Users) != 3 {
		t.Errorf("limited %d users, full %d users", len(limited.Users), len(full.Users))
	}
}

func TestQuerySpellsTheDocSample(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	q := relativity.UserQuery{
		Condition: relativity.Field("User Type").In("Internal"),
		Sort:      []relativity.Sort{relativity.SortBy("FullName", relativity.Ascending)},
		Length:    25,
	}
	res, err := client.WorkspaceUsers.Query(t.Context(), -1, q)
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalResultCount != 2 || res.ResultCount != 2 || res.DataResults[0].FullName != "Allen, Rob" {
		t.Errorf("result = %+v", res)
	}
	want := `{"Query":{"Condition":"'User Type' IN ['Internal']","Sort":[{"FieldIdentifier":{"Name":"FullName"},"Direction":"Ascending"}]},"Start":0,"Length":25}`
	assertJSON(t, srv.Kit().Requests()[0].Body, want)
}

func TestQueryAllPagesFromZero(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	var got []int
	for u, err := range client.WorkspaceUsers.QueryAll(t.Context(), -1, relativity.UserQuery{
		Sort: []relativity.Sort{relativity.SortBy("ArtifactID", relativity.Descending)}, Length: 1,
	}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.ArtifactID)
	}
	if d := cmp.Diff([]int{1017952, 777, 9}, got); d != "" {
		t.Errorf("users (-want +got):\n%s", d)
	}
	var starts []int
	for _, r := range srv.Kit().Requests() {
		var b struct{ Start, Length int }
		if err := json.Unmarshal(r.Body, &b); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, b.Start)
	}
	if fmt.Sprint(starts) != "[0 1 2]" {
		t.Errorf("starts = %v; the walk stops at TotalResultCount", starts)
	}
}

func TestQueryByEmailQuoting(t *testing.T) {
	t.Parallel()
	_, client := newFake(t)
	ctx := t.Context()
	odd := "o'brien+test@example.com"
	if _, err := client.Users.Create(ctx, newUser(odd)); err != nil {
		t.Fatal(err)
	}
	res, err := client.WorkspaceUsers.Query(ctx, -1, relativity.UserQuery{Condition: relativity.Field("Email Address").Eq(odd), Length: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.DataResults) != 1 || res.DataResults[0].Email != odd {
		t.Errorf("result = %+v", res)
	}
}

func TestEligibleGroupsDocSample(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	q := relativity.EligibleGroupsQuery{
		Users:  []int{9},
		Sorts:  []relativity.Sort{relativity.SortBy("Name", relativity.Ascending)},
		Length: 25,
	}
	res, err := client.Users.QueryEligibleGroups(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, o := range res.Objects {
		ids = append(ids, o.ArtifactID)
	}
	// The doc's sample reply, in its order.
	if d := cmp.Diff([]int{1015025, 1015028, 1015029, 1015030, 1015026, 1015027}, ids); d != "" || res.TotalCount != 6 || res.ObjectType.ArtifactTypeID != 3 {
		t.Errorf("groups (-doc +got):\n%s\n%+v", d, res)
	}
	want := `{"Users":[{"ArtifactID":9}],"Request":{"Condition":"","Sorts":[{"FieldIdentifier":{"Name":"Name"},"Direction":"Ascending"}]},"Start":0,"Length":25}`
	assertJSON(t, srv.Kit().Requests()[0].Body, want)

	n := 0
	for g, err := range client.Users.QueryEligibleGroupsAll(t.Context(), relativity.EligibleGroupsQuery{Users: []int{9}, Length: 4}) {
		if err != nil || g.ArtifactID == 0 {
			t.Fatal(g, err)
		}
		n++
	}
	if n != 6 {
		t.Errorf("walked %d groups, want 6", n)
	}
}

func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("sent %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(w, g); d != "" {
		t.Errorf("body (-want +sent):\n%s", d)
	}
}

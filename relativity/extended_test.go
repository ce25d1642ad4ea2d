package relativity_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

func TestGroupsAndMembers(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	g, err := client.Groups.Create(ctx, relativity.GroupRequest{Name: "Reviewers", Client: relativity.ClientRef(relativitytest.ClientID)})
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, srv.Kit().Requests()[0].Body, `{"GroupRequest":{"Name":"Reviewers","Client":{"Secured":false,"Value":{"ArtifactID":1015644}},"Keywords":"","Notes":""}}`)
	if _, err := client.Groups.Create(ctx, relativity.GroupRequest{Name: "Reviewers", Client: relativity.ClientRef(relativitytest.ClientID)}); !errors.Is(err, relativity.ErrConflict) {
		t.Errorf("duplicate group: %v", err)
	}
	if err := client.Groups.AddMembers(ctx, g.ArtifactID, 9, 777); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Kit().Requests()
	assertJSON(t, reqs[len(reqs)-1].Body, `{"users":[{"ArtifactID":9},{"ArtifactID":777}]}`)
	groups, err := client.Legacy.QueryGroupsByUser(ctx, 777, relativity.GroupsQuery{
		Fields: []relativity.FieldIdentifier{{Name: "Name"}}, Start: 0, Length: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.Objects) != 1 || groups.Objects[0].Values[0] != "Reviewers" {
		t.Errorf("groups of 777 = %+v", groups)
	}
	if err := client.Groups.RemoveMembers(ctx, g.ArtifactID, 777); err != nil {
		t.Fatal(err)
	}
	if r := srv.Kit().Requests(); r[len(r)-1].Method != "DELETE" || !strings.HasSuffix(r[len(r)-1].Path, "/members") {
		t.Errorf("remove sent %s %s", r[len(r)-1].Method, r[len(r)-1].Path)
	}
	g.Notes = "x"
	up, err := client.Groups.Update(ctx, g.ArtifactID, relativity.GroupRequest{Name: "Senior Reviewers", Client: relativity.ClientRef(relativitytest.ClientID), Notes: "n"})
	if err != nil || up.Name != "Senior Reviewers" || up.Notes != "n" {
		t.Fatalf("update: %+v, %v", up, err)
	}
	got, err := client.Groups.Get(ctx, g.ArtifactID, &relativity.GetOptions{IncludeMetadata: true})
	if err != nil || got.Type != "SystemGroup" || got.Client.Value.Name != "Relativity" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if err := client.Groups.Delete(ctx, g.ArtifactID); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Groups.Get(ctx, g.ArtifactID, nil); !errors.Is(err, relativity.ErrNotFound) {
		t.Errorf("get deleted group: %v", err)
	}
}

func TestClients(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	statuses, err := client.Clients.EligibleStatuses(ctx)
	if err != nil || len(statuses) == 0 {
		t.Fatalf("statuses %v, %v", statuses, err)
	}
	c, err := client.Clients.Create(ctx, relativity.ClientRequest{Name: "Acme", Number: "42", Status: relativity.ArtifactRef{ArtifactID: statuses[0].ArtifactID}})
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Kit().Requests()
	if reqs[1].Path != "/Relativity.REST/api/Relativity-Identity/v1/workspaces/-1/clients" {
		t.Errorf("create path %s", reqs[1].Path)
	}
	assertJSON(t, reqs[1].Body, `{"ClientRequest":{"Name":"Acme","Number":"42","Status":{"ArtifactID":671},"Keywords":"","Notes":""}}`)
	if err := client.Clients.Update(ctx, c.ArtifactID, relativity.ClientRequest{Name: "Acme Corp", Status: relativity.ArtifactRef{ArtifactID: 670}}); err != nil {
		t.Fatal(err)
	}
	got, err := client.Clients.Get(ctx, c.ArtifactID)
	if err != nil || got.Name != "Acme Corp" || got.Status.Name != "Inactive" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if err := client.Clients.Delete(ctx, c.ArtifactID); err != nil {
		t.Fatal(err)
	}
	// The sample client has users: the fake refuses, as a server would.
	if err := client.Clients.Delete(ctx, relativitytest.ClientID); !errors.Is(err, relativity.ErrConflict) {
		t.Errorf("delete client with users: %v", err)
	}
}

func TestLoginProfiles(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	const pw = "Correct-Horse-42"
	if err := client.LoginProfiles.SetPassword(ctx, 777, pw); err == nil {
		t.Error("password set before password login was enabled")
	}
	if err := client.LoginProfiles.EnablePassword(ctx, 777, relativity.PasswordOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := client.LoginProfiles.SetPassword(ctx, 777, pw); err != nil {
		t.Fatal(err)
	}
	err := client.LoginProfiles.SetPassword(ctx, 777, pw)
	var e *relativity.Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "Cannot reuse a previous password") {
		t.Fatalf("reuse: %v", err)
	}
	if strings.Contains(err.Error(), pw) || strings.Contains(string(e.Body), pw) {
		t.Errorf("error shows the password: %v / %s", err, e.Body)
	}
	reqs := srv.Kit().Requests()
	if reqs[1].Path != "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login Profile Manager/SaveLoginProfileAsync" {
		t.Errorf("path %q", reqs[1].Path)
	}
	assertJSON(t, reqs[1].Body, `{"Profile":{"userId":777,"Password":{"IsEnabled":true,"MustResetPasswordOnNextLogin":false}}}`)
}

func TestLegacyUsers(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	res, err := client.Legacy.RetrieveUsersBy(ctx, relativity.LegacyUserQuery{
		Condition: relativity.Field("Email").Eq("test@t.com"), Start: 1, Length: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.DataResults) != 1 || res.DataResults[0].ArtifactID != relativitytest.SampleUserID {
		t.Errorf("result = %+v", res)
	}
	assertJSON(t, srv.Kit().Requests()[0].Body, `{"start":1,"length":100,"query":{"Condition":"'Email' == 'test@t.com'"}}`)
	var ids []int
	for u, err := range client.Legacy.RetrieveUsersByAll(ctx, relativity.LegacyUserQuery{Start: 1, Length: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ArtifactID)
	}
	if fmt.Sprint(ids) != "[9 777 1017952]" {
		t.Errorf("walk = %v", ids)
	}
	var starts []string
	for _, r := range srv.Kit().Requests()[1:] {
		var b struct {
			Start int `json:"start"`
		}
		_ = json.Unmarshal(r.Body, &b)
		starts = append(starts, fmt.Sprint(b.Start))
	}
	if strings.Join(starts, ",") != "1,3" {
		t.Errorf("starts = %v, want 1,3 (counted from 1)", starts)
	}
	all, err := client.Legacy.RetrieveAllUsers(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("all: %+v, %v", all, err)
	}
}

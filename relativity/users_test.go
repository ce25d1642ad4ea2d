package relativity_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

func TestCreateSendsTheDocSample(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	u, err := client.Users.Create(t.Context(), newUser("email@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if u.ArtifactID == 0 || u.Type.Name != "Internal" || u.Client.Value.Name != "Relativity" {
		t.Errorf("created user = %+v", u)
	}
	reqs := srv.Kit().Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/Relativity.REST/api/Relativity-Identity/v1/users" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if r.Header.Get("X-CSRF-Header") != "-" || r.Header.Get("X-Kepler-Version") != "2.0" {
		t.Errorf("headers = %v", r.Header)
	}
	// The doc's create sample, with this test's email.
	want := `{"UserRequest":{"AllowSettingsChange": true,"Client": {"Secured": false,"Value": {"ArtifactID": 1015644}},"DefaultFilterVisibility": true,"DocumentViewerProperties": {"AllowDocumentSkipPreferenceChange": true,"AllowDocumentViewerChange": true,"AllowKeyboardShortcuts": true,"DefaultSelectedFileType": "Default","DocumentViewer": "Default","SkipDefaultPreference": true},"DisableOnDate": null,"EmailAddress": "email@example.com","EmailPreference": "Default","FirstName": "First Name","ItemListPageLength": 50,"LastName": "Last Name","RelativityAccess": true,"SavedSearchDefaultsToPublic": true,"TrustedIPs": "","Type": {"ArtifactID": 663},"Keywords": "","Notes": ""}}`
	var got, exp any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(exp, got); d != "" {
		t.Errorf("body (-doc +sent):\n%s", d)
	}
}

func TestGetReadsTheDocSample(t *testing.T) {
	t.Parallel()
	_, client := newFake(t)
	u, err := client.Users.Get(t.Context(), relativitytest.SampleUserID, &relativity.GetOptions{IncludeMetadata: true, IncludeActions: true})
	if err != nil {
		t.Fatal(err)
	}
	if u.EmailAddress != "test@t.com" || u.Type.ArtifactID != 672 || u.LastModifiedOn.Raw() != "2021-05-07T13:45:59.61" {
		t.Errorf("user = %+v", u)
	}
	if len(u.Actions) != 2 || u.Actions[0].Href != "Relativity.Users/workspace/-1/users/1017952" {
		t.Errorf("actions = %+v", u.Actions)
	}
	_, err = client.Users.Get(t.Context(), 424242, nil)
	var e *relativity.Error
	if !errors.Is(err, relativity.ErrNotFound) || !errors.As(err, &e) || !strings.Contains(e.Code, "NotFoundException") || e.Message == "" {
		t.Errorf("unknown user: %v (%+v)", err, e)
	}
}

func TestModifyKeepsOtherFields(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	before, err := client.Users.Get(t.Context(), relativitytest.SidneyID, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, err := client.Users.Modify(t.Context(), relativitytest.SidneyID, func(r *relativity.UserRequest) error {
		r.Notes = "moved to Berlin"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after.Notes != "moved to Berlin" || after.EmailAddress != before.EmailAddress || after.LastModifiedOn.Raw() == before.LastModifiedOn.Raw() {
		t.Errorf("after = %+v", after)
	}
	reqs := srv.Kit().Requests()
	var body map[string]map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["UserRequest"]["LastModifiedOn"] != before.LastModifiedOn.Raw() {
		t.Errorf("sent LastModifiedOn %v, want %q", body["UserRequest"]["LastModifiedOn"], before.LastModifiedOn.Raw())
	}
	for _, k := range []string{"ArtifactID", "Guids", "Meta", "Actions", "CreatedOn", "CreatedBy", "LastModifiedBy"} {
		if _, ok := body["UserRequest"][k]; ok {
			t.Errorf("response-only field %s was sent", k)
		}
	}
}

// Two writers read the same user, then both write: exactly one wins, the other gets
// ErrConflict, and the winner's change is what the server holds.
func TestRacingWritersOneConflict(t *testing.T) {
	t.Parallel()
	_, client := newFake(t)
	var read sync.WaitGroup
	read.Add(2)
	errs := make([]error, 2)
	var done sync.WaitGroup
	for i := range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			_, errs[i] = client.Users.Modify(t.Context(), relativitytest.SampleUserID, func(r *relativity.UserRequest) error {
				read.Done()
				read.Wait() // both have read before either writes
				r.Notes = []string{"writer 0", "writer 1"}[i]
				return nil
			})
		}()
	}
	done.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if won >= 0 {
				t.Fatalf("both writers won")
			}
			won = i
		case errors.Is(err, relativity.ErrConflict):
			if !strings.Contains(err.Error(), "someone else changed user 1017952") {
				t.Errorf("conflict error says %q", err)
			}
		default:
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if won < 0 {
		t.Fatalf("no writer won: %v", errs)
	}
	u, err := client.Users.Get(t.Context(), relativitytest.SampleUserID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"writer 0", "writer 1"}[won]; u.Notes != want {
		t.Errorf("stored notes %q, want the winner's %q", u.Notes, want)
	}
}

func TestCreateDuplicateEmailConflicts(t *testing.T) {
	t.Parallel()
	_, client := newFake(t)
	_, err := client.Users.Create(t.Context(), newUser("test@t.com"))
	var e *relativity.Error
	if !errors.Is(err, relativity.ErrConflict) || errors.Is(err, relativity.ErrMaybeApplied) || !errors.As(err, &e) || !strings.Contains(e.Message, "already exists") {
		t.Errorf("err = %v", err)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	_, client := newFake(t)
	u, err := client.Users.Create(t.Context(), newUser("gone@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Users.Delete(t.Context(), u.ArtifactID); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Users.Get(t.Context(), u.ArtifactID, nil); !errors.Is(err, relativity.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if err := client.Users.Delete(t.Context(), u.ArtifactID); !errors.Is(err, relativity.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

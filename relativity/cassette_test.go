package relativity_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/vcr"
	"github.com/rosterhq/roster/relativity"
)

// The cassettes of fixtures/relativity are handwritten from the vendor doc's samples (each
// says so in its "# source:" lines). These tests replay them through the real client, with
// the recorder as the transport under the retry loop: a request that differs from the doc's
// sample in method, path, query or JSON body misses its interaction and fails.

const (
	cassetteDir  = "../fixtures/relativity/"
	cassetteURL  = "https://relativity.example.com"
	cassetteUser = "rob.allen@example.com"
	// cassettePassword is made up; the cassettes record the Authorization header as REDACTED.
	cassettePassword = "Tr0ub4dor&3-example"
	cassetteClientID = "roster-example-client"
	cassetteSecret   = "c1ient-secret-example-7f3a"
)

type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// replay returns a client that replays fixtures/relativity/<name>.yaml, and a check that
// every interaction was used exactly once.
func replay(t *testing.T, name string, edit func(*relativity.Config)) (*relativity.Client, func()) {
	t.Helper()
	hc := vcr.Open(t, cassetteDir+name, vcr.ReplayOnly(), vcr.WithSecrets(cassettePassword, cassetteSecret))
	ct := &countingTransport{next: hc.Transport}
	cfg := relativity.Config{
		BaseURL: cassetteURL, Username: cassetteUser, Password: cassettePassword,
		HTTPClient: &http.Client{Transport: ct}, Retry: relativity.RetryPolicy{MaxAttempts: 1},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := relativity.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, func() {
		t.Helper()
		cas, err := cassette.Load(cassetteDir + name)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := int(ct.n.Load()), len(cas.Interactions); got != want {
			t.Errorf("%s: %d requests, cassette holds %d interactions", name, got, want)
		}
	}
}

// docCreate is the user of the doc's .NET client sample.
func docCreate() relativity.UserRequest {
	r := newUser("test222@relativity.com")
	r.SavedSearchDefaultsToPublic = true
	return r
}

// docUpdate is the doc's update sample: the create sample with the placeholder email.
func docUpdate() relativity.UserRequest {
	r := docCreate()
	r.EmailAddress = "email address"
	return r
}

func TestCassetteUsers(t *testing.T) {
	t.Parallel()
	c, allUsed := replay(t, "users", nil)
	ctx := t.Context()
	created, err := c.Users.Create(ctx, docCreate())
	if err != nil {
		t.Fatal(err)
	}
	if created.ArtifactID != 1018403 || created.CreatedBy.Name != "Doe, Jane" || len(created.Actions) != 2 ||
		created.LastModifiedOn.Raw() != "2020-04-29T20:04:24.617" || created.DocumentViewerProperties.DefaultSelectedFileType != relativity.FileTypeViewer {
		t.Errorf("created = %+v", created)
	}
	u, err := c.Users.Get(ctx, 1017952, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Field by field, UserResponse.Request gives back what the read showed.
	want := relativity.UserRequest{
		AllowSettingsChange: true, Client: relativity.ClientRef(1015644), DefaultFilterVisibility: true,
		DocumentViewerProperties: relativity.DocumentViewerProperties{AllowKeyboardShortcuts: true,
			AllowDocumentSkipPreferenceChange: true, DefaultSelectedFileType: "Viewer", DocumentViewer: "Default", SkipDefaultPreference: true},
		EmailAddress: "test@t.com", EmailPreference: "All", FirstName: "1", ItemListPageLength: 25, LastName: "1",
		RelativityAccess: true, Type: relativity.ArtifactRef{ArtifactID: 672}, LastModifiedOn: u.LastModifiedOn,
	}
	if d := cmp.Diff(want, u.Request(), cmp.Comparer(func(a, b relativity.Date) bool { return a.Raw() == b.Raw() })); d != "" {
		t.Errorf("Request() (-want +got):\n%s", d)
	}
	if _, err := c.Users.Update(ctx, 1017952, docUpdate()); err != nil {
		t.Fatal(err)
	}
	if err := c.Users.Delete(ctx, 1017952); err != nil {
		t.Fatal(err)
	}
	allUsed()
}

func TestCassetteSettings(t *testing.T) {
	t.Parallel()
	c, allUsed := replay(t, "settings", nil)
	s, err := c.Settings.Get(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Settings.Update(t.Context(), s.Request())
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != "Updated First Name" || got.DefaultSelectedFileType != relativity.FileTypeLongText || got.Meta.ReadOnly[1] != "Email Address" {
		t.Errorf("updated = %+v", got)
	}
	allUsed()
}

func TestCassetteLookups(t *testing.T) {
	t.Parallel()
	c, allUsed := replay(t, "lookups", nil)
	types, err := c.Users.AvailableTypes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if ext, ok := relativity.TypeByName(types, "External"); !ok || ext.ArtifactID != 672 {
		t.Errorf("types = %+v", types)
	}
	res, err := c.Users.QueryEligibleGroups(t.Context(), relativity.EligibleGroupsQuery{
		Users: []int{9}, Sorts: []relativity.Sort{relativity.SortBy("Name", relativity.Ascending)}, Length: 25})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalCount != 6 || len(res.Objects) != 6 || res.ObjectType.Name != "Group" {
		t.Errorf("groups = %+v", res)
	}
	allUsed()
}

func TestCassetteWorkspaceUsers(t *testing.T) {
	t.Parallel()
	c, allUsed := replay(t, "workspace-users", nil)
	ctx := t.Context()
	me, err := c.WorkspaceUsers.Me(ctx, -1)
	if err != nil || me.AclUserID != 9 {
		t.Fatalf("me %+v, %v", me, err)
	}
	all, err := c.WorkspaceUsers.AllUsers(ctx, -1, false)
	if err != nil || len(all.Users) != 3 || all.Users[1].Name != "Allen, Rob" || all.Users[1].Email != "" {
		t.Fatalf("all %+v, %v", all, err)
	}
	active, err := c.WorkspaceUsers.ActiveUsers(ctx, -1, relativity.ActiveUsersOptions{IncludeCurrentUser: true})
	if err != nil || len(active.Users) != 3 {
		t.Fatalf("active %+v, %v", active, err)
	}
	access, err := c.WorkspaceUsers.UsersWithAccess(ctx, -1)
	if err != nil || access.Users[0].ArtifactID != 9 {
		t.Fatalf("access %+v, %v", access, err)
	}
	var emails []string
	for u, err := range c.WorkspaceUsers.QueryAll(ctx, -1, relativity.UserQuery{
		Condition: relativity.Field("User Type").In("Internal"),
		Sort:      []relativity.Sort{relativity.SortBy("FullName", relativity.Ascending)},
		Length:    25,
	}) {
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, u.Email)
	}
	// TotalResultCount 3 on a page of 3: the walk asks no second page.
	if d := cmp.Diff([]string{"email address 1", "email address 2", "email address 3"}, emails); d != "" {
		t.Errorf("emails (-doc +got):\n%s", d)
	}
	allUsed()
}

func TestCassetteErrors(t *testing.T) {
	t.Parallel()
	c, allUsed := replay(t, "errors", nil)
	ctx := t.Context()
	_, err := c.Users.Get(ctx, 1017953, nil)
	var e *relativity.Error
	if !errors.Is(err, relativity.ErrNotFound) || !errors.As(err, &e) ||
		e.Code != "Relativity.Services.Exceptions.ServiceException" || e.Message != "Artifact matching that Artifact ID not found." {
		t.Errorf("not found: %v", err)
	}
	req := docUpdate()
	req.LastModifiedOn, _ = relativity.ParseDate("2021-05-07T13:45:59.61")
	_, err = c.Users.Update(ctx, 1017952, req)
	if !errors.Is(err, relativity.ErrConflict) || errors.Is(err, relativity.ErrMaybeApplied) || !errors.As(err, &e) || e.StatusCode != 409 {
		t.Errorf("stale: %v", err)
	}
	allUsed()
}

func TestCassetteOAuthToken(t *testing.T) {
	t.Parallel()
	c, allUsed := replay(t, "oauth-token", func(cfg *relativity.Config) {
		cfg.Username, cfg.Password = "", ""
		cfg.ClientID, cfg.ClientSecret = cassetteClientID, cassetteSecret
	})
	types, err := c.Users.AvailableTypes(t.Context())
	if err != nil || len(types) != 2 {
		t.Fatalf("types %+v, %v", types, err)
	}
	allUsed()
}

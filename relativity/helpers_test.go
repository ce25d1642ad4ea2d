package relativity_test

import (
	"testing"
	"time"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

// fastRetry keeps retry waits tiny in tests.
var fastRetry = relativity.RetryPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

// newFake starts a fake and returns it with a Basic client for it.
func newFake(t *testing.T, opts ...relativitytest.Option) (*relativitytest.Server, *relativity.Client) {
	t.Helper()
	srv := relativitytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	// Whatever the test did, every request carried the headers Relativity needs.
	t.Cleanup(func() { checkHeaders(t, srv) })
	client, err := relativity.NewClient(relativity.Config{
		BaseURL: srv.URL, Username: srv.Username, Password: srv.Password, Retry: fastRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, client
}

// newUser is a valid request for a new user, as the doc's create sample.
func newUser(email string) relativity.UserRequest {
	return relativity.UserRequest{
		AllowSettingsChange:     true,
		Client:                  relativity.ClientRef(relativitytest.ClientID),
		DefaultFilterVisibility: true,
		DocumentViewerProperties: relativity.DocumentViewerProperties{
			AllowDocumentSkipPreferenceChange: true, AllowDocumentViewerChange: true,
			AllowKeyboardShortcuts: true, SkipDefaultPreference: true,
		},
		EmailAddress:                email,
		FirstName:                   "First Name",
		LastName:                    "Last Name",
		ItemListPageLength:          50,
		RelativityAccess:            true,
		SavedSearchDefaultsToPublic: true,
		Type:                        relativity.ArtifactRef{ArtifactID: relativitytest.InternalTypeID},
	}
}

// checkHeaders fails the test for a request without X-CSRF-Header: - (the token request
// included) or, to the REST API, without X-Kepler-Version: 2.0.
func checkHeaders(t *testing.T, srv *relativitytest.Server) {
	t.Helper()
	for _, r := range srv.Kit().Requests() {
		if r.Header.Get("X-CSRF-Header") != "-" {
			t.Errorf("%s %s without X-CSRF-Header", r.Method, r.Path)
		}
		if r.Path != relativitytest.TokenURL && r.Header.Get("X-Kepler-Version") != "2.0" {
			t.Errorf("%s %s without X-Kepler-Version", r.Method, r.Path)
		}
	}
}

package relativity_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

const userPath = "/Relativity.REST/api/Relativity-Identity/v1/users/{userID}"

// A write whose reply is lost is not sent again: the error says it may have been applied,
// and the server holds the change from the one request it got.
func TestLostReplyToUpdateNotResent(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	u, err := client.Users.Get(ctx, relativitytest.SidneyID, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Kit().Inject(relativitytest.Fault{Method: "PUT", Path: userPath, DropAfterApply: true})
	req := u.Request()
	req.Notes = "applied once"
	_, err = client.Users.Update(ctx, relativitytest.SidneyID, req)
	if !errors.Is(err, relativity.ErrMaybeApplied) {
		t.Fatalf("err = %v, want ErrMaybeApplied", err)
	}
	puts := 0
	for _, r := range srv.Kit().Requests() {
		if r.Method == "PUT" {
			puts++
		}
	}
	if puts != 1 {
		t.Errorf("%d PUTs; a resend would have answered 409", puts)
	}
	after, err := client.Users.Get(ctx, relativitytest.SidneyID, nil)
	if err != nil || after.Notes != "applied once" {
		t.Errorf("after = %+v, %v", after, err)
	}
}

// The queries are POSTs that change nothing: they are retried like reads.
func TestQueryRetriedLikeARead(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	srv.Kit().Inject(relativitytest.Fault{Method: "POST", Path: "/Relativity.REST/api/Relativity-Identity/v1/workspaces/-1/query-users", Status: 503, Count: 2})
	res, err := client.WorkspaceUsers.Query(t.Context(), -1, relativity.UserQuery{Length: 10})
	if err != nil || res.TotalResultCount != 3 {
		t.Fatalf("query: %+v, %v", res, err)
	}
	if n := len(srv.Kit().Requests()); n != 3 {
		t.Errorf("%d requests, want 3 (two 503s, then the answer)", n)
	}
	// A create is not retried after a 503: it may have been applied.
	srv.Kit().ResetRequests()
	srv.Kit().Inject(relativitytest.Fault{Method: "POST", Path: "/Relativity.REST/api/Relativity-Identity/v1/users", Status: 503})
	_, err = client.Users.Create(t.Context(), newUser("maybe@example.com"))
	if !errors.Is(err, relativity.ErrMaybeApplied) || !errors.Is(err, relativity.ErrUnavailable) {
		t.Errorf("create after 503: %v", err)
	}
	if n := len(srv.Kit().Requests()); n != 1 {
		t.Errorf("%d creates sent, want 1", n)
	}
}

// The debug log shows every attempt, never a secret.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, ClientID: srv.ClientID,
		ClientSecret: srv.ClientSecret, Logger: logger, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Users.Get(t.Context(), relativitytest.SampleUserID, nil); err != nil {
		t.Fatal(err)
	}
	if err := client.LoginProfiles.EnablePassword(t.Context(), 777, relativity.PasswordOptions{}); err != nil {
		t.Fatal(err)
	}
	const pw = "Very-Secret-Password-1"
	if err := client.LoginProfiles.SetPassword(t.Context(), 777, pw); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	if strings.Count(log, "roster http attempt") < 4 {
		t.Errorf("log:\n%s", log)
	}
	for _, secret := range []string{srv.ClientSecret, pw} {
		if strings.Contains(log, secret) {
			t.Errorf("log shows %q:\n%s", secret, log)
		}
	}
}

// A 2xx reply without the object the call returns is an error, not an empty value.
func TestEmptyRepliesAreErrors(t *testing.T) {
	t.Parallel()
	srv := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	})
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv, Username: "u@example.com", Password: "pass", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := client.Users.Get(ctx, 9, nil); err == nil || errors.Is(err, relativity.ErrMaybeApplied) {
		t.Errorf("get: %v", err)
	}
	if _, err := client.Users.Create(ctx, newUser("a@example.com")); !errors.Is(err, relativity.ErrMaybeApplied) {
		t.Errorf("create: %v", err)
	}
	if _, err := client.Users.Update(ctx, 9, newUser("a@example.com")); !errors.Is(err, relativity.ErrMaybeApplied) {
		t.Errorf("update: %v", err)
	}
	if _, err := client.Groups.Create(ctx, relativity.GroupRequest{Name: "G", Client: relativity.ClientRef(1)}); !errors.Is(err, relativity.ErrMaybeApplied) {
		t.Errorf("group create: %v", err)
	}
	if _, err := client.Clients.Get(ctx, 5); err == nil {
		t.Error("client get: no error")
	}
}

func httptestServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// A server that counts Start from 1 answers Start 0 with CurrentStartIndex 1: the walk stops
// with an error rather than skip or repeat users.
func TestQueryAllRefusesAnotherStartBase(t *testing.T) {
	t.Parallel()
	srv := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"DataResults":[{"ArtifactID":5,"FullName":"A, B","Email":"a@b.c"}],"ResultCount":1,"TotalResultCount":4,"CurrentStartIndex":1}`))
	})
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv, Username: "u@example.com", Password: "pass", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range client.WorkspaceUsers.QueryAll(t.Context(), -1, relativity.UserQuery{Length: 1}) {
		n++
		if err == nil || !strings.Contains(err.Error(), "CurrentStartIndex is 1") {
			t.Errorf("err = %v", err)
		}
	}
	if n != 1 {
		t.Errorf("%d yields", n)
	}
}

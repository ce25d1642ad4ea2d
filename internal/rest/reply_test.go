package rest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/fake"
)

// A vendor that answers a failure with HTTP 200 (Relution's {"status":"-1","message":...})
// rejects the decoded reply with ReplyError, and gets an *Error built like one for a failed
// status: redacted with the client's and the call's secrets, matching info.Kind.
func TestReplyError(t *testing.T) {
	t.Parallel()
	const (
		token    = "tok-R3PLY-5e1"
		session  = "qs-R3PLY-8a0"
		password = "pw-R3PLY-c4f"
		hash     = "9b1c0ffee0ddf00d"
	)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]string{
			"status":  "-1",
			"message": "token " + r.Header.Get("X-User-Access-Token") + " may not create users, session " + r.URL.Query().Get("sessiontoken"),
		})
	}))
	client, _ := newTestClient(t, srv.URL, Config{Vendor: "relution", Auth: auth.HeaderToken{Name: "X-User-Access-Token", Token: token}})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/api/users?sessiontoken={s}", session).AddSecrets(hash)
	if err := req.SetJSON(map[string]string{"name": "bob", "password": password}); err != nil {
		t.Fatal(err)
	}
	var env struct{ Status, Message string }
	if err := client.Do(req, &env); err != nil {
		t.Fatal(err)
	}
	if env.Status != "-1" {
		t.Fatalf("status = %q, want -1", env.Status)
	}
	err := client.ReplyError(req, http.StatusOK, ErrorInfo{
		Code:    "status " + env.Status,
		Message: env.Message,
		Detail:  "password " + password + ", hash " + hash,
		Kind:    ErrForbidden,
	})

	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("ReplyError = %v (%T), want an *Error", err, err)
	}
	want := &Error{
		Vendor:     "relution",
		StatusCode: http.StatusOK,
		Method:     http.MethodPost,
		URL:        srv.URL + "/api/users?sessiontoken=REDACTED",
		Code:       "status -1",
		Message:    "token REDACTED may not create users, session REDACTED",
		Detail:     "password REDACTED, hash REDACTED",
	}
	if diff := cmp.Diff(want, e, cmpopts.IgnoreUnexported(Error{})); diff != "" {
		t.Errorf("Error (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Forbidden"}, matching(err)); diff != "" {
		t.Errorf("a 200 rejected as forbidden matches (-want +got):\n%s", diff)
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err)} {
		for _, s := range []string{token, session, password, hash} {
			if strings.Contains(text, s) {
				t.Errorf("error text shows %q: %s", s, text)
			}
		}
	}
	wantText := "relution: POST " + want.URL + ": 200 OK: status -1: token REDACTED may not create users, session REDACTED"
	if err.Error() != wantText {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), wantText)
	}
}

// ReplyError follows the status rules of Do: the status's own sentinels, info.Kind on top, and
// ErrMaybeApplied only for a write answered with a 5xx. A 2xx the vendor rejects says the
// server refused the change: nothing was applied.
func TestReplyErrorSentinels(t *testing.T) {
	t.Parallel()
	client, _ := newTestClient(t, "http://127.0.0.1:1", Config{})
	tests := []struct {
		method   string
		readOnly bool
		status   int
		kind     error
		want     []string
	}{
		{http.MethodPost, false, http.StatusOK, nil, nil},
		{http.MethodDelete, false, http.StatusNoContent, nil, nil},
		{http.MethodPut, false, http.StatusOK, ErrConflict, []string{"Conflict"}},
		{http.MethodGet, false, http.StatusOK, ErrNotFound, []string{"NotFound"}},
		{http.MethodPost, false, http.StatusNotFound, nil, []string{"NotFound"}},
		{http.MethodPost, false, http.StatusInternalServerError, nil, []string{"MaybeApplied"}},
		{http.MethodPost, false, http.StatusServiceUnavailable, nil, []string{"MaybeApplied", "Unavailable"}},
		{http.MethodPost, true, http.StatusServiceUnavailable, nil, []string{"Unavailable"}},
		{http.MethodGet, false, http.StatusInternalServerError, nil, nil},
	}
	for _, tt := range tests {
		req := mustRequest(t, client, t.Context(), tt.method, "/x")
		if tt.readOnly {
			req.MarkReadOnly()
		}
		err := client.ReplyError(req, tt.status, ErrorInfo{Message: "failed", Kind: tt.kind})
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != tt.status || e.Method != tt.method || e.Message != "failed" {
			t.Errorf("%s %d: ReplyError = %#v", tt.method, tt.status, err)
		}
		if diff := cmp.Diff(tt.want, matching(err), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("%s (read-only %v) %d kind %v matches (-want +got):\n%s", tt.method, tt.readOnly, tt.status, tt.kind, diff)
		}
	}
}

package rest

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var sentinels = map[string]error{
	"NotFound":     ErrNotFound,
	"Unauthorized": ErrUnauthorized,
	"Forbidden":    ErrForbidden,
	"Conflict":     ErrConflict,
	"RateLimited":  ErrRateLimited,
	"Unavailable":  ErrUnavailable,
	"MaybeApplied": ErrMaybeApplied,
	"InvalidInput": ErrInvalidInput,
}

// matching lists the sentinels err matches.
func matching(err error) []string {
	var out []string
	for name, s := range sentinels {
		if errors.Is(err, s) {
			out = append(out, name)
		}
	}
	return out
}

func TestErrorIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		want   []string
	}{
		{400, nil},
		{401, []string{"Unauthorized"}},
		{403, []string{"Forbidden"}},
		{404, []string{"NotFound"}},
		{409, []string{"Conflict"}},
		{429, []string{"RateLimited"}},
		{500, nil},
		{502, []string{"Unavailable"}},
		{503, []string{"Unavailable"}},
		{504, []string{"Unavailable"}},
	}
	for _, tt := range tests {
		got := matching(&Error{StatusCode: tt.status})
		if diff := cmp.Diff(tt.want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("status %d matches (-want +got):\n%s", tt.status, diff)
		}
	}
	if errors.Is(&Error{StatusCode: 404}, nil) {
		t.Error("errors.Is(err, nil) = true")
	}
	if !errors.Is(&Error{maybeApplied: true}, ErrMaybeApplied) {
		t.Error("maybeApplied does not match ErrMaybeApplied")
	}
}

// jsonErrorHook reads {"errorCode","message","detail","kind"} like a vendor's error body.
func jsonErrorHook(_ int, _ http.Header, body []byte) ErrorInfo {
	var b struct {
		ErrorCode, Message, Detail, Kind string
	}
	if json.Unmarshal(body, &b) != nil {
		return ErrorInfo{Message: string(body)}
	}
	info := ErrorInfo{Code: b.ErrorCode, Message: b.Message, Detail: b.Detail}
	if b.Kind == "conflict" {
		info.Kind = ErrConflict
	}
	return info
}

func TestErrorFromReply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		body   string
		want   []string
		code   string
	}{
		{401, `{"errorCode":"AUTH","message":"no"}`, []string{"Unauthorized"}, "AUTH"},
		{403, `{"errorCode":"DENIED","message":"no"}`, []string{"Forbidden"}, "DENIED"},
		{404, `{"errorCode":"NOT_FOUND","message":"no user"}`, []string{"NotFound"}, "NOT_FOUND"},
		{409, `{"errorCode":"DUP","message":"exists"}`, []string{"Conflict"}, "DUP"},
		// The request is a DELETE: a 5xx does not prove it was refused.
		{500, `{"errorCode":"IN_USE","message":"already in use","kind":"conflict"}`, []string{"Conflict", "MaybeApplied"}, "IN_USE"},
		{500, `{"errorCode":"BOOM","message":"boom"}`, []string{"MaybeApplied"}, "BOOM"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status)+" "+tt.code, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			client, _ := newTestClient(t, srv.URL+"/base", Config{Vendor: "relution", Hooks: Hooks{ParseError: jsonErrorHook}})
			req := mustRequest(t, client, t.Context(), http.MethodDelete, "/api/users/{id}", "u 1")
			if err := req.SetQuery(url.Values{"sessiontoken": {"st-123"}}); err != nil {
				t.Fatal(err)
			}
			err := client.Do(req, nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Do = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tt.want, matching(err), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			if e.StatusCode != tt.status || e.Code != tt.code || e.Method != http.MethodDelete || e.Vendor != "relution" {
				t.Errorf("Error = %+v", e)
			}
			wantURL := srv.URL + "/base/api/users/u%201?sessiontoken=REDACTED"
			if e.URL != wantURL {
				t.Errorf("URL = %s, want %s", e.URL, wantURL)
			}
			msg := err.Error()
			for _, part := range []string{"relution: ", "DELETE ", wantURL, strconv.Itoa(tt.status), http.StatusText(tt.status), tt.code} {
				if !strings.Contains(msg, part) {
					t.Errorf("Error() = %q, missing %q", msg, part)
				}
			}
			if strings.Contains(msg, "st-123") {
				t.Errorf("Error() = %q shows the session token", msg)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Vendor: "relution", StatusCode: 404, Method: "GET", URL: "https://h/api/x", Code: "NOT_FOUND", Message: "no such user", Detail: "ignored in the line"},
			"relution: GET https://h/api/x: 404 Not Found: NOT_FOUND: no such user"},
		{&Error{StatusCode: 500, Method: "POST", URL: "https://h/x", maybeApplied: true},
			"POST https://h/x: 500 Internal Server Error (the change may have been applied; not resent)"},
		{&Error{Vendor: "razuna", Method: "POST", URL: "https://h/x", cause: errors.New("connection reset")},
			"razuna: POST https://h/x: connection reset"},
		{&Error{Method: "GET", URL: "https://h/x"}, "GET https://h/x: failed"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant      %q", got, tt.want)
		}
	}
	cause := errors.New("root")
	if got := errors.Unwrap(&Error{cause: cause}); got != cause {
		t.Errorf("Unwrap = %v, want the cause", got)
	}
}

func TestValidationError(t *testing.T) {
	t.Parallel()
	err := Invalid("users.csv line 3", "missing mandatory column %q", "email")
	if got, want := err.Error(), `invalid users.csv line 3: missing mandatory column "email"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrInvalidInput) {
		t.Error("a *ValidationError does not match ErrInvalidInput")
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "users.csv line 3" || ve.Reason != `missing mandatory column "email"` {
		t.Errorf("ValidationError = %+v", ve)
	}
	if got, want := (&ValidationError{Reason: "empty"}).Error(), "invalid input: empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// Do decodes into each kind of out.
func TestDoOutputs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/icon":
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write([]byte("\x89PNG"))
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"Name":"bob","Id":7,"extra":true}`))
		}
	}))
	client, _ := newTestClient(t, srv.URL, Config{})
	type user struct {
		Name string `json:"name"`
		ID   int    `json:"id"`
	}
	var u user
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/user"), &u); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(user{Name: "bob", ID: 7}, u); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	var empty user
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/empty"), &empty); err != nil {
		t.Errorf("empty reply: %v", err)
	}
	var blob Blob
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/icon"), &blob); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Blob{ContentType: "image/png", Data: []byte("\x89PNG")}, blob); diff != "" {
		t.Errorf("blob (-want +got):\n%s", diff)
	}
	var buf strings.Builder
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/icon"), &buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "\x89PNG" {
		t.Errorf("writer got %q", buf.String())
	}
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/user"), nil); err != nil {
		t.Errorf("nil out: %v", err)
	}

	hooked, _ := newTestClient(t, srv.URL, Config{Hooks: Hooks{Decode: func(h http.Header, body []byte, out any) error {
		*out.(*string) = h.Get("Content-Type") + " " + string(body)
		return nil
	}}})
	var s string
	if err := hooked.Do(mustRequest(t, hooked, t.Context(), http.MethodGet, "/user"), &s); err != nil {
		t.Fatal(err)
	}
	if want := `application/json {"Name":"bob","Id":7,"extra":true}`; s != want {
		t.Errorf("Decode hook got %q, want %q", s, want)
	}
}

package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/fake"
)

// tokenEndpoint hands out at-1, at-2, ... and counts its fetches.
func tokenEndpoint(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]any{
			"access_token": fmt.Sprintf("at-%d", n.Add(1)), "token_type": "bearer", "expires_in": 3600,
		})
	}))
	return srv.URL + "/oauth/token", &n
}

func TestBearerRefreshOnce(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		accept   string // the one token the API takes; "" takes none
		wantErr  bool
		wantAuth []string
	}{
		{"second token accepted", "Bearer at-2", false, []string{"Bearer at-1", "Bearer at-2"}},
		{"second 401 is returned", "", true, []string{"Bearer at-1", "Bearer at-2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tokenURL, fetches := tokenEndpoint(t)
			kit := fake.NewKit(nil)
			api := newServer(t, kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != tt.accept || tt.accept == "" {
					fake.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
					return
				}
				fake.WriteJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
			})))
			src := &auth.TokenSource{URL: tokenURL, Grant: auth.ClientCredentials, ClientID: "id", ClientSecret: "sec"}
			client, _ := newTestClient(t, api.URL, Config{Auth: auth.Bearer{Source: src}, Retry: quickRetry})
			// A write: the resend after a refresh is allowed for writes too.
			req := mustRequest(t, client, t.Context(), http.MethodPost, "/api/entities")
			if err := req.SetJSON(map[string]string{"type": "user"}); err != nil {
				t.Fatal(err)
			}
			err := client.Do(req, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Do = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr && !errors.Is(err, ErrUnauthorized) {
				t.Errorf("err = %v, want ErrUnauthorized", err)
			}
			var gotAuth []string
			for _, r := range kit.Requests() {
				gotAuth = append(gotAuth, r.Header.Get("Authorization"))
			}
			if diff := cmp.Diff(tt.wantAuth, gotAuth); diff != "" {
				t.Errorf("API requests' Authorization (-want +got):\n%s", diff)
			}
			if n := fetches.Load(); n != 2 {
				t.Errorf("%d token fetches, want 2", n)
			}
		})
	}
}

// sessionAPI is a vendor API with session tokens: it accepts only the tokens in valid and
// answers others with a 401, or with Razuna's HTTP 200 "Session timeout" page.
type sessionAPI struct {
	kit   *fake.Kit
	URL   string
	valid atomic.Value // string: the token accepted
}

func newSessionAPI(t *testing.T, where auth.Placement, timeoutPage bool) *sessionAPI {
	t.Helper()
	a := &sessionAPI{kit: fake.NewKit(nil)}
	a.valid.Store("")
	srv := newServer(t, a.kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var tok string
		switch where {
		case auth.InHeader:
			tok = r.Header.Get("X-Session")
		case auth.InQuery:
			tok = r.URL.Query().Get("sessiontoken")
		case auth.InForm:
			if err := r.ParseForm(); err != nil {
				t.Error(err)
			}
			tok = r.Form.Get("sessiontoken")
		}
		if tok == "" || tok != a.valid.Load().(string) {
			if timeoutPage {
				w.Header().Set("Content-Type", "text/xml")
				_, _ = w.Write([]byte("<Response><responsecode>1</responsecode><message>Session timeout</message></Response>"))
				return
			}
			fake.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": "session expired"})
			return
		}
		fake.WriteJSON(w, http.StatusOK, map[string]string{"user": "bob"})
	})))
	a.URL = srv.URL
	return a
}

func countingLogin() (func(context.Context) (string, error), *atomic.Int64) {
	var n atomic.Int64
	return func(context.Context) (string, error) { return fmt.Sprintf("tok-%d", n.Add(1)), nil }, &n
}

func TestSessionLoginOnFirstUseAndCached(t *testing.T) {
	t.Parallel()
	api := newSessionAPI(t, auth.InHeader, false)
	api.valid.Store("tok-1")
	login, logins := countingLogin()
	client, _ := newTestClient(t, api.URL, Config{Auth: &auth.Session{Login: login, Where: auth.InHeader, Key: "X-Session"}})
	if logins.Load() != 0 {
		t.Fatal("New logged in: it must do no I/O")
	}
	const callers = 16
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/api/user"), nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	if n := logins.Load(); n != 1 {
		t.Errorf("%d logins for %d concurrent calls, want 1", n, callers)
	}
	if n := len(api.kit.Requests()); n != callers {
		t.Errorf("%d requests, want %d", n, callers)
	}
}

func TestSessionReloginOn401(t *testing.T) {
	t.Parallel()
	for _, where := range []auth.Placement{auth.InHeader, auth.InQuery} {
		t.Run(fmt.Sprint(where), func(t *testing.T) {
			t.Parallel()
			api := newSessionAPI(t, where, false)
			api.valid.Store("tok-1")
			login, logins := countingLogin()
			key := "sessiontoken"
			if where == auth.InHeader {
				key = "X-Session"
			}
			client, _ := newTestClient(t, api.URL, Config{Auth: &auth.Session{Login: login, Where: where, Key: key}, Retry: quickRetry})
			if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/api/user"), nil); err != nil {
				t.Fatal(err)
			}
			api.valid.Store("tok-2") // the server forgets the session
			if err := client.Do(mustRequest(t, client, t.Context(), http.MethodDelete, "/api/user/{id}", "7"), nil); err != nil {
				t.Fatalf("after the session expired: %v", err)
			}
			if n := logins.Load(); n != 2 {
				t.Errorf("%d logins, want 2", n)
			}
			if n := len(api.kit.Requests()); n != 3 {
				t.Errorf("%d requests, want 3 (one resend)", n)
			}
		})
	}
}

// InForm placement puts the token into the form body of every attempt, and a token got by
// logging in again lands in the resend.
func TestSessionInForm(t *testing.T) {
	t.Parallel()
	api := newSessionAPI(t, auth.InForm, false)
	api.valid.Store("tok-2")
	api.kit.Inject(fake.Fault{Status: http.StatusServiceUnavailable, Count: 1})
	login, logins := countingLogin()
	client, _ := newTestClient(t, api.URL, Config{Auth: &auth.Session{Login: login, Where: auth.InForm, Key: "sessiontoken"}, Retry: quickRetry})
	// Razuna's getuser: a read sent as a form POST.
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/global/api2/user.cfc").MarkReadOnly()
	req.SetForm(url.Values{"method": {"getuser"}, "userid": {"bob"}})
	if err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	var got []url.Values
	for _, r := range api.kit.Requests() {
		v, err := url.ParseQuery(string(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Query) != 0 {
			t.Errorf("query %v: the token belongs in the form body", r.Query)
		}
		got = append(got, v)
	}
	form := func(tok string) url.Values {
		return url.Values{"method": {"getuser"}, "userid": {"bob"}, "sessiontoken": {tok}}
	}
	// 503 (retried with the same token), 401 for tok-1, then the resend with tok-2.
	want := []url.Values{form("tok-1"), form("tok-1"), form("tok-2")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("form bodies (-want +got):\n%s", diff)
	}
	if n := logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
	for i, r := range api.kit.Requests() {
		if r.BodySize != int64(len(r.Body)) || r.Header.Get("Content-Length") != fmt.Sprint(len(r.Body)) {
			t.Errorf("attempt %d: Content-Length %q, %d bytes", i+1, r.Header.Get("Content-Length"), r.BodySize)
		}
	}
}

// A form body given with SetBody is treated like SetForm: the session token goes in it.
func TestSessionInFormSetBody(t *testing.T) {
	t.Parallel()
	api := newSessionAPI(t, auth.InForm, false)
	api.valid.Store("tok-1")
	login, _ := countingLogin()
	client, _ := newTestClient(t, api.URL, Config{Auth: &auth.Session{Login: login, Where: auth.InForm, Key: "sessiontoken"}})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/global/api2/user.cfc")
	req.SetBody("application/x-www-form-urlencoded; charset=UTF-8", []byte("method=add&name=bob"))
	if err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	reqs := api.kit.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	if len(reqs[0].Query) != 0 {
		t.Errorf("query %v: the token belongs in the form body", reqs[0].Query)
	}
	got, _ := url.ParseQuery(string(reqs[0].Body))
	if diff := cmp.Diff(url.Values{"method": {"add"}, "name": {"bob"}, "sessiontoken": {"tok-1"}}, got); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
}

func razunaExpired(_ *Request, status int, body []byte) bool {
	return status == http.StatusOK && strings.Contains(string(body), "Session timeout")
}

func TestSessionExpiredHook(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		valid      string
		wantErr    bool
		wantLogins int64
	}{
		{"one re-login and resend", "tok-2", false, 2},
		{"persistent expiry", "never", true, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newSessionAPI(t, auth.InForm, true)
			api.valid.Store(tt.valid)
			login, logins := countingLogin()
			client, _ := newTestClient(t, api.URL, Config{
				Auth:  &auth.Session{Login: login, Where: auth.InForm, Key: "sessiontoken"},
				Hooks: Hooks{SessionExpired: razunaExpired},
				Retry: quickRetry,
			})
			// A write: the vendor's "expired" reply proves nothing was applied.
			req := mustRequest(t, client, t.Context(), http.MethodPost, "/global/api2/user.cfc")
			req.SetForm(url.Values{"method": {"add"}})
			var out struct{ User string }
			err := client.Do(req, &out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Do = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if !errors.Is(err, ErrUnauthorized) {
					t.Errorf("err = %v, want ErrUnauthorized", err)
				}
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(string(e.Body), "Session timeout") {
					t.Errorf("err = %#v, want an *Error carrying the reply", err)
				}
			} else if out.User != "bob" {
				t.Errorf("decoded %+v", out)
			}
			if n := len(api.kit.Requests()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
			if n := logins.Load(); n != tt.wantLogins {
				t.Errorf("%d logins, want %d", n, tt.wantLogins)
			}
		})
	}
}

// A session whose login fails sends nothing and fails as unauthorized.
func TestSessionLoginFailure(t *testing.T) {
	t.Parallel()
	api := newSessionAPI(t, auth.InHeader, false)
	client, _ := newTestClient(t, api.URL, Config{Auth: &auth.Session{
		Login: func(context.Context) (string, error) { return "", errors.New("wrong password") },
		Where: auth.InHeader, Key: "X-Session",
	}, Retry: quickRetry})
	err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/api/user"), nil)
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "wrong password") {
		t.Errorf("err = %v, want ErrUnauthorized carrying the login error", err)
	}
	if n := len(api.kit.Requests()); n != 0 {
		t.Errorf("%d requests reached the API, want 0", n)
	}
}

// A login that itself fails with an *Error (a vendor login call) is returned as it is.
func TestSessionLoginRestError(t *testing.T) {
	t.Parallel()
	loginErr := &Error{Vendor: "razuna", StatusCode: 403, Method: "POST", URL: "https://h/login"}
	api := newSessionAPI(t, auth.InHeader, false)
	client, _ := newTestClient(t, api.URL, Config{Auth: &auth.Session{
		Login: func(context.Context) (string, error) { return "", loginErr },
		Where: auth.InHeader, Key: "X-Session",
	}})
	err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/api/user"), nil)
	var e *Error
	if !errors.As(err, &e) || e != loginErr || !errors.Is(err, ErrForbidden) {
		t.Errorf("err = %v, want the login's own *Error", err)
	}
}

// The request the caller built is never changed by authorization: every attempt starts from
// the same headers.
func TestAuthorizeDoesNotTouchRequest(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, strings.Join(r.Header.Values("X-User-Access-Token"), ","))
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	client, _ := newTestClient(t, srv.URL, Config{Auth: auth.HeaderToken{Name: "X-User-Access-Token", Token: "t1"}, Retry: quickRetry})
	req := mustRequest(t, client, t.Context(), http.MethodGet, "/x")
	_ = client.Do(req, nil)
	if got := req.Header().Get("X-User-Access-Token"); got != "" {
		t.Errorf("the caller's request got the token: %q", got)
	}
	if diff := cmp.Diff([]string{"t1", "t1", "t1", "t1"}, seen); diff != "" {
		t.Errorf("tokens per attempt (-want +got):\n%s", diff)
	}
}

func TestDecodeJSONIntoMap(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]any{"a": 1})
	}))
	client, _ := newTestClient(t, srv.URL, Config{})
	var out map[string]json.Number
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/x"), &out); err != nil {
		t.Fatal(err)
	}
	if out["a"] != "1" {
		t.Errorf("decoded %v", out)
	}
}

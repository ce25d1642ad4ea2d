package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tokenCall is what the token endpoint received.
type tokenCall struct {
	Form        url.Values
	BasicUser   string
	BasicPass   string
	HasBasic    bool
	CSRF        string
	ContentType string
	Accept      string
}

// tokenServer answers token requests with reply(n) for the n-th call (from 1) and records
// every call.
type tokenServer struct {
	URL   string
	mu    sync.Mutex
	calls []tokenCall
}

func newTokenServer(t *testing.T, reply func(n int, call tokenCall) (int, any)) *tokenServer {
	t.Helper()
	ts := &tokenServer{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		c := tokenCall{Form: r.PostForm, CSRF: r.Header.Get("X-CSRF-Header"),
			ContentType: r.Header.Get("Content-Type"), Accept: r.Header.Get("Accept")}
		c.BasicUser, c.BasicPass, c.HasBasic = r.BasicAuth()
		ts.mu.Lock()
		ts.calls = append(ts.calls, c)
		n := len(ts.calls)
		ts.mu.Unlock()
		status, body := reply(n, c)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if s, ok := body.(string); ok {
			_, _ = w.Write([]byte(s))
			return
		}
		_ = json.NewEncoder(w).Encode(body)
	}))
	ts.URL = srv.URL + "/oauth/token"
	return ts
}

func (ts *tokenServer) Calls() []tokenCall {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]tokenCall(nil), ts.calls...)
}

func grantReply(token string, expiresIn int) map[string]any {
	return map[string]any{"access_token": token, "token_type": "bearer", "expires_in": expiresIn}
}

func TestTokenSourceGrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  *TokenSource
		want tokenCall
	}{
		{
			name: "client credentials, Basic",
			src:  &TokenSource{Grant: ClientCredentials, ClientID: "reltio_ui", ClientSecret: "makita", ClientAuth: ClientAuthBasic},
			want: tokenCall{Form: url.Values{"grant_type": {"client_credentials"}}, BasicUser: "reltio_ui", BasicPass: "makita", HasBasic: true},
		},
		{
			name: "client credentials, form fields and scope",
			src: &TokenSource{Grant: ClientCredentials, ClientID: "rel-id", ClientSecret: "rel-secret", ClientAuth: ClientAuthForm,
				Scope: "SystemUserInfo", Header: http.Header{"X-Csrf-Header": {"-"}}},
			want: tokenCall{Form: url.Values{"grant_type": {"client_credentials"}, "client_id": {"rel-id"},
				"client_secret": {"rel-secret"}, "scope": {"SystemUserInfo"}}, CSRF: "-"},
		},
		{
			name: "password, Basic client",
			src: &TokenSource{Grant: PasswordGrant, ClientID: "reltio_ui", ClientSecret: "makita", Username: "bob@example.com",
				Password: "p&ss w=rd"},
			want: tokenCall{Form: url.Values{"grant_type": {"password"}, "username": {"bob@example.com"}, "password": {"p&ss w=rd"}},
				BasicUser: "reltio_ui", BasicPass: "makita", HasBasic: true},
		},
		{
			name: "refresh token, form client",
			src:  &TokenSource{Grant: RefreshTokenGrant, ClientID: "id", ClientSecret: "sec", ClientAuth: ClientAuthForm, RefreshToken: "rt-1"},
			want: tokenCall{Form: url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt-1"}, "client_id": {"id"}, "client_secret": {"sec"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTokenServer(t, func(int, tokenCall) (int, any) { return 200, grantReply("at-1", 3600) })
			src := tt.src
			src.URL = ts.URL
			src.UseSender(plainSend)
			tok, err := src.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != "at-1" || tok.TokenType != "bearer" || tok.Expiry.IsZero() {
				t.Errorf("Token = %+v", tok)
			}
			calls := ts.Calls()
			if len(calls) != 1 {
				t.Fatalf("%d token calls, want 1", len(calls))
			}
			want := tt.want
			want.ContentType, want.Accept = "application/x-www-form-urlencoded", "application/json"
			if diff := cmp.Diff(want, calls[0]); diff != "" {
				t.Errorf("token call (-want +got):\n%s", diff)
			}
		})
	}
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func TestTokenSourceCachesUntilExpiryMinusSkew(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, func(n int, _ tokenCall) (int, any) { return 200, grantReply(fmt.Sprintf("at-%d", n), 3600) })
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := &clock{now: t0}
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials, ClientID: "id", ClientSecret: "s", Skew: 30 * time.Second, now: clk.Now}
	src.UseSender(plainSend)

	steps := []struct {
		at        time.Duration
		wantToken string
		wantCalls int
	}{
		{0, "at-1", 1},
		{time.Hour - 31*time.Second, "at-1", 1}, // still inside expiry minus skew
		{time.Hour - 30*time.Second, "at-2", 2}, // skew reached: fetch again
		{time.Hour + time.Minute, "at-2", 2},    // the new token's own lifetime
	}
	for _, s := range steps {
		clk.Set(t0.Add(s.at))
		tok, err := src.Token(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken != s.wantToken || len(ts.Calls()) != s.wantCalls {
			t.Errorf("at +%v: token %s after %d calls, want %s after %d", s.at, tok.AccessToken, len(ts.Calls()), s.wantToken, s.wantCalls)
		}
	}
	if got, want := src.Generation(), uint64(2); got != want {
		t.Errorf("Generation = %d, want %d", got, want)
	}
}

func TestTokenSourceDefaultSkewAndNoExpiry(t *testing.T) {
	t.Parallel()
	var expires atomic.Int64
	expires.Store(60)
	ts := newTokenServer(t, func(n int, _ tokenCall) (int, any) {
		return 200, grantReply(fmt.Sprintf("at-%d", n), int(expires.Load()))
	})
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := &clock{now: t0}
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials, now: clk.Now}
	src.UseSender(plainSend)
	if _, err := src.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The default skew is 30 s, capped at a tenth of the 60 s lifetime: 54 s of use.
	clk.Set(t0.Add(53 * time.Second))
	if _, err := src.Token(t.Context()); err != nil || len(ts.Calls()) != 1 {
		t.Errorf("at +53s: %d calls (err %v), want the cached token", len(ts.Calls()), err)
	}
	expires.Store(0) // no expires_in: valid until rejected
	clk.Set(t0.Add(54 * time.Second))
	tok, err := src.Token(t.Context())
	if err != nil || len(ts.Calls()) != 2 || !tok.Expiry.IsZero() {
		t.Fatalf("at +54s: %+v after %d calls (err %v), want a fresh token without expiry", tok, len(ts.Calls()), err)
	}
	clk.Set(t0.Add(1000 * time.Hour))
	if _, err := src.Token(t.Context()); err != nil || len(ts.Calls()) != 2 {
		t.Errorf("a token without expiry was fetched again: %d calls (err %v)", len(ts.Calls()), err)
	}
}

// A server that hands out the same token again does not extend its lifetime.
func TestTokenSourceReissuedTokenKeepsExpiry(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, func(int, tokenCall) (int, any) { return 200, grantReply("same-token", 3600) })
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := &clock{now: t0}
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials, Skew: time.Minute, now: clk.Now}
	src.UseSender(plainSend)
	first, err := src.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(time.Hour); !first.Expiry.Equal(want) {
		t.Fatalf("first expiry %v, want %v", first.Expiry, want)
	}
	clk.Set(t0.Add(time.Hour - time.Minute)) // inside the skew: fetch again
	again, err := src.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Expiry.Equal(first.Expiry) {
		t.Errorf("re-issued token expiry %v, want the first grant's %v", again.Expiry, first.Expiry)
	}
	// Still expired by its first grant, so the next call asks again.
	if _, err := src.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(ts.Calls()); n != 3 {
		t.Errorf("%d token calls, want 3", n)
	}
}

func TestTokenSourceOneFetchForConcurrentCallers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := newTokenServer(t, func(n int, _ tokenCall) (int, any) {
		<-release
		return 200, grantReply(fmt.Sprintf("at-%d", n), 3600)
	})
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials}
	src.UseSender(plainSend)
	const callers = 32
	var started, done sync.WaitGroup
	tokens := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			started.Done()
			tok, err := src.Token(t.Context())
			tokens[i], errs[i] = tok.AccessToken, err
		}()
	}
	started.Wait()
	close(release)
	done.Wait()
	for i := range callers {
		if errs[i] != nil || tokens[i] != "at-1" {
			t.Errorf("caller %d: %q, %v; want at-1", i, tokens[i], errs[i])
		}
	}
	if n := len(ts.Calls()); n != 1 {
		t.Errorf("%d token fetches for %d concurrent callers, want 1", n, callers)
	}
}

func TestTokenSourceRefusesBadConfig(t *testing.T) {
	t.Parallel()
	if _, err := (&TokenSource{URL: "http://127.0.0.1:1", Grant: ClientCredentials}).Token(t.Context()); err == nil {
		t.Error("a TokenSource attached to no client fetched a token")
	}
	src := &TokenSource{Grant: ClientCredentials}
	src.UseSender(plainSend)
	if _, err := src.Token(t.Context()); err == nil {
		t.Error("a TokenSource without URL fetched a token")
	}
	src = &TokenSource{URL: "http://127.0.0.1:1", Grant: "device_code"}
	src.UseSender(plainSend)
	if _, err := src.Token(t.Context()); err == nil {
		t.Error("an unknown grant fetched a token")
	}
}

// A 20 s token is not refreshed on every call: the skew is at most a tenth of its lifetime.
func TestTokenSourceSkewCappedByLifetime(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, func(n int, _ tokenCall) (int, any) { return 200, grantReply(fmt.Sprintf("at-%d", n), 20) })
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := &clock{now: t0}
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials, now: clk.Now}
	src.UseSender(plainSend)
	for _, at := range []time.Duration{0, 10 * time.Second, 17 * time.Second} {
		clk.Set(t0.Add(at))
		tok, err := src.Token(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken != "at-1" {
			t.Errorf("at +%v: token %q, want at-1 (skew 2 s of a 20 s lifetime)", at, tok.AccessToken)
		}
	}
	clk.Set(t0.Add(18*time.Second + time.Millisecond))
	tok, err := src.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "at-2" {
		t.Errorf("past expiry minus skew: token %q, want at-2", tok.AccessToken)
	}
}

// A token with a control character could not be sent; it is refused when it arrives.
func TestTokenSourceRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, func(int, tokenCall) (int, any) { return 200, grantReply("at\n1", 3600) })
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials}
	src.UseSender(plainSend)
	if _, err := src.Token(t.Context()); err == nil {
		t.Error("a token with a newline was accepted")
	}
}

// plainSend stands in for the HTTP core in this package's tests: a bare form POST.
func plainSend(ctx context.Context, tr TokenRequest) (TokenReply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tr.URL, strings.NewReader(tr.Form.Encode()))
	if err != nil {
		return TokenReply{}, err
	}
	for k, vs := range tr.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if tr.BasicUser != "" {
		req.SetBasicAuth(tr.BasicUser, tr.BasicPass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return TokenReply{}, err
	}
	defer resp.Body.Close()
	var r TokenReply
	if resp.StatusCode != 200 {
		return r, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return r, json.NewDecoder(resp.Body).Decode(&r)
}

// After the server rejects a token, the refresh token from the last reply is tried first, and
// the configured grant is the fallback.
func TestTokenSourceRefreshFlow(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, func(n int, c tokenCall) (int, any) {
		switch {
		case n == 1:
			return 200, map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "expires_in": 3600}
		case c.Form.Get("grant_type") == "refresh_token" && n == 2:
			return 200, map[string]any{"access_token": "at-2", "expires_in": 3600}
		case c.Form.Get("grant_type") == "refresh_token":
			return 400, map[string]any{"error": "invalid_grant"}
		}
		return 200, map[string]any{"access_token": fmt.Sprintf("at-%d", n), "expires_in": 3600}
	})
	src := &TokenSource{URL: ts.URL, Grant: PasswordGrant, ClientID: "id", ClientSecret: "s", Username: "u", Password: "p"}
	src.UseSender(plainSend)
	b := Bearer{Source: src}
	get := func() string {
		t.Helper()
		req := newRequest(t, "https://h/x")
		if err := b.Authorize(t.Context(), req); err != nil {
			t.Fatal(err)
		}
		return req.Header.Get("Authorization")
	}
	if got := get(); got != "Bearer at-1" {
		t.Fatalf("first: %s", got)
	}
	gen := b.Generation()
	if err := b.Refresh(t.Context(), gen); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != "Bearer at-2" {
		t.Errorf("after refresh: %s, want Bearer at-2", got)
	}
	// A stale generation does not drop the newer token.
	if err := b.Refresh(t.Context(), gen); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != "Bearer at-2" {
		t.Errorf("after a stale refresh: %s, want the cached Bearer at-2", got)
	}
	if err := b.Refresh(t.Context(), b.Generation()); err != nil {
		t.Fatal(err)
	}
	// The refresh token is refused now: fall back to the password grant.
	if got := get(); got != "Bearer at-4" {
		t.Errorf("after a refused refresh token: %s, want Bearer at-4", got)
	}
	var grants []string
	for _, c := range ts.Calls() {
		grants = append(grants, c.Form.Get("grant_type"))
	}
	if diff := cmp.Diff([]string{"password", "refresh_token", "refresh_token", "password"}, grants); diff != "" {
		t.Errorf("grants (-want +got):\n%s", diff)
	}
	secrets := src.Secrets()
	for _, s := range []string{"s", "p", "rt-1", "at-4", "at-1", "at-2"} {
		if !slices.Contains(secrets, s) {
			t.Errorf("Secrets() = %q, missing %q", secrets, s)
		}
	}
}

func TestTokenSourceCancelledWhileWaiting(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	ts := newTokenServer(t, func(int, tokenCall) (int, any) {
		arrived <- struct{}{}
		<-release
		return 200, grantReply("at-1", 3600)
	})
	defer close(release)
	src := &TokenSource{URL: ts.URL, Grant: ClientCredentials}
	src.UseSender(plainSend)
	go func() { _, _ = src.Token(t.Context()) }() // holds the fetch
	<-arrived
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := src.Token(ctx); err == nil {
		t.Error("a cancelled caller waiting for another's fetch got a token")
	}
}

package reltio_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

// fastRetry keeps the waits of a test short without timing anything.
var fastRetry = reltio.RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

func testClient(t *testing.T, srv *reltiotest.Server, edit func(*reltio.Config)) *reltio.Client {
	t.Helper()
	cfg := reltio.Config{
		AuthURL:      srv.URL,
		Customer:     srv.Customer,
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
		Retry:        fastRetry,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := reltio.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// apiRequests counts the requests the fake got besides the token endpoint's.
func apiRequests(srv *reltiotest.Server) int {
	n := 0
	for _, r := range srv.Kit().Requests() {
		if r.Path != reltiotest.Prefix+"/token" {
			n++
		}
	}
	return n
}

func TestTokenExpiresMidRun(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, nil)
	ctx := t.Context()
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	old, _ := c.Tokens.Token(ctx)
	srv.ExpireTokens()

	// The next call gets a 401, fetches one new token and is sent once more; a write too,
	// since the 401 proves nothing was applied.
	created, err := c.Users.Create(ctx, []reltio.User{{Username: "jane@example.com", Email: "jane@example.com"}})
	if err != nil {
		t.Fatalf("create after expiry: %v", err)
	}
	if len(created) != 1 || created[0].Username != "jane@example.com" {
		t.Errorf("created %+v", created)
	}
	if n := srv.TokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if n := apiRequests(srv); n != 3 {
		t.Errorf("%d API requests, want 3 (list, refused create, create)", n)
	}
	if cur, _ := c.Tokens.Token(ctx); cur.AccessToken == old.AccessToken {
		t.Error("the expired token is still in use")
	}
	if got := len(srv.Users()); got != 1 {
		t.Errorf("%d users stored, want 1", got)
	}
}

func TestRefreshThatReturnsTheSameTokenDoesNotLoop(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, nil)
	ctx := t.Context()
	tok, err := c.Tokens.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.BreakTokens() // the API refuses the token; the token endpoint hands it out again

	_, err = c.Users.List(ctx)
	if !errors.Is(err, reltio.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if n := srv.TokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2 (the first and one refresh)", n)
	}
	if n := apiRequests(srv); n != 2 {
		t.Errorf("%d API requests, want 2 (one resend)", n)
	}
	// Reltio's 401 says "Token is invalid: <token>"; the error must not.
	var e *reltio.Error
	if !errors.As(err, &e) {
		t.Fatalf("err is %T", err)
	}
	if strings.Contains(err.Error(), tok.AccessToken) || strings.Contains(string(e.Body), tok.AccessToken) ||
		strings.Contains(e.Message, tok.AccessToken) {
		t.Errorf("the token leaked into the error: %v / %s", err, e.Body)
	}
	if e.Code != "invalid_token" || !strings.HasPrefix(e.Message, "Token is invalid: ") {
		t.Errorf("code %q message %q", e.Code, e.Message)
	}
}

func TestColdClientFetchesOneToken(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, nil)
	ctx := t.Context()
	const callers = 32
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	start := make(chan struct{})
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := c.Users.List(ctx)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := srv.TokenRequests(); n != 1 {
		t.Errorf("%d token requests for %d concurrent calls, want 1", n, callers)
	}
}

func TestTokenRequestSendsOnlyTheGrant(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{Username: "jane@example.com", Email: "jane@example.com", Password: "Welcome1!!"}))
	defer srv.Close()
	for _, tt := range []struct {
		name string
		edit func(*reltio.Config)
		form string
	}{
		{"client credentials", nil, "grant_type=client_credentials"},
		{"password", func(c *reltio.Config) { c.Username, c.Password = "jane@example.com", "Welcome1!!" },
			"grant_type=password&password=Welcome1%21%21&username=jane%40example.com"},
	} {
		srv.Kit().ResetRequests()
		c := testClient(t, srv, tt.edit)
		if _, err := c.Users.List(t.Context()); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		reqs := srv.Kit().Requests()
		tr := reqs[0]
		if tr.Path != "/oauth/token" || string(tr.Body) != tt.form || len(tr.Query) != 0 {
			t.Errorf("%s: token request %s %q query %v", tt.name, tr.Path, tr.Body, tr.Query)
		}
		if !strings.HasPrefix(tr.Header.Get("Authorization"), "Basic ") {
			t.Errorf("%s: client credentials not in Basic: %q", tt.name, tr.Header.Get("Authorization"))
		}
	}
}

func TestStaticTokenIsNotRefreshed(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, func(cfg *reltio.Config) {
		cfg.ClientID, cfg.ClientSecret, cfg.AccessToken = "", "", "not-a-valid-token"
	})
	_, err := c.Users.List(t.Context())
	if !errors.Is(err, reltio.ErrUnauthorized) || strings.Contains(err.Error(), "not-a-valid-token") {
		t.Fatalf("err = %v", err)
	}
	if srv.TokenRequests() != 0 || apiRequests(srv) != 1 {
		t.Errorf("token requests %d, API requests %d", srv.TokenRequests(), apiRequests(srv))
	}
}

func TestBadClientCredentials(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	c := testClient(t, srv, func(cfg *reltio.Config) { cfg.ClientSecret = "wrong-secret" })
	_, err := c.Users.List(t.Context())
	if !errors.Is(err, reltio.ErrUnauthorized) || strings.Contains(err.Error(), "wrong-secret") {
		t.Fatalf("err = %v", err)
	}
	if apiRequests(srv) != 0 {
		t.Error("an API request was sent without a token")
	}
}

func TestTokenEndpoint429ThenOK(t *testing.T) {
	t.Parallel()
	for _, retryAfter := range []string{"", "0"} {
		srv := reltiotest.NewServer()
		defer srv.Close()
		srv.Kit().Inject(reltiotest.Fault{Method: "POST", Path: "/oauth/token", Status: 429, RetryAfter: retryAfter, Count: 2})
		c := testClient(t, srv, nil)
		if _, err := c.Users.List(t.Context()); err != nil {
			t.Fatalf("Retry-After %q: %v", retryAfter, err)
		}
		if n := srv.TokenRequests(); n != 3 {
			t.Errorf("Retry-After %q: %d token requests, want 3 (two 429s, one grant)", retryAfter, n)
		}
		if n := apiRequests(srv); n != 1 {
			t.Errorf("Retry-After %q: %d API requests, want 1", retryAfter, n)
		}
	}
}

func TestTokenEndpoint429Forever(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	srv.Kit().Inject(reltiotest.Fault{Method: "POST", Path: "/oauth/token", Status: 429, Count: 1000})
	c := testClient(t, srv, nil)
	_, err := c.Users.List(t.Context())
	if !errors.Is(err, reltio.ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	// The retry policy's 4 attempts, then the call gives up; nothing reached the API.
	if n := srv.TokenRequests(); n != 4 {
		t.Errorf("%d token requests, want 4", n)
	}
	if n := apiRequests(srv); n != 0 {
		t.Errorf("%d API requests", n)
	}
}

func TestTokenEndpointRetryAfterBeyondMaxWait(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer()
	defer srv.Close()
	srv.Kit().Inject(reltiotest.Fault{Method: "POST", Path: "/oauth/token", Status: 429, RetryAfter: "30", Count: 1000})
	c := testClient(t, srv, nil)
	_, err := c.Users.List(t.Context())
	var e *reltio.Error
	if !errors.Is(err, reltio.ErrRateLimited) || !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error matching ErrRateLimited", err)
	}
	if e.RetryAfter != 30*time.Second {
		t.Errorf("RetryAfter = %v", e.RetryAfter)
	}
	if n := srv.TokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1: a wait beyond MaxWait fails at once", n)
	}
}

func TestFakeRateLimitIsWaitedOut(t *testing.T) {
	t.Parallel()
	// The fake's own limiter (1 a second here) answers 429 with a Retry-After of 1 s; a
	// policy whose MaxWait covers it waits and gets the token.
	srv := reltiotest.NewServer(reltiotest.WithTokenRate(1))
	defer srv.Close()
	c := testClient(t, srv, func(cfg *reltio.Config) {
		cfg.Retry = reltio.RetryPolicy{MinWait: time.Millisecond, MaxWait: 3 * time.Second}
	})
	ctx := t.Context()
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatalf("after expiry, with the limit reached: %v", err)
	}
	if st := srv.TokenStats(); st.Limited != 1 || st.Issued != 2 {
		t.Errorf("token stats %+v, want one 429 and two tokens", st)
	}
}

func TestRefreshTokenIsUsedWhenTheServerSentOne(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(reltiotest.WithRefreshTokens(),
		reltiotest.WithUsers(reltiotest.User{Username: "jane@example.com", Email: "jane@example.com", Password: "Welcome1!!"}))
	defer srv.Close()
	c := testClient(t, srv, func(cfg *reltio.Config) { cfg.Username, cfg.Password = "jane@example.com", "Welcome1!!" })
	ctx := t.Context()
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	var grants []string
	for _, r := range srv.Kit().Requests() {
		if r.Path == "/oauth/token" {
			grant, _, _ := strings.Cut(string(r.Body), "&")
			grants = append(grants, grant)
		}
	}
	if strings.Join(grants, ",") != "grant_type=password,grant_type=refresh_token" {
		t.Errorf("token requests %v", grants)
	}
}

// Reltio's docs describe the Basic header as base64 of "client_id:client_secret" as they are:
// a secret with "+", "/" or "=" is sent unencoded, and the fake (like Reltio) compares it so.
func TestClientSecretSentAsIsInBasic(t *testing.T) {
	t.Parallel()
	const id, secret = "my+client", "s3c/ret=+x"
	srv := reltiotest.NewServer(reltiotest.WithClient(id, secret))
	defer srv.Close()
	c := testClient(t, srv, func(cfg *reltio.Config) { cfg.ClientID, cfg.ClientSecret = id, secret })
	if _, err := c.Users.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	tr := srv.Kit().Requests()[0]
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
	if got := tr.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization %q, want %q", got, want)
	}
}

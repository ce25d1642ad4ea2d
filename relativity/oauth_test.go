package relativity_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

func oauthClient(t *testing.T, srv *relativitytest.Server, secret string) *relativity.Client {
	t.Helper()
	client, err := relativity.NewClient(relativity.Config{
		BaseURL: srv.URL, ClientID: srv.ClientID, ClientSecret: secret, Retry: fastRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestOAuthTokenRequest(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	client := oauthClient(t, srv, srv.ClientSecret)
	if _, err := client.Users.AvailableTypes(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Kit().Requests()
	if len(reqs) != 2 || reqs[0].Path != relativitytest.TokenURL {
		t.Fatalf("requests: %+v", reqs)
	}
	form, err := url.ParseQuery(string(reqs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID},
		"client_secret": {srv.ClientSecret}, "scope": {"SystemUserInfo"}}
	if form.Encode() != want.Encode() {
		t.Errorf("token form = %v", form)
	}
	if reqs[0].Header.Get("X-CSRF-Header") != "-" {
		t.Errorf("token request without X-CSRF-Header: %v", reqs[0].Header)
	}
	if !strings.HasPrefix(reqs[1].Header.Get("Authorization"), "Bearer ") || reqs[1].Header.Get("X-CSRF-Header") != "-" {
		t.Errorf("API request headers: %v", reqs[1].Header)
	}
}

// A token that expires mid-run costs one 401, one token request and one resend.
func TestOAuthTokenExpiresMidRun(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	client := oauthClient(t, srv, srv.ClientSecret)
	ctx := t.Context()
	if _, err := client.WorkspaceUsers.Me(ctx, -1); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	srv.Kit().ResetRequests()
	me, err := client.WorkspaceUsers.Me(ctx, -1)
	if err != nil {
		t.Fatal(err)
	}
	if me.ArtifactID != relativitytest.CurrentUserID {
		t.Errorf("me = %+v", me)
	}
	if srv.TokensIssued() != 2 {
		t.Errorf("%d tokens issued, want 2", srv.TokensIssued())
	}
	var got []string
	for _, r := range srv.Kit().Requests() {
		got = append(got, r.Method+" "+r.Path[strings.LastIndex(r.Path, "/")+1:])
	}
	if want := "GET me,POST token,GET me"; strings.Join(got, ",") != want {
		t.Errorf("requests %v, want %s", got, want)
	}
	// The expiry of a write is handled the same way: the 401 proves nothing was applied.
	srv.ExpireTokens()
	if _, err := client.Users.Create(ctx, newUser("after.expiry@example.com")); err != nil {
		t.Fatal(err)
	}
	if srv.TokensIssued() != 3 {
		t.Errorf("%d tokens issued, want 3", srv.TokensIssued())
	}
	checkHeaders(t, srv)
}

func TestOAuthBadSecret(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	const wrong = "not-the-secret"
	client := oauthClient(t, srv, wrong)
	_, err := client.Users.AvailableTypes(t.Context())
	if !errors.Is(err, relativity.ErrUnauthorized) {
		t.Errorf("err = %v, want ErrUnauthorized", err)
	}
	if err != nil && strings.Contains(err.Error(), wrong) {
		t.Errorf("error shows the secret: %v", err)
	}
	for _, r := range srv.Kit().Requests() {
		if r.Path != relativitytest.TokenURL {
			t.Errorf("API request sent without a token: %s", r.Path)
		}
	}
}

func TestBasicWrongPassword(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	const wrong = "wrong-password"
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, Username: srv.Username, Password: wrong, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Users.Get(t.Context(), 9, nil)
	var e *relativity.Error
	if !errors.Is(err, relativity.ErrUnauthorized) || !errors.As(err, &e) || e.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(string(e.Body), wrong) {
		t.Errorf("error shows the password: %v", err)
	}
	if n := len(srv.Kit().Requests()); n != 1 {
		t.Errorf("%d requests; Basic has nothing to refresh, so one", n)
	}
}

// Config.TokenURL sends the token requests elsewhere (one web server behind a load balancer).
func TestOAuthTokenURL(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	var hits atomic.Int32
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	direct := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	defer direct.Close()
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, ClientID: srv.ClientID,
		ClientSecret: srv.ClientSecret, TokenURL: direct.URL + relativitytest.TokenURL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Users.AvailableTypes(t.Context()); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d token requests through TokenURL", hits.Load())
	}
	for _, cfg := range []relativity.Config{
		{BaseURL: srv.URL, Username: "u", Password: "pass", TokenURL: direct.URL},
		{BaseURL: srv.URL, ClientID: "c", ClientSecret: "secret", TokenURL: "ftp://x/token"},
	} {
		var ve *relativity.ValidationError
		if _, err := relativity.NewClient(cfg); !errors.As(err, &ve) || ve.Field != "TokenURL" {
			t.Errorf("NewClient(TokenURL %q) = %v", cfg.TokenURL, err)
		}
	}
}

// Basic credentials go out as ISO-8859-1, as the doc's sample client sends them.
func TestBasicLatin1(t *testing.T) {
	t.Parallel()
	const user, pass = "jürgen@example.com", "pässwört-1"
	srv := relativitytest.NewServer(relativitytest.WithBasicAuth(user, pass))
	defer srv.Close()
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, Username: user, Password: pass})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.WorkspaceUsers.Me(t.Context(), -1); err != nil {
		t.Fatal(err)
	}
	h := srv.Kit().Requests()[0].Header.Get("Authorization")
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	if want := []byte("j\xfcrgen@example.com:p\xe4ssw\xf6rt-1"); !bytes.Equal(raw, want) {
		t.Errorf("credentials %q, want Latin-1 %q", raw, want)
	}
	var ve *relativity.ValidationError
	if _, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, Username: user, Password: "пароль-1"}); !errors.As(err, &ve) || ve.Field != "Password" {
		t.Errorf("non-Latin-1 password: %v", err)
	} else if strings.Contains(err.Error(), "пароль") {
		t.Errorf("error shows the password: %v", err)
	}
}

type countingRT struct {
	paths []string
	next  http.RoundTripper
}

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.paths = append(c.paths, r.URL.Path)
	return c.next.RoundTrip(r)
}

// The token requests go through Config.HTTPClient, like every other request.
func TestOAuthUsesTheHTTPClient(t *testing.T) {
	t.Parallel()
	srv := relativitytest.NewServer()
	defer srv.Close()
	rt := &countingRT{next: http.DefaultTransport}
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, ClientID: srv.ClientID,
		ClientSecret: srv.ClientSecret, HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Users.AvailableTypes(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(rt.paths) != 2 || rt.paths[0] != relativitytest.TokenURL {
		t.Errorf("through the HTTPClient: %v", rt.paths)
	}
}

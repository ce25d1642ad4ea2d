package fake

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// clock is a settable clock for the token tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const (
	reltioID     = "reltio:client+1" // needs form-encoding inside Basic
	reltioSecret = "s3cret/with:colon"
)

func reltioTokens(clk *clock, mod func(*TokenConfig)) *TokenServer {
	cfg := TokenConfig{
		ClientID:      reltioID,
		ClientSecret:  reltioSecret,
		Users:         map[string]string{"ada@example.com": "pa55word"},
		Lifetime:      20 * time.Second,
		RefreshTokens: true,
		ReplyScope:    "users_api entities_api",
		Now:           clk.Now,
	}
	if mod != nil {
		mod(&cfg)
	}
	return NewTokenServer(cfg)
}

type tokenRequest struct {
	method, query, ct string
	form              string
	basic             *[2]string // id, secret as sent (already form-encoded)
	header            http.Header
}

func reltioBasic() *[2]string {
	return &[2]string{url.QueryEscape(reltioID), url.QueryEscape(reltioSecret)}
}

func (tr tokenRequest) send(h http.Handler) (reply, map[string]any) {
	method := tr.method
	if method == "" {
		method = "POST"
	}
	target := "/token"
	if tr.query != "" {
		target += "?" + tr.query
	}
	r := httptest.NewRequest(method, target, strings.NewReader(tr.form))
	ct := tr.ct
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
	}
	r.Header.Set("Content-Type", ct)
	if tr.basic != nil {
		r.SetBasicAuth(tr.basic[0], tr.basic[1])
	}
	for k, v := range tr.header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return reply{w.Code, w.Header(), w.Body.String()}, body
}

func bearer(token string) *http.Request {
	r := httptest.NewRequest("GET", "/users", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

func TestTokenClientCredentialsBasic(t *testing.T) {
	t.Parallel()
	clk := newClock()
	ts := reltioTokens(clk, nil)
	rep, body := tokenRequest{form: "grant_type=client_credentials", basic: reltioBasic()}.send(ts)
	if rep.status != 200 {
		t.Fatalf("token = %d %s", rep.status, rep.body)
	}
	tok, _ := body["access_token"].(string)
	rt, _ := body["refresh_token"].(string)
	if len(tok) < 20 || len(rt) < 20 || tok == rt {
		t.Errorf("tokens %q, %q: want two distinct random tokens", tok, rt)
	}
	delete(body, "access_token")
	delete(body, "refresh_token")
	want := map[string]any{"token_type": "bearer", "expires_in": 20.0, "scope": "users_api entities_api"}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}
	if rep.header.Get("Cache-Control") != "no-store" || rep.header.Get("Content-Type") != "application/json; charset=UTF-8" {
		t.Errorf("headers %v", rep.header)
	}
	info, err := ts.Check(bearer(tok))
	if err != nil || info.Username != "" || !info.Expires.Equal(clk.Now().Add(20*time.Second)) {
		t.Errorf("Check = %+v, %v", info, err)
	}
	// The token lives 20 seconds, not one more.
	clk.Add(19 * time.Second)
	if _, err := ts.Check(bearer(tok)); err != nil {
		t.Errorf("Check at 19s: %v", err)
	}
	clk.Add(time.Second)
	if _, err := ts.Check(bearer(tok)); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("Check at 20s = %v, want ErrTokenExpired", err)
	}
	// A second request mints another token.
	_, body2 := tokenRequest{form: "grant_type=client_credentials", basic: reltioBasic()}.send(ts)
	if body2["access_token"] == tok || body2["access_token"] == nil {
		t.Errorf("second token %v, want a new one", body2["access_token"])
	}
	if got := ts.Stats(); got != (TokenStats{Requests: 2, Issued: 2}) {
		t.Errorf("Stats = %+v", got)
	}
}

func TestTokenPasswordAndRefresh(t *testing.T) {
	t.Parallel()
	clk := newClock()
	ts := reltioTokens(clk, nil)
	rep, body := tokenRequest{form: "grant_type=password&username=ada%40example.com&password=pa55word", basic: reltioBasic()}.send(ts)
	if rep.status != 200 {
		t.Fatalf("password grant = %d %s", rep.status, rep.body)
	}
	info, err := ts.Check(bearer(body["access_token"].(string)))
	if err != nil || info.Username != "ada@example.com" {
		t.Errorf("Check = %+v, %v", info, err)
	}
	ts.ExpireAll()
	if _, err := ts.Check(bearer(body["access_token"].(string))); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("after ExpireAll: %v", err)
	}
	refresh := body["refresh_token"].(string)
	rep, body2 := tokenRequest{form: "grant_type=refresh_token&refresh_token=" + refresh, basic: reltioBasic()}.send(ts)
	if rep.status != 200 || body2["refresh_token"] == nil || body2["refresh_token"] == refresh {
		t.Fatalf("refresh grant = %d %s", rep.status, rep.body)
	}
	if info, err := ts.Check(bearer(body2["access_token"].(string))); err != nil || info.Username != "ada@example.com" || info.Scope != "users_api entities_api" {
		t.Errorf("refreshed token: %+v, %v", info, err)
	}
	// Refresh tokens live 28 days by default.
	clk.Add(28 * 24 * time.Hour)
	rep, body3 := tokenRequest{form: "grant_type=refresh_token&refresh_token=" + refresh, basic: reltioBasic()}.send(ts)
	if rep.status != 400 || body3["error"] != "invalid_grant" {
		t.Errorf("expired refresh token = %d %s", rep.status, rep.body)
	}
}

func TestTokenRefusals(t *testing.T) {
	t.Parallel()
	basic := reltioBasic()
	wrongSecret := &[2]string{url.QueryEscape(reltioID), "nope"}
	unescaped := &[2]string{reltioID, reltioSecret} // '+' decodes as a space
	tests := []struct {
		name   string
		req    tokenRequest
		status int
		error  string
		desc   string
	}{
		{"GET", tokenRequest{method: "GET", basic: basic}, 405, "invalid_request", "the token endpoint takes POST"},
		{"grant in the URL", tokenRequest{query: "grant_type=client_credentials", basic: basic}, 400, "invalid_request", "parameters go in the form body, not the URL"},
		{"JSON body", tokenRequest{ct: "application/json", form: `{"grant_type":"client_credentials"}`, basic: basic}, 400, "invalid_request", "the body must be application/x-www-form-urlencoded"},
		{"no grant", tokenRequest{form: "username=x", basic: basic}, 400, "invalid_request", `missing form field "grant_type"`},
		{"unknown grant", tokenRequest{form: "grant_type=authorization_code", basic: basic}, 400, "unsupported_grant_type", "unsupported grant type"},
		{"grant twice", tokenRequest{form: "grant_type=client_credentials&grant_type=client_credentials", basic: basic}, 400, "invalid_request", `form field "grant_type" given more than once`},
		{"scope not taken", tokenRequest{form: "grant_type=client_credentials&scope=users_api", basic: basic}, 400, "invalid_request", `unknown form field "scope"`},
		{"client_id beside Basic", tokenRequest{form: "grant_type=client_credentials&client_id=" + url.QueryEscape(reltioID), basic: basic}, 400, "invalid_request", "client authenticated twice: HTTP Basic and client_id"},
		{"client_secret beside Basic", tokenRequest{form: "grant_type=client_credentials&client_secret=x", basic: basic}, 400, "invalid_request", "client authenticated twice: HTTP Basic and client_secret"},
		{"password field on client credentials", tokenRequest{form: "grant_type=client_credentials&password=pa55word", basic: basic}, 400, "invalid_request", `unknown form field "password"`},
		{"password grant without password", tokenRequest{form: "grant_type=password&username=ada%40example.com", basic: basic}, 400, "invalid_request", `missing form field "password"`},
		{"no client authentication", tokenRequest{form: "grant_type=client_credentials"}, 401, "unauthorized", "Full authentication is required to access this resource"},
		{"client in the form only", tokenRequest{form: "grant_type=client_credentials&client_id=a&client_secret=b"}, 401, "unauthorized", "Full authentication is required to access this resource"},
		{"wrong secret", tokenRequest{form: "grant_type=client_credentials", basic: wrongSecret}, 401, "invalid_client", "Bad client credentials"},
		{"Basic not form-encoded", tokenRequest{form: "grant_type=client_credentials", basic: unescaped}, 401, "invalid_client", "Bad client credentials"},
		{"wrong password", tokenRequest{form: "grant_type=password&username=ada%40example.com&password=pa55wort", basic: basic}, 400, "invalid_grant", "Invalid Username or Password"},
		{"unknown user", tokenRequest{form: "grant_type=password&username=eve&password=pa55word", basic: basic}, 400, "invalid_grant", "Invalid Username or Password"},
		{"unknown refresh token", tokenRequest{form: "grant_type=refresh_token&refresh_token=r", basic: basic}, 400, "invalid_grant", "Invalid refresh token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := reltioTokens(newClock(), nil)
			rep, body := tt.req.send(ts)
			want := map[string]any{"error": tt.error, "error_description": tt.desc}
			if rep.status != tt.status || !cmp.Equal(want, body) {
				t.Errorf("= %d %s, want %d %v", rep.status, rep.body, tt.status, want)
			}
			for _, secret := range []string{reltioSecret, url.QueryEscape(reltioSecret), "pa55wor"} {
				if strings.Contains(rep.body, secret) {
					t.Errorf("reply holds a secret: %s", rep.body)
				}
			}
			wantAuth := ""
			if tt.status == 401 && tt.req.basic != nil {
				wantAuth = `Basic realm="oauth"`
			}
			if got := rep.header.Get("WWW-Authenticate"); got != wantAuth {
				t.Errorf("WWW-Authenticate = %q, want %q", got, wantAuth)
			}
			if tt.status == 405 && rep.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q", rep.header.Get("Allow"))
			}
			if got := ts.Stats(); got != (TokenStats{Requests: 1, Refused: 1}) {
				t.Errorf("Stats = %+v", got)
			}
		})
	}
}

// Relativity: client_id and client_secret in the form, a scope, client
// credentials only.
func TestTokenRelativityStyle(t *testing.T) {
	t.Parallel()
	ts := NewTokenServer(TokenConfig{
		ClientID:            "rel-client",
		ClientSecret:        "rel-secret",
		ClientAuth:          ClientSecretPost,
		Grants:              []string{GrantClientCredentials},
		Scopes:              []string{"SystemUserInfo", "UserInfoAccess"},
		RequireScope:        true,
		TokenType:           "Bearer",
		InvalidClientStatus: http.StatusBadRequest,
		Lifetime:            90*time.Second + time.Millisecond,
	})
	const good = "client_id=rel-client&client_secret=rel-secret&scope=SystemUserInfo&grant_type=client_credentials"
	rep, body := tokenRequest{form: good}.send(ts)
	if rep.status != 200 || body["token_type"] != "Bearer" || body["scope"] != "SystemUserInfo" || body["expires_in"] != 91.0 || body["refresh_token"] != nil {
		t.Fatalf("token = %d %s", rep.status, rep.body)
	}
	if info, err := ts.Check(bearer(body["access_token"].(string))); err != nil || info.Scope != "SystemUserInfo" {
		t.Errorf("Check = %+v, %v", info, err)
	}
	for _, tt := range []struct {
		name  string
		req   tokenRequest
		code  int
		error string
	}{
		{"Basic refused", tokenRequest{form: "grant_type=client_credentials&scope=SystemUserInfo", basic: &[2]string{"rel-client", "rel-secret"}}, 400, "invalid_client"},
		{"no scope", tokenRequest{form: "client_id=rel-client&client_secret=rel-secret&grant_type=client_credentials"}, 400, "invalid_request"},
		{"empty scope", tokenRequest{form: "client_id=rel-client&client_secret=rel-secret&grant_type=client_credentials&scope="}, 400, "invalid_scope"},
		{"unknown scope", tokenRequest{form: "client_id=rel-client&client_secret=rel-secret&grant_type=client_credentials&scope=SystemUserInfo+admin"}, 400, "invalid_scope"},
		{"no secret", tokenRequest{form: "client_id=rel-client&grant_type=client_credentials&scope=SystemUserInfo"}, 400, "invalid_request"},
		{"wrong secret", tokenRequest{form: "client_id=rel-client&client_secret=x&grant_type=client_credentials&scope=SystemUserInfo"}, 400, "invalid_client"},
		{"password grant not served", tokenRequest{form: "grant_type=password&username=a&password=b"}, 400, "unsupported_grant_type"},
	} {
		rep, body := tt.req.send(ts)
		if rep.status != tt.code || body["error"] != tt.error {
			t.Errorf("%s = %d %s, want %d %s", tt.name, rep.status, rep.body, tt.code, tt.error)
		}
	}
	// Both scopes at once are fine.
	rep, body = tokenRequest{form: "client_id=rel-client&client_secret=rel-secret&grant_type=client_credentials&scope=SystemUserInfo+UserInfoAccess"}.send(ts)
	if rep.status != 200 || body["scope"] != "SystemUserInfo UserInfoAccess" {
		t.Errorf("two scopes = %d %s", rep.status, rep.body)
	}
}

// Either client authentication when both are allowed, never both at once.
func TestTokenEitherClientAuth(t *testing.T) {
	t.Parallel()
	ts := NewTokenServer(TokenConfig{ClientID: "c", ClientSecret: "secret", ClientAuth: ClientSecretBasic | ClientSecretPost})
	if rep, _ := (tokenRequest{form: "grant_type=client_credentials", basic: &[2]string{"c", "secret"}}).send(ts); rep.status != 200 {
		t.Errorf("Basic = %d %s", rep.status, rep.body)
	}
	if rep, _ := (tokenRequest{form: "grant_type=client_credentials&client_id=c&client_secret=secret"}).send(ts); rep.status != 200 {
		t.Errorf("form = %d %s", rep.status, rep.body)
	}
	if rep, _ := (tokenRequest{form: "grant_type=client_credentials&client_id=c&client_secret=secret", basic: &[2]string{"c", "secret"}}).send(ts); rep.status != 400 {
		t.Errorf("both = %d %s", rep.status, rep.body)
	}
}

func TestTokenCheck(t *testing.T) {
	t.Parallel()
	ts := reltioTokens(newClock(), nil)
	tok := ts.Issue("ada")
	for _, tt := range []struct {
		name   string
		header []string
		want   error
	}{
		{"valid", []string{"Bearer " + tok}, nil},
		{"scheme case", []string{"bearer " + tok}, nil},
		{"no header", nil, ErrNoToken},
		{"Basic", []string{"Basic " + tok}, ErrNoToken},
		{"empty token", []string{"Bearer "}, ErrNoToken},
		{"no space", []string{"Bearer" + tok}, ErrNoToken},
		{"two headers", []string{"Bearer " + tok, "Bearer " + tok}, ErrNoToken},
		{"unknown", []string{"Bearer x" + tok}, ErrUnknownToken},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Authorization"] = tt.header
		info, err := ts.Check(r)
		if !errors.Is(err, tt.want) || (err == nil && info.Username != "ada") {
			t.Errorf("%s: Check = %+v, %v; want %v", tt.name, info, err, tt.want)
		}
	}
	if got := ts.Stats(); got != (TokenStats{}) {
		t.Errorf("Issue counted: %+v", got)
	}
}

func TestTokenRateLimit(t *testing.T) {
	t.Parallel()
	for _, omit := range []bool{false, true} {
		clk := newClock()
		ts := reltioTokens(clk, func(c *TokenConfig) { c.RateLimit = 3; c.OmitRetryAfter = omit })
		get := func() reply {
			rep, _ := tokenRequest{form: "grant_type=client_credentials", basic: reltioBasic()}.send(ts)
			return rep
		}
		for i := range 3 {
			if rep := get(); rep.status != 200 {
				t.Fatalf("request %d = %d %s", i, rep.status, rep.body)
			}
			clk.Add(100 * time.Millisecond)
		}
		// At 300ms the first request is still in the window: 700ms to go.
		wantRetry := "1"
		if omit {
			wantRetry = ""
		}
		rep := get()
		var body map[string]any
		_ = json.Unmarshal([]byte(rep.body), &body)
		if rep.status != 429 || rep.header.Get("Retry-After") != wantRetry || body["error"] != "too_many_requests" {
			t.Errorf("omit=%v: 4th request = %d Retry-After %q %s", omit, rep.status, rep.header.Get("Retry-After"), rep.body)
		}
		// Refused requests do not fill the window.
		clk.Add(700 * time.Millisecond)
		if rep := get(); rep.status != 200 {
			t.Errorf("omit=%v: at 1s = %d %s", omit, rep.status, rep.body)
		}
		if rep := get(); rep.status != 429 {
			t.Errorf("omit=%v: second at 1s = %d, want 429", omit, rep.status)
		}
		if got := ts.Stats(); got != (TokenStats{Requests: 6, Issued: 4, Limited: 2}) {
			t.Errorf("omit=%v: Stats = %+v", omit, got)
		}
	}
}

// Reltio without Multi Token Support hands out the same token while it is
// valid, with its remaining lifetime.
func TestTokenReuse(t *testing.T) {
	t.Parallel()
	clk := newClock()
	ts := reltioTokens(clk, func(c *TokenConfig) { c.Reuse = true; c.RefreshTokens = false })
	get := func() map[string]any {
		rep, body := tokenRequest{form: "grant_type=client_credentials", basic: reltioBasic()}.send(ts)
		if rep.status != 200 {
			t.Fatalf("token = %d %s", rep.status, rep.body)
		}
		return body
	}
	first := get()
	clk.Add(5500 * time.Millisecond)
	second := get()
	if second["access_token"] != first["access_token"] || second["expires_in"] != 15.0 {
		t.Errorf("reused = %v, want the same token with 15s left (first %v)", second, first)
	}
	ts.ExpireAll()
	third := get()
	if third["access_token"] == first["access_token"] || third["expires_in"] != 20.0 {
		t.Errorf("after ExpireAll = %v, want a new token", third)
	}
	if got := ts.Stats(); got.Issued != 2 || got.Requests != 3 {
		t.Errorf("Stats = %+v", got)
	}
}

func TestTokenRevoke(t *testing.T) {
	t.Parallel()
	ts := reltioTokens(newClock(), nil)
	_, body := tokenRequest{form: "grant_type=password&username=ada%40example.com&password=pa55word", basic: reltioBasic()}.send(ts)
	_, cc := tokenRequest{form: "grant_type=client_credentials", basic: reltioBasic()}.send(ts)
	if n := ts.RevokeUser("ada@example.com"); n != 2 { // access and refresh
		t.Errorf("RevokeUser = %d, want 2", n)
	}
	if _, err := ts.Check(bearer(body["access_token"].(string))); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("revoked user's token: %v", err)
	}
	if rep, _ := (tokenRequest{form: "grant_type=refresh_token&refresh_token=" + body["refresh_token"].(string), basic: reltioBasic()}).send(ts); rep.status != 400 {
		t.Errorf("revoked refresh token = %d", rep.status)
	}
	tok := cc["access_token"].(string)
	if _, err := ts.Check(bearer(tok)); err != nil {
		t.Errorf("client token after RevokeUser: %v", err)
	}
	if !ts.Revoke(tok) || ts.Revoke(tok) {
		t.Error("Revoke reported wrongly")
	}
	if _, err := ts.Check(bearer(tok)); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("revoked token: %v", err)
	}
}

// A vendor fake mounts the token endpoint on its router and checks bearer
// tokens from its auth check.
func TestTokenBehindRouter(t *testing.T) {
	t.Parallel()
	ts := reltioTokens(newClock(), nil)
	rt := NewRouter(RouterConfig{
		Auth: func(w http.ResponseWriter, r *http.Request) bool {
			if _, err := ts.Check(r); err != nil {
				WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": err.Error()})
				return false
			}
			return true
		},
	}, []Route{
		{Method: "POST", Path: "/token", Body: BodyAny, Public: true, Handle: ts.Handle},
		{Method: "GET", Path: "/users", Handle: echo("users")},
	})
	srv := httptest.NewServer(rt)
	defer srv.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(reltioID), url.QueryEscape(reltioSecret))
	resp, body := do(t, srv.Client(), "POST", srv.URL+"/token", strings.NewReader("grant_type=client_credentials"),
		"Content-Type", "application/x-www-form-urlencoded", "Authorization", req.Header.Get("Authorization"))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token = %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, srv.Client(), "GET", srv.URL+"/users", nil, "Authorization", "Bearer "+tok.AccessToken)
	if resp.StatusCode != 200 || body != `{"route":"users"}` {
		t.Errorf("GET /users = %d %s", resp.StatusCode, body)
	}
	ts.ExpireAll()
	resp, body = do(t, srv.Client(), "GET", srv.URL+"/users", nil, "Authorization", "Bearer "+tok.AccessToken)
	if resp.StatusCode != 401 || !strings.Contains(body, "bearer token expired") {
		t.Errorf("GET /users after ExpireAll = %d %s", resp.StatusCode, body)
	}
}

package fake

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ClientAuth says how a token request may authenticate its client
// (RFC 6749 §2.3.1). Either or both bits may be set; a request that uses
// both methods at once is refused, as the RFC requires.
type ClientAuth int

const (
	// ClientSecretBasic: an Authorization: Basic header of client id and
	// secret, each form-encoded first as RFC 6749 §2.3.1 says. Reltio sends
	// it for every grant (https://developer.reltio.com, "Obtaining an
	// Access Token"). The zero ClientAuth means this.
	ClientSecretBasic ClientAuth = 1 << iota
	// ClientSecretPost: client_id and client_secret form fields. Relativity
	// sends them (https://platform.relativity.com, "REST API
	// authentication", bearer token authentication).
	ClientSecretPost
	// ClientSecretBasicPlain: HTTP Basic of the id and secret as they are,
	// not form-decoded (base64 of "client_id:client_secret", as Reltio's
	// docs describe it). Use it instead of ClientSecretBasic.
	ClientSecretBasicPlain
)

// The grant types a TokenServer knows.
const (
	GrantClientCredentials = "client_credentials"
	GrantPassword          = "password"
	GrantRefreshToken      = "refresh_token"
)

// The errors TokenServer.Check returns.
var (
	// ErrNoToken: the request carries no Authorization: Bearer header with
	// a token, or more than one Authorization header.
	ErrNoToken = errors.New("fake: no bearer token")
	// ErrUnknownToken: the token was never issued, or was revoked.
	ErrUnknownToken = errors.New("fake: unknown bearer token")
	// ErrTokenExpired: the token was issued but its lifetime is over, or
	// ExpireAll ended it.
	ErrTokenExpired = errors.New("fake: bearer token expired")
)

// TokenConfig configures NewTokenServer. The zero value serves nothing
// useful: set at least ClientID and ClientSecret.
type TokenConfig struct {
	// ClientID and ClientSecret are the one client's credentials.
	ClientID, ClientSecret string
	// ClientAuth is how the client authenticates; zero means
	// ClientSecretBasic.
	ClientAuth ClientAuth
	// Grants lists the grant types served; nil means all three. Others are
	// answered 400 unsupported_grant_type.
	Grants []string
	// Users maps user names to passwords for the password grant.
	Users map[string]string
	// Scopes lists the scope values a request may ask for (the scope field
	// is a space-separated list of them). Nil means a request must not send
	// a scope field at all: Reltio's token call takes none.
	Scopes []string
	// RequireScope refuses a request without a scope field (Relativity's
	// clients always send scope=SystemUserInfo).
	RequireScope bool
	// ReplyScope is the reply's scope when the request asked for none; the
	// reply echoes a requested scope. Empty leaves the field out.
	ReplyScope string
	// TokenType is the reply's token_type; empty means "bearer", as
	// Reltio's spec example writes it.
	TokenType string
	// Lifetime is how long an access token lives (expires_in, rounded up
	// to whole seconds); zero means one hour.
	Lifetime time.Duration
	// RefreshTokens makes every grant reply carry a refresh_token; a
	// refresh grant gets a new one too, and the used one stays valid until
	// it expires.
	RefreshTokens bool
	// RefreshLifetime is how long a refresh token lives; zero means 28
	// days (Reltio's).
	RefreshLifetime time.Duration
	// Reuse answers a client_credentials grant with the access token the
	// previous one issued while it is still valid, with its remaining
	// expires_in: what Reltio does without Multi Token Support.
	Reuse bool
	// RateLimit is how many token requests per second are served (a
	// sliding one-second window over the requests served); the rest are
	// answered 429. Zero means no limit; Reltio's is 10.
	RateLimit int
	// OmitRetryAfter leaves the Retry-After header out of 429 replies.
	// Otherwise it holds the whole seconds until a request would be served.
	OmitRetryAfter bool
	// InvalidClientStatus is the status of an invalid_client reply; zero
	// means 401 (RFC 6749 §5.2). IdentityServer, behind Relativity's
	// endpoint, answers 400.
	InvalidClientStatus int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// TokenInfo is what a TokenServer knows about an access token.
type TokenInfo struct {
	// Username is the password grant's user; empty for a client's own
	// token.
	Username string
	// Scope is the scope granted, as the reply wrote it.
	Scope string
	// Expires is when the token stops being valid.
	Expires time.Time
}

// TokenStats counts what reached a TokenServer's endpoint.
type TokenStats struct {
	Requests int // every token request
	Issued   int // access tokens minted (a reused one is not counted again)
	Limited  int // requests answered 429
	Refused  int // requests answered 400, 401 or 405
}

// TokenServer is an OAuth2 token endpoint (RFC 6749 §4.3, §4.4, §6) for one
// client, and the store of the tokens it issued: a vendor fake mounts it on
// its token route and calls Check from its auth check. It is safe for
// concurrent use.
//
// Requests are checked strictly: POST only, nothing in the URL query, an
// application/x-www-form-urlencoded body holding exactly the fields of its
// grant (client_id and client_secret only with ClientSecretPost, scope only
// when Scopes allows it), each once. Errors are RFC 6749 §5.2 replies:
// {"error":"...","error_description":"..."} with status 400 or 401; a
// description never holds a secret.
type TokenServer struct {
	cfg TokenConfig

	mu       sync.Mutex
	access   map[string]*TokenInfo
	refresh  map[string]*TokenInfo
	lastCC   string      // the last client_credentials token, for Reuse
	admitted []time.Time // times of the last RateLimit requests served
	stats    TokenStats
}

// NewTokenServer returns a TokenServer for cfg.
func NewTokenServer(cfg TokenConfig) *TokenServer {
	if cfg.ClientAuth == 0 {
		cfg.ClientAuth = ClientSecretBasic
	}
	if cfg.Grants == nil {
		cfg.Grants = []string{GrantClientCredentials, GrantPassword, GrantRefreshToken}
	}
	if cfg.TokenType == "" {
		cfg.TokenType = "bearer"
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = time.Hour
	}
	if cfg.RefreshLifetime <= 0 {
		cfg.RefreshLifetime = 28 * 24 * time.Hour
	}
	if cfg.InvalidClientStatus == 0 {
		cfg.InvalidClientStatus = http.StatusUnauthorized
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &TokenServer{cfg: cfg, access: map[string]*TokenInfo{}, refresh: map[string]*TokenInfo{}}
}

// Handle serves a token request routed by a Router; declare its route with
// Body: BodyAny and Public: true, so that the TokenServer reads and checks
// the body itself:
//
//	{Method: "POST", Path: "/token", Body: fake.BodyAny, Public: true, Handle: tokens.Handle}
//
// The router still refuses a query parameter the route does not list, in
// the vendor's error shape, before the TokenServer sees the request; mount
// the TokenServer as an http.Handler of its own for an OAuth2 reply there.
func (t *TokenServer) Handle(c *Call) { t.ServeHTTP(c.W, c.R) }

// maxTokenBody bounds a token request body; a real one is a few hundred bytes.
const maxTokenBody = 64 << 10

// ServeHTTP serves a token request.
func (t *TokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := t.cfg.Now()
	if wait, ok := t.admit(now); !ok {
		if !t.cfg.OmitRetryAfter {
			w.Header().Set("Retry-After", strconv.Itoa(wait))
		}
		// The body of Reltio's 429 is not documented; this one is the
		// OAuth2 error shape, invented.
		WriteJSON(w, http.StatusTooManyRequests, oauthError{"too_many_requests", "token request rate limit exceeded"})
		return
	}
	status, code, desc := t.serve(w, r, now)
	if status == 0 {
		return
	}
	t.mu.Lock()
	t.stats.Refused++
	t.mu.Unlock()
	switch status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", "POST")
	case http.StatusUnauthorized:
		if _, _, basic := r.BasicAuth(); basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		}
	}
	writeOAuth(w, status, oauthError{code, desc})
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeOAuth(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	WriteJSON(w, status, v)
}

// admit counts the request and applies the rate limit; when it refuses, it
// says how many whole seconds until a request would be served.
func (t *TokenServer) admit(now time.Time) (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.Requests++
	if n := t.cfg.RateLimit; n > 0 {
		if len(t.admitted) == n {
			if free := t.admitted[0].Add(time.Second); now.Before(free) {
				t.stats.Limited++
				return max(1, int(math.Ceil(free.Sub(now).Seconds()))), false
			}
			t.admitted = t.admitted[1:]
		}
		t.admitted = append(t.admitted, now)
	}
	return 0, true
}

// serve answers a request the rate limit let through; it returns the error
// to answer, or a zero status when it wrote a token reply.
func (t *TokenServer) serve(w http.ResponseWriter, r *http.Request, now time.Time) (int, string, string) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "invalid_request", "the token endpoint takes POST"
	}
	if r.URL.RawQuery != "" {
		return http.StatusBadRequest, "invalid_request", "parameters go in the form body, not the URL"
	}
	if media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); media != "application/x-www-form-urlencoded" {
		return http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded"
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxTokenBody+1))
	if err != nil || len(body) > maxTokenBody {
		return http.StatusBadRequest, "invalid_request", "cannot read the body"
	}
	lenient, err := url.ParseQuery(string(body))
	if err != nil {
		return http.StatusBadRequest, "invalid_request", "malformed form body"
	}
	grant := lenient.Get("grant_type")
	if _, ok := lenient["grant_type"]; !ok {
		return http.StatusBadRequest, "invalid_request", `missing form field "grant_type"`
	}
	if !slices.Contains(t.cfg.Grants, grant) {
		return http.StatusBadRequest, "unsupported_grant_type", "unsupported grant type"
	}

	// Which fields this request must and may carry.
	required := []string{"grant_type"}
	switch grant {
	case GrantPassword:
		required = append(required, "username", "password")
	case GrantRefreshToken:
		required = append(required, "refresh_token")
	}
	var optional []string
	if t.cfg.Scopes != nil {
		if t.cfg.RequireScope {
			required = append(required, "scope")
		} else {
			optional = append(optional, "scope")
		}
	}
	basicID, basicSecret, basic := r.BasicAuth()
	switch {
	case basic && t.cfg.ClientAuth&(ClientSecretBasic|ClientSecretBasicPlain) == 0:
		return t.cfg.InvalidClientStatus, "invalid_client", "client authentication by HTTP Basic is not accepted; send client_id and client_secret in the body"
	case basic:
		if _, ok := lenient["client_id"]; ok {
			return http.StatusBadRequest, "invalid_request", "client authenticated twice: HTTP Basic and client_id"
		}
		if _, ok := lenient["client_secret"]; ok {
			return http.StatusBadRequest, "invalid_request", "client authenticated twice: HTTP Basic and client_secret"
		}
	case t.cfg.ClientAuth&ClientSecretPost != 0:
		required = append(required, "client_id", "client_secret")
	default:
		// Reltio's reply to a token request without client credentials
		// (the spec's getToken 401 example).
		return http.StatusUnauthorized, "unauthorized", "Full authentication is required to access this resource"
	}
	form, err := DecodeForm(body, required, optional)
	if err != nil {
		return http.StatusBadRequest, "invalid_request", err.Error()
	}

	// The client.
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if basic && t.cfg.ClientAuth&ClientSecretBasicPlain != 0 {
		id, secret = basicID, basicSecret
	} else if basic {
		// RFC 6749 §2.3.1: both are form-encoded before Basic.
		var err1, err2 error
		id, err1 = url.QueryUnescape(basicID)
		secret, err2 = url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil {
			return t.cfg.InvalidClientStatus, "invalid_client", "Bad client credentials"
		}
	}
	if !t.checkClient(id, secret) {
		return t.cfg.InvalidClientStatus, "invalid_client", "Bad client credentials"
	}

	// The scope.
	scope := form.Get("scope")
	if _, asked := form["scope"]; asked {
		if scope == "" {
			return http.StatusBadRequest, "invalid_scope", "empty scope"
		}
		for s := range strings.SplitSeq(scope, " ") {
			if !slices.Contains(t.cfg.Scopes, s) {
				return http.StatusBadRequest, "invalid_scope", "unknown scope " + strconv.Quote(s)
			}
		}
	} else {
		scope = t.cfg.ReplyScope
	}

	// The grant.
	var user string
	switch grant {
	case GrantPassword:
		user = form.Get("username")
		want, ok := t.cfg.Users[user]
		if !ok || subtle.ConstantTimeCompare([]byte(form.Get("password")), []byte(want)) != 1 {
			// Reltio's wording (the spec's getToken 400 example).
			return http.StatusBadRequest, "invalid_grant", "Invalid Username or Password"
		}
	case GrantRefreshToken:
		t.mu.Lock()
		info, ok := t.refresh[form.Get("refresh_token")]
		var expired bool
		if ok {
			expired = !now.Before(info.Expires)
			user = info.Username
			if _, asked := form["scope"]; !asked {
				scope = info.Scope
			}
		}
		t.mu.Unlock()
		if !ok || expired {
			return http.StatusBadRequest, "invalid_grant", "Invalid refresh token"
		}
	}
	t.issue(w, grant, user, scope, now)
	return 0, "", ""
}

func (t *TokenServer) checkClient(id, secret string) bool {
	if t.cfg.ClientID == "" {
		return false
	}
	i := subtle.ConstantTimeCompare([]byte(id), []byte(t.cfg.ClientID))
	s := subtle.ConstantTimeCompare([]byte(secret), []byte(t.cfg.ClientSecret))
	return i&s == 1
}

type tokenReply struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

func (t *TokenServer) issue(w http.ResponseWriter, grant, user, scope string, now time.Time) {
	t.mu.Lock()
	var token string
	var info *TokenInfo
	if t.cfg.Reuse && grant == GrantClientCredentials {
		if old, ok := t.access[t.lastCC]; ok && now.Before(old.Expires) && old.Scope == scope {
			token, info = t.lastCC, old
		}
	}
	if info == nil {
		token = rand.Text()
		info = &TokenInfo{Username: user, Scope: scope, Expires: now.Add(t.cfg.Lifetime)}
		t.access[token] = info
		t.stats.Issued++
		if grant == GrantClientCredentials {
			t.lastCC = token
		}
	}
	reply := tokenReply{
		AccessToken: token,
		TokenType:   t.cfg.TokenType,
		ExpiresIn:   int64(math.Ceil(info.Expires.Sub(now).Seconds())),
		Scope:       scope,
	}
	if t.cfg.RefreshTokens {
		reply.RefreshToken = rand.Text()
		t.refresh[reply.RefreshToken] = &TokenInfo{Username: user, Scope: scope, Expires: now.Add(t.cfg.RefreshLifetime)}
	}
	t.mu.Unlock()
	writeOAuth(w, http.StatusOK, reply)
}

// Check validates the request's Authorization: Bearer header; a vendor fake
// calls it from its RouterConfig.Auth and answers the error in its own
// shape. The scheme is matched without regard to case (RFC 7235 §2.1).
func (t *TokenServer) Check(r *http.Request) (TokenInfo, error) {
	vals := r.Header.Values("Authorization")
	if len(vals) != 1 {
		return TokenInfo{}, ErrNoToken
	}
	scheme, token, ok := strings.Cut(vals[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return TokenInfo{}, ErrNoToken
	}
	return t.Lookup(token)
}

// Lookup validates a bare access token (one sent elsewhere than in the
// Authorization header).
func (t *TokenServer) Lookup(token string) (TokenInfo, error) {
	now := t.cfg.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	info, ok := t.access[token]
	if !ok {
		return TokenInfo{}, ErrUnknownToken
	}
	if !now.Before(info.Expires) {
		return *info, ErrTokenExpired
	}
	return *info, nil
}

// Issue mints an access token without a request (for a test that starts
// with a token in hand); username may be empty. It counts in no TokenStats.
func (t *TokenServer) Issue(username string) string {
	token := rand.Text()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.access[token] = &TokenInfo{Username: username, Scope: t.cfg.ReplyScope, Expires: t.cfg.Now().Add(t.cfg.Lifetime)}
	return token
}

// ExpireAll ends every access token issued so far, as if its lifetime were
// over: Check answers ErrTokenExpired for them, and a Reuse grant mints a new
// one. Refresh tokens stay valid. It is how a test makes a token expire in
// the middle of a run.
func (t *TokenServer) ExpireAll() {
	now := t.cfg.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, info := range t.access {
		if now.Before(info.Expires) {
			info.Expires = now
		}
	}
}

// Revoke forgets an access or refresh token (Reltio's POST /revoke); Check
// then answers ErrUnknownToken. It reports whether the token was known.
func (t *TokenServer) Revoke(token string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, a := t.access[token]
	_, r := t.refresh[token]
	delete(t.access, token)
	delete(t.refresh, token)
	return a || r
}

// RevokeUser forgets every access and refresh token of username (Reltio's
// PUT /users/{username}/revoketokens) and returns how many there were.
func (t *TokenServer) RevokeUser(username string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, m := range []map[string]*TokenInfo{t.access, t.refresh} {
		for tok, info := range m {
			if info.Username == username {
				delete(m, tok)
				n++
			}
		}
	}
	return n
}

// Stats returns the counts so far.
func (t *TokenServer) Stats() TokenStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}

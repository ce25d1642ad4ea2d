package reltiotest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/rosterhq/roster/internal/fake"
)

// Defaults of a Server's credentials and seed; options change them.
const (
	// DefaultClientID and DefaultClientSecret are the API client credentials the token
	// endpoint accepts unless WithClient says otherwise.
	DefaultClientID     = "reltio-fake-client"
	DefaultClientSecret = "reltio-fake-client-secret"
	// DefaultToken is an access token that never expires and that ExpireTokens leaves
	// alone, for clients configured with a ready AccessToken.
	DefaultToken = "reltio-fake-static-token"
	// Customer is the seeded customer, the one of Reltio's "Create Users" sample.
	Customer = "TestCustomer"
	// Prefix is the path the fake serves the API under, as https://auth.reltio.com/oauth
	// does: Server.URL ends with it.
	Prefix = "/oauth"
	// DefaultTokenLifetime is how long an access token lasts unless WithTokenLifetime says
	// otherwise: Reltio's default of 60 minutes.
	DefaultTokenLifetime = time.Hour
	// DefaultTokenRate is how many token requests a second the token endpoint answers
	// before it answers 429, as Reltio's "Token API request limit" says.
	DefaultTokenRate = 10
)

// Tenants are the seeded customer's tenants: those the "Create Users" sample's roles name.
var Tenants = []string{"t1", "t2", "t3"}

// SystemRoles are the roles the seeded customer's role list starts with: those Reltio's
// documentation and samples name.
var SystemRoles = []string{"ROLE_ADMIN_CUSTOMER", "ROLE_ADMIN_TENANT", "ROLE_API", "ROLE_USER", "ROLE_READONLY", "ROLE_REVIEWER"}

// Server is a running fake Reltio Auth service. Its fields are set by NewServer and must not
// be changed.
type Server struct {
	// URL is the oauth_uri to give the client (Config.AuthURL): the server's address plus
	// Prefix, without a trailing slash.
	URL          string
	ClientID     string
	ClientSecret string
	// Token is an access token the server always accepts (DefaultToken).
	Token string
	// Customer is the seeded customer's id.
	Customer string

	http   *httptest.Server
	kit    *fake.Kit
	router *fake.Router
	tokens *fake.TokenServer
	cfg    config

	mu sync.Mutex
	st *state
}

type config struct {
	clientID, clientSecret string
	lifetime               time.Duration
	rate                   int
	refresh                bool
	users                  []User
	now                    func() time.Time
}

// Option configures NewServer.
type Option func(*config)

// WithClient sets the client credentials the token endpoint accepts.
func WithClient(id, secret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = id, secret }
}

// WithTokenLifetime sets how long access tokens last (default DefaultTokenLifetime); the
// token reply's expires_in says so, in whole seconds (at least 1).
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.lifetime = d
		}
	}
}

// WithRefreshTokens makes every token reply carry a refresh_token. Reltio documents one
// for the password grant; whether client_credentials gets one is not documented, so by
// default no grant does (the kit's token endpoint gives them to all grants or none).
func WithRefreshTokens() Option { return func(c *config) { c.refresh = true } }

// WithTokenRate sets how many token requests a second the token endpoint answers before it
// answers 429 (default DefaultTokenRate); 0 or less turns the limit off.
func WithTokenRate(n int) Option { return func(c *config) { c.rate = n } }

// WithUsers adds users to the seed. A user without a Customer gets the seeded one; missing
// account flags are true, as Reltio's replies show them. Seeded users with a Password can get
// tokens with the password grant (users created through the API cannot: the token endpoint's
// users are fixed when the server starts).
func WithUsers(users ...User) Option {
	return func(c *config) { c.users = append(c.users, users...) }
}

// WithClock sets the server's clock, for token expiry, the rate limit and user dates.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// NewServer starts a fake Reltio Auth service seeded with the sample customer. The caller
// must Close it.
func NewServer(opts ...Option) *Server {
	cfg := config{
		clientID:     DefaultClientID,
		clientSecret: DefaultClientSecret,
		lifetime:     DefaultTokenLifetime,
		rate:         DefaultTokenRate,
		now:          time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{
		ClientID:     cfg.clientID,
		ClientSecret: cfg.clientSecret,
		Token:        DefaultToken,
		Customer:     Customer,
		cfg:          cfg,
	}
	s.st = newState(cfg)
	passwords := map[string]string{}
	for _, u := range cfg.users {
		if u.Password != "" {
			passwords[u.Username] = u.Password
		}
	}
	s.tokens = fake.NewTokenServer(fake.TokenConfig{
		ClientID:      cfg.clientID,
		ClientSecret:  cfg.clientSecret,
		ClientAuth:    fake.ClientSecretBasicPlain,
		Users:         passwords,
		ReplyScope:    scope,
		Lifetime:      cfg.lifetime,
		RefreshTokens: cfg.refresh,
		Reuse:         true,
		RateLimit:     max(cfg.rate, 0),
		Now:           cfg.now,
	})
	s.kit = fake.NewKit(writeError)
	s.router = fake.NewRouter(fake.RouterConfig{Auth: s.authorize, Error: writeError}, s.routes())
	s.http = httptest.NewServer(s.kit.Handler(s.router))
	s.URL = s.http.URL + Prefix
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Client returns an HTTP client for the server (no credentials attached).
func (s *Server) Client() *http.Client { return s.http.Client() }

// Kit returns the request log and fault injector in front of the server; it is how tests
// plan faults and read what the client sent. Faults match URL paths, which start with
// Prefix ("/oauth/token", "/oauth/users/*"), and answer in Reltio's error shape.
func (s *Server) Kit() *Kit { return s.kit }

// Kit is the request log and fault injector that Server.Kit returns. It is defined in an
// internal package; its methods are:
//
//	Inject(f Fault)         // plan a fault for the next matching requests
//	ClearFaults()           // drop the planned faults
//	Faults() []Fault        // the faults not used up yet
//	Requests() []Request    // every request received, in order
//	ResetRequests()         // empty the log
type Kit = fake.Kit

// Fault is a planned misbehaviour for Kit().Inject. It is defined in an internal package;
// its fields are:
//
//	Method, Path   string        // select requests; empty matches any; Path ignores case
//	                             // and matches as a prefix when it ends in "*"
//	Count          int           // how many matching requests (at least 1)
//	Status         int           // answer this status instead (nothing is applied)
//	RetryAfter     string        // Retry-After header sent with Status
//	Latency        time.Duration // delay before handling
//	DropAfterApply bool          // apply the change, then drop the connection unanswered
//
// For example, two 429s from the token endpoint:
//
//	srv.Kit().Inject(reltiotest.Fault{Path: "/oauth/token", Status: 429, Count: 2})
type Fault = fake.Fault

// Request is one request of the log that Kit().Requests returns: Method, Path (with
// Prefix), Query (url.Values), Header, Body (the first 64 KiB) and BodySize.
type Request = fake.Request

// Endpoints lists the endpoints the server serves as "METHOD template", the templates
// relative to URL as Reltio's catalogue writes them.
func (s *Server) Endpoints() []string {
	var out []string
	for _, e := range s.router.Endpoints() {
		out = append(out, strings.Replace(e, " "+Prefix, " ", 1))
	}
	return out
}

// writeError writes Reltio's business error shape: {"errorCode": <status>, "errorMessage":
// "..."} (the Auth service's 400, 403, 404 and 500 examples in Reltio's OpenAPI exports).
// The kit's and router's own codes are not Reltio's, so they do not appear in the body.
func writeError(w http.ResponseWriter, _ *http.Request, status int, _, message string) {
	fake.WriteJSON(w, status, apiError{ErrorCode: status, ErrorMessage: message})
}

type apiError struct {
	ErrorCode    int    `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// oauthError is the shape of the token endpoint's errors and of every 401.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func (s *Server) now() time.Time { return s.cfg.now() }

// Package relativitytest is an in-memory fake of Relativity's User Manager REST API, for
// tests of code that uses package relativity.
//
//	srv := relativitytest.NewServer()
//	defer srv.Close()
//	client, err := relativity.NewClient(relativity.Config{
//		BaseURL: srv.URL, Username: srv.Username, Password: srv.Password})
//
// The server serves every endpoint the relativity package calls, strictly: it answers a
// request without X-CSRF-Header with 404 (as Relativity does), refuses JSON keys the doc's
// samples do not spell, and answers errors in Relativity's {"ErrorType", "Identifier",
// "Message"} shape. It is seeded with the doc's sample data: the users of its workspace lists
// (9 "Allen, Rob", the calling user; 777 "Sidney, Robin"; 1017952 "1, 1"), the user types
// Internal (663) and External (672), six groups, the client 1015644 "Relativity", and the
// admin workspace -1. Updates honour LastModifiedOn (a stale value is a 409), and OAuth2
// tokens expire (WithTokenLifetime, ExpireTokens). WithUsers adds users, written as the
// relativity package's own UserRequest.
package relativitytest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/rosterhq/roster/internal/fake"
	"github.com/rosterhq/roster/relativity"
)

// Defaults of a Server's credentials; options change them.
const (
	// DefaultUsername and DefaultPassword are the Basic credentials of the calling user,
	// Rob Allen (Artifact ID 9).
	DefaultUsername = "rob.allen@example.com"
	DefaultPassword = "relativity-fake-password"
	// DefaultClientID and DefaultClientSecret are the OAuth2 client the token endpoint
	// accepts; its context user is Rob Allen.
	DefaultClientID     = "relativity-fake-client"
	DefaultClientSecret = "relativity-fake-secret"
	// DefaultTokenLifetime is how long an access token is valid.
	DefaultTokenLifetime = time.Hour
	// DefaultChoiceLimit is the fake's ChoiceLimitForUI: active-users with
	// enforceChoiceLimitForUI=true answers no users when there are more than this.
	DefaultChoiceLimit = 200
)

// Artifact IDs of the seed, from the doc's samples.
const (
	// CurrentUserID is the calling user, Rob Allen.
	CurrentUserID = 9
	// SidneyID is "Sidney, Robin".
	SidneyID = 777
	// SampleUserID is the user of the doc's read sample ("1, 1", test@t.com, External).
	SampleUserID = 1017952
	// ClientID is the client "Relativity" of the doc's create sample.
	ClientID = 1015644
	// InternalTypeID and ExternalTypeID are the default user types.
	InternalTypeID = 663
	ExternalTypeID = 672
	// AdminWorkspace is the admin context, the only workspace of the fake.
	AdminWorkspace = -1
)

// Server is a running fake. Its fields are set by NewServer and must not be changed.
type Server struct {
	URL          string // base URL, without a trailing slash
	Username     string // accepted Basic user
	Password     string // accepted Basic password
	ClientID     string // accepted OAuth2 client
	ClientSecret string

	http   *httptest.Server
	kit    *fake.Kit
	tokens *fake.TokenServer
	cfg    config

	mu sync.Mutex
	st *state
}

type config struct {
	user, pass    string
	clientID      string
	clientSecret  string
	tokenLifetime time.Duration
	choiceLimit   int
	now           func() time.Time
	users         []relativity.UserRequest
}

// Option configures NewServer.
type Option func(*config)

// WithBasicAuth sets the Basic credentials the server accepts. An empty user turns Basic off.
func WithBasicAuth(user, pass string) Option { return func(c *config) { c.user, c.pass = user, pass } }

// WithOAuthClient sets the OAuth2 client the token endpoint accepts. An empty id turns
// OAuth2 off.
func WithOAuthClient(id, secret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = id, secret }
}

// WithTokenLifetime sets how long access tokens live (default DefaultTokenLifetime); the
// token reply's expires_in says so, in whole seconds.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.tokenLifetime = d
		}
	}
}

// WithChoiceLimit sets the ChoiceLimitForUI instance setting (default DefaultChoiceLimit).
func WithChoiceLimit(n int) Option { return func(c *config) { c.choiceLimit = n } }

// WithUsers adds users to the seed, written as the relativity package's create requests.
// They get Artifact IDs from 1040001 on, in order, as if created by the calling user; a
// request the fake's create would refuse makes NewServer panic.
func WithUsers(users ...relativity.UserRequest) Option {
	return func(c *config) { c.users = append(c.users, users...) }
}

// WithClock sets the clock for LastModifiedOn, CreatedOn and token expiry.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// NewServer starts a fake seeded with the doc's sample data. The caller must Close it.
func NewServer(opts ...Option) *Server {
	cfg := config{
		user: DefaultUsername, pass: DefaultPassword,
		clientID: DefaultClientID, clientSecret: DefaultClientSecret,
		tokenLifetime: DefaultTokenLifetime,
		choiceLimit:   DefaultChoiceLimit,
		now:           time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{
		Username: cfg.user, Password: cfg.pass,
		ClientID: cfg.clientID, ClientSecret: cfg.clientSecret,
		cfg: cfg,
	}
	s.st = newState(cfg.now)
	for _, u := range cfg.users {
		if msg := s.seedUser(u); msg != "" {
			panic("relativitytest: WithUsers: " + msg)
		}
	}
	s.tokens = fake.NewTokenServer(fake.TokenConfig{
		ClientID:     cfg.clientID,
		ClientSecret: cfg.clientSecret,
		ClientAuth:   fake.ClientSecretPost,
		Grants:       []string{fake.GrantClientCredentials},
		// SystemUserInfo is the REST authentication page's scope; UserInfoAccess that of
		// its Kepler proxy page.
		Scopes:       []string{"SystemUserInfo", "UserInfoAccess"},
		RequireScope: true,
		TokenType:    "Bearer",
		Lifetime:     cfg.tokenLifetime,
		// IdentityServer, behind Relativity's endpoint, answers a bad client with 400.
		InvalidClientStatus: http.StatusBadRequest,
		Now:                 cfg.now,
	})
	s.kit = fake.NewKit(writeError)
	router := fake.NewRouter(fake.RouterConfig{Auth: s.authorized, Error: writeError, Check: s.check}, s.routes())
	s.http = httptest.NewServer(s.kit.Handler(csrf(router)))
	s.URL = s.http.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Client returns an HTTP client for the server (no credentials attached).
func (s *Server) Client() *http.Client { return s.http.Client() }

// Kit returns the request log and fault injector in front of the server. Faults match URL
// paths such as "/Relativity.REST/api/Relativity-Identity/v1/users/*" and answer in
// Relativity's error shape.
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
//	Method, Path   string        // select requests; empty matches any; Path ignores case,
//	                             // takes a catalogue template ("/.../users/{userID}") and
//	                             // matches as a prefix when it ends in "*"
//	Query          string        // further select by query values ("includeDeleted=true")
//	Count          int           // how many matching requests (at least 1)
//	Status         int           // answer this status instead (nothing is applied)
//	RetryAfter     string        // Retry-After header sent with Status
//	Latency        time.Duration // delay before handling
//	DropAfterApply bool          // apply the change, then drop the connection unanswered
type Fault = fake.Fault

// Request is one request of the log that Kit().Requests returns: Method, Path, Query
// (url.Values), Header, Body (the first 64 KiB) and BodySize.
type Request = fake.Request

// ExpireTokens makes every access token issued so far expire now, as if its lifetime had
// passed: the next request with one gets a 401.
func (s *Server) ExpireTokens() { s.tokens.ExpireAll() }

// TokensIssued returns how many access tokens the token endpoint has handed out.
func (s *Server) TokensIssued() int { return s.tokens.Stats().Issued }

// TokenURL is the token endpoint's path.
const TokenURL = "/Relativity/Identity/connect/token"

// csrf answers a request to the REST API without X-CSRF-Header with 404 and no body, as
// Relativity does (HTTP status codes page): that is what makes the header easy to forget.
// The token endpoint is IdentityServer's, not the REST API's, and does not ask for it.
func csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-CSRF-Header") == "" && !strings.EqualFold(r.URL.Path, TokenURL) {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// seedUser creates a user from a relativity.UserRequest as the create endpoint would.
func (s *Server) seedUser(req relativity.UserRequest) string {
	data, err := json.Marshal(map[string]relativity.UserRequest{"UserRequest": req})
	if err != nil {
		return err.Error()
	}
	var body userBody
	if err := fake.DecodeJSON(data, &body); err != nil {
		return err.Error()
	}
	if body.UserRequest.LastModifiedOn != nil {
		return "LastModifiedOn cannot be set on a new user."
	}
	u := newUser()
	if bad := s.apply(u, body.UserRequest); bad != nil {
		return bad.message
	}
	s.st.insertUser(u)
	return ""
}

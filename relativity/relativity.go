// Package relativity is a client for Relativity's User Manager REST API (the
// Relativity-Identity service): users, the current user's settings, user types, groups a user
// can join, the users of a workspace, groups and their members, clients, login profiles and
// the legacy user queries.
//
// Create a Client with HTTP Basic credentials or an OAuth2 client (client credentials), and
// use its services:
//
//	client, err := relativity.NewClient(relativity.Config{
//		BaseURL:  "https://relativity.example.com",
//		Username: os.Getenv("RELATIVITY_USERNAME"),
//		Password: os.Getenv("RELATIVITY_PASSWORD"),
//	})
//	u, err := client.Users.Get(ctx, 1017952, nil)
//
// Every request carries the headers the service needs (X-CSRF-Header: - and
// X-Kepler-Version: 2.0; without the first the server answers 404). Dates come without a zone
// and are read as UTC (see Date). Updates honour LastModifiedOn: a stale value fails with an
// error matching ErrConflict, and Users.Modify reads, changes and writes back in one call.
// Errors are *Error values that match the package's sentinels with errors.Is. The
// relativitytest package is an in-memory fake of the API for tests.
//
// The vendor's documentation of the service is "User Manager (REST)",
// https://platform.relativity.com/Server2025/Content/BD_Identity/User_Manager_service.htm.
// Endpoints beyond it come from Relativity's own REST test client,
// https://github.com/relativitydev/relativity.testing.framework.api, which each method's doc
// comment names.
package relativity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/rest"
)

// Shared types of every roster vendor package. They are defined in an internal package; the
// comments below list what go doc does not show here.
type (
	// Error is a failed call: a non-success reply, or a transport failure (StatusCode 0).
	// Every field is redacted: no password, secret or token survives into it.
	//
	//	type Error struct {
	//		Vendor     string // "relativity"
	//		StatusCode int    // HTTP status; 0 when no reply arrived
	//		Method     string
	//		URL        string // redacted
	//		Code       string // Relativity's ErrorType, e.g. "Relativity.Services.Exceptions.ConflictException"
	//		Message    string // Relativity's Message
	//		Detail     string // Relativity's Identifier, when not empty
	//		Body       []byte // the reply body, redacted, at most 1 MiB
	//		Header     http.Header   // the reply's headers, sensitive ones redacted
	//		RetryAfter time.Duration // the wait a Retry-After asked for
	//		RequestID  string        // the server's request id, when it sends one
	//	}
	//
	// Test it with errors.Is against the sentinels below (they follow the HTTP status, which
	// Relativity sets more reliably than ErrorType), or errors.As for the fields; go doc
	// github.com/rosterhq/roster/internal/rest Error shows the rest.
	Error = rest.Error
	// ValidationError is input refused before anything was sent: Field names the offending
	// field or parameter and Reason says what is wrong. It matches ErrInvalidInput.
	ValidationError = rest.ValidationError
	// RetryPolicy bounds retries: MaxAttempts (default 4; 1 turns retries off), MinWait
	// (default 200 ms) and MaxWait (default 10 s; a longer Retry-After fails the call with
	// ErrRateLimited). Reads (and the queries, sent with POST) retry on transport errors
	// and 429/502/503/504; writes only when provably unsent, after a 429, or once after a
	// 401 with a fresh OAuth2 token.
	RetryPolicy = rest.RetryPolicy
)

// Sentinels matched with errors.Is.
var (
	ErrNotFound     = rest.ErrNotFound
	ErrUnauthorized = rest.ErrUnauthorized
	ErrForbidden    = rest.ErrForbidden
	// ErrConflict is a 409: a stale LastModifiedOn, or a name already in use.
	ErrConflict     = rest.ErrConflict
	ErrRateLimited  = rest.ErrRateLimited
	ErrUnavailable  = rest.ErrUnavailable
	ErrMaybeApplied = rest.ErrMaybeApplied
	ErrInvalidInput = rest.ErrInvalidInput
)

// Defaults of Config.
const (
	// DefaultVersion is the Relativity-Identity API version every known client uses.
	DefaultVersion = "v1"
	// DefaultScope is the OAuth2 scope of the REST API authentication page and of
	// Relativity's own helpers (relativity-test-helpers OAuth2Helper.cs).
	DefaultScope = "SystemUserInfo"
	// TokenPath is the OAuth2 token endpoint, outside /Relativity.REST.
	TokenPath = "/Relativity/Identity/connect/token"
)

// Headers sent with every request, the token request included. Relativity answers a request
// without X-CSRF-Header with 404 (HTTP status codes page); X-Kepler-Version is what the
// vendor's samples and its REST client send.
const (
	CSRFHeader          = "X-CSRF-Header"
	KeplerVersionHeader = "X-Kepler-Version"
)

// Config configures a Client. Set BaseURL and either Username and Password (HTTP Basic) or
// ClientID and ClientSecret (OAuth2 client credentials).
type Config struct {
	// BaseURL is the Relativity host, e.g. "https://relativity.example.com"; a path prefix
	// is kept. The client adds /Relativity.REST/api/... itself.
	BaseURL string
	// Version is the Relativity-Identity API version in the paths; default "v1".
	Version string

	// Username and Password authenticate every request with HTTP Basic, encoded as
	// ISO-8859-1 as the vendor's sample client does: a character beyond Latin-1 is refused,
	// and a Basic user name cannot hold ':'.
	Username string
	Password string

	// ClientID and ClientSecret authenticate as an OAuth2 client with the client
	// credentials flow: the token comes from TokenPath on BaseURL, is cached until it
	// expires, and is fetched again once when the server rejects it. The client's context
	// user must belong to Relativity Administrators (REST API authentication page).
	ClientID     string
	ClientSecret string
	// Scope is the OAuth2 scope; default DefaultScope ("SystemUserInfo").
	Scope string
	// TokenURL is where tokens come from; default TokenPath on BaseURL. Relativity's REST
	// authentication page says a token cannot be had through a load-balanced route: point
	// this at one web server then. Relativity's own helper (relativity-test-helpers
	// OAuth2Helper.cs) also drops a "-services" suffix from RelativityOne host names here.
	TokenURL string

	// HTTPClient sends the requests, token requests included; nil uses a client whose
	// transport is a clone of http.DefaultTransport keeping up to 100 idle connections per
	// host. Redirects are not followed unless its CheckRedirect says so.
	HTTPClient *http.Client
	// Logger receives one Debug record per attempt, without secrets; nil is silent.
	Logger *slog.Logger
	// Retry bounds retries; the zero value means 4 attempts and backoffs that start near
	// 200 ms and double up to 10 s.
	Retry RetryPolicy
	// UserAgent overrides the User-Agent header.
	UserAgent string
}

// Client is a Relativity User Manager client. It is safe for concurrent use.
type Client struct {
	core    *rest.Client
	version string

	// Users creates, reads, updates and deletes users, lists user types and queries the
	// groups users can join.
	Users *UsersService
	// Settings reads and updates the current user's settings.
	Settings *SettingsService
	// WorkspaceUsers lists and queries the users of a workspace.
	WorkspaceUsers *WorkspaceUsersService
	// Groups creates, reads, updates and deletes groups and changes their members.
	Groups *GroupsService
	// Clients creates, reads, updates and deletes clients (the organizations users and
	// groups belong to).
	Clients *ClientsService
	// LoginProfiles enables password login for users and sets their passwords.
	LoginProfiles *LoginProfilesService
	// Legacy calls the older Relativity.Users and Relativity.groups services.
	Legacy *LegacyService
}

type service struct{ c *Client }

var versionRE = regexp.MustCompile(`^v[0-9]{1,3}$`)

// NewClient checks cfg and returns a Client. It does no I/O. With ClientID set, the client
// fetches its OAuth2 token from TokenPath on first use (a form POST with client_id,
// client_secret, scope and grant_type=client_credentials).
//
// Endpoint: POST /Relativity/Identity/connect/token
//
//roster:endpoint POST /Relativity/Identity/connect/token
func NewClient(cfg Config) (*Client, error) {
	base, err := vendor.ParseBaseURL("BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	version := cfg.Version
	if version == "" {
		version = DefaultVersion
	}
	if !versionRE.MatchString(version) {
		return nil, vendor.Invalid("Version", "%q is not a version such as v1", version)
	}
	header := http.Header{CSRFHeader: {"-"}, KeplerVersionHeader: {"2.0"}}
	var a auth.Authorizer
	basic := cfg.Username != "" || cfg.Password != ""
	oauth := cfg.ClientID != "" || cfg.ClientSecret != ""
	switch {
	case cfg.TokenURL != "" && !oauth:
		return nil, vendor.Invalid("TokenURL", "set without ClientID and ClientSecret")
	case basic && oauth:
		return nil, vendor.Invalid("Username", "set either Username and Password or ClientID and ClientSecret, not both")
	case basic:
		if err := vendor.CheckName("Username", cfg.Username, true); err != nil {
			return nil, err
		}
		if err := vendor.CheckSecret("Password", cfg.Password); err != nil {
			return nil, err
		}
		// Relativity's sample client encodes Basic credentials as ISO-8859-1 (User Manager
		// (REST) page); a character Latin-1 cannot carry would reach the server garbled.
		for _, f := range [...]struct{ name, value string }{{"Username", cfg.Username}, {"Password", cfg.Password}} {
			if !auth.FitsLatin1(f.value) {
				return nil, vendor.Invalid(f.name, "holds a character outside ISO-8859-1, which Relativity's Basic authentication cannot carry")
			}
		}
		a = auth.Basic{Username: cfg.Username, Password: cfg.Password, Latin1: true}
	case oauth:
		if err := vendor.CheckName("ClientID", cfg.ClientID, false); err != nil {
			return nil, err
		}
		if err := vendor.CheckSecret("ClientSecret", cfg.ClientSecret); err != nil {
			return nil, err
		}
		scope := cfg.Scope
		if scope == "" {
			scope = DefaultScope
		}
		if rest.HasControl(scope) {
			return nil, vendor.Invalid("Scope", "holds a control character")
		}
		tokenURL := *base
		tokenURL.Path = strings.TrimRight(base.Path, "/") + TokenPath
		tokenURL.RawPath = ""
		if cfg.TokenURL != "" {
			u, err := vendor.ParseBaseURL("TokenURL", cfg.TokenURL)
			if err != nil {
				return nil, err
			}
			tokenURL = *u
		}
		src := &auth.TokenSource{
			URL:          tokenURL.String(),
			Grant:        auth.ClientCredentials,
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			ClientAuth:   auth.ClientAuthForm,
			Scope:        scope,
			// Relativity's transfer SDK sample sends the CSRF header on the token call too
			// (BearerTokenRetriever.cs).
			Header: http.Header{CSRFHeader: {"-"}},
		}
		a = auth.Bearer{Source: src}
	default:
		return nil, vendor.Invalid("Username", "missing: set Username and Password, or ClientID and ClientSecret")
	}
	core, err := rest.New(rest.Config{
		Vendor:     vendor,
		BaseURL:    base,
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Retry:      cfg.Retry,
		UserAgent:  cfg.UserAgent,
		Auth:       a,
		Header:     header,
		Hooks:      rest.Hooks{ParseError: parseError, Decode: decode},
	})
	if err != nil {
		return nil, vendor.Own(err)
	}
	c := &Client{core: core, version: version}
	s := &service{c}
	c.Users = (*UsersService)(s)
	c.Settings = (*SettingsService)(s)
	c.WorkspaceUsers = (*WorkspaceUsersService)(s)
	c.Groups = (*GroupsService)(s)
	c.Clients = (*ClientsService)(s)
	c.LoginProfiles = (*LoginProfilesService)(s)
	c.Legacy = (*LegacyService)(s)
	return c, nil
}

// vendor prefixes every error of the package.
const vendor rest.Vendor = "relativity"

// newRequest builds a request for a catalogue path; a template with {versionNumber} takes
// the client's version as its first parameter.
func (c *Client) newRequest(ctx context.Context, method, tmpl string, params ...string) (*rest.Request, error) {
	if strings.Contains(tmpl, "{versionNumber}") {
		params = append([]string{c.version}, params...)
	}
	req, err := c.core.NewRequest(ctx, method, tmpl, params...)
	if err != nil {
		return nil, vendor.Own(err)
	}
	return req, nil
}

// call builds a request, sets body as its JSON body (when not nil), and decodes the reply
// into out.
func (c *Client) call(ctx context.Context, method, tmpl string, body, out any, params ...string) error {
	_, err := c.send(ctx, method, tmpl, body, out, params...)
	return err
}

// send is call that also returns the request, for BadReply.
func (c *Client) send(ctx context.Context, method, tmpl string, body, out any, params ...string) (*rest.Request, error) {
	req, err := c.newRequest(ctx, method, tmpl, params...)
	if err != nil {
		return nil, err
	}
	if body != nil {
		if err := req.SetJSON(body); err != nil {
			return nil, fmt.Errorf("relativity: %w", err)
		}
	}
	return req, c.core.Do(req, out)
}

// query sends a POST query, marked read-only so it is retried like a read.
func (c *Client) query(ctx context.Context, tmpl string, body, out any, params ...string) error {
	req, err := c.newRequest(ctx, http.MethodPost, tmpl, params...)
	if err != nil {
		return err
	}
	req.MarkReadOnly()
	if err := req.SetJSON(body); err != nil {
		return fmt.Errorf("relativity: %w", err)
	}
	return c.core.Do(req, out)
}

// id formats an Artifact ID for a path.
func id(n int) string { return strconv.Itoa(n) }

// checkID refuses an Artifact ID that cannot name an object (Relativity's IDs are positive).
func checkID(field string, n int) error {
	if n <= 0 {
		return vendor.Invalid(field, "Artifact ID must be positive, got %d", n)
	}
	return nil
}

// AdminWorkspace is the workspace ID of the admin context: instance-level users, groups and
// clients ("URLs" in the User Manager (REST) page).
const AdminWorkspace = -1

// checkWorkspace accepts AdminWorkspace (-1) and any positive workspace Artifact ID.
func checkWorkspace(n int) error {
	if n == AdminWorkspace || n > 0 {
		return nil
	}
	return vendor.Invalid("workspaceID", "must be a workspace Artifact ID or -1 (the admin context), got %d", n)
}

// errorBody is Relativity's error reply (API error handling page):
// {"ErrorType": "<.NET exception type>", "Identifier": "", "Message": "..."}.
type errorBody struct {
	ErrorType  string `json:"ErrorType"`
	Identifier string `json:"Identifier"`
	Message    string `json:"Message"`
}

// parseError reads an error reply. The status decides the sentinel (the core maps it):
// "not found" has been seen with the generic ServiceException type, so ErrorType alone
// proves nothing. Bodies may be empty, HTML (IIS) or plain text.
func parseError(_ int, _ http.Header, body []byte) rest.ErrorInfo {
	var b errorBody
	if err := json.Unmarshal(body, &b); err == nil {
		return rest.ErrorInfo{Code: b.ErrorType, Message: b.Message, Detail: b.Identifier}
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "<") || !utf8.ValidString(line) {
		return rest.ErrorInfo{}
	}
	if len(line) > 200 {
		line = line[:200]
		for !utf8.ValidString(line) {
			line = line[:len(line)-1]
		}
	}
	return rest.ErrorInfo{Message: line}
}

// decode decodes a success reply; an empty body (DELETE answers 200 with none) decodes to
// nothing.
func decode(_ http.Header, body []byte, out any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return json.Unmarshal(body, out)
}

// Package reltio is a client for the user administration of Reltio's Auth service (the
// "oauth" service behind https://auth.reltio.com/oauth): access tokens, users, customer
// groups, roles, role permissions, the customer's password policy and the customer itself.
//
// Create a Client with the customer id and an API client's credentials, and use its services:
//
//	client, err := reltio.NewClient(reltio.Config{
//		Customer:     os.Getenv("RELTIO_CUSTOMER"),
//		ClientID:     os.Getenv("RELTIO_CLIENT_ID"),
//		ClientSecret: os.Getenv("RELTIO_CLIENT_SECRET"),
//	})
//	created, err := client.Users.Create(ctx, []reltio.User{{
//		Username: "jane@example.com",
//		Email:    "jane@example.com",
//		Password: "Welcome1!!",
//		Permissions: reltio.UserPermissions{Roles: reltio.Roles{"ROLE_USER": {"t1"}}},
//	}})
//
// The client gets its access token itself (POST {oauth_uri}/token, client credentials in HTTP
// Basic), caches it until shortly before it expires, shares one fetch among concurrent calls,
// and on a 401 gets a new token and sends the request once more. Reltio's error replies echo
// the rejected token; every error and log record is scrubbed of it.
//
// Errors are *Error values that match the package's sentinels with errors.Is; Reltio answers
// a duplicate username with a 500 "already in use", which matches ErrConflict. The reltiotest
// package is an in-memory fake of the API for tests.
//
// Sources: the "Create Users" page and the other Authentication API and User Management API
// pages of Reltio's documentation (https://docs.reltio.com), and
// Reltio's developer-portal OpenAPI exports ("Tenant Management" and "Configuration"), as kept
// in https://github.com/JoelSnipes/ReltioApiCollection (openApiSpec/). Each method names the
// endpoints it calls, relative to the oauth_uri (Config.AuthURL): "Endpoint: POST /users" is
// POST https://auth.reltio.com/oauth/users.
package reltio

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/rest"
)

// Shared types of every roster vendor package. They are defined in an internal package, so
// go doc shows their fields here.
type (
	// Error is a failed call: a non-success reply, or a transport failure (StatusCode 0).
	// Every field is redacted: no token, client secret or password survives into it, not
	// even the token Reltio echoes in its "Token is invalid: <token>" replies.
	//
	//	type Error struct {
	//		Vendor     string // "reltio"
	//		StatusCode int    // HTTP status; 0 when no reply arrived
	//		Method     string
	//		URL        string // redacted
	//		Code       string // OAuth "error" (invalid_token) or Reltio's errorCode ("404")
	//		Message    string // error_description or errorMessage
	//		Detail     string // errorDetailMessage, or the exception Reltio names
	//		Body       []byte // the reply body, redacted, at most 1 MiB
	//	}
	//
	// Test it with errors.Is against the sentinels below, or errors.As for the fields. The
	// full list of fields and methods: go doc github.com/rosterhq/roster/internal/rest Error.
	Error = rest.Error
	// ValidationError is input refused before anything was sent: Field names the offending
	// field or parameter and Reason says what is wrong. It matches ErrInvalidInput.
	ValidationError = rest.ValidationError
	// RetryPolicy bounds retries: MaxAttempts (default 4; 1 turns retries off), MinWait
	// (default 200 ms) and MaxWait (default 10 s; a longer Retry-After fails the call with
	// ErrRateLimited). Reads retry on transport errors and 429/502/503/504; writes only
	// when provably unsent, after a 429, or once after a 401. Tests can make waits tiny:
	// RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}.
	RetryPolicy = rest.RetryPolicy
	// Token is an OAuth2 access token: AccessToken, TokenType ("bearer"), RefreshToken
	// (when the server sent one) and Expiry (zero when the server gave no lifetime).
	Token = auth.Token
)

// Sentinels matched with errors.Is.
var (
	// ErrNotFound: 404, e.g. "User user@reltio.com is not found".
	ErrNotFound = rest.ErrNotFound
	// ErrUnauthorized: 401 (a token rejected even after one refresh, or bad client
	// credentials at the token endpoint).
	ErrUnauthorized = rest.ErrUnauthorized
	// ErrForbidden: 403, e.g. "does not have enough access privileges".
	ErrForbidden = rest.ErrForbidden
	// ErrConflict: 409, and Reltio's 500 "Username ... is already in use". Reltio refused
	// the request: it does not match ErrMaybeApplied.
	ErrConflict     = rest.ErrConflict
	ErrRateLimited  = rest.ErrRateLimited
	ErrUnavailable  = rest.ErrUnavailable
	ErrMaybeApplied = rest.ErrMaybeApplied
	ErrInvalidInput = rest.ErrInvalidInput
)

// DefaultAuthURL is Reltio's oauth_uri, the base of every Auth service endpoint.
const DefaultAuthURL = "https://auth.reltio.com/oauth"

// Config configures a Client. Set Customer and either AccessToken or ClientID and
// ClientSecret (plus Username and Password for the password grant).
type Config struct {
	// AuthURL is the oauth_uri every endpoint path is appended to, the token endpoint
	// included ({AuthURL}/token, {AuthURL}/users). Default DefaultAuthURL. Not the tenant
	// data host, and not the developer portal's /services/oauth proxy prefix.
	AuthURL string
	// Customer is the customer id (tenants belong to a customer). The customer-scoped
	// services (Groups, Roles, Permissions, PasswordPolicy, Customer) need it, and users
	// created without a Customer get it.
	Customer string

	// AccessToken is a ready access token, sent as it is; a 401 is then final. Leave it
	// empty to let the client get tokens from ClientID and ClientSecret.
	AccessToken string
	// ClientID and ClientSecret are the API client's credentials, sent to the token endpoint
	// in HTTP Basic. Alone they use the client_credentials grant.
	ClientID     string
	ClientSecret string
	// Username and Password switch to the password grant (a user's own credentials, still
	// with the client's in HTTP Basic).
	Username string
	Password string

	// HTTPClient sends the requests, token requests included; nil uses a client whose
	// transport is a clone of http.DefaultTransport keeping up to 100 idle connections per
	// host. Redirects are not followed unless its CheckRedirect says so.
	HTTPClient *http.Client
	// Logger receives one Debug record per attempt, without secrets; nil is silent.
	Logger *slog.Logger
	// Retry bounds retries; the zero value means 4 attempts and backoffs that start near
	// 200 ms and double up to 10 s. A 429 from the token endpoint (10 requests a second) is
	// waited out within MaxWait.
	Retry RetryPolicy
	// UserAgent overrides the User-Agent header.
	UserAgent string
}

// Client is a Reltio Auth service client. It is safe for concurrent use.
type Client struct {
	core     *rest.Client
	customer string
	tokens   *auth.TokenSource // nil with a static AccessToken
	static   string

	// Tokens gets and revokes access tokens.
	Tokens *TokensService
	// Users creates, reads, replaces and deletes users.
	Users *UsersService
	// Groups manages the customer's user groups.
	Groups *GroupsService
	// Roles lists and sets the customer's roles.
	Roles *RolesService
	// Permissions reads and sets what roles may do.
	Permissions *PermissionsService
	// PasswordPolicy reads and sets the customer's password policy.
	PasswordPolicy *PasswordPolicyService
	// Customers reads the customer and its tenants.
	Customers *CustomersService
}

type service struct{ c *Client }

// NewClient checks cfg and returns a Client. It does no I/O.
func NewClient(cfg Config) (*Client, error) {
	raw := cfg.AuthURL
	if raw == "" {
		raw = DefaultAuthURL
	}
	base, err := vendor.ParseBaseURL("AuthURL", raw)
	if err != nil {
		return nil, err
	}
	if err := checkConfig(&cfg); err != nil {
		return nil, err
	}
	c := &Client{customer: cfg.Customer}
	var a auth.Authorizer
	if cfg.AccessToken != "" {
		c.static = cfg.AccessToken
		a = auth.StaticBearer{Token: cfg.AccessToken}
	} else {
		ts := &auth.TokenSource{
			URL:          strings.TrimRight(base.String(), "/") + "/token",
			Grant:        auth.ClientCredentials,
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			ClientAuth:   auth.ClientAuthBasicPlain,
		}
		if cfg.Username != "" {
			ts.Grant, ts.Username, ts.Password = auth.PasswordGrant, cfg.Username, cfg.Password
		}
		c.tokens = ts
		a = auth.Bearer{Source: ts}
	}
	core, err := rest.New(rest.Config{
		Vendor:     vendor,
		BaseURL:    base,
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Retry:      cfg.Retry,
		UserAgent:  cfg.UserAgent,
		Auth:       a,
		Hooks:      rest.Hooks{ParseError: parseError},
	})
	if err != nil {
		return nil, vendor.Own(err)
	}
	c.core = core
	s := &service{c}
	c.Tokens = (*TokensService)(s)
	c.Users = (*UsersService)(s)
	c.Groups = (*GroupsService)(s)
	c.Roles = (*RolesService)(s)
	c.Permissions = (*PermissionsService)(s)
	c.PasswordPolicy = (*PasswordPolicyService)(s)
	c.Customers = (*CustomersService)(s)
	return c, nil
}

// checkConfig refuses a credential set that cannot work, naming the field.
func checkConfig(cfg *Config) error {
	if cfg.Customer != "" {
		if err := vendor.CheckText("Customer", cfg.Customer); err != nil {
			return err
		}
	}
	if cfg.AccessToken != "" {
		if cfg.ClientID != "" || cfg.ClientSecret != "" || cfg.Username != "" || cfg.Password != "" {
			return vendor.Invalid("AccessToken", "set either AccessToken or client credentials, not both")
		}
		return vendor.CheckSecret("AccessToken", cfg.AccessToken)
	}
	switch {
	case cfg.ClientID == "" && cfg.ClientSecret == "":
		return vendor.Invalid("ClientID", "missing: set AccessToken, or ClientID and ClientSecret")
	case cfg.ClientID == "":
		return vendor.Invalid("ClientID", "missing (ClientSecret is set)")
	}
	if err := vendor.CheckName("ClientID", cfg.ClientID, true); err != nil {
		return err
	}
	if err := vendor.CheckSecret("ClientSecret", cfg.ClientSecret); err != nil {
		return err
	}
	switch {
	case cfg.Username == "" && cfg.Password == "":
		return nil
	case cfg.Username == "":
		return vendor.Invalid("Username", "missing (Password is set)")
	}
	if err := vendor.CheckName("Username", cfg.Username, false); err != nil {
		return err
	}
	return vendor.CheckSecret("Password", cfg.Password)
}

// customerID returns the configured customer, or a *ValidationError for the calls that need it.
func (c *Client) customerID() (string, error) {
	if c.customer == "" {
		return "", vendor.Invalid("Customer", "missing: set Config.Customer for the customer-scoped services")
	}
	return c.customer, nil
}

// vendor prefixes every error of the package.
const vendor rest.Vendor = "reltio"

// do builds a request from tmpl and params, adds query, sends body as JSON when it is not
// nil, and decodes the reply into out.
func (s *service) do(ctx context.Context, method, tmpl string, query url.Values, body, out any, params ...string) error {
	req, err := s.c.core.NewRequest(ctx, method, tmpl, params...)
	if err != nil {
		return err
	}
	if len(query) > 0 {
		if err := req.SetQuery(query); err != nil {
			return err
		}
	}
	if body != nil {
		if err := req.SetJSON(body); err != nil {
			return err
		}
	}
	return s.c.core.Do(req, out)
}

// Ptr returns a pointer to v, for the optional fields of User:
// reltio.User{Enabled: reltio.Ptr(true)}.
func Ptr[T any](v T) *T { return &v }

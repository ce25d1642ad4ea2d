// Package rest is roster's one HTTP core. Every vendor package builds its requests with
// NewRequest and sends them with Do, which retries by the rule of DESIGN §5, authorizes every
// attempt, logs through slog without secrets, and turns failures into *Error.
package rest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/redact"
)

// RetryPolicy bounds how often and how long a call retries.
type RetryPolicy struct {
	// MaxAttempts caps the sends of one call (default 4). The single resend after an auth
	// refresh is always allowed on top. 1 disables retries.
	MaxAttempts int
	// MinWait is the first backoff (default 200 ms); each later one doubles, up to MaxWait.
	MinWait time.Duration
	// MaxWait caps every wait (default 10 s). A Retry-After longer than this fails the call
	// at once with ErrRateLimited instead of blocking.
	MaxWait time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.MinWait <= 0 {
		p.MinWait = 200 * time.Millisecond
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 10 * time.Second
	}
	if p.MaxWait < p.MinWait {
		p.MaxWait = p.MinWait
	}
	return p
}

// ErrorInfo is what a vendor's error body says.
type ErrorInfo struct {
	Code, Message, Detail string
	// Kind is a sentinel the error should also match (Reltio's 500 "already in use" is
	// ErrConflict). Nil leaves the status mapping alone.
	Kind error
}

// Hooks plug a vendor's conventions into the core.
type Hooks struct {
	// ParseError reads a non-success body (at most 1 MiB, not yet redacted).
	ParseError func(status int, header http.Header, body []byte) ErrorInfo
	// SessionExpired reports whether a reply means the session expired (Razuna answers 200
	// with "Session timeout"). It sees at most the first 64 KiB of the body.
	SessionExpired func(status int, body []byte) bool
	// Decode decodes a success body into out; nil means JSON.
	Decode func(header http.Header, body []byte, out any) error
}

// Config builds a Client. Vendor packages fill it from their own Config.
type Config struct {
	Vendor     string   // error prefix, e.g. "relution"
	BaseURL    *url.URL // from ParseBaseURL
	HTTPClient *http.Client
	Logger     *slog.Logger
	Retry      RetryPolicy
	UserAgent  string
	Auth       auth.Authorizer
	Header     http.Header // sent with every request
	Query      url.Values  // added to every request (Relution's tenantOrganizationUuid)
	Hooks      Hooks
	// Secrets are extra values to scrub (a password used to log in).
	Secrets []string
}

// Client sends requests for one vendor client.
type Client struct {
	vendor    string
	base      *url.URL
	basePath  string
	header    http.Header
	query     string // Config.Query, encoded once
	auth      auth.Authorizer
	hooks     Hooks
	policy    RetryPolicy
	logger    *slog.Logger
	redactor  *redact.Redactor
	rc        *retryablehttp.Client
	userAgent string
	// userAgentHdr is the User-Agent header value, built once.
	userAgentHdr []string
	now          func() time.Time // tests may stop the clock
}

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "roster-go (+https://github.com/rosterhq/roster)"

// ParseBaseURL checks a vendor base URL and names field in its errors.
func ParseBaseURL(field, raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, Invalid(field, "missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, Invalid(field, "not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, Invalid(field, "scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" {
		return nil, Invalid(field, "no host")
	}
	if u.User != nil {
		return nil, Invalid(field, "must not carry credentials; use the credential fields")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, Invalid(field, "must not have a query or fragment")
	}
	return u, nil
}

// New returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == nil {
		return nil, Invalid("BaseURL", "missing")
	}
	c := &Client{
		vendor:    cfg.Vendor,
		base:      cfg.BaseURL,
		basePath:  strings.TrimRight(cfg.BaseURL.EscapedPath(), "/"),
		header:    cfg.Header,
		query:     cfg.Query.Encode(),
		auth:      cfg.Auth,
		hooks:     cfg.Hooks,
		policy:    cfg.Retry.withDefaults(),
		logger:    cfg.Logger,
		userAgent: cfg.UserAgent,
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	c.userAgentHdr = []string{c.userAgent}
	c.now = time.Now
	c.redactor = redact.New()
	c.redactor.Add(cfg.Secrets...)
	// Credentials a vendor sends as fixed headers or query values are secrets too.
	c.redactor.Add(redact.FormSecrets(url.Values(cfg.Header))...)
	c.redactor.Add(redact.FormSecrets(cfg.Query)...)
	if sh, ok := cfg.Auth.(auth.SecretHolder); ok {
		c.redactor.AddSource(sh.Secrets)
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	inner := &http.Client{
		Transport:     &transport{c: c, base: base},
		Timeout:       hc.Timeout,
		Jar:           hc.Jar,
		CheckRedirect: hc.CheckRedirect,
	}
	if inner.CheckRedirect == nil {
		// A redirect would carry our credentials to wherever it points; surface it instead.
		inner.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	c.rc = &retryablehttp.Client{
		HTTPClient:   inner,
		RetryWaitMin: c.policy.MinWait,
		RetryWaitMax: c.policy.MaxWait,
		// The retry rule counts sends itself; this leaves room for the auth resend.
		RetryMax:     c.policy.MaxAttempts,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) { return resp, err },
	}
	return c, nil
}

// Redactor returns the client's redactor, for vendor code that shows request data.
func (c *Client) Redactor() *redact.Redactor { return c.redactor }

// BaseURL returns the base URL.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// Permanent marks a transport error that must not be retried (a cassette miss).
func Permanent(err error) error { return &permanentError{err} }

type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

func isPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

type stateKey struct{}

// callState follows one call through its attempts; the retry hooks find it in the context.
type callState struct {
	req           *Request
	sends         int
	refreshed     bool
	immediate     bool          // next wait is zero (resend after refresh)
	retryAfter    time.Duration // next wait from Retry-After
	hasRetryAfter bool          // retryAfter is set (it may be zero)
	gen           uint64        // credential generation of the last attempt
	authErr       error
	limited       bool // Retry-After beyond MaxWait
	unsent        bool // last transport error proves the request never left
	status        int  // status of the last attempt's reply; 0 when none came
	waiting       bool // between attempts: the last one was answered or never left

	red *redact.Redactor // the client's redactor plus this call's secrets, made when needed
}

// redactor returns the redactor for this call: the client's secrets plus those the request
// holds. It is built on first use, which only failures and logging need.
func (st *callState) redactor(c *Client) *redact.Redactor {
	if st.red == nil {
		if s := st.req.callSecrets(); len(s) > 0 {
			st.red = c.redactor.With(s...)
		} else {
			st.red = c.redactor
		}
	}
	return st.red
}

func stateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

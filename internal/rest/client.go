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

// ErrorInfo is what a vendor's reply says about a failure.
type ErrorInfo struct {
	Code, Message, Detail string
	// Kind is a sentinel the error should also match (Reltio's 500 "already in use" is
	// ErrConflict). Nil leaves the status mapping alone.
	Kind error
	// Refused says the reply proves nothing was applied (a 5xx whose body says the write was
	// rejected): the error never matches ErrMaybeApplied.
	Refused bool
	// MaybeApplied says the change may have been applied although the reply reports an error,
	// even a 2xx one (a Razuna delete answered with an error page after the user's host link
	// was removed).
	MaybeApplied bool
}

// Hooks plug a vendor's conventions into the core. Each may be nil.
type Hooks struct {
	// ParseError reads a non-success body (at most 1 MiB, not yet redacted: the core redacts
	// what it returns).
	ParseError func(status int, header http.Header, body []byte) ErrorInfo
	// CheckReply classifies a 2xx reply before it is decoded: failed turns it into an *Error
	// built from info, with the redacted body. A write so answered was refused (the server
	// said it failed) unless info.MaybeApplied says otherwise.
	CheckReply func(req *Request, status int, header http.Header, body []byte) (info ErrorInfo, failed bool)
	// SessionExpired reports whether a reply to req means the session expired (Razuna answers
	// 200 with "Session timeout"): the authorizer logs in again once and the request is sent
	// once more, like after a 401. It sees at most the first 64 KiB of the body.
	SessionExpired func(req *Request, status int, body []byte) bool
	// Decode decodes a success body into out; nil means JSON.
	Decode func(header http.Header, body []byte, out any) error
}

// Default reply caps.
const (
	DefaultMaxReply    = 64 << 20 // a success body decoded into a value
	DefaultMaxDownload = 1 << 30  // a success body copied to a *Blob or an io.Writer
)

// Config builds a Client. Vendor packages fill it from their own Config.
type Config struct {
	Vendor  Vendor   // error prefix, e.g. "relution"
	BaseURL *url.URL // from ParseBaseURL; catalogue paths are appended to its path
	// HTTPClient sends the requests. Nil means a client whose transport is a clone of
	// http.DefaultTransport that keeps as many idle connections per host as in all (100):
	// Go's default of 2 makes concurrent callers open a connection per call.
	HTTPClient *http.Client
	Logger     *slog.Logger
	Retry      RetryPolicy
	UserAgent  string
	// Auth authorizes every attempt. A token source behind it (auth.Bearer) sends its token
	// requests through this client: its HTTPClient, logger and read retry rule.
	Auth   auth.Authorizer
	Header http.Header // sent with every request
	Query  url.Values  // added to every request (Relution's tenantOrganizationUuid)
	Hooks  Hooks
	// Secrets are extra values to scrub (a password used to log in).
	Secrets []string
	// PercentSpaces writes a space in a query as "%20" instead of "+" (both mean a space in
	// a query), for a vendor whose document writes it so (DuoSTATION).
	PercentSpaces bool
	// MaxReply caps a success body decoded into a value, after gzip is undone (default
	// DefaultMaxReply); MaxDownload caps one copied to a *Blob or an io.Writer (default
	// DefaultMaxDownload). A longer reply fails the call with an *Error that says so.
	MaxReply, MaxDownload int64
}

// Client sends requests for one vendor client.
type Client struct {
	vendor    Vendor
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

	maxReply, maxDownload int64
	percentSpaces         bool
}

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "roster-go (+https://github.com/rosterhq/roster)"

// ParseBaseURL checks a vendor base URL and names field in its errors.
func ParseBaseURL(field, raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, Invalid(field, "missing")
	}
	if HasControl(raw) {
		return nil, Invalid(field, "holds a control character")
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

// ParseBaseURL is the package function ParseBaseURL with this vendor's error prefix.
func (v Vendor) ParseBaseURL(field, raw string) (*url.URL, error) {
	u, err := ParseBaseURL(field, raw)
	return u, v.Own(err)
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
	c.maxReply, c.maxDownload = cfg.MaxReply, cfg.MaxDownload
	c.percentSpaces = cfg.PercentSpaces
	if c.maxReply <= 0 {
		c.maxReply = DefaultMaxReply
	}
	if c.maxDownload <= 0 {
		c.maxDownload = DefaultMaxDownload
	}
	c.now = time.Now
	c.redactor = redact.New()
	c.redactor.Add(cfg.Secrets...)
	// Credentials a vendor sends as fixed headers or query values are secrets too.
	c.redactor.Add(redact.FormSecrets(url.Values(cfg.Header))...)
	c.redactor.Add(redact.FormSecrets(cfg.Query)...)
	if sh, ok := cfg.Auth.(auth.SecretHolder); ok {
		c.redactor.AddSource(sh.Secrets)
	}
	if nh, ok := cfg.Auth.(auth.NameHolder); ok {
		c.redactor.AddWhole(nh.Names()...)
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: pooledTransport()}
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
	if tu, ok := cfg.Auth.(auth.TokenUser); ok {
		tu.UseSender(c.sendToken)
	}
	return c, nil
}

// pooledTransport is http.DefaultTransport with as many idle connections per host as in all.
func pooledTransport() http.RoundTripper {
	dt, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t := dt.Clone()
	if t.MaxIdleConns <= 0 {
		t.MaxIdleConns = 100
	}
	t.MaxIdleConnsPerHost = t.MaxIdleConns
	return t
}

// Redactor returns the client's redactor, for vendor code that shows request data.
func (c *Client) Redactor() *redact.Redactor { return c.redactor }

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
	limited       bool          // Retry-After beyond MaxWait, or unreadable
	askedWait     time.Duration // the last reply's Retry-After, as asked
	unsent        bool          // last transport error proves the request never left
	status        int           // status of the last attempt's reply; 0 when none came
	waiting       bool          // between attempts: the last one was answered or never left

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

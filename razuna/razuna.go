// Package razuna is a client for the user API of Razuna, the open-source digital asset
// management server: users through API v1 (a session token from a login) and API v2 (a
// per-user API key).
//
// Create a Client with the server's address, the host and an administrator's login, and use
// its services; the client logs in on first use and again when the session times out:
//
//	client, err := razuna.NewClient(razuna.Config{
//		BaseURL:  "https://dam.example.com/razuna",
//		HostID:   1,
//		Username: "admin",
//		Password: os.Getenv("RAZUNA_PASSWORD"),
//	})
//	id, err := client.Users.Add(ctx, razuna.NewUser{ /* ... */ GroupID: razuna.NoGroup})
//
// Every v1 call is a form POST: no session token, password or API key is ever put in a URL.
// Razuna answers failures with HTTP 200 and a result code; the client turns them into *Error
// values that match the package's sentinels with errors.Is (ErrConflict for "User already
// exists", ErrNotFound for an unknown user, ErrForbidden for a user who may not add users).
// The razunatest package is an in-memory fake of the API for tests.
//
// Sources: Razuna's API documents (the razuna/razuna-docs repository, "docs/api old/" for v1
// and "docs/api/User API2.md" for v2) and the server's own code (razuna/razuna,
// global/api/*.cfc and global/api2/*.cfc), which this package follows where they differ.
package razuna

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/rest"
)

const vendor rest.Vendor = "razuna"

// Shared types of every roster vendor package. They are defined in an internal package, so
// go doc shows their fields here.
type (
	// Error is a failed call: a reply that reports a failure (Razuna's result code 1 or its
	// exception page, both with HTTP 200), a non-success HTTP status, a reply that could not
	// be read, or a transport failure (StatusCode 0). Every field is redacted: no session
	// token, password, password hash or API key survives into it.
	//
	//	type Error struct {
	//		Vendor     string // "razuna"
	//		StatusCode int    // HTTP status (200 for Razuna's own failures); 0 when no reply arrived
	//		Method     string
	//		URL        string // redacted
	//		Code       string // the exception page's errorcode, e.g. "errorCode.sqlError"
	//		Message    string // Razuna's message, e.g. "User already exists"
	//		Detail     string // the exception page's detail
	//		Body       []byte // the reply body, redacted, at most 1 MiB
	//		Header     http.Header
	//		RetryAfter time.Duration
	//		RequestID  string
	//	}
	//
	// Test it with errors.Is against the sentinels below, or errors.As for the fields
	// (go doc github.com/rosterhq/roster/internal/rest Error shows its methods).
	Error = rest.Error
	// ValidationError is input refused before anything was sent: Vendor is "razuna", Field
	// names the offending field or parameter and Reason says what is wrong; its text reads
	// "razuna: invalid <Field>: <Reason>". It matches ErrInvalidInput.
	ValidationError = rest.ValidationError
	// RetryPolicy bounds retries: MaxAttempts (default 4; 1 turns retries off), MinWait
	// (default 200 ms) and MaxWait (default 10 s). Reads (getuser and the logins) retry on
	// transport errors and 429/502/503/504; writes (add, update, delete) only when provably
	// unsent, after a 429, or once after the session was renewed.
	RetryPolicy = rest.RetryPolicy
)

// Sentinels matched with errors.Is.
var (
	ErrNotFound     = rest.ErrNotFound
	ErrUnauthorized = rest.ErrUnauthorized
	ErrForbidden    = rest.ErrForbidden
	ErrConflict     = rest.ErrConflict
	ErrRateLimited  = rest.ErrRateLimited
	ErrUnavailable  = rest.ErrUnavailable
	ErrMaybeApplied = rest.ErrMaybeApplied
	ErrInvalidInput = rest.ErrInvalidInput
)

// Config configures a Client. Set BaseURL and either the v1 login (HostID or HostName,
// Username and Password), or APIKey for v2, or both.
type Config struct {
	// BaseURL is the server's root, with its context path if it has one:
	// "https://dam.example.com" or "http://host:8080/razuna".
	BaseURL string
	// HostID is the numeric id of the host (tenant) to log in to (Admin → Hosts). Set it or
	// HostName.
	HostID int
	// HostName logs in by host name instead, as hosted Razuna does: "demo.razuna.com" (the
	// server uses the part before the first dot).
	HostName string
	// Username is the login name or email of a user in the SystemAdmin or Administrator
	// group; Password is that user's password. The client logs in on first use and again
	// once when the server says the session timed out (after 30 idle minutes).
	Username string
	Password string
	// APIKey is a user's API key for the v2 services (User → API Key in Razuna). It may be
	// prefixed with "<hostid>-" to pick a host.
	APIKey string

	// HTTPClient sends the requests; nil uses a client whose transport is a clone of
	// http.DefaultTransport keeping up to 100 idle connections per host. Redirects are not
	// followed unless its CheckRedirect says so.
	HTTPClient *http.Client
	// Logger receives one Debug record per attempt, without secrets; nil is silent.
	Logger *slog.Logger
	// Retry bounds retries; the zero value means 4 attempts and backoffs that start near
	// 200 ms and double up to 10 s.
	Retry RetryPolicy
	// UserAgent overrides the User-Agent header.
	UserAgent string
}

// Client is a Razuna API client. It is safe for concurrent use.
type Client struct {
	v1core *rest.Client  // nil without a v1 login
	v2core *rest.Client  // nil without an API key
	sess   *auth.Session // the v1 session; nil without a v1 login

	// Authentication logs in (v1). The client does it by itself; these calls are for a
	// caller who wants a session token of their own.
	Authentication *AuthenticationService
	// Users adds, reads, updates and deletes users (v1).
	Users *UsersService
	// UsersV2 adds, reads, updates and deletes users with an API key (v2).
	UsersV2 *UsersV2Service
	// GroupsV2 lists the users of groups with an API key (v2).
	GroupsV2 *GroupsV2Service
}

type service struct{ c *Client }

// NewClient checks cfg and returns a Client. It does no I/O.
func NewClient(cfg Config) (*Client, error) {
	base, err := vendor.ParseBaseURL("BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	v1 := cfg.Username != "" || cfg.Password != "" || cfg.HostID != 0 || cfg.HostName != ""
	if !v1 && cfg.APIKey == "" {
		return nil, vendor.Invalid("Username", "missing: set HostID or HostName, Username and Password (API v1), or APIKey (API v2)")
	}
	c := &Client{}
	common := rest.Config{
		Vendor:     vendor,
		BaseURL:    base,
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Retry:      cfg.Retry,
		UserAgent:  cfg.UserAgent,
	}
	if v1 {
		if err := checkLogin(cfg); err != nil {
			return nil, err
		}
		hash := md5Hex(cfg.Password)
		sess := &auth.Session{
			Where: auth.InForm,
			Key:   "sessiontoken",
			Known: []string{cfg.Password, hash, strings.ToLower(hash)},
			Login: func(ctx context.Context) (string, error) {
				s, err := c.login(ctx, cfg.HostID, cfg.HostName, cfg.Username, cfg.Password)
				if err != nil {
					return "", err
				}
				return s.Token, nil
			},
		}
		c.sess = sess
		rc := common
		rc.Auth = sess
		rc.Secrets = sess.Known
		rc.Hooks = rest.Hooks{CheckReply: checkReply, SessionExpired: sessionExpired, Decode: decodeReply, ParseError: parseError}
		if c.v1core, err = rest.New(rc); err != nil {
			return nil, err
		}
	}
	if cfg.APIKey != "" {
		if err := vendor.CheckSecret("APIKey", cfg.APIKey); err != nil {
			return nil, err
		}
		rc := common
		rc.Auth = auth.FormToken{Key: "api_key", Token: cfg.APIKey}
		rc.Hooks = rest.Hooks{CheckReply: checkReplyV2, Decode: decodeV2, ParseError: parseErrorV2}
		if c.v2core, err = rest.New(rc); err != nil {
			return nil, err
		}
	}
	s := &service{c}
	c.Authentication = (*AuthenticationService)(s)
	c.Users = (*UsersService)(s)
	c.UsersV2 = (*UsersV2Service)(s)
	c.GroupsV2 = (*GroupsV2Service)(s)
	return c, nil
}

func checkLogin(cfg Config) error {
	switch {
	case cfg.HostID != 0 && cfg.HostName != "":
		return vendor.Invalid("HostID", "set HostID or HostName, not both")
	case cfg.HostID < 0:
		return vendor.Invalid("HostID", "negative")
	case cfg.HostID == 0 && cfg.HostName == "":
		return vendor.Invalid("HostID", "missing: set HostID or HostName")
	case cfg.HostName != "":
		if err := checkHostName(cfg.HostName); err != nil {
			return err
		}
	}
	if err := vendor.CheckName("Username", cfg.Username, false); err != nil {
		return err
	}
	return vendor.CheckSecret("Password", cfg.Password)
}

// Ptr returns a pointer to v, for the optional fields of UserData:
// razuna.UserData{Email: razuna.Ptr("new@example.com")}.
func Ptr[T any](v T) *T { return &v }

// v1 POSTs form to a v1 endpoint and returns the decoded result. The form always carries
// __BDRETURNFORMAT=plain, so that the server answers with bare XML; method sits in the
// template's query and nowhere else (the server would join two values with a comma).
// secrets are values of this call that no sensitive key holds (a password's hash inside
// userdata).
// need names a field the result must hold.
func (c *Client) v1(ctx context.Context, tmpl string, form url.Values, read bool, need string, secrets ...string) (*reply, error) {
	if c.v1core == nil {
		return nil, vendor.Invalid("Username", "missing: API v1 calls need HostID or HostName, Username and Password")
	}
	req, err := c.v1core.NewRequest(ctx, http.MethodPost, tmpl)
	if err != nil {
		return nil, vendor.Own(err)
	}
	form.Set("__BDRETURNFORMAT", "plain")
	req.SetForm(form)
	req.AddSecrets(secrets...)
	if read {
		req.MarkReadOnly()
	}
	var r reply
	if err := c.v1core.Do(req, &r); err != nil {
		var e *Error
		if errors.As(err, &e) && restartKey(e.Message) != "" {
			// The server was restarted and no longer knows this session (a getuser or add
			// that still fails after one new login, or a delete that failed half-way):
			// drop it, so that the next call logs in again.
			_ = c.sess.Refresh(ctx, c.sess.Generation())
		}
		return nil, err
	}
	if need != "" && r.get(need) == "" {
		return nil, c.v1core.BadReply(req, "no <%s> in the reply", need)
	}
	return &r, nil
}

// checkReply turns a result with code 1, and the exception page, into an *Error. A body of
// another shape passes: decoding it then fails with an error that says so.
func checkReply(req *rest.Request, _ int, _ http.Header, body []byte) (rest.ErrorInfo, bool) {
	r, err := parseReply(body)
	if err != nil || !r.failed() {
		return rest.ErrorInfo{}, false
	}
	if !r.page {
		msg := r.get("message")
		if msg == "" {
			msg = r.get("sessiontoken") // a failed login says it there
		}
		return rest.ErrorInfo{Message: msg, Kind: kindOf(r)}, true
	}
	info := rest.ErrorInfo{Code: r.get("errorcode"), Message: r.get("message"), Detail: r.get("detail")}
	method := methodOf(req)
	switch {
	case method == "delete" && restartKey(info.Message) != "":
		// A delete that fails so after a restart has already removed the user from its
		// hosts (razuna/razuna global/api/user.cfc reads the host prefix afterwards).
		info.MaybeApplied = true
	case method == "add" || method == "update" || method == "delete":
		// The server writes step by step without a transaction: add creates the user before
		// it fails on the group, update applies the pairs before a bad one. Only errors
		// raised before the method runs prove nothing was written.
		info.MaybeApplied = !raisedBeforeWrite(info.Message) && restartKey(info.Message) == ""
	}
	return info, true
}

// parseError reads what a reply says when the core builds the error itself: a session that
// timed out again after the new login, or a non-2xx status (an engine error page in HTML,
// which gives no message).
func parseError(_ int, _ http.Header, body []byte) rest.ErrorInfo {
	info, _ := checkReply(nil, 0, nil, body)
	return info
}

// sessionExpired reports the replies after which a new session and one resend are safe:
// "Session timeout" (any call: the server checks the token before it does anything), and,
// on getuser and add, the exception a restarted server raises for a token it no longer holds
// in memory, which both raise before they change anything.
func sessionExpired(req *rest.Request, _ int, body []byte) bool {
	r, err := parseReply(body)
	if err != nil {
		return false
	}
	if !r.page {
		return r.code == "1" && r.get("message") == msgSessionTimeout
	}
	switch methodOf(req) {
	case "getuser", "add":
		k := restartKey(r.get("message"))
		return k == "userid" || k == "hostid"
	}
	return false
}

// methodOf returns the API method a request calls: the method query value of its template.
func methodOf(req *rest.Request) string {
	if req == nil || req.URL() == nil {
		return ""
	}
	return strings.ToLower(req.URL().Query().Get("method"))
}

// decodeReply decodes a v1 body into a *reply.
func decodeReply(_ http.Header, body []byte, out any) error {
	p, ok := out.(*reply)
	if !ok {
		return fmt.Errorf("razuna: cannot decode a reply into %T", out)
	}
	r, err := parseReply(body)
	if err != nil {
		return err
	}
	*p = *r
	return nil
}

// existingID returns the id of the user an add conflicted with.
func existingID(err error) string {
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrConflict) {
		return ""
	}
	r, perr := parseReply(e.Body)
	if perr != nil {
		return ""
	}
	return r.get("userid")
}

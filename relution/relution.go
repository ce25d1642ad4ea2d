// Package relution is a client for the REST API of Relution, the mobile device management
// system: CSV user imports, users, groups, organizations, devices and apps.
//
// Create a Client with an access token (Profile → Access Token in the portal) or a user name
// and password, and use its services:
//
//	client, err := relution.NewClient(relution.Config{
//		BaseURL:     "https://mdm.example.com",
//		AccessToken: os.Getenv("RELUTION_TOKEN"),
//	})
//	job, err := client.ImportJobs.ImportUsers(ctx, f, relution.ImportOptions{Role: "Organame Device User"})
//
// ImportUsers behaves like the vendor's uploadUserCSV.sh: a file the server would fail as a
// whole is refused before anything is sent, a file with problems on some lines goes up and
// comes back with them in job.Warnings, and the server reports those lines. ImportRecords
// creates users from UserRecord values in one call.
//
// Relution answers in three shapes (a "results" envelope, an "items" envelope and bare
// objects) and writes UUIDs in upper case; the services hide both. Errors are *Error values
// that match the package's sentinels with errors.Is. The relutiontest package is an in-memory
// fake of the API for tests.
//
// Each method's doc says which endpoint it calls. The vendor's REST API guide
// (https://hub.relution.io/en/docs/settings/rest-api) documents the CSV import, the
// organization wizard and the device query; the other endpoints come from public clients of
// the API, which the doc comments name by their GitHub repository (owner/name).
package relution

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/paging"
	"github.com/rosterhq/roster/internal/rest"
)

// Shared types of every roster vendor package: one errors.As target works for all of them.
// They are defined in an internal package; go doc
// github.com/rosterhq/roster/internal/rest Error (or ValidationError, RetryPolicy) shows the
// rest of their documentation.
type (
	// Error is a failed call: a non-success reply, a 2xx reply that says the call failed, a
	// reply that cannot be read, or a transport failure (StatusCode 0). Every field is
	// redacted: no token or password survives into it. The fields users rely on:
	//
	//	Vendor     string        // "relution"
	//	StatusCode int           // HTTP status; 0 when no reply arrived
	//	Method     string
	//	URL        string        // redacted
	//	Code       string        // Relution's errorCode, e.g. "VERSION_ALREADY_EXISTS"
	//	Message    string        // Relution's message
	//	Detail     string        // the exception class and the errors map, when sent
	//	Body       []byte        // the reply body, redacted, at most 1 MiB
	//	Header     http.Header   // the reply's headers, redacted
	//	RetryAfter time.Duration // what the server asked to wait, also past RetryPolicy.MaxWait
	//	RequestID  string        // a request id header of the reply, when sent
	//
	// Its methods: Error (one line, naming the vendor, method and redacted URL), Is
	// (matches the sentinels below: ErrNotFound, ErrMaybeApplied, ..., and a ctx's error for
	// a call cut short) and Unwrap (the transport error, redacted). Test it with errors.Is,
	// or errors.As for the fields.
	Error = rest.Error
	// ValidationError is input refused before anything was sent. Its fields: Vendor
	// ("relution"), Field (the offending field or parameter, such as "query limit") and
	// Reason (what is wrong). Error returns "relution: invalid <Field>: <Reason>"; Unwrap
	// returns ErrInvalidInput, so errors.Is(err, ErrInvalidInput) holds.
	ValidationError = rest.ValidationError
	// RetryPolicy bounds retries: MaxAttempts (default 4; 1 turns retries off), MinWait
	// (default 200 ms) and MaxWait (default 10 s; a longer Retry-After fails the call with
	// ErrRateLimited). Reads retry on transport errors and 429/502/503/504; writes only
	// when provably unsent, after a 429, or once after a 401. Tests can make waits tiny:
	// RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}.
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

// vendor prefixes the package's errors.
const vendor rest.Vendor = "relution"

// AccessTokenHeader is the header that carries an API access token.
const AccessTokenHeader = "X-User-Access-Token"

// Config configures a Client. Set BaseURL and either AccessToken or Username and Password.
type Config struct {
	// BaseURL is the server, e.g. "https://relution.example.com" (the script's -h).
	BaseURL string
	// AccessToken is an API access token, sent as X-User-Access-Token.
	AccessToken string
	// Username and Password authenticate with HTTP Basic instead of a token.
	Username string
	Password string
	// Organization scopes every call to one organization (tenantOrganizationUuid); the zero
	// UUID leaves the scope to the token's owner.
	Organization uuid.UUID

	// HTTPClient sends the requests; nil uses a client whose transport is a clone of Go's
	// default that keeps up to 100 idle connections per host. Redirects are not followed
	// unless its CheckRedirect says so.
	HTTPClient *http.Client
	// Logger receives one Debug record per attempt, without secrets; nil is silent.
	Logger *slog.Logger
	// Retry bounds retries; the zero value means 4 attempts and backoffs that start near
	// 200 ms and double up to 10 s (each with jitter: a random part of the step).
	Retry RetryPolicy
	// UserAgent overrides the User-Agent header.
	UserAgent string
}

// Client is a Relution API client. It is safe for concurrent use.
type Client struct {
	core *rest.Client

	// ImportJobs uploads user CSV files and runs import jobs.
	ImportJobs *ImportJobsService
	// Users reads and updates users.
	Users *UsersService
	// Groups lists groups and their members.
	Groups *GroupsService
	// Organizations creates organizations.
	Organizations *OrganizationsService
	// Devices queries devices, their installed apps and actions.
	Devices *DevicesService
	// Apps lists, uploads and deploys apps.
	Apps *AppsService
}

type service struct{ c *Client }

// NewClient checks cfg and returns a Client. It does no I/O. A token or password shorter
// than 4 characters or holding a control character, and a user name holding a control
// character or ':', are refused with a *ValidationError naming the field.
func NewClient(cfg Config) (*Client, error) {
	base, err := vendor.ParseBaseURL("BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	var a auth.Authorizer
	switch {
	case cfg.AccessToken != "" && (cfg.Username != "" || cfg.Password != ""):
		return nil, vendor.Invalid("AccessToken", "set either AccessToken or Username and Password, not both")
	case cfg.AccessToken != "":
		if err := vendor.CheckSecret("AccessToken", cfg.AccessToken); err != nil {
			return nil, err
		}
		a = auth.HeaderToken{Name: AccessTokenHeader, Token: cfg.AccessToken}
	case cfg.Username != "" && cfg.Password != "":
		if err := vendor.CheckName("Username", cfg.Username, true); err != nil {
			return nil, err
		}
		if err := vendor.CheckSecret("Password", cfg.Password); err != nil {
			return nil, err
		}
		// Basic registers the password and its base64 with the core as secrets.
		a = auth.Basic{Username: cfg.Username, Password: cfg.Password}
	case cfg.Username != "":
		return nil, vendor.Invalid("Password", "missing (Username is set)")
	case cfg.Password != "":
		return nil, vendor.Invalid("Username", "missing (Password is set)")
	default:
		return nil, vendor.Invalid("AccessToken", "missing: set AccessToken, or Username and Password")
	}
	var q url.Values
	if cfg.Organization != uuid.Nil {
		q = url.Values{"tenantOrganizationUuid": {wireUUID(cfg.Organization)}}
	}
	core, err := rest.New(rest.Config{
		Vendor:     vendor,
		BaseURL:    base,
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Retry:      cfg.Retry,
		UserAgent:  cfg.UserAgent,
		Auth:       a,
		Query:      q,
		Hooks:      rest.Hooks{ParseError: parseError, CheckReply: checkReply, Decode: decode},
	})
	if err != nil {
		return nil, vendor.Own(err)
	}
	c := &Client{core: core}
	s := &service{c}
	c.ImportJobs = (*ImportJobsService)(s)
	c.Users = (*UsersService)(s)
	c.Groups = (*GroupsService)(s)
	c.Organizations = (*OrganizationsService)(s)
	c.Devices = (*DevicesService)(s)
	c.Apps = (*AppsService)(s)
	return c, nil
}

// wireUUID writes a UUID the way Relution does: upper case.
func wireUUID(id uuid.UUID) string { return strings.ToUpper(id.String()) }

// checkUUID refuses the zero UUID as a path parameter.
func checkUUID(field string, id uuid.UUID) error {
	if id == uuid.Nil {
		return vendor.Invalid(field, "zero UUID")
	}
	return nil
}

// errorBody is Relution's error reply: errorCode sits at the top level
// (relution-io/relution-tools relution_upload.sh) or under exception (the recorded 422 of
// mwaylabs/relution-jenkins-plugin, post-apps-422.json).
// Errors and exception stay raw until needed: they ride on every success envelope too, and
// a shape nobody has seen must not break the decoding of a good reply.
type errorBody struct {
	Message   string          `json:"message"`
	ErrorCode string          `json:"errorCode"`
	Errors    json.RawMessage `json:"errors"`
	Exception json.RawMessage `json:"exception"`
}

type exceptionBody struct {
	ClassName string `json:"className"`
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
}

func parseError(_ int, _ http.Header, body []byte) rest.ErrorInfo {
	var b errorBody
	if json.Unmarshal(body, &b) != nil {
		// A proxy's HTML or plain text: its first line is the best message there is.
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		if len(line) > 200 {
			line = line[:200]
		}
		if strings.HasPrefix(line, "<") {
			line = ""
		}
		return rest.ErrorInfo{Message: line}
	}
	return b.info()
}

func (b *errorBody) info() rest.ErrorInfo {
	info := rest.ErrorInfo{Code: b.ErrorCode, Message: b.Message}
	var e exceptionBody
	if json.Unmarshal(b.Exception, &e) == nil {
		if info.Code == "" {
			info.Code = e.ErrorCode
		}
		if info.Message == "" {
			info.Message = e.Message
		}
		info.Detail = e.ClassName
	}
	var errs map[string]any
	if json.Unmarshal(b.Errors, &errs) == nil && len(errs) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(errs)) {
			parts = append(parts, fmt.Sprintf("%s: %v", k, errs[k]))
		}
		if info.Detail != "" {
			info.Detail += "; "
		}
		info.Detail += strings.Join(parts, "; ")
	}
	return info
}

// decode decodes a success reply. A UUID field the server leaves empty ("userUuid": "" on a
// device without a user) would fail uuid.UUID's decoder and with it the whole page, so such
// values are read as null, the zero UUID.
func decode(_ http.Header, body []byte, out any) error {
	body = nullEmptyUUIDs(body)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return json.Unmarshal(body, out)
}

// nullEmptyUUIDs rewrites `"...uuid": ""` (any case of "uuid") to `"...uuid": null`. It is
// a byte scan, not a regexp: it runs over every page of every list.
func nullEmptyUUIDs(body []byte) []byte {
	var out []byte // nil until the first change, so clean bodies are not copied
	last := 0
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(`""`))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 2
		// Walk back over blanks and the colon to the closing quote of the key.
		k := at - 1
		for k >= 0 && (body[k] == ' ' || body[k] == '\t' || body[k] == '\n' || body[k] == '\r') {
			k--
		}
		if k < 0 || body[k] != ':' {
			continue
		}
		k--
		for k >= 0 && (body[k] == ' ' || body[k] == '\t' || body[k] == '\n' || body[k] == '\r') {
			k--
		}
		if k < 4 || body[k] != '"' || !bytes.EqualFold(body[k-4:k], []byte("uuid")) {
			continue
		}
		out = append(out, body[last:at]...)
		out = append(out, "null"...)
		last = at + 2
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// checkReply is the core's CheckReply hook: a 2xx reply fails only on evidence. An
// envelope (an object with "results") fails on a non-empty errors map or array, an
// exception object, a negative status, or a status of ERROR or FAILED; a bare object (a
// started job, a user) only on errors, an exception or a negative status, since its own
// "status" field may be an entity's state. Anything else, images included, passes.
func checkReply(_ *rest.Request, _ int, _ http.Header, body []byte) (rest.ErrorInfo, bool) {
	// A page of devices is hundreds of KB: only the top-level keys are looked at, with a
	// byte scan, and the body is parsed in full only on the rare reply that failed.
	var head struct {
		Status json.RawMessage
		errorBody
		Results bool
	}
	ok := topLevel(body, func(key, val []byte) {
		switch {
		case bytes.EqualFold(key, []byte("status")):
			head.Status = val
		case bytes.EqualFold(key, []byte("errors")):
			head.Errors = val
		case bytes.EqualFold(key, []byte("exception")):
			head.Exception = val
		case bytes.EqualFold(key, []byte("results")):
			head.Results = true
		}
	})
	if !ok {
		return rest.ErrorInfo{}, false // not an object, or malformed: the decoder says so
	}
	status := head.Status
	if !head.Results {
		// A bare object's status counts only when it is a negative number.
		if n, err := strconv.ParseFloat(strings.Trim(string(status), `"`), 64); err != nil || n >= 0 {
			status = nil
		}
	}
	if !head.errorBody.failed(status) || !json.Valid(body) {
		return rest.ErrorInfo{}, false
	}
	var full errorBody
	_ = json.Unmarshal(body, &full) // valid JSON: only a field of an odd type is left unset
	info := full.info()
	if info.Code == "" && len(status) > 0 {
		info.Code = "status " + string(bytes.Trim(status, `"`))
	}
	if info.Code == "" && info.Message == "" && info.Detail == "" {
		// An exception or errors without a word of explanation (found by FuzzReply).
		info.Message = "the reply reports a failure"
	}
	return info, true
}

// topLevel calls f with each key of the JSON object body (its raw bytes, escapes left as
// they are) and the raw bytes of its value. It reports false when body is not an object it
// can walk. It does not validate the values: it only skips them, minding strings.
func topLevel(body []byte, f func(key, val []byte)) bool {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return true
	}
	for {
		if i >= len(body) || body[i] != '"' {
			return false
		}
		end := skipString(body, i)
		if end < 0 {
			return false
		}
		key := body[i+1 : end-1]
		i = skipSpace(body, end)
		if i >= len(body) || body[i] != ':' {
			return false
		}
		i = skipSpace(body, i+1)
		end = skipValue(body, i)
		if end < 0 {
			return false
		}
		f(key, body[i:end])
		i = skipSpace(body, end)
		switch {
		case i < len(body) && body[i] == ',':
			i = skipSpace(body, i+1)
		case i < len(body) && body[i] == '}':
			return true
		default:
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at b[i] (a '"'), or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index just past the value that starts at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j)
				if j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// envelope is the "results" reply of most endpoints (mwaylabs/relution-jenkins-plugin's
// post-apps-201.json; appport's decoders). A single object comes as results[0].
type envelope[T any] struct {
	Status json.RawMessage `json:"status"`
	errorBody
	Total         int  `json:"total"`
	NonpagedCount *int `json:"nonpagedCount"`
	Results       []T  `json:"results"`
}

// failed reports whether a 2xx reply says the call failed. Only evidence counts: a
// non-empty errors map, an exception, a negative status ("-1", as in the vendor's Jenkins
// plugin fixture post-apps-422.json) or a status of ERROR or FAILED. "0", OK and SUCCESS
// (appport's fixtures, github.com/sebastianspicker/appport) and anything else are success.
func (e *envelope[T]) failed() bool { return e.errorBody.failed(e.Status) }

// failed applies the evidence rule of envelope.failed to an error body and a status.
func (b *errorBody) failed(status json.RawMessage) bool {
	s := strings.TrimSpace(string(bytes.Trim(status, `"`)))
	if n, err := strconv.ParseFloat(s, 64); err == nil && n < 0 {
		return true
	}
	if strings.EqualFold(s, "ERROR") || strings.EqualFold(s, "FAILED") {
		return true
	}
	return nonEmpty(b.Errors, true) || nonEmpty(b.Exception, false)
}

// nonEmpty reports whether raw JSON is a non-empty object, or a non-empty array when arrays
// count. Other shapes (null, a string such as "none") are no evidence of a failure.
func nonEmpty(raw json.RawMessage, arrays bool) bool {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch v := v.(type) {
	case map[string]any:
		return len(v) > 0
	case []any:
		return arrays && len(v) > 0
	}
	return false
}

// Page is one page of a list:
//
//	Items    []T  // the page's entries, in the server's order
//	Total    int  // the server's count of all matches when HasTotal (ask with
//	              // GetNonpagedCount); otherwise the number of items on this page
//	HasTotal bool // Total is the server's count (nonpagedCount)
//
// It is defined in an internal package shared by every roster vendor.
type Page[T any] = paging.Page[T]

func (e *envelope[T]) page() *Page[T] {
	p := &Page[T]{Items: e.Results, Total: e.Total}
	if e.NonpagedCount != nil {
		p.Total, p.HasTotal = *e.NonpagedCount, true
	}
	return p
}

// itemsEnvelope is the reply of the security groups endpoints (Danny-mtb/Relution-User-Sync
// relution-sync.py; appport's decodeItems).
type itemsEnvelope[T any] struct {
	Items         []T  `json:"items"`
	NonpagedCount *int `json:"nonpagedCount"`
}

// send sends req and returns its success body (after checkReply), with empty UUID values
// read as null (see decode).
func (s *service) send(req *rest.Request) ([]byte, error) {
	var b rest.Blob
	if err := s.c.core.Do(req, &b); err != nil {
		return nil, err
	}
	return nullEmptyUUIDs(b.Data), nil
}

// do sends req and decodes a results envelope.
func do[T any](s *service, req *rest.Request) (*envelope[T], error) {
	var env envelope[T]
	if err := s.c.core.Do(req, &env); err != nil {
		return nil, err
	}
	return &env, nil
}

// first returns results[0] of a single-object reply. A reply without one is an error that,
// for a write, matches ErrMaybeApplied: the server accepted the request.
func first[T any](s *service, req *rest.Request) (*T, error) {
	env, err := do[T](s, req)
	if err != nil {
		return nil, err
	}
	if len(env.Results) == 0 {
		return nil, s.c.core.BadReply(req, "the reply has no results")
	}
	return &env.Results[0], nil
}

// writeReply sends a write that needs nothing from its reply, whose shape no source shows:
// any 2xx is success, whatever its body (empty, a bare object, an array, an envelope), unless
// checkReply finds it says the call failed. It returns the reply's payload as raw JSON when
// there is one to read (an envelope's results, or the body itself), or nil.
func writeReply(s *service, req *rest.Request) (json.RawMessage, error) {
	body, err := lenientReply(s, req)
	if err != nil || len(body) == 0 || body[0] != '{' {
		return body, err
	}
	var env struct {
		Results json.RawMessage `json:"results"`
	}
	if json.Unmarshal(body, &env) == nil && env.Results != nil {
		return env.Results, nil
	}
	return body, nil
}

// lenientReply sends req and returns its body when it is JSON, nil otherwise.
func lenientReply(s *service, req *rest.Request) (json.RawMessage, error) {
	body, err := s.send(req)
	if err != nil {
		return nil, err
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || !json.Valid(body) {
		return nil, nil
	}
	return body, nil
}

// replyObject reads an object of type T from a payload of writeReply: the object itself, or
// the first of an array. ok says whether the object is real (it has a UUID); otherwise the
// result is nil.
func replyObject[T any](payload json.RawMessage, ok func(*T) bool) *T {
	if len(payload) == 0 {
		return nil
	}
	var v T
	if payload[0] == '[' {
		var vs []T
		if json.Unmarshal(payload, &vs) != nil || len(vs) == 0 {
			return nil
		}
		v = vs[0]
	} else if json.Unmarshal(payload, &v) != nil {
		return nil
	}
	if !ok(&v) {
		return nil
	}
	return &v
}

// query sends a Query to a POST .../query endpoint, marked read-only so it retries like a read.
func query[T any](ctx context.Context, s *service, q Query, tmpl string, params ...string) (*Page[T], error) {
	if err := q.Validate(); err != nil {
		return nil, invalidQuery(err)
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, tmpl, params...)
	if err != nil {
		return nil, err
	}
	req.MarkReadOnly()
	if err := req.SetJSON(q); err != nil {
		return nil, err
	}
	// A page of q.Limit items is decoded into a slice of that capacity, not grown to it.
	var env envelope[T]
	if q.Limit > 0 && q.Limit <= maxPresized {
		env.Results = make([]T, 0, q.Limit)
	}
	if err := s.c.core.Do(req, &env); err != nil {
		return nil, err
	}
	return env.page(), nil
}

// maxPresized caps the capacity a query's Limit reserves before the reply arrives.
const maxPresized = 10_000

// invalidQuery names a query's invalid part as the call sees it: "query limit".
func invalidQuery(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return vendor.Invalid(strings.TrimSpace("query "+ve.Field), "%s", ve.Reason)
	}
	return vendor.Invalid("query", "%v", err)
}

// Ptr returns a pointer to v, for the optional fields of UserUpdate and the bounds of range
// filters: relution.UserUpdate{Phone: relution.Ptr("+4912345")}.
func Ptr[T any](v T) *T { return &v }

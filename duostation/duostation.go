package duostation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/rest"
)

// vendor prefixes every error of the package.
const vendor rest.Vendor = "duostation"

// Shared types of every roster vendor package. They are defined in an internal package, so
// go doc shows their fields here.
type (
	// Error is a failed call: a non-success reply, or a transport failure (StatusCode 0).
	// Every field is redacted: no password survives into it.
	//
	//	type Error struct {
	//		Vendor     string // "duostation"
	//		StatusCode int    // HTTP status; 0 when no reply arrived
	//		Method     string
	//		URL        string // redacted
	//		Message    string // the "message" of a JSON error body (any case of the key)
	//		Body       []byte // the reply body, redacted, at most 1 MiB
	//	}
	//
	// Test it with errors.Is against the sentinels below, or errors.As for the fields
	// (go doc github.com/rosterhq/roster/internal/rest Error shows the rest).
	Error = rest.Error
	// ValidationError is input refused before anything was sent: Field names the offending
	// field or parameter and Reason says what is wrong. It matches ErrInvalidInput.
	ValidationError = rest.ValidationError
	// RetryPolicy bounds retries: MaxAttempts (default 4; 1 turns retries off), MinWait
	// (default 200 ms) and MaxWait (default 10 s; a longer Retry-After fails the call with
	// ErrRateLimited). Reads retry on transport errors and 429/502/503/504; writes (every
	// create, update, delete and device command) only when provably unsent, after a 429, or
	// once after a 401. Tests can make waits tiny:
	// RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}.
	RetryPolicy = rest.RetryPolicy
)

// Sentinels matched with errors.Is.
var (
	// ErrNotFound: HTTP 404, an unknown id.
	ErrNotFound = rest.ErrNotFound
	// ErrUnauthorized: HTTP 401, a wrong user name or password.
	ErrUnauthorized = rest.ErrUnauthorized
	// ErrForbidden: HTTP 403.
	ErrForbidden = rest.ErrForbidden
	// ErrConflict: HTTP 409, or a group path that matches several groups.
	ErrConflict = rest.ErrConflict
	// ErrRateLimited: HTTP 429 beyond the retry policy.
	ErrRateLimited = rest.ErrRateLimited
	// ErrUnavailable: HTTP 502, 503 or 504 beyond the retry policy.
	ErrUnavailable = rest.ErrUnavailable
	// ErrMaybeApplied: a write (a create, an update, a delete, a device command) whose reply
	// was lost or failed in a way that does not prove the server refused it. Look before
	// sending it again: a wipe sent twice is not what anyone wants.
	ErrMaybeApplied = rest.ErrMaybeApplied
	// ErrInvalidInput: input refused before anything was sent (a *ValidationError).
	ErrInvalidInput = rest.ErrInvalidInput
)

// Config configures a Client. Set BaseURL, Username and Password.
type Config struct {
	// BaseURL is the customer's own DuoSTATION MDM site, e.g. "https://mdm.example.com"
	// (the document's <url>); every path is under /api. A path prefix is kept
	// ("https://example.com/mdm" calls https://example.com/mdm/api/...).
	BaseURL string
	// Username and Password are a DuoSTATION MDM login, the one that logs in to the web
	// console; they are sent with HTTP Basic on every request.
	Username string
	Password string

	// HTTPClient sends the requests; nil uses a transport cloned from Go's default one.
	// Redirects are not followed unless its CheckRedirect says so: a redirect would carry
	// the credentials elsewhere.
	HTTPClient *http.Client
	// Logger receives one Debug record per attempt, without secrets; nil is silent.
	Logger *slog.Logger
	// Retry bounds retries; the zero value means 4 attempts and backoffs that start near
	// 200 ms and double up to 10 s.
	Retry RetryPolicy
	// UserAgent overrides the User-Agent header.
	UserAgent string
}

// Client is a DuoSTATION MDM API client. It is safe for concurrent use.
type Client struct {
	core *rest.Client

	// Groups lists, finds, creates, renames and deletes groups.
	Groups *GroupsService
	// Users lists, searches, creates, updates and deletes users.
	Users *UsersService
	// Devices lists and searches devices, changes their user and sends them commands.
	Devices *DevicesService
	// Tags lists, creates, updates and deletes tags.
	Tags *TagsService
	// DeviceTags links tags to devices.
	DeviceTags *DeviceTagsService
	// UserTags links tags to users.
	UserTags *UserTagsService
	// GroupTags links tags to groups.
	GroupTags *GroupTagsService
	// Apps lists apps and adds or updates them.
	Apps *AppsService
}

type service struct{ c *Client }

// NewClient checks cfg and returns a Client. It does no I/O.
func NewClient(cfg Config) (*Client, error) {
	base, err := vendor.ParseBaseURL("BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if err := vendor.CheckName("Username", cfg.Username, true); err != nil {
		return nil, err
	}
	if err := vendor.CheckSecret("Password", cfg.Password); err != nil {
		return nil, err
	}
	core, err := rest.New(rest.Config{
		Vendor:     vendor,
		BaseURL:    base,
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Retry:      cfg.Retry,
		UserAgent:  cfg.UserAgent,
		Auth:       auth.Basic{Username: cfg.Username, Password: cfg.Password},
		Hooks:      rest.Hooks{ParseError: parseError, CheckReply: checkReply},
		// The document writes a space in a query as %20 (groups?path=Customers%5CCompany%20Inc).
		PercentSpaces: true,
	})
	if err != nil {
		return nil, vendor.Own(err)
	}
	c := &Client{core: core}
	s := &service{c}
	c.Groups = (*GroupsService)(s)
	c.Users = (*UsersService)(s)
	c.Devices = (*DevicesService)(s)
	c.Tags = (*TagsService)(s)
	c.DeviceTags = (*DeviceTagsService)(s)
	c.UserTags = (*UserTagsService)(s)
	c.GroupTags = (*GroupTagsService)(s)
	c.Apps = (*AppsService)(s)
	return c, nil
}

// Ptr returns a pointer to v, for the optional fields of the request types:
// duostation.UserUpdate{Email: duostation.Ptr("ann@example.com")}.
func Ptr[T any](v T) *T { return &v }

// checkID refuses an id that is not a non-negative 32-bit integer: the document calls every
// id but a device's an integer, and a .NET int is 32 bits.
func checkID(field string, id int) error {
	if id < 0 || id > math.MaxInt32 {
		return vendor.Invalid(field, "%d is not a non-negative 32-bit integer", id)
	}
	return nil
}

// checkOptionalID is checkID for an optional id.
func checkOptionalID(field string, id *int) error {
	if id == nil {
		return nil
	}
	return checkID(field, *id)
}

var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// checkDeviceID refuses a device id that is not a GUID in the 8-4-4-4-12 form, the form the
// public client reads from replies (36 characters). Braces, as .NET's "B" format writes
// them, are refused rather than stripped: the path must name the device exactly.
func checkDeviceID(field, id string) error {
	switch {
	case id == "":
		return vendor.Invalid(field, "empty")
	case strings.HasPrefix(id, "{") || strings.HasSuffix(id, "}"):
		return vendor.Invalid(field, "%q: write the GUID without braces", id)
	case !guidPattern.MatchString(id):
		return vendor.Invalid(field, "%q is not a GUID (8-4-4-4-12 hexadecimal digits)", id)
	}
	return nil
}

// checkText refuses a required text that is empty or blank.
func checkText(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return vendor.Invalid(field, "missing")
	}
	return nil
}

// parseError reads an error body. No source shows DuoSTATION's error body; a JSON object's
// "message" (in any case: ASP.NET writes "Message") becomes the message, and any other body
// stays raw in Error.Body.
//
// The document says a group path that matches several groups returns "an error" without
// saying which, so a 400, 409 or 500 whose body says "more than one" (the document's words,
// and those of .NET's "Sequence contains more than one element") matches ErrConflict.
func parseError(status int, _ http.Header, body []byte) rest.ErrorInfo {
	info := rest.ErrorInfo{Message: messageOf(body)}
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusInternalServerError:
		if bytes.Contains(bytes.ToLower(body), []byte("more than one")) {
			info.Kind = rest.ErrConflict
		}
	}
	return info
}

// messageOf returns the string under a "message" key of a JSON object, whatever the key's
// case; an exact "message" wins over other spellings, and among those the first in the body.
func messageOf(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	var found string
	have := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return found
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return found
		}
		if !strings.EqualFold(key, "message") {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			continue
		}
		if key == "message" {
			return s
		}
		if !have {
			found, have = s, true
		}
	}
	return found
}

// decodeID reads the id of a created object. The document says only "Id of the newly created
// group" (and so on), so three forms are accepted: a JSON number (5), a numeric string ("5"),
// or an object with an "id" key in any case ({"Id": 5}, {"id": "5"}), which may hold other
// fields too (the whole new object). The id must be a non-negative 32-bit integer.
func decodeID(body []byte) (int, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return 0, errors.New("empty reply, no id")
	}
	if body[0] == '{' {
		var obj struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(body, &obj); err != nil {
			return 0, fmt.Errorf("reply is not an id: %w", err)
		}
		if len(obj.ID) == 0 {
			return 0, errors.New("reply object has no id")
		}
		body = bytes.TrimSpace(obj.ID)
	}
	return scalarID(body)
}

// scalarID reads a JSON number or a JSON string holding a decimal integer.
func scalarID(raw []byte) (int, error) {
	text := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, fmt.Errorf("reply is not an id: %w", err)
		}
		text = strings.TrimSpace(text)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("reply %.40q is not an integer id", text)
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, fmt.Errorf("reply id %d is not a non-negative 32-bit integer", n)
	}
	return int(n), nil
}

// call is one request to send.
type call struct {
	method string
	tmpl   string   // the catalogue's path template
	params []string // for the template's placeholders
	query  any      // a search struct with url tags, or nil
	body   any      // marshalled as JSON, or nil for no body
}

// send builds and sends c, decoding a success reply into out (nil discards it). It returns
// the request so that a caller can report a reply it cannot use.
func (s *service) send(ctx context.Context, c call, out any) (*rest.Request, error) {
	req, err := s.c.core.NewRequest(ctx, c.method, c.tmpl, c.params...)
	if err != nil {
		return nil, vendor.Own(err)
	}
	if c.query != nil {
		if err := req.SetQuery(c.query); err != nil {
			return nil, err
		}
	}
	if c.body != nil {
		if err := req.SetJSON(c.body); err != nil {
			return nil, err
		}
	}
	return req, s.c.core.Do(req, out)
}

// create sends c, a POST that answers with the id of what it created.
func (s *service) create(ctx context.Context, c call) (int, error) {
	var raw json.RawMessage
	req, err := s.send(ctx, c, &raw)
	if err != nil {
		return 0, err
	}
	id, err := decodeID(raw)
	if err != nil {
		// The server acknowledged the create: BadReply says it may have been applied.
		return 0, s.c.core.BadReply(req, "%v", err)
	}
	return id, nil
}

// get sends a GET and decodes the reply, which must be an object, into a new T. An empty or
// null reply is an error rather than a zero T that looks like an object with id 0.
func get[T any](ctx context.Context, s *service, tmpl string, params ...string) (*T, error) {
	var raw json.RawMessage
	req, err := s.send(ctx, call{method: http.MethodGet, tmpl: tmpl, params: params}, &raw)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return nil, s.c.core.BadReply(req, "reply is not an object: %.40q", t)
	}
	var out T
	if err := decodeJSON(raw, &out); err != nil {
		return nil, s.c.core.BadReply(req, "%v", err)
	}
	return &out, nil
}

// list sends a GET with an optional search and decodes the array it answers.
func list[T any](ctx context.Context, s *service, tmpl string, search any) ([]T, error) {
	var out []T
	if _, err := s.send(ctx, call{method: http.MethodGet, tmpl: tmpl, query: search}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkSearchText refuses a search value that is set but blank: it would search for nothing
// a person meant.
func checkSearchText(field, v string) error {
	if v != "" && strings.TrimSpace(v) == "" {
		return vendor.Invalid(field, "blank")
	}
	return nil
}

// checkReply turns a 2xx reply to a group-by-path lookup that holds no group, or several,
// into an error matching ErrNotFound or ErrConflict: the document says only that "an error
// will be returned" when the path is ambiguous, not in what form.
func checkReply(req *rest.Request, _ int, _ http.Header, body []byte) (rest.ErrorInfo, bool) {
	if u := req.URL(); !strings.HasSuffix(u.Path, "/api/groups") || !u.Query().Has("path") {
		return rest.ErrorInfo{}, false
	}
	groups, err := objects(body)
	if err != nil {
		return rest.ErrorInfo{}, false // GetByPath reports a reply it cannot read
	}
	switch len(groups) {
	case 0:
		return rest.ErrorInfo{Kind: ErrNotFound, Message: "no group matches the path"}, true
	case 1:
		return rest.ErrorInfo{}, false
	}
	return rest.ErrorInfo{Kind: ErrConflict, Message: fmt.Sprintf("%d groups match the path", len(groups))}, true
}

// objects returns the objects of a reply that is either one object or an array of them.
func objects(v json.RawMessage) ([]json.RawMessage, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0:
		return nil, errors.New("empty reply")
	case v[0] == '{':
		return []json.RawMessage{v}, nil
	case v[0] == '[':
		var out []json.RawMessage
		if err := json.Unmarshal(v, &out); err != nil {
			return nil, fmt.Errorf("reply is not an array of objects: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("reply is neither an object nor an array: %.40s", v)
}

// decodeJSON decodes one reply object (keys in any case, unknown keys ignored).
func decodeJSON(data []byte, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode reply: %w", err)
	}
	return nil
}

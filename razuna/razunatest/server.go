package razunatest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rosterhq/roster/internal/fake"
)

// The seed: what a Razuna server holds after its first-time setup, as on the server the
// razuna package's cassettes were recorded against.
const (
	// HostID is the seeded host's id.
	HostID = 1
	// HostName is a host name that finds the seeded host with loginhost (the server uses the
	// part before the first dot, "demo").
	HostName = "demo.razuna.com"
	// AdminID, AdminLogin, AdminEmail and AdminPassword are the seeded administrator, a
	// member of groups 1 (SystemAdmin) and 2 (Administrator).
	AdminID       = "1"
	AdminLogin    = "admin"
	AdminEmail    = "admin@example.com"
	AdminPassword = "admin"
	// AdminAPIKey is the administrator's v2 API key.
	AdminAPIKey = "7E57AB1E0000400080000000000000AD"
	// SessionTimeout is how long a v1 session lives after its last call.
	SessionTimeout = 30 * time.Minute
)

// The groups every Razuna host has.
const (
	GroupSystemAdmin   = "1"
	GroupAdministrator = "2"
)

// Server is a running fake Razuna server. Its fields are set by NewServer and must not be
// changed.
type Server struct {
	URL      string // base URL (with the context path, if any), without a trailing slash
	HostID   int    // the seeded host
	HostName string // a name that finds it with loginhost
	Username string // the seeded administrator's login name
	Password string // and password
	APIKey   string // and v2 API key

	http   *httptest.Server
	kit    *fake.Kit
	prefix string
	now    func() time.Time

	mu sync.Mutex
	st *state
}

type config struct {
	prefix string
	now    func() time.Time
	users  []SeedUser
}

// Option configures NewServer.
type Option func(*config)

// WithContextPath serves the API under a context path, as a Razuna deployed as
// "razuna.war" does: WithContextPath("/razuna") answers /razuna/global/api/....
func WithContextPath(p string) Option {
	return func(c *config) { c.prefix = "/" + strings.Trim(p, "/") }
}

// WithClock sets the clock that session timeouts are measured with.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// SeedUser is a user to add to the seed with WithUsers.
type SeedUser struct {
	LoginName, Email, FirstName, LastName string
	Password                              string // plain text; stored as its upper-case MD5
	Inactive                              bool
	Groups                                []string // group ids, in order
	APIKey                                string   // "" for none
}

// WithUsers adds users to the seed, on the seeded host.
func WithUsers(users ...SeedUser) Option {
	return func(c *config) { c.users = append(c.users, users...) }
}

// NewServer starts a fake Razuna server with the seed. The caller must Close it.
func NewServer(opts ...Option) *Server {
	cfg := config{now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.prefix == "/" {
		cfg.prefix = ""
	}
	s := &Server{
		HostID:   HostID,
		HostName: HostName,
		Username: AdminLogin,
		Password: AdminPassword,
		APIKey:   AdminAPIKey,
		prefix:   cfg.prefix,
		now:      cfg.now,
		st:       newState(cfg.users),
	}
	s.kit = fake.NewKit(writeFault)
	s.http = httptest.NewServer(s.kit.Handler(http.HandlerFunc(s.serve)))
	s.URL = s.http.URL + s.prefix
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Client returns an HTTP client for the server (no credentials attached).
func (s *Server) Client() *http.Client { return s.http.Client() }

// Kit returns the request log and fault injector in front of the server. Faults match URL
// paths (with the context path, if any) and, with Query, the method, which the razuna
// package sends in the URL:
//
//	srv.Kit().Inject(razunatest.Fault{Path: "/global/api/user.cfc", Query: "method=add", Status: 503})
//
// An injected status is answered as a proxy in front of Razuna would: a real HTTP status with
// a plain-text body.
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

// Fault is a planned misbehaviour for Kit().Inject: Method, Path, Query, Count, Status,
// RetryAfter, Latency, DropAfterApply (go doc github.com/rosterhq/roster/internal/fake Fault).
type Fault = fake.Fault

// Request is one request of the log that Kit().Requests returns: Method, Path, Query
// (url.Values), Header, Body (the first 64 KiB) and BodySize.
type Request = fake.Request

// writeFault answers an injected status as a servlet container would: a short HTML page.
func writeFault(w http.ResponseWriter, _ *http.Request, status int, _, message string) {
	w.Header().Set("Content-Type", "text/html;charset=iso-8859-1")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html><body><h2>HTTP ERROR %d %s</h2></body></html>\n", status, message)
}

// md5Hex is the upper-case MD5 hex of s, as CFML's hash() writes it.
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// call is one API request after the engine's parameter handling.
type call struct {
	api    string // "api" or "api2"
	cfc    string // "authentication", "user", "group"
	method string // lower case
	params map[string]string
	format string // plain, wddx, json, jsonp
	cb     string // jsonp callback
}

// serve routes a request the way OpenBD's CFC servlet does: the method and every argument
// come from the form and the query (names without regard to case; a query value beats a
// form value; a name given twice is joined with a comma). On top of that the fake refuses
// what the razuna package must never send, with an exception page whose message starts
// "razunatest:": a credential in the URL, method or __BDRETURNFORMAT in both the query and
// the form, and parameters the method does not take (a real server ignores those).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, s.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	api, cfc, ok := route(path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodPost:
	case http.MethodHead:
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	query := lowerKeys(r.URL.Query())
	form := url.Values{}
	if r.Method == http.MethodPost {
		var err error
		if form, err = readForm(r); err != nil {
			writePage(w, api, pageBefore, "razunatest: "+err.Error(), "", "")
			return
		}
		form = lowerKeys(form)
	}
	c := &call{api: api, cfc: cfc, params: map[string]string{}}
	for _, k := range []string{"method", "__bdreturnformat"} {
		if _, inQ := query[k]; inQ {
			if _, inF := form[k]; inF {
				writePage(w, api, pageBefore, "razunatest: "+k+" is sent in both the query and the form", "", "")
				return
			}
		}
	}
	for _, k := range []string{"sessiontoken", "pass", "user_pass", "api_key", "userdata"} {
		if _, inQ := query[k]; inQ {
			writePage(w, api, pageBefore, "razunatest: "+k+" must not be sent in the URL", "", "")
			return
		}
	}
	for k, vs := range form {
		c.params[k] = strings.Join(vs, ",")
	}
	for k, vs := range query {
		c.params[k] = strings.Join(vs, ",")
	}
	c.method = strings.ToLower(c.params["method"])
	delete(c.params, "method")
	if c.method == "" {
		if r.Method == http.MethodGet {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><body><b>the request must contain a METHOD parameter</b></body></html>")
		return
	}
	c.format = strings.ToLower(c.params["__bdreturnformat"])
	c.cb = c.params["callback"]
	delete(c.params, "__bdreturnformat")
	delete(c.params, "callback")
	if c.format == "jsonp" && c.cb == "" {
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><body><b>the request must contain a CALLBACK parameter if using JSONP</b></body></html>")
		return
	}
	h, args := s.handler(c)
	if h == nil {
		writePage(w, api, pageBefore, "an invalid request was attempted", "", "")
		return
	}
	for k := range c.params {
		if !args[k] {
			writePage(w, api, pageBefore, "razunatest: "+c.method+"() takes no parameter "+k, "", "")
			return
		}
	}
	s.mu.Lock()
	res := h(c)
	s.mu.Unlock()
	res.write(w, c)
}

func route(path string) (api, cfc string, ok bool) {
	switch path {
	case "/global/api/authentication.cfc":
		return "api", "authentication", true
	case "/global/api/user.cfc":
		return "api", "user", true
	case "/global/api2/user.cfc":
		return "api2", "user", true
	case "/global/api2/group.cfc":
		return "api2", "group", true
	}
	return "", "", false
}

func lowerKeys(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		lk := strings.ToLower(k)
		out[lk] = append(out[lk], vs...)
	}
	return out
}

// readForm reads a urlencoded or multipart form body; any other body is not read at all, as
// the engine does with a JSON body.
func readForm(r *http.Request) (url.Values, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, err
		}
		return url.ParseQuery(string(body))
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, err
		}
		return r.MultipartForm.Value, nil
	}
	return url.Values{}, nil
}

// The trailing text after an exception page: none beyond a newline for errors the engine
// raises before a method runs, a blank line and stray indentation for errors inside it.
const (
	pageBefore = "\n"
	pageInside = "\n\n\t    \n\t"
)

// result is a method's answer: a v1 document (its fields in order), an exception page, or a
// v2 JSON value.
type result struct {
	fields [][2]string // v1 document children after responsecode
	code   int
	cdata  string // the child written as CDATA (loginhost's error text)
	tabs   int    // the tabs after the document in WDDX and JSON formats

	page                     bool
	msg, errcode, detail, tr string

	json any // v2
}

func (res *result) write(w http.ResponseWriter, c *call) {
	if res.page {
		writePage(w, c.api, res.tr, res.msg, res.errcode, res.detail)
		return
	}
	if res.json != nil {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		b, _ := json.Marshal(res.json)
		_, _ = w.Write(b)
		return
	}
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n")
	fmt.Fprintf(&b, "<responsecode>%d</responsecode>\n", res.code)
	for _, f := range res.fields {
		if f[0] == res.cdata {
			fmt.Fprintf(&b, "<%s><![CDATA[%s]]></%s>\n", f[0], f[1], f[0])
			continue
		}
		fmt.Fprintf(&b, "<%s>%s</%s>\n", f[0], escapeXML(f[1]), f[0])
	}
	b.WriteString("</Response>\n")
	doc := b.String()
	w.Header().Set("Content-Type", "text/html;charset=utf-8")
	tail := strings.Repeat("\t", res.tabs)
	switch c.format {
	case "plain":
		_, _ = io.WriteString(w, doc)
	case "json":
		_, _ = io.WriteString(w, jsonString(doc+tail))
	case "jsonp":
		_, _ = io.WriteString(w, c.cb+"("+jsonString(doc+tail)+")")
	default:
		_, _ = io.WriteString(w, wddx(doc+tail))
	}
}

func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// writePage writes the exception page of Application.cfc onError: XML for v1, JSON for v2.
func writePage(w http.ResponseWriter, api, trailer, msg, code, detail string) {
	if api == "api2" {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		b, _ := json.Marshal(struct {
			Message   string `json:"message"`
			ErrorCode string `json:"errorcode"`
			Detail    string `json:"detail"`
		}{msg, code, detail})
		_, _ = w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<error>\n"+
		"<message><![CDATA[%s]]></message>\n<errorcode><![CDATA[%s]]></errorcode>\n"+
		"<detail><![CDATA[%s]]></detail>\n</error>\n</Response>\n%s", msg, code, detail, strings.TrimPrefix(trailer, "\n"))
}

// escapeXML escapes text as the server does: the five XML entities, and every character
// beyond ASCII as a hexadecimal character reference.
func escapeXML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r > 0x7e:
			fmt.Fprintf(&b, "&#x%x;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wddx wraps s as the one string of a WDDX packet, as OpenBD writes it.
func wddx(s string) string {
	var b strings.Builder
	b.WriteString("<wddxPacket version='1.0'><header></header><data><string>")
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r < 0x20:
			fmt.Fprintf(&b, "<char code='%02x'/>", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("</string></data></wddxPacket>")
	return b.String()
}

package fake

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// ErrorWriter writes an error reply in a vendor's own shape: Relution's JSON
// envelope, Reltio's {"errorMessage":...}, Razuna's HTTP 200 error page. code
// is one of the Code constants when the router or the kit is the author, or
// the vendor fake's own code.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, code, message string)

// Codes the Router passes to its ErrorWriter. A vendor's writer may map them
// onto the vendor's own codes or statuses (Razuna answers an unknown method=
// with an HTTP 200 error page, not a 404).
const (
	// CodeNotFound: no route has the request's path (404).
	CodeNotFound = "NOT_FOUND"
	// CodeUnknownOperation: routes have the request's path, but the literal
	// query that selects among them ("?method=add") matches none of them,
	// or is missing (404).
	CodeUnknownOperation = "UNKNOWN_OPERATION"
	// CodeMethodNotAllowed: routes have the path but not the method (405,
	// with an Allow header listing the methods they have).
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	// CodeInvalidParameter: a query parameter is unknown, repeated, missing
	// or malformed (400).
	CodeInvalidParameter = "INVALID_PARAMETER"
	// CodeInvalidBody: a body where none belongs, a form that does not
	// parse, or a body refused by Call.DecodeJSON or Call.DecodeForm (400).
	CodeInvalidBody = "INVALID_REQUEST_BODY"
	// CodeUnsupportedMediaType: the Content-Type is not the route's body
	// kind (415).
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	// CodeTooLarge: a JSON or form body over RouterConfig.MaxBody (413).
	CodeTooLarge = "REQUEST_TOO_LARGE"
)

// DefaultMaxBody is the largest JSON or form body a Router reads when
// RouterConfig.MaxBody is zero.
const DefaultMaxBody = 16 << 20

// Body is the kind of request body a Route takes.
type Body int

const (
	// BodyNone: no body at all; a single byte is refused (400). A
	// Content-Type header alone is accepted.
	BodyNone Body = iota
	// BodyJSON: application/json, read whole into Call.Body (the handler
	// decodes it, usually with Call.DecodeJSON). An empty body without a
	// Content-Type passes, so that the handler's decoder names the problem.
	BodyJSON
	// BodyForm: application/x-www-form-urlencoded, read whole into
	// Call.Body and parsed into Call.Form (leniently; Call.DecodeForm is the
	// strict check). An empty body without a Content-Type is an empty form.
	BodyForm
	// BodyMultipart: multipart/form-data, left unread for the handler to
	// stream from Call.R (Call.R.MultipartReader()).
	BodyMultipart
	// BodyAny: the router neither reads nor checks the body; the handler
	// reads Call.R.Body. For endpoints that do their own body checks, such
	// as TokenServer.Handle.
	BodyAny
)

// Route is one endpoint of a vendor's wire contract.
type Route struct {
	// Method is the HTTP method, such as "GET".
	Method string
	// Path is the catalogue template exactly as endpoints.tsv writes it. A
	// path segment "{name}" matches any one non-empty segment and is read
	// with Call.Var. After a '?', "name={var}" requires the query parameter
	// name (its value is Call.Var(var)), and "name=value" is a literal that
	// selects the route: "/global/api/user.cfc?method=add" and
	// "?method=delete" share one path, and the request's method= picks one.
	// Selectors are matched in the URL query only, exactly (case matters).
	Path string
	// Query lists the optional query parameters the route accepts besides
	// those of its template and RouterConfig.Query. Any other is refused.
	Query []string
	// Required lists query parameters that must be present with a
	// non-empty value; they need not be repeated in Query.
	Required []string
	// Multi lists query parameters that may be given more than once; any
	// other parameter given twice is refused.
	Multi []string
	// Body is the kind of request body the route takes.
	Body Body
	// Public routes skip RouterConfig.Auth: a login or token endpoint.
	Public bool
	// Handle answers the request once every check passed.
	Handle func(c *Call)
}

// RouterConfig is what a Router needs from the vendor fake besides its
// routes.
type RouterConfig struct {
	// Auth checks the request's credentials before anything else about it
	// (as a servlet filter does): it runs before a 404, 405 or any parameter
	// check, except for requests that resolve to a Public route only. It
	// returns true to let the request through, or writes the vendor's
	// refusal itself and returns false. Nil lets every request through.
	Auth func(w http.ResponseWriter, r *http.Request) bool
	// Error writes the router's refusals (the Code constants) in the
	// vendor's shape. Nil writes {"code":...,"message":...}.
	Error ErrorWriter
	// Query lists query parameters every route accepts (Relution's
	// tenantOrganizationUuid).
	Query []string
	// Check, when set, runs after a route's own checks and before its
	// Handle; it returns false after writing a refusal (Relution's unknown
	// organization). Auth has already passed unless the route is Public.
	Check func(c *Call) bool
	// MaxBody bounds JSON and form bodies; zero means DefaultMaxBody.
	MaxBody int64
}

// Router serves a vendor's routes: it picks the most specific route for a
// request, answers 404 and 405 (with Allow) itself, runs the auth check,
// refuses unknown, repeated and missing query parameters and bodies of the
// wrong kind, then calls the route's Handle. It is an http.Handler, safe for
// concurrent use, and is usually wrapped by a Kit:
//
//	rt := fake.NewRouter(fake.RouterConfig{Auth: s.auth, Error: writeError}, routes)
//	srv := httptest.NewServer(kit.Handler(rt))
type Router struct {
	cfg    RouterConfig
	routes []*route
}

// route is a Route with its template parsed.
type route struct {
	Route
	segs     []segment
	sels     []selector
	allowed  map[string]bool
	required []string
	multi    map[string]bool
	vars     map[string]bool
	literals int
}

type segment struct {
	lit  string
	name string // set for a {name} segment
}

type selector struct {
	key, lit string
	name     string // set for key={name}
}

// NewRouter returns a Router for routes. It panics on a malformed template,
// a variable named twice in one template, two routes with the same method
// and template, or a route without Handle: these are bugs in the fake, and
// its first test finds them.
func NewRouter(cfg RouterConfig, routes []Route) *Router {
	if cfg.Error == nil {
		cfg.Error = defaultErrorWriter
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	rt := &Router{cfg: cfg}
	seen := map[string]bool{}
	for _, r := range routes {
		c, err := compileRoute(r, cfg.Query)
		if err != nil {
			panic("fake: route " + r.Method + " " + r.Path + ": " + err.Error())
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			panic("fake: route " + key + " declared twice")
		}
		seen[key] = true
		rt.routes = append(rt.routes, c)
	}
	return rt
}

func compileRoute(r Route, common []string) (*route, error) {
	if r.Method == "" || strings.ToUpper(r.Method) != r.Method {
		return nil, fmt.Errorf("method must be upper case")
	}
	if r.Handle == nil {
		return nil, fmt.Errorf("no Handle")
	}
	if r.Body < BodyNone || r.Body > BodyAny {
		return nil, fmt.Errorf("unknown Body %d", r.Body)
	}
	path, rawQuery, hasQuery := strings.Cut(r.Path, "?")
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path must start with /")
	}
	c := &route{Route: r, allowed: map[string]bool{}, multi: map[string]bool{}, vars: map[string]bool{}}
	addVar := func(name string) error {
		if name == "" || strings.ContainsAny(name, "{}/?&=") {
			return fmt.Errorf("bad variable name %q", name)
		}
		if c.vars[name] {
			return fmt.Errorf("variable %q named twice", name)
		}
		c.vars[name] = true
		return nil
	}
	for _, s := range strings.Split(path[1:], "/") {
		if name, ok := placeholder(s); ok {
			if err := addVar(name); err != nil {
				return nil, err
			}
			c.segs = append(c.segs, segment{name: name})
			continue
		}
		if strings.ContainsAny(s, "{}") {
			return nil, fmt.Errorf("segment %q: a placeholder must be a whole segment", s)
		}
		// The catalogue writes literal text escaped (Relativity's Login%20Profile%20Manager);
		// requests are matched segment by segment after unescaping.
		lit, err := url.PathUnescape(s)
		if err != nil {
			return nil, fmt.Errorf("segment %q: %v", s, err)
		}
		c.segs = append(c.segs, segment{lit: lit})
		c.literals++
	}
	if hasQuery {
		for _, pair := range strings.Split(rawQuery, "&") {
			k, v, ok := strings.Cut(pair, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("query part %q: want name=value or name={var}", pair)
			}
			key, err := url.QueryUnescape(k)
			if err != nil {
				return nil, fmt.Errorf("query part %q: %v", pair, err)
			}
			if c.allowed[key] {
				return nil, fmt.Errorf("query parameter %q given twice", key)
			}
			c.allowed[key] = true
			if name, ok := placeholder(v); ok {
				if err := addVar(name); err != nil {
					return nil, err
				}
				c.sels = append(c.sels, selector{key: key, name: name})
				continue
			}
			if strings.ContainsAny(v, "{}") {
				return nil, fmt.Errorf("query part %q: a placeholder must be the whole value", pair)
			}
			lit, err := url.QueryUnescape(v)
			if err != nil {
				return nil, fmt.Errorf("query part %q: %v", pair, err)
			}
			c.sels = append(c.sels, selector{key: key, lit: lit})
		}
	}
	for _, q := range [][]string{common, r.Query, r.Required} {
		for _, name := range q {
			c.allowed[name] = true
		}
	}
	c.required = append(c.required, r.Required...)
	for _, name := range r.Multi {
		c.allowed[name] = true
		c.multi[name] = true
	}
	return c, nil
}

func placeholder(s string) (string, bool) {
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// Endpoints lists the router's routes as "METHOD template", in the order
// they were declared, for a vendor test that compares them with the
// catalogue.
func (rt *Router) Endpoints() []string {
	out := make([]string, len(rt.routes))
	for i, r := range rt.routes {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// matchPath fills vars from segs and reports whether the route's path
// matches them.
func (r *route) matchPath(segs []string, vars map[string]string) bool {
	if len(segs) != len(r.segs) {
		return false
	}
	for i, s := range r.segs {
		if s.name != "" {
			if segs[i] == "" {
				return false
			}
			vars[s.name] = segs[i]
			continue
		}
		if segs[i] != s.lit {
			return false
		}
	}
	return true
}

// matchQuery reports whether the route's selectors hold in q.
func (r *route) matchQuery(q url.Values, vars map[string]string) bool {
	for _, s := range r.sels {
		vals, ok := q[s.key]
		if !ok {
			return false
		}
		if s.name != "" {
			vars[s.name] = vals[0]
			continue
		}
		if len(vals) != 1 || vals[0] != s.lit {
			return false
		}
	}
	return true
}

// moreSpecific reports whether a beats b: more literal segments, then a
// literal further left, then more query selectors.
func moreSpecific(a, b *route) bool {
	if a.literals != b.literals {
		return a.literals > b.literals
	}
	for i := range a.segs {
		al, bl := a.segs[i].name == "", b.segs[i].name == ""
		if al != bl {
			return al
		}
	}
	return len(a.sels) > len(b.sels)
}

// splitPath splits the escaped path into unescaped segments, so that an
// escaped "/" (%2F) stays inside its segment.
func splitPath(r *http.Request) ([]string, bool) {
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = s
	}
	return parts, true
}

// candidate is a route that matches a request's path, with its variables.
type candidate struct {
	r    *route
	vars map[string]string
}

// ServeHTTP routes the request; see Router.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs, ok := splitPath(r)
	q, qerr := url.ParseQuery(r.URL.RawQuery)
	var byPath, bySel []candidate
	if ok {
		for _, c := range rt.routes {
			vars := map[string]string{}
			if !c.matchPath(segs, vars) {
				continue
			}
			byPath = append(byPath, candidate{c, vars})
			if c.matchQuery(q, vars) {
				bySel = append(bySel, candidate{c, vars})
			}
		}
	}
	allPublic := func(cs []candidate) bool {
		for _, c := range cs {
			if !c.r.Public {
				return false
			}
		}
		return len(cs) > 0
	}
	var best *candidate
	var allow []string
	for i, c := range bySel {
		if c.r.Method != r.Method {
			if !slices.Contains(allow, c.r.Method) {
				allow = append(allow, c.r.Method)
			}
			continue
		}
		if best == nil || moreSpecific(c.r, best.r) {
			best = &bySel[i]
		}
	}
	public := false
	switch {
	case best != nil:
		public = best.r.Public
	case len(bySel) > 0:
		public = allPublic(bySel)
	default:
		public = allPublic(byPath)
	}
	if !public && rt.cfg.Auth != nil && !rt.cfg.Auth(w, r) {
		return
	}
	switch {
	case len(byPath) == 0:
		rt.cfg.Error(w, r, http.StatusNotFound, CodeNotFound, "No endpoint "+r.Method+" "+r.URL.Path)
		return
	case len(bySel) == 0:
		rt.cfg.Error(w, r, http.StatusNotFound, CodeUnknownOperation, unknownOperation(r, q, byPath))
		return
	case best == nil:
		slices.Sort(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		rt.cfg.Error(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "Request method '"+r.Method+"' is not supported")
		return
	}
	c := &Call{W: w, R: r, Route: &best.r.Route, Query: q, vars: best.vars, errw: rt.cfg.Error}
	if qerr != nil {
		c.Error(http.StatusBadRequest, CodeInvalidParameter, "malformed query string: "+qerr.Error())
		return
	}
	if !rt.checkQuery(c, best.r) || !rt.checkBody(c, best.r) {
		return
	}
	if rt.cfg.Check != nil && !rt.cfg.Check(c) {
		return
	}
	best.r.Handle(c)
}

// unknownOperation says which selector values matched no route, and only
// those: the rest of the query may hold a session token.
func unknownOperation(r *http.Request, q url.Values, routes []candidate) string {
	var keys []string
	for _, c := range routes {
		for _, s := range c.r.sels {
			if !slices.Contains(keys, s.key) {
				keys = append(keys, s.key)
			}
		}
	}
	slices.Sort(keys)
	var given, missing []string
	for _, k := range keys {
		vals, ok := q[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		for _, v := range vals {
			given = append(given, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	msg := "No operation " + r.Method + " " + r.URL.Path
	if len(given) > 0 {
		msg += "?" + strings.Join(given, "&")
	}
	if len(missing) > 0 {
		msg += " (no " + strings.Join(missing, ", no ") + " parameter)"
	}
	return msg
}

func (rt *Router) checkQuery(c *Call, r *route) bool {
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range c.Query {
			if !yield(k) {
				return
			}
		}
	}) {
		if !r.allowed[name] {
			c.Error(http.StatusBadRequest, CodeInvalidParameter, "unknown query parameter \""+name+"\"")
			return false
		}
		if len(c.Query[name]) != 1 && !r.multi[name] {
			c.Error(http.StatusBadRequest, CodeInvalidParameter, "query parameter \""+name+"\" given more than once")
			return false
		}
	}
	for _, s := range r.sels {
		if s.name != "" && c.Query.Get(s.key) == "" {
			c.Error(http.StatusBadRequest, CodeInvalidParameter, "required query parameter \""+s.key+"\" is missing")
			return false
		}
	}
	for _, name := range r.required {
		if c.Query.Get(name) == "" {
			c.Error(http.StatusBadRequest, CodeInvalidParameter, "required query parameter \""+name+"\" is missing")
			return false
		}
	}
	return true
}

func (rt *Router) checkBody(c *Call, r *route) bool {
	ct := c.R.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(ct)
	switch r.Body {
	case BodyNone:
		var one [1]byte
		if n, _ := io.ReadFull(c.R.Body, one[:]); n > 0 {
			c.Error(http.StatusBadRequest, CodeInvalidBody, "this endpoint takes no request body")
			return false
		}
	case BodyJSON, BodyForm:
		want := "application/json"
		if r.Body == BodyForm {
			want = "application/x-www-form-urlencoded"
		}
		data, err := io.ReadAll(io.LimitReader(c.R.Body, rt.cfg.MaxBody+1))
		if err != nil {
			c.Error(http.StatusBadRequest, CodeInvalidBody, "cannot read body: "+err.Error())
			return false
		}
		if int64(len(data)) > rt.cfg.MaxBody {
			c.Error(http.StatusRequestEntityTooLarge, CodeTooLarge, "request body too large")
			return false
		}
		if (len(data) > 0 || ct != "") && media != want {
			c.Error(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "Content type '"+ct+"' not supported; send "+want)
			return false
		}
		c.Body = data
		if r.Body == BodyForm {
			form, err := url.ParseQuery(string(data))
			if err != nil {
				c.Error(http.StatusBadRequest, CodeInvalidBody, "malformed form body: "+err.Error())
				return false
			}
			c.Form = form
		}
	case BodyMultipart:
		if media != "multipart/form-data" {
			c.Error(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "Content type '"+ct+"' not supported; send multipart/form-data")
			return false
		}
	}
	return true
}

// Call is one request on its way to a Route's Handle.
type Call struct {
	// W and R are the reply and the request.
	W http.ResponseWriter
	R *http.Request
	// Route is the route the request matched.
	Route *Route
	// Query is the decoded URL query.
	Query url.Values
	// Body is the whole request body for BodyJSON and BodyForm routes, nil
	// otherwise (a BodyMultipart or BodyAny handler reads R.Body).
	Body []byte
	// Form is the parsed body of a BodyForm route, nil otherwise.
	Form url.Values

	vars map[string]string
	errw ErrorWriter
}

// Var returns the value of the template variable name, unescaped: a path
// segment ("{id}") or a query value ("?path={path}"). It panics when the
// route's template has no such variable, a bug in the fake.
func (c *Call) Var(name string) string {
	v, ok := c.vars[name]
	if !ok {
		panic("fake: route " + c.Route.Method + " " + c.Route.Path + " has no variable " + name)
	}
	return v
}

// Error writes an error reply through the router's ErrorWriter.
func (c *Call) Error(status int, code, message string) {
	c.errw(c.W, c.R, status, code, message)
}

// JSON writes v as the JSON reply (see WriteJSON).
func (c *Call) JSON(status int, v any) { WriteJSON(c.W, status, v) }

// DecodeJSON decodes Body strictly into v (see DecodeJSON). When it refuses
// the body it answers 400 CodeInvalidBody with the reason and returns false.
func (c *Call) DecodeJSON(v any) bool {
	if err := DecodeJSON(c.Body, v); err != nil {
		c.Error(http.StatusBadRequest, CodeInvalidBody, err.Error())
		return false
	}
	return true
}

// DecodeForm checks Body strictly as a form (see DecodeForm). When it
// refuses the form it answers 400 CodeInvalidBody with the reason and
// returns false.
func (c *Call) DecodeForm(required, optional []string) (url.Values, bool) {
	form, err := DecodeForm(c.Body, required, optional)
	if err != nil {
		c.Error(http.StatusBadRequest, CodeInvalidBody, err.Error())
		return nil, false
	}
	return form, true
}

func defaultErrorWriter(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
	WriteJSON(w, status, map[string]string{"code": code, "message": message})
}

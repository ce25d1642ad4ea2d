package relutiontest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/rosterhq/roster/internal/fake"
)

// Defaults of a Server's credentials and seed; options change them.
const (
	// DefaultToken is the X-User-Access-Token a server accepts unless
	// WithToken says otherwise.
	DefaultToken = "relution-fake-token"
	// DefaultUsername is the Basic user a server accepts unless
	// WithBasicAuth says otherwise: the seeded user "admin".
	DefaultUsername = "admin"
	// DefaultPassword is DefaultUsername's Basic password.
	DefaultPassword = "relution-fake-password"
	// OrgUUID is the seeded organization "Organame", the UUID the vendor's
	// own script uses as its example.
	OrgUUID = "01995C17-6BD0-7F84-87E9-21A1498B386F"
	// OrgName is the seeded organization's name.
	OrgName = "Organame"
	// DefaultChunkSize is the chunk size the app upload asks for.
	DefaultChunkSize = 1 << 20
)

// Server is a running fake Relution server. Its fields are set by NewServer
// and must not be changed.
type Server struct {
	URL      string // base URL, without a trailing slash
	Token    string // accepted X-User-Access-Token
	Username string // accepted Basic user
	Password string // accepted Basic password
	OrgUUID  string // the seeded organization, upper case

	http *httptest.Server
	kit  *fake.Kit
	cfg  config

	mu sync.Mutex
	st *state
}

type config struct {
	token, user, pass string
	importPolls       int
	importFailure     bool
	devices           int
	users             []User
	chunkSize         int64
	now               func() time.Time
}

// Option configures NewServer.
type Option func(*config)

// WithToken sets the access token the server accepts. An empty token turns
// token authentication off, leaving Basic.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithBasicAuth sets the Basic credentials the server accepts. An empty user
// turns Basic authentication off.
func WithBasicAuth(user, pass string) Option {
	return func(c *config) { c.user, c.pass = user, pass }
}

// WithImportPolls sets how many polls of an import job answer RUNNING before
// the terminal state shows (default 2; negative counts as 0).
func WithImportPolls(n int) Option { return func(c *config) { c.importPolls = max(n, 0) } }

// WithImportFailure makes every import job end FAILED without importing
// anything, as when the server gives up on a job; the job's report is one
// FAILED line 1.
func WithImportFailure() Option { return func(c *config) { c.importFailure = true } }

// WithDevices adds n synthetic devices after the seeded ones. They are
// computed from their index rather than stored, so a server with 100,000 of
// them starts at once and costs almost no memory. Their platforms, statuses,
// ownerships and policy statuses cycle through all values; UUIDs start with
// "5E1F0000-".
func WithDevices(n int) Option { return func(c *config) { c.devices = max(n, 0) } }

// WithUsers adds users to the seed. A user without a UUID gets one; missing
// organization, version and dates are filled in.
func WithUsers(users ...User) Option {
	return func(c *config) { c.users = append(c.users, users...) }
}

// WithChunkSize sets the chunk size the app upload asks for (default
// DefaultChunkSize); values below 1 are ignored.
func WithChunkSize(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.chunkSize = n
		}
	}
}

// WithClock sets the clock for creation and modification dates, so that
// tests can compare them; the seed's own dates are fixed either way.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// NewServer starts a fake Relution server seeded with the sample data. The
// caller must Close it.
func NewServer(opts ...Option) *Server {
	cfg := config{
		token:       DefaultToken,
		user:        DefaultUsername,
		pass:        DefaultPassword,
		importPolls: 2,
		chunkSize:   DefaultChunkSize,
		now:         time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{
		Token:    cfg.token,
		Username: cfg.user,
		Password: cfg.pass,
		OrgUUID:  OrgUUID,
		cfg:      cfg,
	}
	s.st = newState(cfg)
	s.kit = fake.NewKit(writeError)
	s.http = httptest.NewServer(s.kit.Handler(http.HandlerFunc(s.serve)))
	s.URL = s.http.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Client returns an HTTP client for the server (no credentials attached).
func (s *Server) Client() *http.Client { return s.http.Client() }

// Kit returns the request log and fault injector in front of the server;
// it is how tests plan faults and read what the client sent. Faults match
// URL paths, such as "/api/management/v1/csvImport/job/*", and answer in
// Relution's error shape.
func (s *Server) Kit() *Kit { return s.kit }

// Kit is the request log and fault injector that Server.Kit returns. It is
// defined in an internal package; its methods are:
//
//	Inject(f Fault)         // plan a fault for the next matching requests
//	ClearFaults()           // drop the planned faults
//	Faults() []Fault        // the faults not used up yet
//	Requests() []Request    // every request received, in order
//	ResetRequests()         // empty the log
type Kit = fake.Kit

// Fault is a planned misbehaviour for Kit().Inject. It is defined in an
// internal package; its fields are:
//
//	Method, Path   string        // select requests; empty matches any; Path ignores case
//	                             // and matches as a prefix when it ends in "*"
//	Count          int           // how many matching requests (at least 1)
//	Status         int           // answer this status instead (nothing is applied)
//	RetryAfter     string        // Retry-After header sent with Status
//	Latency        time.Duration // delay before handling
//	DropAfterApply bool          // apply the change, then drop the connection unanswered
//
// For example, a 503 on the next device query:
//
//	srv.Kit().Inject(relutiontest.Fault{Method: "POST", Path: "/api/v2/devices/baseInfo/query", Status: 503})
type Fault = fake.Fault

// Request is one request of the log that Kit().Requests returns: Method,
// Path, Query (url.Values), Header, Body (the first 64 KiB) and BodySize.
type Request = fake.Request

func (s *Server) now() int64 { return s.cfg.now().UnixMilli() }

// uuidNamespace makes the server's new UUIDs deterministic: the n-th UUID a
// server hands out is the same in every run.
var uuidNamespace = uuid.MustParse("6BA7B812-9DAD-11D1-80B4-00C04FD430C8")

// newUUID must be called with s.mu held.
func (st *state) newUUID() string {
	st.seq++
	return strings.ToUpper(uuid.NewSHA1(uuidNamespace, []byte(strconv.FormatUint(st.seq, 10))).String())
}

// bodyKind is what a route expects as its request body.
type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyJSON
	bodyMultipart
)

// call is one request on its way through a route.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	vars map[string]string
	body []byte // JSON routes only
	org  string // tenantOrganizationUuid in upper case, or "" for no scope
}

func (c *call) v(name string) string { return c.vars[name] }

// route is one endpoint of the wire contract.
type route struct {
	method   string
	segs     []string
	params   []string // query parameters besides tenantOrganizationUuid
	required []string
	body     bodyKind
	handle   func(s *Server, c *call)
}

var listParams = []string{"limit", "offset", "getNonpagedCount", "getItems", "sortOrder", "filter"}

var routes = []route{
	{method: "POST", segs: split("/api/management/v1/csvImport/upload/users"), body: bodyMultipart, handle: (*Server).uploadUsersCSV},
	{method: "POST", segs: split("/api/v1/security/users/import/fromFile/{fileUuid}"), params: []string{"overwrite", "role", "csvSeparator"}, required: []string{"overwrite", "csvSeparator"}, handle: (*Server).startImport},
	{method: "GET", segs: split("/api/management/v1/csvImport/job/{jobUuid}"), handle: (*Server).getImportJob},
	{method: "POST", segs: split("/api/management/v1/csvImport/job/{jobUuid}/entityStates/query"), body: bodyJSON, handle: (*Server).queryEntityStates},
	{method: "POST", segs: split("/api/v1/security/organizations/creationWizardRequests"), body: bodyJSON, handle: (*Server).createOrganization},
	{method: "POST", segs: split("/api/v2/devices/baseInfo/query"), body: bodyJSON, handle: (*Server).queryDevices},
	{method: "POST", segs: split("/api/management/v1/security/users/baseInfo/query"), body: bodyJSON, handle: (*Server).queryUsers},
	{method: "GET", segs: split("/api/v1/security/users/{userUuid}"), handle: (*Server).getUser},
	{method: "PUT", segs: split("/api/v1/security/users/{userUuid}"), body: bodyJSON, handle: (*Server).updateUser},
	{method: "PUT", segs: split("/api/v1/security/users/{userUuid}/groups"), body: bodyJSON, handle: (*Server).setUserGroups},
	{method: "GET", segs: split("/api/management/v1/security/users/{userUuid}/groups"), handle: (*Server).getUserGroups},
	{method: "GET", segs: split("/api/v1/security/groups"), params: listParams, handle: (*Server).listGroups},
	{method: "GET", segs: split("/api/management/v1/security/groups/{groupUuid}/members"), params: []string{"recursive", "getItems", "getNonpagedCount", "limit", "offset", "filter"}, handle: (*Server).listMembers},
	{method: "POST", segs: split("/api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query"), body: bodyJSON, handle: (*Server).queryInstalledApps},
	{method: "GET", segs: split("/api/management/v1/devices/{deviceUuid}/installedApps"), params: []string{"getItems", "getNonpagedCount", "locale", "limit", "offset"}, handle: (*Server).listInstalledApps},
	{method: "GET", segs: split("/api/management/v1/devices/{deviceUuid}/actions"), params: []string{"limit", "offset", "sortOrder", "getItems", "getNonpagedCount", "getPings"}, handle: (*Server).listActions},
	{method: "GET", segs: split("/api/management/v1/devices/{deviceUuid}/actions/{actionUuid}"), handle: (*Server).getAction},
	{method: "GET", segs: split("/api/management/v1/content/apps/baseInfo"), params: []string{"extend", "locale", "getItems", "getNonpagedCount", "limit", "offset", "sortOrder", "filter"}, handle: (*Server).listApps},
	{method: "GET", segs: split("/api/management/v1/content/apps/{appUuid}/permissions/RELEASE"), handle: (*Server).getPermissions},
	{method: "GET", segs: split("/api/management/v1/content/apps/{appUuid}/icon"), handle: (*Server).getIcon},
	{method: "POST", segs: split("/api/management/v1/content/apps/{appUuid}/versions/{versionUuid}/deployments"), body: bodyJSON, handle: (*Server).deploy},
	{method: "POST", segs: split("/api/management/v1/content/apps/versions/file/upload"), body: bodyJSON, handle: (*Server).startUpload},
	{method: "POST", segs: split("/api/management/v1/content/apps/versions/file/upload/{resourceUuid}"), body: bodyMultipart, handle: (*Server).uploadChunk},
	{method: "POST", segs: split("/api/management/v1/content/apps/fromFile/{resourceUuid}"), handle: (*Server).appFromFile},
	{method: "POST", segs: split("/api/management/v1/content/apps"), body: bodyJSON, handle: (*Server).createApp},
}

func split(path string) []string { return strings.Split(strings.TrimPrefix(path, "/"), "/") }

// match returns the route's placeholders filled from path, and how many
// literal segments matched, so the most specific route wins
// (".../apps/fromFile/x" over ".../apps/{appUuid}/icon").
func (rt *route) match(segs []string) (map[string]string, int, bool) {
	if len(segs) != len(rt.segs) {
		return nil, 0, false
	}
	vars := map[string]string{}
	literal := 0
	for i, p := range rt.segs {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, 0, false
			}
			vars[p[1:len(p)-1]] = segs[i]
			continue
		}
		if segs[i] != p {
			return nil, 0, false
		}
		literal++
	}
	return vars, literal, true
}

// maxJSONBody bounds JSON bodies; none of the contract's is anywhere near.
const maxJSONBody = 16 << 20

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Relution checks credentials before it looks at the path, as any
	// servlet filter does.
	if !s.authorized(r) {
		writeError(w, r, http.StatusUnauthorized, "UNAUTHORIZED", "Full authentication is required to access this resource")
		return
	}
	segs := split(r.URL.Path)
	var best *route
	var bestVars map[string]string
	bestScore := -1
	var allowed []string
	for i := range routes {
		rt := &routes[i]
		vars, score, ok := rt.match(segs)
		if !ok {
			continue
		}
		if rt.method != r.Method {
			allowed = append(allowed, rt.method)
			continue
		}
		if score > bestScore {
			best, bestVars, bestScore = rt, vars, score
		}
	}
	if best == nil {
		if len(allowed) > 0 {
			sort.Strings(allowed)
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeError(w, r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Request method '"+r.Method+"' is not supported")
			return
		}
		writeError(w, r, http.StatusNotFound, "NOT_FOUND", "No endpoint "+r.Method+" "+r.URL.Path)
		return
	}
	c := &call{w: w, r: r, vars: bestVars}
	if !s.checkParams(c, best) || !s.checkBody(c, best) {
		return
	}
	best.handle(s, c)
}

func (s *Server) authorized(r *http.Request) bool {
	if len(r.Header.Values("X-User-Access-Token")) > 0 {
		return fake.CheckHeaderToken(r, "X-User-Access-Token", s.Token)
	}
	if _, _, ok := r.BasicAuth(); ok {
		return fake.CheckBasic(r, s.Username, s.Password)
	}
	return false
}

func (s *Server) checkParams(c *call, rt *route) bool {
	q, err := urlQuery(c.r)
	if err != nil {
		badRequest(c, "INVALID_PARAMETER", "malformed query string: "+err.Error())
		return false
	}
	for name, vals := range q {
		if name != "tenantOrganizationUuid" && !contains(rt.params, name) {
			badRequest(c, "INVALID_PARAMETER", "unknown query parameter \""+name+"\"")
			return false
		}
		if len(vals) != 1 {
			badRequest(c, "INVALID_PARAMETER", "query parameter \""+name+"\" given more than once")
			return false
		}
	}
	for _, name := range rt.required {
		if q.Get(name) == "" {
			badRequest(c, "INVALID_PARAMETER", "required query parameter \""+name+"\" is missing")
			return false
		}
	}
	if org, ok := q["tenantOrganizationUuid"]; ok {
		want := strings.ToUpper(org[0])
		s.mu.Lock()
		_, known := s.st.orgs[want]
		s.mu.Unlock()
		if !known {
			writeError(c.w, c.r, http.StatusNotFound, "ORGANIZATION_NOT_FOUND", "Organization "+org[0]+" not found")
			return false
		}
		c.org = want
	}
	return true
}

func (s *Server) checkBody(c *call, rt *route) bool {
	ct := c.r.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(ct)
	switch rt.body {
	case bodyNone:
		var one [1]byte
		if n, _ := io.ReadFull(c.r.Body, one[:]); n > 0 {
			badRequest(c, "INVALID_REQUEST_BODY", "this endpoint takes no request body")
			return false
		}
	case bodyJSON:
		data, err := io.ReadAll(io.LimitReader(c.r.Body, maxJSONBody+1))
		if err != nil {
			badRequest(c, "INVALID_REQUEST_BODY", "cannot read body: "+err.Error())
			return false
		}
		if len(data) > maxJSONBody {
			writeError(c.w, c.r, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "request body too large")
			return false
		}
		if (len(data) > 0 || ct != "") && media != "application/json" {
			writeError(c.w, c.r, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Content type '"+ct+"' not supported; send application/json")
			return false
		}
		c.body = data
	case bodyMultipart:
		if media != "multipart/form-data" {
			writeError(c.w, c.r, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Content type '"+ct+"' not supported; send multipart/form-data")
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeJSON writes v as a JSON reply of known length: Content-Length lets a client size its
// buffer once instead of growing it (a 500-device page is about 300 KB). The encoding is
// fake.WriteJSON's.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "relutiontest: cannot encode reply: "+err.Error(), http.StatusInternalServerError)
		return
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorBody is Relution's error shape (mwaylabs/relution-jenkins-plugin's post-apps-422.json).
type errorBody struct {
	Status    string         `json:"status"`
	Message   string         `json:"message"`
	Errors    map[string]any `json:"errors"`
	Exception errorException `json:"exception"`
	Total     int            `json:"total"`
	Results   []any          `json:"results"`
}

type errorException struct {
	ClassName  string `json:"className"`
	Cause      any    `json:"cause"`
	ErrorCode  string `json:"errorCode"`
	HTTPStatus int    `json:"httpStatus"`
	Message    string `json:"message"`
}

func writeError(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
	writeJSON(w, status, errorBody{
		Status:  "-1",
		Message: message,
		Errors:  map[string]any{},
		Exception: errorException{
			ClassName:  "com.mwaysolutions.relution.common.domain.RelutionException",
			ErrorCode:  code,
			HTTPStatus: status,
			Message:    message,
		},
		Results: []any{},
	})
}

func badRequest(c *call, code, message string) {
	writeError(c.w, c.r, http.StatusBadRequest, code, message)
}

func notFound(c *call, code, message string) {
	writeError(c.w, c.r, http.StatusNotFound, code, message)
}

// queryFailed answers a query that could not be parsed or compiled.
func queryFailed(c *call, err error) {
	if qe, ok := err.(*queryError); ok {
		badRequest(c, qe.code, qe.msg)
		return
	}
	badRequest(c, "INVALID_QUERY", err.Error())
}

// resultsBody is the "results" envelope.
type resultsBody[T any] struct {
	Status        string         `json:"status"`
	Message       string         `json:"message"`
	Errors        map[string]any `json:"errors"`
	Total         int            `json:"total"`
	Results       []T            `json:"results"`
	NonpagedCount *int           `json:"nonpagedCount,omitempty"`
}

func writeResults[T any](c *call, status int, results []T, nonpaged *int) {
	if results == nil {
		results = []T{}
	}
	writeJSON(c.w, status, resultsBody[T]{
		Status:        "0",
		Errors:        map[string]any{},
		Total:         len(results),
		Results:       results,
		NonpagedCount: nonpaged,
	})
}

// itemsBody is the "items" envelope of the security group lists.
type itemsBody[T any] struct {
	Items         []T  `json:"items"`
	NonpagedCount *int `json:"nonpagedCount,omitempty"`
}

func writeItems[T any](c *call, items []T, nonpaged *int) {
	if items == nil {
		items = []T{}
	}
	writeJSON(c.w, http.StatusOK, itemsBody[T]{Items: items, NonpagedCount: nonpaged})
}

// respondPage pages all as q asks and writes it in the results envelope.
// respondQuery answers a list query over items: filter, sort, page.
func respondQuery[T any](c *call, items []T, sch *schema[T], q listQuery) {
	matches, err := selectItems(len(items), func(i int) T { return items[i] }, sch, q)
	if err != nil {
		queryFailed(c, err)
		return
	}
	respondPage(c, matches, q)
}

func respondPage[T any](c *call, all []T, q listQuery) {
	writeResults(c, http.StatusOK, page(all, q), nonpagedCount(len(all), q))
}

func nonpagedCount(n int, q listQuery) *int {
	if !q.nonpaged {
		return nil
	}
	return &n
}

// inOrg says whether an object of organization org is visible under the
// call's tenant scope.
func (c *call) inOrg(org string) bool { return c.org == "" || strings.EqualFold(c.org, org) }

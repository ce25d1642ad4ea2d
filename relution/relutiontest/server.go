package relutiontest

import (
	"net/http"
	"net/http/httptest"
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
	router := fake.NewRouter(fake.RouterConfig{
		Auth:    s.auth,
		Error:   writeError,
		Query:   []string{"tenantOrganizationUuid"},
		Check:   s.checkOrg,
		MaxBody: maxJSONBody,
	}, s.routes())
	s.http = httptest.NewServer(s.kit.Handler(router))
	s.URL = s.http.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Client returns a plain HTTP client for the server (no credentials
// attached); NewClient returns a relution.Client.
func (s *Server) Client() *http.Client { return s.http.Client() }

// Kit returns the request log and fault injector in front of the server;
// it is how tests plan faults and read what the client sent. Faults match
// methods and URL paths, such as "/api/management/v1/csvImport/job/*" or the
// catalogue's "/api/v1/security/users/{userUuid}"; an injected status is
// answered with a plain-text body, as a proxy in front of Relution would
// answer.
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
//	Method, Path   string        // select requests; empty matches any; Path ignores case,
//	                             // matches as a prefix when it ends in "*", and takes
//	                             // "{name}" for any one segment
//	Query          string        // further selects by parameters, e.g. "overwrite=true"
//	Count          int           // how many matching requests (at least 1)
//	Status         int           // answer this status instead (nothing is applied)
//	RetryAfter     string        // Retry-After header sent with Status
//	Latency        time.Duration // delay before handling
//	DropAfterApply bool          // apply the change, then drop the connection unanswered
//
// go doc github.com/rosterhq/roster/internal/fake Fault shows the rest. For
// example, a 503 on the next device query:
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

// call is one request on its way through a route: the fake kit's Call, with the tenant
// scope read from its query.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	fc   *fake.Call
	body []byte // JSON routes only
	org  string // tenantOrganizationUuid in upper case, or "" for no scope
}

func (c *call) v(name string) string { return c.fc.Var(name) }

var listParams = []string{"limit", "offset", "getNonpagedCount", "getItems", "sortOrder", "filter"}

// routes is the wire contract: one route per catalogue row the fake serves, its template
// exactly as endpoints.tsv writes it.
func (s *Server) routes() []fake.Route {
	r := func(method, path string, body fake.Body, h func(*Server, *call), query ...string) fake.Route {
		return fake.Route{Method: method, Path: path, Body: body, Query: query, Handle: s.handle(h)}
	}
	start := r("POST", "/api/v1/security/users/import/fromFile/{fileUuid}", fake.BodyNone, (*Server).startImport, "role")
	start.Required = []string{"overwrite", "csvSeparator"}
	return []fake.Route{
		r("POST", "/api/management/v1/csvImport/upload/users", fake.BodyMultipart, (*Server).uploadUsersCSV),
		start,
		r("GET", "/api/management/v1/csvImport/job/{jobUuid}", fake.BodyNone, (*Server).getImportJob),
		r("POST", "/api/management/v1/csvImport/job/{jobUuid}/entityStates/query", fake.BodyJSON, (*Server).queryEntityStates),
		r("POST", "/api/v1/security/organizations/creationWizardRequests", fake.BodyJSON, (*Server).createOrganization),
		r("POST", "/api/v2/devices/baseInfo/query", fake.BodyJSON, (*Server).queryDevices),
		r("POST", "/api/management/v1/security/users/baseInfo/query", fake.BodyJSON, (*Server).queryUsers),
		r("GET", "/api/v1/security/users/{userUuid}", fake.BodyNone, (*Server).getUser),
		r("PUT", "/api/v1/security/users/{userUuid}", fake.BodyJSON, (*Server).updateUser),
		r("PUT", "/api/v1/security/users/{userUuid}/groups", fake.BodyJSON, (*Server).setUserGroups),
		r("GET", "/api/management/v1/security/users/{userUuid}/groups", fake.BodyNone, (*Server).getUserGroups),
		r("GET", "/api/v1/security/groups", fake.BodyNone, (*Server).listGroups, listParams...),
		r("GET", "/api/management/v1/security/groups/{groupUuid}/members", fake.BodyNone, (*Server).listMembers, "recursive", "getItems", "getNonpagedCount", "limit", "offset", "filter"),
		r("POST", "/api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query", fake.BodyJSON, (*Server).queryInstalledApps),
		r("GET", "/api/management/v1/devices/{deviceUuid}/installedApps", fake.BodyNone, (*Server).listInstalledApps, "getItems", "getNonpagedCount", "locale", "limit", "offset"),
		r("GET", "/api/management/v1/devices/{deviceUuid}/actions", fake.BodyNone, (*Server).listActions, "limit", "offset", "sortOrder", "getItems", "getNonpagedCount", "getPings"),
		r("GET", "/api/management/v1/devices/{deviceUuid}/actions/{actionUuid}", fake.BodyNone, (*Server).getAction),
		r("GET", "/api/management/v1/content/apps/baseInfo", fake.BodyNone, (*Server).listApps, "extend", "locale", "getItems", "getNonpagedCount", "limit", "offset", "sortOrder", "filter"),
		r("GET", "/api/management/v1/content/apps/{appUuid}/permissions/RELEASE", fake.BodyNone, (*Server).getPermissions),
		r("GET", "/api/management/v1/content/apps/{appUuid}/icon", fake.BodyNone, (*Server).getIcon),
		r("POST", "/api/management/v1/content/apps/{appUuid}/versions/{versionUuid}/deployments", fake.BodyJSON, (*Server).deploy),
		r("POST", "/api/management/v1/content/apps/versions/file/upload", fake.BodyJSON, (*Server).startUpload),
		r("POST", "/api/management/v1/content/apps/versions/file/upload/{resourceUuid}", fake.BodyMultipart, (*Server).uploadChunk),
		r("POST", "/api/management/v1/content/apps/fromFile/{resourceUuid}", fake.BodyNone, (*Server).appFromFile),
		r("POST", "/api/management/v1/content/apps", fake.BodyJSON, (*Server).createApp),
	}
}

// handle adapts a handler of the fake to the kit's router.
func (s *Server) handle(h func(*Server, *call)) func(*fake.Call) {
	return func(fc *fake.Call) {
		c := &call{w: fc.W, r: fc.R, fc: fc, body: fc.Body}
		if org, ok := fc.Query["tenantOrganizationUuid"]; ok {
			c.org = strings.ToUpper(org[0])
		}
		h(s, c)
	}
}

// maxJSONBody bounds JSON bodies; none of the contract's is anywhere near.
const maxJSONBody = 16 << 20

// auth lets a request with the server's token or Basic credentials through. Relution checks
// credentials before it looks at the path, as any servlet filter does.
func (s *Server) auth(w http.ResponseWriter, r *http.Request) bool {
	if s.authorized(r) {
		return true
	}
	writeError(w, r, http.StatusUnauthorized, "UNAUTHORIZED", "Full authentication is required to access this resource")
	return false
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

// checkOrg refuses a tenantOrganizationUuid the server does not know.
func (s *Server) checkOrg(fc *fake.Call) bool {
	org, ok := fc.Query["tenantOrganizationUuid"]
	if !ok {
		return true
	}
	s.mu.Lock()
	_, known := s.st.orgs[strings.ToUpper(org[0])]
	s.mu.Unlock()
	if !known {
		writeError(fc.W, fc.R, http.StatusNotFound, "ORGANIZATION_NOT_FOUND", "Organization "+org[0]+" not found")
		return false
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
	fake.WriteJSON(w, status, errorBody{
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
	fake.WriteJSON(c.w, status, resultsBody[T]{
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
	fake.WriteJSON(c.w, http.StatusOK, itemsBody[T]{Items: items, NonpagedCount: nonpaged})
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

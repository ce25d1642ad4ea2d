package relativitytest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rosterhq/roster/internal/fake"
)

// ErrorType values the fake answers with (API error handling page).
const (
	validationType  = "Relativity.Services.Exceptions.ValidationException"
	notFoundType    = "Relativity.Services.Exceptions.NotFoundException"
	conflictType    = "Relativity.Services.Exceptions.ConflictException"
	concurrencyType = "Relativity.Services.Exceptions.DataConcurrencyException"
)

type handler func(s *Server, w http.ResponseWriter, r *http.Request, p map[string]string)

// param is a query parameter a route accepts, with the kind of value it takes.
type param struct {
	name string
	kind string // "bool" or "int01"
}

type route struct {
	method string
	path   []string // segments, unescaped; "{name}" captures
	query  []param
	handle handler
}

const identity = "/Relativity.REST/api/Relativity-Identity/{versionNumber}"

var getOpts = []param{{"includeMetadata", "bool"}, {"includeActions", "bool"}}

// routes are the catalogue's rows, each with its handler.
var routes = []route{
	r("POST", identity+"/users", nil, (*Server).createUser),
	r("GET", identity+"/users/available-types", nil, (*Server).availableTypes),
	r("GET", identity+"/users/me/settings", getOpts, (*Server).getSettings),
	r("PUT", identity+"/users/me/settings", nil, (*Server).putSettings),
	r("POST", identity+"/users/query-eligible-groups", nil, (*Server).eligibleGroups),
	r("GET", identity+"/users/{userID}", getOpts, (*Server).getUser),
	r("PUT", identity+"/users/{userID}", nil, (*Server).putUser),
	r("DELETE", identity+"/users/{userID}", nil, (*Server).deleteUser),
	r("GET", identity+"/workspaces/{workspaceID}/users/me", nil, (*Server).workspaceMe),
	r("GET", identity+"/workspaces/{workspaceID}/all-users", []param{{"includeDeleted", "bool"}}, (*Server).allUsers),
	r("GET", identity+"/workspaces/{workspaceID}/active-users",
		[]param{{"includeCurrentUser", "int01"}, {"enforceChoiceLimitForUI", "bool"}}, (*Server).activeUsers),
	r("GET", identity+"/workspaces/{workspaceID}/users-with-access", nil, (*Server).usersWithAccess),
	r("POST", identity+"/workspaces/{workspaceID}/query-users", nil, (*Server).queryUsers),
	r("POST", identity+"/groups", nil, (*Server).createGroup),
	r("GET", identity+"/groups/{groupID}", getOpts, (*Server).getGroup),
	r("PUT", identity+"/groups/{groupID}", nil, (*Server).putGroup),
	r("DELETE", identity+"/groups/{groupID}", nil, (*Server).deleteGroup),
	r("POST", identity+"/groups/{groupID}/members", nil, (*Server).addMembers),
	r("DELETE", identity+"/groups/{groupID}/members", nil, (*Server).removeMembers),
	r("POST", "/Relativity.REST/api/Relativity.groups/workspace/-1/groups/query-by-user/{userID}", nil, (*Server).groupsByUser),
	r("POST", identity+"/workspaces/-1/clients", nil, (*Server).createClient),
	r("GET", identity+"/workspaces/-1/clients/eligible-statuses", nil, (*Server).clientStatuses),
	r("GET", identity+"/workspaces/-1/clients/{clientID}", nil, (*Server).getClient),
	r("PUT", identity+"/workspaces/-1/clients/{clientID}", nil, (*Server).putClient),
	r("DELETE", identity+"/workspaces/-1/clients/{clientID}", nil, (*Server).deleteClient),
	r("POST", "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login Profile Manager/SaveLoginProfileAsync", nil, (*Server).saveLoginProfile),
	r("POST", "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login Profile Manager/SetPasswordAsync", nil, (*Server).setPassword),
	r("POST", "/Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby", nil, (*Server).retrieveUsersBy),
	r("GET", "/Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveall", nil, (*Server).retrieveAll),
}

func r(method, path string, q []param, h handler) route {
	return route{method: method, path: strings.Split(strings.Trim(path, "/"), "/"), query: q, handle: h}
}

// match finds the route of r. Literal segments match without regard to case, as
// Relativity's IIS does; a literal segment beats a placeholder ("available-types" is not a
// user ID). Without a route for the method, allowed lists the methods the path has.
func match(req *http.Request) (*route, map[string]string, []string) {
	segs := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	var allowed []string
	var best *route
	var bestParams map[string]string
	bestLiterals := -1
	for i := range routes {
		rt := &routes[i]
		params, literals, ok := matchPath(rt.path, segs)
		if !ok {
			continue
		}
		if rt.method != req.Method {
			if !slices.Contains(allowed, rt.method) {
				allowed = append(allowed, rt.method)
			}
			continue
		}
		if literals > bestLiterals {
			best, bestParams, bestLiterals = rt, params, literals
		}
	}
	if best != nil {
		return best, bestParams, nil
	}
	return nil, nil, allowed
}

func matchPath(tmpl, segs []string) (map[string]string, int, bool) {
	if len(tmpl) != len(segs) {
		return nil, 0, false
	}
	params := map[string]string{}
	literals := 0
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") {
			if segs[i] == "" {
				return nil, 0, false
			}
			params[strings.Trim(t, "{}")] = segs[i]
			continue
		}
		if !strings.EqualFold(t, segs[i]) {
			return nil, 0, false
		}
		literals++
	}
	return params, literals, true
}

// checkQuery refuses unknown query parameters and values of the wrong kind.
func checkQuery(r *http.Request, allowed []param) string {
	q := r.URL.Query()
	for name, vals := range q {
		i := slices.IndexFunc(allowed, func(p param) bool { return p.name == name })
		if i < 0 {
			return "Unknown query parameter '" + name + "'."
		}
		if len(vals) != 1 {
			return "Query parameter '" + name + "' given more than once."
		}
		switch allowed[i].kind {
		case "bool":
			if _, err := strconv.ParseBool(vals[0]); err != nil || (vals[0] != "true" && vals[0] != "false" && vals[0] != "True" && vals[0] != "False") {
				return "Query parameter '" + name + "' must be true or false, got '" + vals[0] + "'."
			}
		case "int01":
			if vals[0] != "0" && vals[0] != "1" {
				return "Query parameter '" + name + "' must be the integer 0 or 1, got '" + vals[0] + "'."
			}
		}
	}
	return ""
}

func queryBool(r *http.Request, name string) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return b
}

// errorReply is Relativity's error body.
type errorReply struct {
	ErrorType  string `json:"ErrorType"`
	Identifier string `json:"Identifier"`
	Message    string `json:"Message"`
}

// writeError answers status with Relativity's error body, or with no body when errorType and
// message are both empty (a 401, or IIS's 404 for a missing CSRF header).
func writeError(w http.ResponseWriter, status int, errorType, message string) {
	if errorType == "" && message == "" {
		w.WriteHeader(status)
		return
	}
	fake.WriteJSON(w, status, errorReply{ErrorType: errorType, Message: message})
}

func badRequest(w http.ResponseWriter, format string) {
	writeError(w, http.StatusBadRequest, validationType, format)
}

// decode reads the body strictly into v; a bad body is answered with 400 and false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		badRequest(w, "Content-Type must be application/json, got '"+ct+"'.")
		return false
	}
	if err := fake.DecodeJSON([]byte(b.String()), v); err != nil {
		badRequest(w, "The request could not be deserialized: "+err.Error())
		return false
	}
	return true
}

// authorized checks Basic credentials or a live bearer token.
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.user != "" && fake.CheckBasic(r, s.cfg.user, s.cfg.pass) {
		return true
	}
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.st.tokens[tok]
	return ok && s.cfg.now().Before(exp)
}

// token is the OAuth2 token endpoint: client credentials in the form, as Relativity's
// clients send them (REST API authentication page).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	oauthErr := func(status int, code string) {
		fake.WriteJSON(w, status, map[string]string{"error": code})
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		oauthErr(http.StatusBadRequest, "invalid_request")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthErr(http.StatusBadRequest, "invalid_request")
		return
	}
	form := r.PostForm
	for k := range form {
		switch k {
		case "grant_type", "client_id", "client_secret", "scope":
		default:
			oauthErr(http.StatusBadRequest, "invalid_request")
			return
		}
	}
	if form.Get("grant_type") != "client_credentials" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	if s.cfg.clientID == "" || !sameSecret(form, s.cfg.clientID, s.cfg.clientSecret) {
		oauthErr(http.StatusBadRequest, "invalid_client")
		return
	}
	if sc := form.Get("scope"); sc != "SystemUserInfo" && sc != "UserInfoAccess" {
		oauthErr(http.StatusBadRequest, "invalid_scope")
		return
	}
	var raw [24]byte
	_, _ = rand.Read(raw[:])
	tok := hex.EncodeToString(raw[:])
	s.mu.Lock()
	s.st.tokens[tok] = s.cfg.now().Add(s.cfg.tokenLifetime)
	s.st.issued++
	s.mu.Unlock()
	fake.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int(s.cfg.tokenLifetime / time.Second),
	})
}

func sameSecret(form url.Values, id, secret string) bool {
	a := subtle.ConstantTimeCompare([]byte(form.Get("client_id")), []byte(id))
	b := subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(secret))
	return a&b == 1
}

func writeJSON(w http.ResponseWriter, status int, v any) { fake.WriteJSON(w, status, v) }

package relativitytest

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// ErrorType values the fake answers with (API error handling page).
const (
	validationType  = "Relativity.Services.Exceptions.ValidationException"
	notFoundType    = "Relativity.Services.Exceptions.NotFoundException"
	conflictType    = "Relativity.Services.Exceptions.ConflictException"
	concurrencyType = "Relativity.Services.Exceptions.DataConcurrencyException"
	serviceType     = "Relativity.Services.Exceptions.ServiceException"
)

// Kinds of query values the routes check beyond the router's own checks.
const (
	kindBool  = "bool"  // true or false
	kindInt01 = "int01" // the integer 0 or 1 (includeCurrentUser)
)

// queryKinds says what each query parameter of the catalogue takes.
var queryKinds = map[string]string{
	"includeMetadata":         kindBool,
	"includeActions":          kindBool,
	"includeDeleted":          kindBool,
	"enforceChoiceLimitForUI": kindBool,
	"includeCurrentUser":      kindInt01,
}

const identity = "/Relativity.REST/api/Relativity-Identity/{versionNumber}"

// routes are the catalogue's rows, each with its handler, and the token endpoint.
func (s *Server) routes() []fake.Route {
	getOpts := []string{"includeMetadata", "includeActions"}
	j := fake.BodyJSON
	return []fake.Route{
		{Method: "POST", Path: TokenURL, Body: fake.BodyAny, Public: true, Handle: s.tokens.Handle},
		{Method: "POST", Path: identity + "/users", Body: j, Handle: s.createUser},
		{Method: "GET", Path: identity + "/users/available-types", Handle: s.availableTypes},
		{Method: "GET", Path: identity + "/users/me/settings", Query: getOpts, Handle: s.getSettings},
		{Method: "PUT", Path: identity + "/users/me/settings", Body: j, Handle: s.putSettings},
		{Method: "POST", Path: identity + "/users/query-eligible-groups", Body: j, Handle: s.eligibleGroups},
		{Method: "GET", Path: identity + "/users/{userID}", Query: getOpts, Handle: s.getUser},
		{Method: "PUT", Path: identity + "/users/{userID}", Body: j, Handle: s.putUser},
		{Method: "DELETE", Path: identity + "/users/{userID}", Handle: s.deleteUser},
		{Method: "GET", Path: identity + "/workspaces/{workspaceID}/users/me", Handle: s.workspaceMe},
		{Method: "GET", Path: identity + "/workspaces/{workspaceID}/all-users", Query: []string{"includeDeleted"}, Handle: s.allUsers},
		{Method: "GET", Path: identity + "/workspaces/{workspaceID}/active-users",
			Query: []string{"includeCurrentUser", "enforceChoiceLimitForUI"}, Handle: s.activeUsers},
		{Method: "GET", Path: identity + "/workspaces/{workspaceID}/users-with-access", Handle: s.usersWithAccess},
		{Method: "POST", Path: identity + "/workspaces/{workspaceID}/query-users", Body: j, Handle: s.queryUsers},
		{Method: "POST", Path: identity + "/groups", Body: j, Handle: s.createGroup},
		{Method: "GET", Path: identity + "/groups/{groupID}", Query: getOpts, Handle: s.getGroup},
		{Method: "PUT", Path: identity + "/groups/{groupID}", Body: j, Handle: s.putGroup},
		{Method: "DELETE", Path: identity + "/groups/{groupID}", Handle: s.deleteGroup},
		{Method: "POST", Path: identity + "/groups/{groupID}/members", Body: j, Handle: s.addMembers},
		{Method: "DELETE", Path: identity + "/groups/{groupID}/members", Body: j, Handle: s.removeMembers},
		{Method: "POST", Path: "/Relativity.REST/api/Relativity.groups/workspace/-1/groups/query-by-user/{userID}", Body: j, Handle: s.groupsByUser},
		{Method: "POST", Path: identity + "/workspaces/-1/clients", Body: j, Handle: s.createClient},
		{Method: "GET", Path: identity + "/workspaces/-1/clients/eligible-statuses", Handle: s.clientStatuses},
		{Method: "GET", Path: identity + "/workspaces/-1/clients/{clientID}", Handle: s.getClient},
		{Method: "PUT", Path: identity + "/workspaces/-1/clients/{clientID}", Body: j, Handle: s.putClient},
		{Method: "DELETE", Path: identity + "/workspaces/-1/clients/{clientID}", Handle: s.deleteClient},
		{Method: "POST", Path: "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SaveLoginProfileAsync", Body: j, Handle: s.saveLoginProfile},
		{Method: "POST", Path: "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SetPasswordAsync", Body: j, Handle: s.setPassword},
		{Method: "POST", Path: "/Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby", Body: j, Handle: s.retrieveUsersBy},
		{Method: "GET", Path: "/Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveall", Handle: s.retrieveAll},
	}
}

// check runs after the router's checks: the API version the fake serves, and the kinds of
// query values (includeCurrentUser is an integer, the flags are booleans).
func (s *Server) check(c *fake.Call) bool {
	if c.Route.Public {
		return true
	}
	if strings.HasPrefix(c.Route.Path, identity) {
		if ver := c.Var("versionNumber"); ver != "v1" {
			writeError(c.W, c.R, http.StatusNotFound, "Relativity.Services.Exceptions.ServiceNotFoundException", "No service version "+ver)
			return false
		}
	}
	for name, vals := range c.Query {
		v := vals[0]
		switch queryKinds[name] {
		case kindBool:
			if v != "true" && v != "false" && v != "True" && v != "False" {
				writeError(c.W, c.R, http.StatusBadRequest, validationType, "Query parameter '"+name+"' must be true or false, got '"+v+"'.")
				return false
			}
		case kindInt01:
			if v != "0" && v != "1" {
				writeError(c.W, c.R, http.StatusBadRequest, validationType, "Query parameter '"+name+"' must be the integer 0 or 1, got '"+v+"'.")
				return false
			}
		}
	}
	return true
}

func queryBool(c *fake.Call, name string) bool {
	b, _ := strconv.ParseBool(c.Query.Get(name))
	return b
}

// errorReply is Relativity's error body.
type errorReply struct {
	ErrorType  string `json:"ErrorType"`
	Identifier string `json:"Identifier"`
	Message    string `json:"Message"`
}

// writeError answers status with Relativity's error body; code is an ErrorType, or one of
// the router's codes, mapped onto the exception the server would name. With neither code
// nor message the reply has no body (a 401, or IIS's 404 for a missing CSRF header).
func writeError(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
	if code == "" && message == "" {
		w.WriteHeader(status)
		return
	}
	switch code {
	case fake.CodeNotFound, fake.CodeUnknownOperation:
		code = "Relativity.Services.Exceptions.ServiceNotFoundException"
	case fake.CodeInvalidBody, fake.CodeInvalidParameter, fake.CodeUnsupportedMediaType, fake.CodeTooLarge:
		code = validationType
	case fake.CodeMethodNotAllowed, fake.CodeInjectedFault:
		code = serviceType
	}
	fake.WriteJSON(w, status, errorReply{ErrorType: code, Message: message})
}

func badRequest(w http.ResponseWriter, message string) {
	writeError(w, nil, http.StatusBadRequest, validationType, message)
}

// authorized checks Basic credentials or a live bearer token; a refusal is a 401 with
// Relativity's WWW-Authenticate and no body (REST API authentication page).
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.user != "" && checkBasicLatin1(r, s.cfg.user, s.cfg.pass) {
		return true
	}
	if s.cfg.clientID != "" {
		if _, err := s.tokens.Check(r); err == nil {
			return true
		}
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="Relativity.REST"`)
	w.WriteHeader(http.StatusUnauthorized)
	return false
}

// checkBasicLatin1 reports whether r carries Basic credentials equal to user and pass, the
// header decoded as ISO-8859-1, the encoding of the vendor's sample client. Both parts are
// compared in constant time.
func checkBasicLatin1(r *http.Request, user, pass string) bool {
	h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic ")
	if !ok {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return false
	}
	runes := make([]rune, len(raw))
	for i, b := range raw {
		runes[i] = rune(b)
	}
	gotUser, gotPass, ok := strings.Cut(string(runes), ":")
	if !ok {
		return false
	}
	u := subtle.ConstantTimeCompare([]byte(gotUser), []byte(user))
	p := subtle.ConstantTimeCompare([]byte(gotPass), []byte(pass))
	return u&p == 1
}

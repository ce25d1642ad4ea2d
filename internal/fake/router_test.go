package fake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echo answers with what the handler saw, so the tests can check routing.
func echo(name string, vars ...string) func(c *Call) {
	return func(c *Call) {
		got := map[string]any{"route": name}
		for _, v := range vars {
			got[v] = c.Var(v)
		}
		if c.Form != nil {
			got["form"] = c.Form
		}
		if c.Body != nil {
			got["body"] = string(c.Body)
		}
		c.JSON(http.StatusOK, got)
	}
}

func testRouter(t *testing.T, check func(c *Call) bool) *Router {
	t.Helper()
	auth := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") == "Bearer good" {
			return true
		}
		w.Header().Set("WWW-Authenticate", "Bearer")
		WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return false
	}
	return NewRouter(RouterConfig{Auth: auth, Query: []string{"tenant"}, Check: check, MaxBody: 64}, []Route{
		{Method: "GET", Path: "/api/users/{id}", Handle: echo("getUser", "id")},
		{Method: "PUT", Path: "/api/users/{id}", Body: BodyJSON, Handle: echo("putUser", "id")},
		{Method: "DELETE", Path: "/api/users/{id}", Handle: echo("deleteUser", "id")},
		{Method: "GET", Path: "/api/users/me", Handle: echo("me")},
		{Method: "GET", Path: "/api/users", Query: []string{"limit", "email"}, Multi: []string{"sort"}, Handle: echo("listUsers")},
		{Method: "GET", Path: "/api/groups?path={path}", Handle: echo("groupByPath", "path")},
		{Method: "GET", Path: "/api/groups", Required: []string{"limit"}, Handle: echo("listGroups")},
		{Method: "POST", Path: "/global/api/user.cfc?method=add", Body: BodyForm, Handle: echo("add")},
		{Method: "POST", Path: "/global/api/user.cfc?method=update", Body: BodyForm, Handle: echo("update")},
		{Method: "POST", Path: "/global/api/user.cfc?method=delete", Body: BodyForm, Handle: echo("delete")},
		{Method: "POST", Path: "/global/api/authentication.cfc?method=login", Body: BodyForm, Public: true, Handle: echo("login")},
		{Method: "POST", Path: "/a/{x}/c/{y}", Handle: echo("a-x-c-y", "x", "y")},
		{Method: "POST", Path: "/a/b/{z}/d", Handle: echo("a-b-z-d", "z")},
		{Method: "POST", Path: "/a/{x}/{w}/d", Handle: echo("a-x-w-d", "x", "w")},
		{Method: "POST", Path: "/upload", Body: BodyMultipart, Handle: func(c *Call) {
			mr, err := c.R.MultipartReader()
			if err != nil {
				c.Error(400, "X", err.Error())
				return
			}
			p, _ := mr.NextPart()
			b, _ := io.ReadAll(p)
			c.JSON(200, map[string]string{"route": "upload", "part": string(b)})
		}},
		{Method: "POST", Path: "/token", Body: BodyAny, Public: true, Handle: func(c *Call) {
			b, _ := io.ReadAll(c.R.Body)
			c.JSON(200, map[string]string{"route": "token", "raw": string(b)})
		}},
	})
}

type reply struct {
	status int
	header http.Header
	body   string
}

func serve(h http.Handler, method, target, ct, body string, auth bool) reply {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	if auth {
		r.Header.Set("Authorization", "Bearer good")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return reply{w.Code, w.Header(), w.Body.String()}
}

func TestRouterPicksRoute(t *testing.T) {
	t.Parallel()
	rt := testRouter(t, nil)
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, target, ct, body string
		want                           string
	}{
		{"path variable", "GET", "/api/users/42", "", "", `{"id":"42","route":"getUser"}`},
		{"escaped slash stays in its segment", "GET", "/api/users/a%2Fb", "", "", `{"id":"a/b","route":"getUser"}`},
		{"literal beats variable", "GET", "/api/users/me", "", "", `{"route":"me"}`},
		{"method picks among same path", "DELETE", "/api/users/7", "", "", `{"id":"7","route":"deleteUser"}`},
		{"json body", "PUT", "/api/users/7", "application/json; charset=utf-8", `{"a":1}`, `{"body":"{\"a\":1}","id":"7","route":"putUser"}`},
		{"query variable selects", "GET", "/api/groups?path=%2FSales%2FBerlin", "", "", `{"path":"/Sales/Berlin","route":"groupByPath"}`},
		{"without the query variable", "GET", "/api/groups?limit=5", "", "", `{"route":"listGroups"}`},
		{"literal query selects add", "POST", "/global/api/user.cfc?method=add", form, "a=1", `{"body":"a=1","form":{"a":["1"]},"route":"add"}`},
		{"literal query selects delete", "POST", "/global/api/user.cfc?method=delete", form, "", `{"body":"","form":{},"route":"delete"}`},
		{"empty form without content type", "POST", "/global/api/user.cfc?method=update", "", "", `{"body":"","form":{},"route":"update"}`},
		{"more literals win", "POST", "/a/b/c/d", "", "", `{"route":"a-b-z-d","z":"c"}`},
		{"leftmost literal breaks a tie", "POST", "/a/q/c/d", "", "", `{"route":"a-x-c-y","x":"q","y":"d"}`},
		{"common query parameter", "GET", "/api/users?tenant=t1&limit=2", "", "", `{"route":"listUsers"}`},
		{"multi parameter may repeat", "GET", "/api/users?sort=a&sort=b", "", "", `{"route":"listUsers"}`},
		{"multipart streamed", "POST", "/upload", "multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nhello\r\n--X--\r\n", `{"part":"hello","route":"upload"}`},
		{"any body left to handler", "POST", "/token", "text/odd", "grant_type=x", `{"raw":"grant_type=x","route":"token"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := serve(rt, tt.method, tt.target, tt.ct, tt.body, true)
			if got.status != 200 || got.body != tt.want {
				t.Errorf("%s %s = %d %s, want 200 %s", tt.method, tt.target, got.status, got.body, tt.want)
			}
		})
	}
}

func TestRouterRefuses(t *testing.T) {
	t.Parallel()
	rt := testRouter(t, nil)
	tests := []struct {
		name, method, target, ct, body string
		status                         int
		code, message                  string
	}{
		{"unknown path", "GET", "/api/nothing", "", "", 404, CodeNotFound, "No endpoint GET /api/nothing"},
		{"empty variable segment", "GET", "/api/users/", "", "", 404, CodeNotFound, "No endpoint GET /api/users/"},
		{"extra segment", "GET", "/api/users/1/x", "", "", 404, CodeNotFound, "No endpoint GET /api/users/1/x"},
		{"case matters in paths", "GET", "/API/users/1", "", "", 404, CodeNotFound, "No endpoint GET /API/users/1"},
		{"unknown operation", "POST", "/global/api/user.cfc?method=getuser", "", "", 404, CodeUnknownOperation, "No operation POST /global/api/user.cfc?method=getuser"},
		{"unknown operation names only the selector", "POST", "/global/api/user.cfc?sessiontoken=SECRET&method=get%20user", "", "", 404, CodeUnknownOperation, "No operation POST /global/api/user.cfc?method=get+user"},
		{"no operation", "POST", "/global/api/user.cfc", "", "", 404, CodeUnknownOperation, "No operation POST /global/api/user.cfc (no method parameter)"},
		{"operation given twice", "POST", "/global/api/user.cfc?method=add&method=add", "", "", 404, CodeUnknownOperation, "No operation POST /global/api/user.cfc?method=add&method=add"},
		{"operation case matters", "POST", "/global/api/user.cfc?method=Add", "", "", 404, CodeUnknownOperation, "No operation POST /global/api/user.cfc?method=Add"},
		{"wrong method", "POST", "/api/users/1", "", "", 405, CodeMethodNotAllowed, "Request method 'POST' is not supported"},
		{"wrong method on an operation", "GET", "/global/api/user.cfc?method=add", "", "", 405, CodeMethodNotAllowed, "Request method 'GET' is not supported"},
		{"unknown query parameter", "GET", "/api/users/1?limit=1", "", "", 400, CodeInvalidParameter, `unknown query parameter "limit"`},
		{"unknown parameter beside an operation", "POST", "/global/api/user.cfc?method=add&sessiontoken=x", "", "", 400, CodeInvalidParameter, `unknown query parameter "sessiontoken"`},
		{"repeated parameter", "GET", "/api/users?limit=1&limit=2", "", "", 400, CodeInvalidParameter, `query parameter "limit" given more than once`},
		{"missing required parameter", "GET", "/api/groups", "", "", 400, CodeInvalidParameter, `required query parameter "limit" is missing`},
		{"empty required parameter", "GET", "/api/groups?limit=", "", "", 400, CodeInvalidParameter, `required query parameter "limit" is missing`},
		{"empty query variable", "GET", "/api/groups?path=", "", "", 400, CodeInvalidParameter, `required query parameter "path" is missing`},
		{"malformed query", "GET", "/api/users?limit=%zz", "", "", 400, CodeInvalidParameter, `malformed query string: invalid URL escape "%zz"`},
		{"body where none belongs", "GET", "/api/users/1", "", "x", 400, CodeInvalidBody, "this endpoint takes no request body"},
		{"json as text", "PUT", "/api/users/1", "text/plain", "{}", 415, CodeUnsupportedMediaType, "Content type 'text/plain' not supported; send application/json"},
		{"json without content type", "PUT", "/api/users/1", "", "{}", 415, CodeUnsupportedMediaType, "Content type '' not supported; send application/json"},
		{"form as json", "POST", "/global/api/user.cfc?method=add", "application/json", "{}", 415, CodeUnsupportedMediaType, "Content type 'application/json' not supported; send application/x-www-form-urlencoded"},
		{"malformed form", "POST", "/global/api/user.cfc?method=add", "application/x-www-form-urlencoded", "a=%zz", 400, CodeInvalidBody, `malformed form body: invalid URL escape "%zz"`},
		{"body over MaxBody", "PUT", "/api/users/1", "application/json", strings.Repeat(" ", 65), 413, CodeTooLarge, "request body too large"},
		{"multipart as form", "POST", "/upload", "application/x-www-form-urlencoded", "a=1", 415, CodeUnsupportedMediaType, "Content type 'application/x-www-form-urlencoded' not supported; send multipart/form-data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := serve(rt, tt.method, tt.target, tt.ct, tt.body, true)
			want := `{"code":"` + tt.code + `","message":` + jsonString(tt.message) + `}`
			if got.status != tt.status || got.body != want {
				t.Errorf("%s %s = %d %s, want %d %s", tt.method, tt.target, got.status, got.body, tt.status, want)
			}
		})
	}
}

func jsonString(s string) string {
	w := httptest.NewRecorder()
	WriteJSON(w, 200, s)
	return w.Body.String()
}

func TestRouterAllow(t *testing.T) {
	t.Parallel()
	rt := testRouter(t, nil)
	got := serve(rt, "PATCH", "/api/users/1", "", "", true)
	if got.status != 405 || got.header.Get("Allow") != "DELETE, GET, PUT" {
		t.Errorf("PATCH = %d, Allow %q", got.status, got.header.Get("Allow"))
	}
	// Only the routes the query selects count.
	got = serve(rt, "GET", "/global/api/user.cfc?method=add", "", "", true)
	if got.status != 405 || got.header.Get("Allow") != "POST" {
		t.Errorf("GET add = %d, Allow %q", got.status, got.header.Get("Allow"))
	}
}

// Credentials are checked before anything else, except on public routes.
func TestRouterAuthFirst(t *testing.T) {
	t.Parallel()
	rt := testRouter(t, nil)
	for _, tt := range []struct{ method, target, ct, body string }{
		{"GET", "/api/users/1", "", ""},
		{"GET", "/api/nothing", "", ""},                        // before the 404
		{"PATCH", "/api/users/1", "", ""},                      // before the 405
		{"GET", "/api/users/1?bogus=1", "", ""},                // before the parameter check
		{"PUT", "/api/users/1", "text/plain", "x"},             // before the body check
		{"POST", "/global/api/user.cfc?method=nope", "", ""},   // before the unknown operation
		{"POST", "/global/api/user.cfc?method=add", "", "a=1"}, // an operation that is not public
	} {
		got := serve(rt, tt.method, tt.target, tt.ct, tt.body, false)
		if got.status != 401 || got.body != `{"error":"invalid_token"}` || got.header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("%s %s without credentials = %d %s", tt.method, tt.target, got.status, got.body)
		}
	}
	got := serve(rt, "POST", "/global/api/authentication.cfc?method=login", "application/x-www-form-urlencoded", "u=a", false)
	if got.status != 200 || got.body != `{"body":"u=a","form":{"u":["a"]},"route":"login"}` {
		t.Errorf("public login = %d %s", got.status, got.body)
	}
	// A wrong method on a path whose routes are all public is a 405, not a 401.
	got = serve(rt, "GET", "/token", "", "", false)
	if got.status != 405 || got.header.Get("Allow") != "POST" {
		t.Errorf("GET /token = %d %s", got.status, got.body)
	}
}

func TestRouterCheck(t *testing.T) {
	t.Parallel()
	var seen []string
	rt := testRouter(t, func(c *Call) bool {
		seen = append(seen, c.Route.Method+" "+c.Route.Path)
		if c.Query.Get("tenant") == "unknown" {
			c.Error(http.StatusNotFound, "TENANT_NOT_FOUND", "no tenant")
			return false
		}
		return true
	})
	got := serve(rt, "GET", "/api/users/1?tenant=unknown", "", "", true)
	if got.status != 404 || got.body != `{"code":"TENANT_NOT_FOUND","message":"no tenant"}` {
		t.Errorf("Check refusal = %d %s", got.status, got.body)
	}
	// Check runs after the route's own checks: a bad parameter never reaches it.
	serve(rt, "GET", "/api/users/1?tenant=t&bogus=1", "", "", true)
	if diff := cmp.Diff([]string{"GET /api/users/{id}"}, seen); diff != "" {
		t.Errorf("Check calls (-want +got):\n%s", diff)
	}
}

func TestRouterErrorWriter(t *testing.T) {
	t.Parallel()
	var got []string
	rt := NewRouter(RouterConfig{Error: func(w http.ResponseWriter, r *http.Request, status int, code, message string) {
		got = append(got, r.Method+" "+code+" "+message)
		w.WriteHeader(http.StatusOK) // Razuna: errors are HTTP 200 pages
	}}, []Route{{Method: "POST", Path: "/u.cfc?method=add", Handle: echo("add")}})
	rep := serve(rt, "POST", "/u.cfc?method=remove", "", "", false)
	if rep.status != 200 || len(got) != 1 || got[0] != "POST "+CodeUnknownOperation+" No operation POST /u.cfc?method=remove" {
		t.Errorf("vendor error writer: %d %q", rep.status, got)
	}
}

func TestRouterCallHelpers(t *testing.T) {
	t.Parallel()
	type user struct {
		Name string `json:"name"`
	}
	rt := NewRouter(RouterConfig{}, []Route{
		{Method: "POST", Path: "/json", Body: BodyJSON, Handle: func(c *Call) {
			var u user
			if c.DecodeJSON(&u) {
				c.JSON(201, u)
			}
		}},
		{Method: "POST", Path: "/form", Body: BodyForm, Handle: func(c *Call) {
			if f, ok := c.DecodeForm([]string{"a"}, []string{"b"}); ok {
				c.JSON(200, f)
			}
		}},
	})
	for _, tt := range []struct {
		path, ct, body string
		status         int
		want           string
	}{
		{"/json", "application/json", `{"name":"x"}`, 201, `{"name":"x"}`},
		{"/json", "application/json", `{"name":"x","name":"y"}`, 400, `{"code":"INVALID_REQUEST_BODY","message":"duplicate key \"name\""}`},
		{"/json", "", "", 400, `{"code":"INVALID_REQUEST_BODY","message":"empty body"}`},
		{"/form", "application/x-www-form-urlencoded", "a=1&b=2", 200, `{"a":["1"],"b":["2"]}`},
		{"/form", "application/x-www-form-urlencoded", "a=1&c=2", 400, `{"code":"INVALID_REQUEST_BODY","message":"unknown form field \"c\""}`},
	} {
		got := serve(rt, "POST", tt.path, tt.ct, tt.body, false)
		if got.status != tt.status || got.body != tt.want {
			t.Errorf("POST %s %s = %d %s, want %d %s", tt.path, tt.body, got.status, got.body, tt.status, tt.want)
		}
	}
}

func TestRouterEndpoints(t *testing.T) {
	t.Parallel()
	rt := NewRouter(RouterConfig{}, []Route{
		{Method: "GET", Path: "/b/{id}", Handle: echo("b")},
		{Method: "POST", Path: "/a.cfc?method=add", Handle: echo("a")},
	})
	if diff := cmp.Diff([]string{"GET /b/{id}", "POST /a.cfc?method=add"}, rt.Endpoints()); diff != "" {
		t.Errorf("Endpoints (-want +got):\n%s", diff)
	}
}

func TestNewRouterPanics(t *testing.T) {
	t.Parallel()
	h := echo("x")
	for _, tt := range []struct {
		name   string
		routes []Route
		want   string
	}{
		{"partial placeholder", []Route{{Method: "GET", Path: "/a/x{id}", Handle: h}}, `fake: route GET /a/x{id}: segment "x{id}": a placeholder must be a whole segment`},
		{"variable twice", []Route{{Method: "GET", Path: "/a/{id}?q={id}", Handle: h}}, `fake: route GET /a/{id}?q={id}: variable "id" named twice`},
		{"no slash", []Route{{Method: "GET", Path: "a", Handle: h}}, "fake: route GET a: path must start with /"},
		{"lower-case method", []Route{{Method: "get", Path: "/a", Handle: h}}, "fake: route get /a: method must be upper case"},
		{"no handler", []Route{{Method: "GET", Path: "/a"}}, "fake: route GET /a: no Handle"},
		{"bare query name", []Route{{Method: "GET", Path: "/a?method", Handle: h}}, `fake: route GET /a?method: query part "method": want name=value or name={var}`},
		{"twice", []Route{{Method: "GET", Path: "/a", Handle: h}, {Method: "GET", Path: "/a", Handle: h}}, "fake: route GET /a declared twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if got := recover(); got != tt.want {
					t.Errorf("panic = %v, want %s", got, tt.want)
				}
			}()
			NewRouter(RouterConfig{}, tt.routes)
		})
	}
}

func TestCallVarPanicsOnUnknownName(t *testing.T) {
	t.Parallel()
	c := &Call{Route: &Route{Method: "GET", Path: "/a/{id}"}, vars: map[string]string{"id": "1"}}
	if c.Var("id") != "1" {
		t.Fatalf("Var(id) = %q", c.Var("id"))
	}
	defer func() {
		if got := recover(); got != "fake: route GET /a/{id} has no variable idd" {
			t.Errorf("panic = %v", got)
		}
	}()
	c.Var("idd")
}

package relativitytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity"
)

// do sends a raw request with Basic credentials and the CSRF header unless told otherwise.
func do(t *testing.T, s *Server, method, path, body string, edit func(*http.Request)) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(s.Username, s.Password)
	req.Header.Set("X-CSRF-Header", "-")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if edit != nil {
		edit(req)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

const v1 = "/Relativity.REST/api/Relativity-Identity/v1"

func TestStrictness(t *testing.T) {
	t.Parallel()
	s := NewServer()
	defer s.Close()
	for _, tt := range []struct {
		name, method, path, body string
		edit                     func(*http.Request)
		status                   int
		inBody                   string
	}{
		{"no CSRF header is a 404 without body", "GET", v1 + "/users/9", "",
			func(r *http.Request) { r.Header.Del("X-CSRF-Header") }, 404, ""},
		{"no credentials", "GET", v1 + "/users/9", "", func(r *http.Request) { r.Header.Del("Authorization") }, 401, ""},
		{"wrong method", "PATCH", v1 + "/users/9", "", nil, 405, "ServiceException"},
		{"unknown path", "GET", v1 + "/userz", "", nil, 404, "ServiceNotFoundException"},
		{"version v2", "GET", v1[:len(v1)-2] + "v2/users/available-types", "", nil, 404, "No service version v2"},
		{"includeCurrentUser as bool", "GET", v1 + "/workspaces/-1/active-users?includeCurrentUser=true", "", nil, 400, "integer 0 or 1"},
		{"unknown query parameter", "GET", v1 + "/users/9?verbose=true", "", nil, 400, "ValidationException"},
		{"unknown workspace", "GET", v1 + "/workspaces/12345/users/me", "", nil, 404, "NotFoundException"},
		{"query-users spelled like eligible groups", "POST", v1 + "/workspaces/-1/query-users",
			`{"Request":{"Condition":"","Sorts":[]},"Start":0,"Length":25}`, nil, 400, "Request"},
		{"eligible groups spelled like query-users", "POST", v1 + "/users/query-eligible-groups",
			`{"Users":[{"ArtifactID":9}],"Query":{"Condition":""},"Start":0,"Length":25}`, nil, 400, "Query"},
		{"response-only field in a create", "POST", v1 + "/users",
			`{"UserRequest":{"ArtifactID":5,"EmailAddress":"a@b.c"}}`, nil, 400, "ArtifactID"},
		{"Type with a name", "POST", v1 + "/users",
			`{"UserRequest":{"Type":{"Name":"Internal","ArtifactID":663}}}`, nil, 400, "Name"},
		{"duplicate key", "POST", v1 + "/workspaces/-1/query-users",
			`{"Query":{"Condition":""},"Start":0,"Start":1,"Length":25}`, nil, 400, "ValidationException"},
		{"unknown condition field", "POST", v1 + "/workspaces/-1/query-users",
			`{"Query":{"Condition":"'Shoe Size' == 42"},"Start":0,"Length":25}`, nil, 400, "Shoe Size"},
		{"length 0", "POST", v1 + "/workspaces/-1/query-users",
			`{"Query":{"Condition":""},"Start":0,"Length":0}`, nil, 400, "Length"},
		{"a stale LastModifiedOn", "PUT", v1 + "/users/1017952",
			`{"UserRequest":{"EmailAddress":"test@t.com","FirstName":"1","LastName":"1","Type":{"ArtifactID":672},"Client":{"Secured":false,"Value":{"ArtifactID":1015644}},"LastModifiedOn":"2021-05-07T13:45:59.6"}}`,
			nil, 409, "DataConcurrencyException"},
		{"create without email", "POST", v1 + "/users",
			`{"UserRequest":{"FirstName":"A","LastName":"B","Type":{"ArtifactID":663},"Client":{"Secured":false,"Value":{"ArtifactID":1015644}}}}`,
			nil, 400, "EmailAddress is required"},
		{"create with an unknown client", "POST", v1 + "/users",
			`{"UserRequest":{"EmailAddress":"a@b.c","FirstName":"A","LastName":"B","Type":{"ArtifactID":663},"Client":{"Secured":false,"Value":{"ArtifactID":1}}}}`,
			nil, 400, "Client 1 does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, header, body := do(t, s, tt.method, tt.path, tt.body, tt.edit)
			if status != tt.status || !strings.Contains(body, tt.inBody) || (tt.inBody == "" && body != "") {
				t.Errorf("%d %q, want %d with %q", status, body, tt.status, tt.inBody)
			}
			if status == 401 && header.Get("WWW-Authenticate") != `Bearer realm="Relativity.REST"` {
				t.Errorf("WWW-Authenticate = %q", header.Get("WWW-Authenticate"))
			}
			if status == 405 && header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
			if tt.inBody != "" && status != 401 {
				var e errorReply
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.ErrorType == "" || e.Message == "" {
					t.Errorf("error body %q is not Relativity's shape", body)
				}
			}
		})
	}
}

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	s := NewServer()
	defer s.Close()
	post := func(form url.Values) (int, string) {
		resp, err := s.Client().PostForm(s.URL+TokenURL, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID},
		"client_secret": {s.ClientSecret}, "scope": {"SystemUserInfo"}}
	status, body := post(good)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &tok) != nil || tok.AccessToken == "" || tok.ExpiresIn != 3600 {
		t.Fatalf("%d %s", status, body)
	}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("client_secret", "nope")
	if status, body := post(bad); status != 400 || !strings.Contains(body, "invalid_client") {
		t.Errorf("bad secret: %d %s", status, body)
	}
	bad = url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}, "client_secret": {s.ClientSecret}}
	if status, _ := post(bad); status != 400 {
		t.Errorf("no scope: %d", status)
	}
	// The token works, until it expires.
	auth := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok.AccessToken) }
	if status, _, _ := do(t, s, "GET", v1+"/users/available-types", "", auth); status != 200 {
		t.Errorf("with token: %d", status)
	}
	s.ExpireTokens()
	if status, _, _ := do(t, s, "GET", v1+"/users/available-types", "", auth); status != 401 {
		t.Errorf("with expired token: %d", status)
	}
	if s.TokensIssued() != 1 {
		t.Errorf("issued %d", s.TokensIssued())
	}
}

func TestCondition(t *testing.T) {
	t.Parallel()
	rec := map[string]string{"Email Address": "o'brien@example.com", "FullName": "Brien, O", "User Type": "Internal", "ArtifactID": "42"}
	get := func(name string) (string, bool, bool) { v, ok := rec[name]; return v, name == "ArtifactID", ok }
	fields := map[string]bool{"Email Address": true, "FullName": true, "User Type": true, "ArtifactID": true}
	for _, tt := range []struct {
		cond string
		want bool
	}{
		{"", true},
		{`'Email Address' == 'o\'brien@example.com'`, true},
		{`'Email Address' == 'O\'BRIEN@example.com'`, true},
		{`'User Type' IN ['External', 'Internal']`, true},
		{`'User Type' IN ['External']`, false},
		{`'FullName' LIKE ['Brien']`, true},
		{`'FullName' LIKE ['B%n, _']`, true},
		{`'FullName' LIKE ['[%]']`, false},
		{`'FullName' STARTSWITH 'Bri'`, true},
		{`'FullName' ENDSWITH 'Bri'`, false},
		{`'ArtifactID' > 9`, true},
		{`'ArtifactID' <= 9`, false},
		{`('User Type' IN ['Internal']) AND (NOT ('ArtifactID' == 42))`, false},
		{`'User Type' IN ['External'] OR 'ArtifactID' == 42`, true},
		{`'Email Address' ISSET`, true},
	} {
		p, err := parseCondition(tt.cond, fields)
		if err != nil {
			t.Errorf("%s: %v", tt.cond, err)
			continue
		}
		if got := p(get); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.cond, got, tt.want)
		}
	}
	for _, bad := range []string{`'Nope' == 1`, `'FullName' ==`, `'FullName' == 'x' AND`, `FullName == 'x'`, `('FullName' == 'x'`, `'FullName' == 'unterminated`} {
		if _, err := parseCondition(bad, fields); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestWithUsers(t *testing.T) {
	t.Parallel()
	s := NewServer(WithUsers(relativity.UserRequest{
		EmailAddress: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", ItemListPageLength: 20,
		Client: relativity.ClientRef(ClientID), Type: relativity.ArtifactRef{ArtifactID: ExternalTypeID},
	}))
	defer s.Close()
	status, _, body := do(t, s, "GET", v1+"/users/1040001", "", nil)
	if status != 200 || !strings.Contains(body, `"EmailAddress":"ada@example.com"`) || !strings.Contains(body, `"Name":"External"`) {
		t.Errorf("%d %s", status, body)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt2(r), "Type 1 is not an available user type") {
			t.Errorf("recover() = %v", r)
		}
	}()
	NewServer(WithUsers(relativity.UserRequest{EmailAddress: "x@example.com", FirstName: "X", LastName: "Y",
		Client: relativity.ClientRef(ClientID), Type: relativity.ArtifactRef{ArtifactID: 1}}))
}

func fmt2(v any) string { s, _ := v.(string); return s }

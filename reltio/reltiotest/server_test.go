package reltiotest

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// do sends one raw request and returns the status and body.
func do(t *testing.T, s *Server, method, path, token, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// tokenCall posts a token form with the given Basic credentials.
func tokenCall(t *testing.T, s *Server, user, pass, form string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestEndpointsAreTheCatalogue(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../fixtures/reltio/endpoints.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "method\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		want = append(want, cols[0]+" "+cols[1])
	}
	s := NewServer()
	defer s.Close()
	got := s.Endpoints()
	for i, e := range got {
		got[i], _, _ = strings.Cut(e, "?") // the revoke route's required ?token=
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("endpoints:\n got %v\nwant %v", got, want)
	}
}

func TestTokenEndpointIsStrict(t *testing.T) {
	t.Parallel()
	s := NewServer()
	defer s.Close()
	tests := []struct {
		name       string
		user, pass string
		form       string
		status     int
		code       string
	}{
		{"no client", "", "", "grant_type=client_credentials", 401, "unauthorized"},
		{"wrong secret", s.ClientID, "nope", "grant_type=client_credentials", 401, "invalid_client"},
		{"scope sent", s.ClientID, s.ClientSecret, "grant_type=client_credentials&scope=x", 400, ""},
		{"client in form", s.ClientID, s.ClientSecret, "grant_type=client_credentials&client_id=" + s.ClientID, 400, ""},
		{"grant twice", s.ClientID, s.ClientSecret, "grant_type=client_credentials&grant_type=client_credentials", 400, ""},
		{"unknown grant", s.ClientID, s.ClientSecret, "grant_type=authorization_code", 400, "unsupported_grant_type"},
		{"bad password", s.ClientID, s.ClientSecret, "grant_type=password&username=a&password=b", 400, "invalid_grant"},
		{"password grant without password", s.ClientID, s.ClientSecret, "grant_type=password&username=a", 400, ""},
		{"unknown refresh token", s.ClientID, s.ClientSecret, "grant_type=refresh_token&refresh_token=xyz", 400, "invalid_grant"},
		{"ok", s.ClientID, s.ClientSecret, "grant_type=client_credentials", 200, ""},
	}
	for _, tt := range tests {
		status, body := tokenCall(t, s, tt.user, tt.pass, tt.form)
		if status != tt.status || (tt.code != "" && body["error"] != tt.code) {
			t.Errorf("%s: %d %v, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	if status, _ := do(t, s, "POST", "/token?grant_type=client_credentials", "", "application/x-www-form-urlencoded", ""); status != 400 {
		t.Errorf("grant in the query: %d, want 400", status)
	}
}

func TestTokenReissueAndPasswordGrant(t *testing.T) {
	t.Parallel()
	s := NewServer(WithRefreshTokens(), WithUsers(User{Username: "jane@example.com", Email: "jane@example.com", Password: "Welcome1!!"}))
	defer s.Close()
	_, a := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=client_credentials")
	_, b := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=client_credentials")
	if a["access_token"] != b["access_token"] {
		t.Errorf("client tokens %v %v: want the same token twice", a, b)
	}
	s.ExpireTokens()
	_, c := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=client_credentials")
	if c["access_token"] == a["access_token"] {
		t.Error("an expired token was re-issued")
	}
	if st, body := do(t, s, "GET", "/users", a["access_token"].(string), "", ""); st != 401 || !strings.Contains(body, a["access_token"].(string)) {
		t.Errorf("expired token: %d %s", st, body)
	}

	st, p := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=password&username=jane%40example.com&password=Welcome1%21%21")
	if st != 200 || p["refresh_token"] == nil {
		t.Fatalf("password grant: %d %v", st, p)
	}
	st, r := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=refresh_token&refresh_token="+url.QueryEscape(p["refresh_token"].(string)))
	if st != 200 || r["access_token"] == p["access_token"] {
		t.Fatalf("refresh grant: %d %v", st, r)
	}
	if _, plain := tokenCall(t, NewServer(), s.ClientID, s.ClientSecret, "grant_type=client_credentials"); plain["refresh_token"] != nil {
		t.Errorf("a refresh token without WithRefreshTokens: %v", plain)
	}
	// A user update revokes the user's tokens unless told not to.
	user := `{"customer":"TestCustomer","username":"jane@example.com","email":"jane@example.com"}`
	if st, body := do(t, s, "PUT", "/users/jane@example.com?skipTokenRevocation=true", s.Token, "application/json", user); st != 200 {
		t.Fatalf("update: %d %s", st, body)
	}
	if st, _ := do(t, s, "GET", "/users", r["access_token"].(string), "", ""); st != 200 {
		t.Errorf("token revoked although skipTokenRevocation=true: %d", st)
	}
	if st, body := do(t, s, "PUT", "/users/jane@example.com", s.Token, "application/json", user); st != 200 {
		t.Fatalf("update: %d %s", st, body)
	}
	if st, _ := do(t, s, "GET", "/users", r["access_token"].(string), "", ""); st != 401 {
		t.Errorf("token still valid after an update: %d", st)
	}
}

func TestTokenRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewServer(WithTokenRate(3), WithClock(func() time.Time { return now }))
	defer s.Close()
	for i := range 3 {
		if st, _ := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=client_credentials"); st != 200 {
			t.Fatalf("request %d: %d", i, st)
		}
	}
	if st, _ := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=client_credentials"); st != 429 {
		t.Fatalf("4th request in a second: %d, want 429", st)
	}
	now = now.Add(time.Second)
	if st, _ := tokenCall(t, s, s.ClientID, s.ClientSecret, "grant_type=client_credentials"); st != 200 {
		t.Fatalf("a second later: %d", st)
	}
}

func TestAPIIsStrict(t *testing.T) {
	t.Parallel()
	s := NewServer()
	defer s.Close()
	tok := s.Token
	const good = `{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","userPermissions":{"roles":{"ROLE_USER":["t1"]}}}`
	tests := []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"no token", "GET", "/users", "", 401, "Full authentication"},
		{"create not an array", "POST", "/users", good, 400, "array"},
		{"legacy roles", "POST", "/users", `[{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","roles":["ROLE_USER"]}]`, 400, "new format"},
		{"legacy tenants", "POST", "/users", `[{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","tenants":["t1"]}]`, 400, "new format"},
		{"unknown key", "POST", "/users", `[{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","nickname":"a"}]`, 400, "nickname"},
		{"duplicate key", "POST", "/users", `[{"customer":"TestCustomer","username":"a@example.com","username":"b@example.com","email":"a@example.com"}]`, 400, "username"},
		{"unknown group", "POST", "/users", `[{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","groups":["NOPE"]}]`, 400, "NOPE"},
		{"other customer", "POST", "/users", `[{"customer":"Other","username":"a@example.com","email":"a@example.com"}]`, 403, "different customers"},
		{"role without tenants", "POST", "/users", `[{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","userPermissions":{"roles":{"ROLE_USER":[]}}}]`, 400, "tenant"},
		{"create", "POST", "/users", "[" + good + "]", 201, `"username":"a@example.com"`},
		{"taken", "POST", "/users", `[{"customer":"TestCustomer","username":"new@example.com","email":"new@example.com"},` + good + "]", 500, "already in use"},
		{"all or nothing", "GET", "/users/new@example.com", "", 404, "is not found"},
		{"password in update", "PUT", "/users/a@example.com", `{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","password":"Welcome1!!"}`, 400, "password"},
		{"legacy in update", "PUT", "/users/a@example.com", `{"customer":"TestCustomer","username":"a@example.com","email":"a@example.com","roles":[]}`, 400, "new format"},
		{"unknown param", "GET", "/users/a@example.com?expand=x", "", 400, "expand"},
		{"bad bool", "GET", "/users/a@example.com?resolveGroups=yes", "", 400, "true or false"},
		{"by email", "GET", "/users/A@EXAMPLE.COM", "", 200, `"email":"a@example.com"`},
		{"body on a GET", "GET", "/users", "x", 400, ""},
		{"other customer path", "GET", "/customers/Other", "", 404, "doesn't exist"},
		{"unknown path", "GET", "/nope", "", 404, ""},
		{"wrong method", "PATCH", "/users/a@example.com", "", 405, ""},
		{"delete", "DELETE", "/users/a@example.com", "", 200, "success"},
	}
	for _, tt := range tests {
		token := tok
		if tt.name == "no token" {
			token = ""
		}
		ct := ""
		if tt.body != "" {
			ct = "application/json"
		}
		st, body := do(t, s, tt.method, tt.path, token, ct, tt.body)
		if st != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("%s: %d %s, want %d containing %q", tt.name, st, body, tt.status, tt.contains)
		}
	}
}

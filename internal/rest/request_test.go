package rest

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewRequestEscapesPlaceholders(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "https://mdm.example.com", Config{})
	tests := []struct {
		name   string
		tmpl   string
		params []string
		want   string
	}{
		{"space", "/api/users/{uuid}", []string{"a b"}, "https://mdm.example.com/api/users/a%20b"},
		{"slash", "/api/users/{uuid}", []string{"a/b"}, "https://mdm.example.com/api/users/a%2Fb"},
		{"unicode", "/api/users/{uuid}", []string{"Jürgen"}, "https://mdm.example.com/api/users/J%C3%BCrgen"},
		{"question mark", "/api/users/{uuid}/x", []string{"a?b"}, "https://mdm.example.com/api/users/a%3Fb/x"},
		{"hash and percent", "/api/{a}", []string{"#1 100%"}, "https://mdm.example.com/api/%231%20100%25"},
		{"two placeholders", "/api/{a}/b/{c}", []string{"x", "y z"}, "https://mdm.example.com/api/x/b/y%20z"},
		{"dots inside a name", "/api/{a}", []string{"a..b"}, "https://mdm.example.com/api/a..b"},
		{"query placeholder", "/api/files?path={path}", []string{"a b/c&d=e?"},
			"https://mdm.example.com/api/files?path=a+b%2Fc%26d%3De%3F"},
		{"query placeholder may hold dots", "/api/files?path={path}", []string{"../x"},
			"https://mdm.example.com/api/files?path=..%2Fx"},
		{"path and query", "/api/{id}/files?path={path}&method=x", []string{"a b", "ü"},
			"https://mdm.example.com/api/a%20b/files?path=%C3%BC&method=x"},
		{"literal text kept as written", "/Relativity.REST/api/Login%20Profile%20Manager/{id}", []string{"1"},
			"https://mdm.example.com/Relativity.REST/api/Login%20Profile%20Manager/1"},
		{"literal query kept", "/global/api/?method=add&flag", nil,
			"https://mdm.example.com/global/api/?method=add&flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := c.NewRequest(t.Context(), http.MethodGet, tt.tmpl, tt.params...)
			if err != nil {
				t.Fatal(err)
			}
			if got := req.URL().String(); got != tt.want {
				t.Errorf("URL = %s\nwant  %s", got, tt.want)
			}
		})
	}
}

// The server must see the escaped path exactly as built, not a decoded-and-re-encoded one.
func TestNewRequestPathReachesServer(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.RequestURI)
	}))
	c, _ := newTestClient(t, srv.URL+"/relution", Config{})
	req := mustRequest(t, c, t.Context(), http.MethodGet, "/api/v1/users/{uuid}/x?path={p}", "a/b c?ü", "d e")
	if err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	want := "/relution/api/v1/users/a%2Fb%20c%3F%C3%BC/x?path=d+e"
	if got.Load() != want {
		t.Errorf("server saw %v, want %s", got.Load(), want)
	}
}

func TestNewRequestRefusesBadParams(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	c, ct := newTestClient(t, srv.URL, Config{})
	tests := []struct {
		name   string
		tmpl   string
		params []string
		field  string // "" means a plain (programming) error, not a *ValidationError
	}{
		{"empty", "/api/users/{uuid}", []string{""}, "uuid"},
		{"empty in query", "/api/files?path={path}", []string{""}, "path"},
		{"dot dot", "/api/users/{uuid}", []string{".."}, "uuid"},
		{"dot", "/api/users/{uuid}", []string{"."}, "uuid"},
		{"traversal inside", "/api/users/{uuid}", []string{"a/../b"}, "uuid"},
		{"leading traversal", "/api/users/{uuid}/x", []string{"../admin"}, "uuid"},
		{"trailing dot segment", "/api/{a}/{b}", []string{"x", "y/."}, "b"},
		{"too few", "/api/{a}/{b}", []string{"x"}, ""},
		{"too many", "/api/{a}", []string{"x", "y"}, ""},
		{"none expected", "/api/users", []string{"x"}, ""},
		{"unclosed placeholder", "/api/{a", []string{"x"}, ""},
		{"relative template", "api/users", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := c.NewRequest(t.Context(), http.MethodGet, tt.tmpl, tt.params...)
			if err == nil {
				t.Fatalf("NewRequest(%q, %q) = %v, want an error", tt.tmpl, tt.params, req.URL())
			}
			var ve *ValidationError
			isVE := errors.As(err, &ve)
			if tt.field == "" {
				if isVE {
					t.Errorf("got *ValidationError %v, want a plain error", err)
				}
				return
			}
			if !isVE {
				t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
			}
			if ve.Field != tt.field {
				t.Errorf("Field = %q, want %q", ve.Field, tt.field)
			}
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("errors.Is(%v, ErrInvalidInput) = false", err)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %q", err, tt.field)
			}
		})
	}
	if n := ct.n.Load(); n != 0 {
		t.Errorf("transport saw %d requests for invalid input, want 0", n)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests for invalid input, want 0", n)
	}
}

func TestNewRequestBasePath(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"https://h/relution", "https://h/relution/", "https://h/relution//"} {
		c, _ := newTestClient(t, base, Config{})
		req := mustRequest(t, c, t.Context(), http.MethodGet, "/api/v1/users")
		if got, want := req.URL().String(), "https://h/relution/api/v1/users"; got != want {
			t.Errorf("base %s: URL = %s, want %s", base, got, want)
		}
	}
	c, _ := newTestClient(t, "http://[::1]:8080/", Config{})
	req := mustRequest(t, c, t.Context(), http.MethodGet, "/x")
	if got, want := req.URL().String(), "http://[::1]:8080/x"; got != want {
		t.Errorf("IPv6 base: URL = %s, want %s", got, want)
	}
}

func TestNewRequestConfigQuery(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "https://h", Config{Query: url.Values{"tenantOrganizationUuid": {"u 1"}}})
	tests := []struct{ tmpl, want string }{
		{"/api/users", "https://h/api/users?tenantOrganizationUuid=u+1"},
		{"/api/?method=add", "https://h/api/?method=add&tenantOrganizationUuid=u+1"},
	}
	for _, tt := range tests {
		req := mustRequest(t, c, t.Context(), http.MethodGet, tt.tmpl)
		if got := req.URL().String(); got != tt.want {
			t.Errorf("%s: URL = %s, want %s", tt.tmpl, got, tt.want)
		}
	}
}

func TestSetQuery(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "https://h", Config{})
	type listOptions struct {
		Filter string   `url:"filter,omitempty"`
		Limit  int      `url:"limit,omitempty"`
		Offset int      `url:"offset"`
		Sort   []string `url:"sort,omitempty"`
		Unset  string   `url:"unset,omitempty"`
	}
	tests := []struct {
		name string
		tmpl string
		v    any
		want string
	}{
		{"struct", "/api/users", listOptions{Filter: "a b&c", Limit: 5, Sort: []string{"x", "y"}},
			"https://h/api/users?filter=a+b%26c&limit=5&offset=0&sort=x&sort=y"},
		{"pointer to struct", "/api/users", &listOptions{Offset: 10}, "https://h/api/users?offset=10"},
		{"values", "/api/users", url.Values{"q": {"ü ?"}, "a": {"1", "2"}}, "https://h/api/users?a=1&a=2&q=%C3%BC+%3F"},
		{"after template query", "/api/?method=get&x=%20", url.Values{"id": {"7"}}, "https://h/api/?method=get&x=%20&id=7"},
		{"nil", "/api/users", nil, "https://h/api/users"},
		{"empty values", "/api/users", url.Values{}, "https://h/api/users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := mustRequest(t, c, t.Context(), http.MethodGet, tt.tmpl)
			if err := req.SetQuery(tt.v); err != nil {
				t.Fatal(err)
			}
			if got := req.URL().String(); got != tt.want {
				t.Errorf("URL = %s\nwant  %s", got, tt.want)
			}
		})
	}
	req := mustRequest(t, c, t.Context(), http.MethodGet, "/x")
	if err := req.SetQuery(42); err == nil {
		t.Error("SetQuery(42) = nil, want an error")
	}
}

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		wantErr string // substring after the field name; "" means valid
	}{
		{"https://mdm.example.com", ""},
		{"http://127.0.0.1:8080/relution", ""},
		{"", "missing"},
		{"   ", "missing"},
		{"ftp://h/x", "scheme"},
		{"mdm.example.com/x", "scheme"},
		{"https://", "no host"},
		{"https:///path", "no host"},
		{"https://user:pw@h", "credentials"},
		{"https://user@h", "credentials"},
		{"https://h/?a=1", "query"},
		{"https://h/#frag", "fragment"},
		{"https://h/%zz", "not a URL"},
	}
	for _, tt := range tests {
		u, err := ParseBaseURL("RelutionURL", tt.raw)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("ParseBaseURL(%q): %v", tt.raw, err)
			} else if u.String() != tt.raw {
				t.Errorf("ParseBaseURL(%q) = %s", tt.raw, u)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("ParseBaseURL(%q) = %v, want a *ValidationError", tt.raw, err)
			continue
		}
		if ve.Field != "RelutionURL" || !strings.Contains(err.Error(), "RelutionURL") {
			t.Errorf("ParseBaseURL(%q) error %q does not name the field", tt.raw, err)
		}
		if !strings.Contains(ve.Reason, tt.wantErr) {
			t.Errorf("ParseBaseURL(%q) reason %q, want it to mention %q", tt.raw, ve.Reason, tt.wantErr)
		}
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ParseBaseURL(%q) error does not match ErrInvalidInput", tt.raw)
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("ParseBaseURL(%q) error %q shows the password", tt.raw, err)
		}
	}
}

func TestNewNeedsBaseURL(t *testing.T) {
	t.Parallel()
	_, err := New(Config{})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "BaseURL" {
		t.Errorf("New(Config{}) = %v, want a *ValidationError for BaseURL", err)
	}
}

func TestRequestBodiesAndHeaders(t *testing.T) {
	t.Parallel()
	type seen struct {
		Method, ContentType, Accept, UserAgent, Custom, Fixed, Body string
		ContentLength                                               int64
	}
	got := make(chan seen, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		buf := make([]byte, 512)
		for {
			n, err := r.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		got <- seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Accept"), r.Header.Get("User-Agent"),
			r.Header.Get("X-Custom"), r.Header.Get("X-Fixed"), b.String(), r.ContentLength}
	}))
	c, _ := newTestClient(t, srv.URL, Config{UserAgent: "roster-test/1", Header: http.Header{"X-Fixed": {"f"}}})

	req := mustRequest(t, c, t.Context(), http.MethodPost, "/json")
	if err := req.SetJSON(map[string]string{"html": "<b>&"}); err != nil {
		t.Fatal(err)
	}
	req.Header().Set("X-Custom", "c")
	if err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	want := seen{"POST", "application/json", "application/json", "roster-test/1", "c", "f", `{"html":"<b>&"}`, 15}
	if diff := cmp.Diff(want, <-got); diff != "" {
		t.Errorf("JSON request (-want +got):\n%s", diff)
	}

	req = mustRequest(t, c, t.Context(), http.MethodPut, "/form")
	form := url.Values{"a": {"1 2"}, "b": {"&"}}
	req.SetForm(form)
	form.Set("a", "changed after SetForm")
	req.Header().Set("Accept", "text/xml")
	if err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	want = seen{"PUT", "application/x-www-form-urlencoded", "text/xml", "roster-test/1", "", "f", "a=1+2&b=%26", 11}
	if diff := cmp.Diff(want, <-got); diff != "" {
		t.Errorf("form request (-want +got):\n%s", diff)
	}
}

func TestReadOnly(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "https://h", Config{})
	tests := []struct {
		method   string
		readOnly bool
		want     bool
	}{
		{http.MethodGet, false, true},
		{http.MethodHead, false, true},
		{http.MethodPost, false, false},
		{http.MethodPost, true, true},
		{http.MethodPut, false, false},
		{http.MethodPatch, false, false},
		{http.MethodDelete, false, false},
	}
	for _, tt := range tests {
		req := mustRequest(t, c, t.Context(), tt.method, "/x")
		if tt.readOnly {
			req.MarkReadOnly()
		}
		if got := req.IsRead(); got != tt.want {
			t.Errorf("%s (read-only %v): IsRead = %v, want %v", tt.method, tt.readOnly, got, tt.want)
		}
	}
}

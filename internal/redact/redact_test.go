package redact

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSensitiveKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key  string
		want bool
	}{
		{"X-User-Access-Token", true},
		{"sessiontoken", true},
		{"client_secret", true},
		{"user_pass", true},
		{"api_key", true},
		{"apikey", true},
		{"APIKEY", true},
		{"Authorization", true},
		{"Proxy-Authorization", true},
		{"Cookie", true},
		{"Set-Cookie", true},
		{"JSESSIONID", true},
		{"password", true},
		{"refresh_token", true},
		{"tokens", true},
		{"Cookies", true},
		{"client_secrets", true},
		{"status", false},
		{"address", false},
		{"skipTokenRevocation", false},
		{"passhashed", false},
		{"passwordPolicy", false},
		{"name", false},
		{"email", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := SensitiveKey(tt.key); got != tt.want {
			t.Errorf("SensitiveKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	r := New(func() []string { return []string{"tok en/+é"} })
	r.Add("hunter2", "")
	tests := []struct{ in, want string }{
		{"plain tok en/+é here", "plain REDACTED here"},
		{"query tok+en%2F%2B%C3%A9", "query REDACTED"}, // url.QueryEscape
		{"path tok%20en%2F+%C3%A9", "path REDACTED"},   // url.PathEscape
		{"pw hunter2 and hunter2", "pw REDACTED and REDACTED"},
		{"nothing secret", "nothing secret"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// An HTML page (a 302 body, a server's error page) echoes a secret HTML-escaped, in text and
// inside a link whose query separators read "&amp;".
func TestStringHTMLEscapedSecret(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add(`p&ss<w>rd"'x`)
	tests := []struct{ in, want string }{
		{`<p>bad p&amp;ss&lt;w&gt;rd&#34;&#39;x</p>`, `<p>bad REDACTED</p>`}, // html.EscapeString
		{`<p>bad p&amp;ss&lt;w&gt;rd&quot;&#x27;x</p>`, `<p>bad REDACTED</p>`},
		{`<a href="https://h/login?user=bob&amp;next=/home&amp;pw=p&amp;ss%3Cw%3Erd%22%27x">moved</a>`, // path-escaped, then HTML-escaped
			`<a href="https://h/login?user=bob&amp;next=/home&amp;pw=REDACTED">moved</a>`},
		{`<a href="https://h/x?pw=p%26ss%3Cw%3Erd%22%27x&amp;a=1">`, `<a href="https://h/x?pw=REDACTED&amp;a=1">`}, // query-escaped
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
	body := []byte(`<html><body><h1>302 Found</h1><a href="https://h/next?session=1&amp;pw=p&amp;ss&lt;w&gt;rd&#34;&#39;x">here</a></body></html>`)
	got := string(r.Body("text/html; charset=utf-8", body))
	if want := `<html><body><h1>302 Found</h1><a href="https://h/next?session=1&amp;pw=REDACTED">here</a></body></html>`; got != want {
		t.Errorf("Body = %q\nwant   %q", got, want)
	}
}

func TestStringJSONEscapedSecret(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add(`pa"ss\word`)
	got := r.String(`{"message":"bad pa\"ss\\word"}`)
	if want := `{"message":"bad REDACTED"}`; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestLongerSecretReplacedWhole(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("abc", "abcdef")
	if got, want := r.String("x abcdef y"), "x REDACTED y"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestSourceAskedEachTime(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	current := "first-token"
	r := New(func() []string { mu.Lock(); defer mu.Unlock(); return []string{current} })
	if got := r.String("a first-token"); got != "a REDACTED" {
		t.Errorf("first: got %q", got)
	}
	mu.Lock()
	current = "second-token"
	mu.Unlock()
	if got := r.String("b second-token"); got != "b REDACTED" {
		t.Errorf("after the source changed: got %q", got)
	}
}

func TestWith(t *testing.T) {
	t.Parallel()
	r := New(func() []string { return []string{"src-secret"} })
	r.Add("static-secret")
	w := r.With("call-secret", "x1")
	if got, want := w.String("src-secret static-secret call-secret"), "REDACTED REDACTED REDACTED"; got != want {
		t.Errorf("With: got %q, want %q", got, want)
	}
	if got, want := r.String("call-secret"), "call-secret"; got != want {
		t.Errorf("With changed the original: got %q, want %q", got, want)
	}
	var nilR *Redactor
	if got := nilR.With("x1x1").String("x1x1"); got != Mask {
		t.Errorf("nil.With: got %q", got)
	}
}

func TestNilRedactor(t *testing.T) {
	t.Parallel()
	var r *Redactor
	r.Add("ignored")
	if got := r.String("ignored"); got != "ignored" {
		t.Errorf("nil String = %q", got)
	}
	got := Values(r, url.Values{"password": {"p"}, "a": {"b"}})
	if diff := cmp.Diff(url.Values{"password": {Mask}, "a": {"b"}}, got); diff != "" {
		t.Errorf("nil Form (-want +got):\n%s", diff)
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("s3cr3t/ value")
	tests := []struct{ in, want string }{
		{"https://h/api?sessiontoken=abc&api_key=k1&name=bob", "https://h/api?api_key=REDACTED&name=bob&sessiontoken=REDACTED"},
		{"https://user:pw@h/x", "https://user:REDACTED@h/x"},
		{"https://h/files/s3cr3t%2F%20value/x", "https://h/files/REDACTED/x"},
		{"https://h/x?note=s3cr3t%2F+value", "https://h/x?note=REDACTED"},
		{"https://h/x?bad=%zz", "https://h/x?REDACTED"},
		{"https://h/plain", "https://h/plain"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.URL(u); got != tt.want {
			t.Errorf("URL(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := r.URL(nil); got != "" {
		t.Errorf("URL(nil) = %q", got)
	}
}

func TestFormAndHeader(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("known")
	in := url.Values{"password": {"p1", "p2"}, "note": {"has known inside"}, "name": {"bob"}}
	got := Values(r, in)
	want := url.Values{"password": {Mask, Mask}, "note": {"has REDACTED inside"}, "name": {"bob"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Form (-want +got):\n%s", diff)
	}
	if in.Get("password") != "p1" {
		t.Error("Form changed its input")
	}

	h := http.Header{
		"Authorization":       {"Bearer x"},
		"X-User-Access-Token": {"t"},
		"Cookie":              {"JSESSIONID=1"},
		"X-Echo":              {"known"},
		"Accept":              {"application/json"},
	}
	gotH := Values(r, h)
	wantH := http.Header{
		"Authorization":       {Mask},
		"X-User-Access-Token": {Mask},
		"Cookie":              {Mask},
		"X-Echo":              {Mask},
		"Accept":              {"application/json"},
	}
	if diff := cmp.Diff(wantH, gotH); diff != "" {
		t.Errorf("Header (-want +got):\n%s", diff)
	}
}

func TestBody(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("echoed-secret")
	tests := []struct {
		name, ct, in, want string
	}{
		{"json nested", "application/json",
			`{"user":{"name":"bob","password":"pw","tokens":["a"]},"message":"bad echoed-secret","skipTokenRevocation":true,"passhashed":1}`,
			`{"message":"bad REDACTED","passhashed":1,"skipTokenRevocation":true,"user":{"name":"bob","password":"REDACTED","tokens":"REDACTED"}}`},
		{"json array", "application/json; charset=UTF-8", `[{"apikey":"k"},{"id":1}]`, `[{"apikey":"REDACTED"},{"id":1}]`},
		{"json null secret kept null", "application/json", `{"password":null}`, `{"password":null}`},
		{"json without content type", "", ` {"access_token":"a"} `, `{"access_token":"REDACTED"}`},
		{"form", "application/x-www-form-urlencoded", "username=bob&password=pw&x=echoed-secret", "password=REDACTED&username=bob&x=REDACTED"},
		{"multipart omitted", "multipart/form-data; boundary=b", "--b\r\npassword,bob\r\n--b--", "[multipart body omitted]"},
		{"html", "text/html", "<p>token echoed-secret</p>", "<p>token REDACTED</p>"},
		{"truncated json", "application/json", `{"name":"bob","password":"pw","note":"echoed-secret","more":`,
			`{"name":"bob","password":"REDACTED","note":"REDACTED","more":`},
		{"truncated inside a secret", "application/json", `{"name":"bob","client_secret":"abc\"de`,
			`{"name":"bob","client_secret":"REDACTED`},
		{"truncated inside a plain value", "application/json", `{"name":"bo`, `{"name":"bo`},
		{"empty", "application/json", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := string(r.Body(tt.ct, []byte(tt.in)))
			if got != tt.want {
				t.Errorf("Body(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	r := New()
	if _, ok := r.JSON([]byte(`{"a":`)); ok {
		t.Error("JSON accepted a truncated document")
	}
	if _, ok := r.JSON([]byte(`{"a":1} {"b":2}`)); ok {
		t.Error("JSON accepted two documents")
	}
	got, ok := r.JSON([]byte(`{"big":12345678901234567890,"Token":{"x":1}}`))
	if !ok {
		t.Fatal("JSON refused a valid document")
	}
	// Numbers keep their text (UseNumber); a secret object is hidden whole.
	if want := `{"Token":"REDACTED","big":12345678901234567890}`; string(got) != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
}

func TestFormSecrets(t *testing.T) {
	t.Parallel()
	got := FormSecrets(url.Values{"password": {"p1"}, "api_key": {"k1", "k2"}, "name": {"bob"}})
	slices.Sort(got)
	if diff := cmp.Diff([]string{"k1", "k2", "p1"}, got); diff != "" {
		t.Errorf("FormSecrets (-want +got):\n%s", diff)
	}
}

func TestJSONSecrets(t *testing.T) {
	t.Parallel()
	got := JSONSecrets([]byte(`{"name":"bob","password":"p1","nested":[{"client_secret":"s1"},{"x":"y"}],"apiKey":{"inner":["k1",42]},"pin":7}`))
	slices.Sort(got)
	if diff := cmp.Diff([]string{"42", "k1", "p1", "s1"}, got); diff != "" {
		t.Errorf("JSONSecrets (-want +got):\n%s", diff)
	}
	if got := JSONSecrets([]byte("not json")); got != nil {
		t.Errorf("JSONSecrets(invalid) = %v, want nil", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	r := New()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := strings.Repeat("s", 8) + string(rune('a'+i))
			r.Add(s)
			_ = r.String("x " + s)
		}()
	}
	wg.Wait()
	for i := range 16 {
		s := strings.Repeat("s", 8) + string(rune('a'+i))
		if got := r.String(s); got != Mask {
			t.Errorf("secret %d not hidden after concurrent Add: %q", i, got)
		}
	}
}

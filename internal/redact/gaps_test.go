package redact

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The redaction gaps a reliability sweep found (issue 9, item 4), one case each.

func TestSecretAsJSONKey(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("tok-3f9a1c")
	got := string(r.Body("application/json", []byte(`{"tok-3f9a1c":{"user":"bob"},"REDACTED":1,"n":2}`)))
	if strings.Contains(got, "tok-3f9a1c") {
		t.Fatalf("a secret used as a key survived: %s", got)
	}
	// Two keys masked alike stay two keys.
	if want := `{"REDACTED":1,"REDACTED~2":{"user":"bob"},"n":2}`; got != want {
		t.Errorf("Body = %s\nwant   %s", got, want)
	}
	// A key of a truncated (invalid) document.
	got = string(r.Body("application/json", []byte(`{"a":1,"tok-3f9a1c":`)))
	if want := `{"a":1,"REDACTED":`; got != want {
		t.Errorf("truncated: Body = %s, want %s", got, want)
	}
}

func TestLowerCasePercentEscapes(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("Sommer/2024+Neu")
	for _, in := range []string{
		"password=Sommer%2f2024%2bNeu",
		"password=Sommer%2F2024%2bNeu",
		"password=%53ommer%2f2024%2BNeu", // any character may be escaped
		"password=Sommer%2f2024%2bNeu&x=1",
	} {
		got := r.String(in)
		if !strings.HasPrefix(got, "password="+Mask) {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
	u, _ := url.Parse("https://h/users/Sommer%2f2024%2bNeu/x")
	if got, want := r.URL(u), "https://h/users/REDACTED/x"; got != want {
		t.Errorf("URL = %s, want %s", got, want)
	}
}

func TestEscapedSlashesInvalidJSON(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("ab/cd/ef+gh")
	for _, in := range []string{
		`{"error":"bad ab\/cd\/ef+gh", "more":`,               // truncated JSON
		`<pre>{"echo":"ab\/cd\/ef+gh"}</pre>`,                 // JSON shown in an HTML page
		`{"echo":"ab\u002fcd\u002Fef\u002bgh"} trailing text`, // \u escapes, two values
		`{"echo":"\u0061b\/cd/ef+gh"`,
	} {
		got := string(r.Body("text/html", []byte(in)))
		if strings.Contains(got, "cd") {
			t.Errorf("Body(%s) = %s", in, got)
		}
	}
}

func TestBodyLimitRedactsBeforeCutting(t *testing.T) {
	t.Parallel()
	const secret = "tok-0123456789abcdef0123456789"
	r := New()
	r.Add(secret)
	const limit = 1 << 20
	for _, off := range []int{1, 8, 16, len(secret) - 1} {
		// The secret starts off bytes before the cut.
		filler := strings.Repeat("lorem ipsum ", limit/12+1)[:limit-off-1] + "x"
		body := []byte(filler + secret + strings.Repeat("y", 100))
		got := string(r.BodyLimit("text/plain", body, limit))
		if i := strings.Index(got, "tok-"); i >= 0 {
			t.Errorf("off %d: the start of the secret survived the cut: %q", off, got[i:])
		}
		if !strings.HasSuffix(got, "x"+Mask) {
			t.Errorf("off %d: body ends %q, want the secret masked whole", off, got[len(got)-20:])
		}
		if strings.Contains(got, "y") {
			t.Errorf("off %d: body runs past the secret at the cut", off)
		}
	}
	// Within the limit, BodyLimit is Body.
	if got := string(r.BodyLimit("application/json", []byte(`{"a":"`+secret+`"}`), limit)); got != `{"a":"REDACTED"}` {
		t.Errorf("short body: %s", got)
	}
	// A JSON body cut inside a secret value under a plain key.
	const small = 64 << 10
	body := []byte(`{"note":"` + strings.Repeat("lorem ipsum ", small/12)[:small-20] + `","echo":"` + secret + `"}`)
	got := string(r.BodyLimit("application/json", body, small))
	if strings.Contains(got, "tok-0") || strings.Contains(got, "0123") {
		t.Errorf("JSON cut inside a secret: ...%s", got[len(got)-40:])
	}
}

// A reply cut short by the server (or by a read limit) ends with the start of a secret.
func TestBodyHidesSecretCutAtTheEnd(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("tok-0123456789abcdef")
	for _, in := range []string{
		`{"error":"expired token tok-01234567`,
		`error: token tok-0123`,
		`error: token tok-01%32`,
	} {
		got := string(r.Body("application/json", []byte(in)))
		if strings.Contains(got, "tok-") {
			t.Errorf("Body(%q) = %q", in, got)
		}
	}
	// Too short a start is left: it says nothing.
	if got := string(r.Body("text/plain", []byte("tok"))); got != "tok" {
		t.Errorf("Body(tok) = %q", got)
	}
}

func TestFormKeysAndBoundaries(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("s3cr3t-key", "ab=cd&ef", "Sommer+2024", "user=bob9")
	tests := []struct{ name, in, want string }{
		{"secret as key", "s3cr3t-key=1&x=2", "REDACTED=1&x=2"},
		{"lower-case escaped key", "s3cr3t%2dkey=1", "REDACTED=1"},
		{"across = and &", "ab=cd&ef=1", "REDACTED=1"},
		{"+ left unescaped", "note=Sommer+2024", "note=REDACTED"},
		{"across =", "user=bob9&x=2", "REDACTED=REDACTED&x=2"},
	}
	for _, tt := range tests {
		got := string(r.Body("application/x-www-form-urlencoded", []byte(tt.in)))
		if got != tt.want {
			t.Errorf("%s: Body(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// The same as values of a map: keys are redacted like values.
	got := Values(r, url.Values{"s3cr3t-key": {"1"}, "user": {"bob9"}, "n": {"Sommer 2024"}})
	if len(got) != 2 || len(got[Mask]) != 2 || got.Get("n") != "Sommer 2024" {
		t.Errorf("Values = %v", got)
	}
	for k, vs := range got {
		for _, v := range vs {
			if strings.Contains(k+"="+v, "s3cr3t") || k+"="+v == "user=bob9" {
				t.Errorf("Values kept %s=%s", k, v)
			}
		}
	}
}

func TestSecretAsJSONNumber(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("90817263")
	got := string(r.Body("application/json", []byte(`{"id":90817263,"pins":[1,90817263],"ok":1.5}`)))
	if want := `{"id":"REDACTED","ok":1.5,"pins":[1,"REDACTED"]}`; got != want {
		t.Errorf("Body = %s, want %s", got, want)
	}
	got = string(r.Body("application/json", []byte(`{"id":90817263,"pins":[1,9081`)))
	if strings.Contains(got, "90817263") || strings.Contains(got, "9081") {
		t.Errorf("truncated: Body = %s", got)
	}
}

// A test that knows only the password sees the Basic header's base64 echoed in a reply.
func TestBasicBase64EchoedWithOnlyThePassword(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("hunter22")
	for _, user := range []string{"bob", "a", "admin@example.com", "x y"} {
		enc := base64.StdEncoding.EncodeToString([]byte(user + ":hunter22"))
		for _, in := range []string{
			"Authorization: Basic " + enc,
			`{"headers":{"Authorization":["Basic ` + enc + `"]},"echo":"` + enc + `"}`,
			"header=Basic+" + url.QueryEscape(enc),
			"header=Basic%20" + strings.NewReplacer("%3D", "%3d", "%2B", "%2b", "%2F", "%2f").Replace(url.QueryEscape(enc)),
			`"Basic ` + strings.ReplaceAll(enc, "/", `\/`) + `"`,
			"auth=" + base64.RawURLEncoding.EncodeToString([]byte(user+":hunter22")),
		} {
			got := r.String(in)
			if strings.Contains(got, strings.TrimRight(enc, "=")[:len(enc)*3/4]) || strings.Contains(got, "hunter22") {
				t.Errorf("user %q: String(%q) = %q", user, in, got)
			}
		}
	}
	// Base64 that holds no secret is left alone.
	plain := "id=" + base64.StdEncoding.EncodeToString([]byte("bob:other-password"))
	if got := r.String(plain); got != plain {
		t.Errorf("String(%q) = %q", plain, got)
	}
}

func TestShortSecretsIgnored(t *testing.T) {
	t.Parallel()
	r := New(func() []string { return []string{"t", "tt", "ttp"} })
	r.Add("h", "ht", "p:/")
	const in = "GET https://h/http?tt=1: 401"
	if got := r.String(in); got != in {
		t.Errorf("String = %q, want it unchanged", got)
	}
	if got := r.Secrets(); len(got) != 0 {
		t.Errorf("Secrets = %q", got)
	}
}

func TestWholeValues(t *testing.T) {
	t.Parallel()
	r := New()
	r.AddWhole("tt", "ops", "client-7")
	tests := []struct{ in, want string }{
		{"https://h/x: 401", "https://h/x: 401"},
		{"user=tt&pw=x", "user=REDACTED&pw=x"},
		{`{"user":"ops","note":"operations","n":"ops team"}`, `{"user":"REDACTED","note":"operations","n":"REDACTED team"}`},
		{"/api/users/ops/groups", "/api/users/REDACTED/groups"},
		{"client_id=client-7&x=client-77", "client_id=REDACTED&x=client-77"},
		{"id=%22ops%22", "id=%22REDACTED%22"},
		{`"\u0022ops\""`, `"\u0022REDACTED\""`},
		{"&quot;ops&quot;", "&quot;REDACTED&quot;"},
		{"opsops bob.ops ops.bob", "opsops bob.ops ops.bob"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := Values(r, http.Header{"X-User": {"ops"}, "X-Ops": {"operations"}})
	if diff := cmp.Diff(http.Header{"X-User": {Mask}, "X-Ops": {"operations"}}, got); diff != "" {
		t.Errorf("Values (-want +got):\n%s", diff)
	}
}

// Values is one function for headers and forms: the result keeps the argument's type.
func TestValuesKeepsItsType(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("known-secret")
	var h http.Header = Values(r, http.Header{"Authorization": {"Bearer x"}, "X-Echo": {"known-secret"}})
	if h.Get("Authorization") != Mask || h.Get("X-Echo") != Mask {
		t.Errorf("Values(header) = %v", h)
	}
	var f url.Values = Values(r, url.Values{"a": {"known-secret"}})
	if f.Encode() != "a=REDACTED" {
		t.Errorf("Values(form) = %v", f)
	}
	if Values(r, http.Header(nil)) != nil {
		t.Error("Values(nil) is not nil")
	}
}

func TestMixedEncodings(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add(`p&ss wörd"/+1`)
	for _, in := range []string{
		`p&amp;ss+w%C3%B6rd%22%2F%2B1`,                             // HTML, +, upper-case escapes
		`p%26ss%20w%c3%b6rd%22%2f%2b1`,                             // lower-case escapes
		`p\u0026ss w\u00f6rd\"\/+1`,                                // JSON with \u and \/
		`p&#38;ss&#x20;w&#246;rd&quot;&#x2F;&#43;1`,                // numeric entities
		`%7B%22a%22%3A%22p%26ss%20w\u00F6rd%5C%22%5C%2F%2B1%22%7D`, // a JSON escape percent-escaped
		`p&ss%20w\u00f6rd&#34;\/%2b1`,                              // every kind at once
	} {
		got := r.String(in)
		if strings.Contains(got, "ss") {
			t.Errorf("String(%s) = %s", in, got)
		}
	}
}

func TestHeaderSecrets(t *testing.T) {
	t.Parallel()
	enc := base64.StdEncoding.EncodeToString([]byte("bob:pw-12345"))
	got := HeaderSecrets(http.Header{
		"Authorization":       {"Basic " + enc},
		"X-User-Access-Token": {"tok-1"},
		"Cookie":              {"JSESSIONID=sess-1; theme=dark"},
		"Accept":              {"application/json"},
	})
	for _, want := range []string{"Basic " + enc, enc, "pw-12345", "tok-1", "sess-1"} {
		if !contains(got, want) {
			t.Errorf("HeaderSecrets lacks %q: %q", want, got)
		}
	}
	for _, not := range []string{"dark", "application/json", "bob"} {
		if contains(got, not) {
			t.Errorf("HeaderSecrets holds %q: %q", not, got)
		}
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	var inner *Redactor
	r := New()
	r.Link(func() *Redactor { return inner })
	if got := r.String("later-secret"); got != "later-secret" {
		t.Errorf("before the link is set: %q", got)
	}
	inner = New(func() []string { return []string{"later-secret"} })
	inner.AddWhole("bob")
	if got := r.String("later-secret bob"); got != "REDACTED REDACTED" {
		t.Errorf("after the link is set: %q", got)
	}
	// A cycle ends.
	inner.Link(func() *Redactor { return r })
	if got := r.String("later-secret"); got != Mask {
		t.Errorf("with a cycle: %q", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A vendor's message cut short by its error hook ends with the start of a secret: 8 bytes
// or more of it are hidden, a shorter start is left readable.
func TestStringHidesSecretCutAtTheEnd(t *testing.T) {
	t.Parallel()
	r := New()
	r.Add("tok-0123456789abcdef")
	tests := []struct{ in, want string }{
		{"token tok-01234567", "token REDACTED"},
		{"token tok-0123%34", "token REDACTED"},
		{"token tok-012", "token tok-012"},
		{"tok-0123456 is not at the end", "tok-0123456 is not at the end"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"
)

// tokenAlphabet is what API tokens, passwords from generators and base64 credentials are
// made of.
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/="

// fromAlphabet maps raw fuzz bytes onto an alphabet.
func fromAlphabet(raw, alphabet string, maxLen int) string {
	var b strings.Builder
	for i := 0; i < len(raw) && b.Len() < maxLen; i++ {
		b.WriteByte(alphabet[int(raw[i])%len(alphabet)])
	}
	return b.String()
}

// encodings are the ways a server or a proxy gives back a secret (and the Basic credentials
// built from it), each written here independently of package redact.
var encodings = []struct {
	name string
	enc  func(user, secret string) string
}{
	{"raw", func(_, s string) string { return s }},
	{"query", func(_, s string) string { return url.QueryEscape(s) }},
	{"path", func(_, s string) string { return url.PathEscape(s) }},
	{"query lower", func(_, s string) string { return lowerEscapes(url.QueryEscape(s)) }},
	{"every byte upper", func(_, s string) string { return pctAll(s, "%%%02X") }},
	{"every byte lower", func(_, s string) string { return pctAll(s, "%%%02x") }},
	{"json", func(_, s string) string { return jsonText(s) }},
	{"json \\/", func(_, s string) string { return strings.ReplaceAll(jsonText(s), "/", `\/`) }},
	{"json \\u", func(_, s string) string {
		var b strings.Builder
		for i, u := range utf16.Encode([]rune(s)) {
			if i%2 == 0 {
				fmt.Fprintf(&b, `\u%04x`, u)
			} else {
				fmt.Fprintf(&b, `\u%04X`, u)
			}
		}
		return b.String()
	}},
	{"html", func(_, s string) string { return html.EscapeString(s) }},
	{"html of query", func(_, s string) string { return html.EscapeString(url.QueryEscape(s)) }},
	{"basic base64", func(u, s string) string { return basic64(u, s) }},
	{"basic header", func(u, s string) string { return "Basic " + basic64(u, s) }},
	{"basic base64url", func(u, s string) string { return base64.RawURLEncoding.EncodeToString([]byte(u + ":" + s)) }},
	{"basic in a query", func(u, s string) string { return url.QueryEscape("Basic " + basic64(u, s)) }},
	{"basic in json", func(u, s string) string { return strings.ReplaceAll(jsonText("Basic "+basic64(u, s)), "/", `\/`) }},
	{"basic lower escapes", func(u, s string) string { return lowerEscapes(url.QueryEscape(basic64(u, s))) }},
	// Escapes written once more: a JSON document inside a JSON string, an HTML-escaped text in
	// an HTML page, Go's encoding/json writing the "&" of an entity as \u0026.
	{"json in json", func(_, s string) string { return jsonText(jsonText(s)) }},
	{"html in html", func(_, s string) string { return html.EscapeString(html.EscapeString(s)) }},
	{"html in json", func(_, s string) string { return jsonText(html.EscapeString(s)) }},
	{"json in a query", func(_, s string) string { return url.QueryEscape(`"` + jsonText(s) + `"`) }},
}

func basic64(u, s string) string { return base64.StdEncoding.EncodeToString([]byte(u + ":" + s)) }

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func pctAll(s, format string) string {
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// normalise upper-cases the hex digits of percent and \u escapes, so that one comparison
// finds an escape in either case.
func normalise(s string) string {
	b := []byte(s)
	up := func(c byte) byte {
		if 'a' <= c && c <= 'f' {
			return c - 'a' + 'A'
		}
		return c
	}
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '%' && i+2 < len(b):
			b[i+1], b[i+2] = up(b[i+1]), up(b[i+2])
		case b[i] == '\\' && i+5 < len(b) && b[i+1] == 'u':
			for j := i + 2; j < i+6; j++ {
				b[j] = up(b[j])
			}
		}
	}
	return string(b)
}

// placements put an encoded secret somewhere in a URL, a header, a form or a JSON body, with
// fuzzed text around it, and redact the result.
var placements = []struct {
	name  string
	place func(r *Redactor, a, e, b string) (string, bool)
}{
	{"url path", func(r *Redactor, a, e, b string) (string, bool) {
		return redactURL(r, "https://h/"+url.PathEscape(a)+"/"+e+"/"+url.PathEscape(b))
	}},
	{"url query value", func(r *Redactor, a, e, b string) (string, bool) {
		return redactURL(r, "https://h/x?n="+url.QueryEscape(a)+e+url.QueryEscape(b)+"&m=1")
	}},
	{"url query key", func(r *Redactor, a, e, b string) (string, bool) {
		return redactURL(r, "https://h/x?"+url.QueryEscape(a)+e+"="+url.QueryEscape(b))
	}},
	{"url fragment", func(r *Redactor, a, e, b string) (string, bool) {
		return redactURL(r, "https://h/x#"+url.PathEscape(a)+e)
	}},
	{"header value", func(r *Redactor, a, e, b string) (string, bool) {
		return fmt.Sprint(Values(r, http.Header{"X-Echo": {a + e + b}, "Accept": {b}})), true
	}},
	{"header key", func(r *Redactor, a, e, b string) (string, bool) {
		return fmt.Sprint(Values(r, http.Header{"X-" + e: {a}})), true
	}},
	{"form value", func(r *Redactor, a, e, b string) (string, bool) {
		return string(r.Body("application/x-www-form-urlencoded", []byte("n="+url.QueryEscape(a)+e+url.QueryEscape(b)+"&m=1"))), true
	}},
	{"form key", func(r *Redactor, a, e, b string) (string, bool) {
		return string(r.Body("application/x-www-form-urlencoded", []byte(url.QueryEscape(a)+e+"="+url.QueryEscape(b)))), true
	}},
	{"form map", func(r *Redactor, a, e, b string) (string, bool) {
		v, err := url.ParseQuery("n=" + url.QueryEscape(a) + e + url.QueryEscape(b))
		if err != nil {
			return "", false
		}
		return fmt.Sprint(Values(r, v)), true
	}},
	{"json value", func(r *Redactor, a, e, b string) (string, bool) {
		return string(r.Body("application/json", []byte(`{"n":"`+jsonText(a)+e+jsonText(b)+`","m":[1,"`+jsonText(b)+`"]}`))), true
	}},
	{"json key", func(r *Redactor, a, e, b string) (string, bool) {
		return string(r.Body("application/json", []byte(`{"`+jsonText(a)+e+`":{"x":"`+jsonText(b)+`"}}`))), true
	}},
	{"json cut", func(r *Redactor, a, e, b string) (string, bool) {
		return string(r.Body("application/json", []byte(`{"m":1,"n":"`+jsonText(a)+e))), true
	}},
	{"html page", func(r *Redactor, a, e, b string) (string, bool) {
		return string(r.Body("text/html", []byte("<p>"+a+e+b+"</p>"))), true
	}},
	{"message", func(r *Redactor, a, e, b string) (string, bool) {
		return r.String(a + e + b), true
	}},
	{"body cut at a limit", func(r *Redactor, a, e, b string) (string, bool) {
		body := a + e + b
		return string(r.BodyLimit("text/plain", []byte(body), len(a)+len(e)/2)), true
	}},
}

func redactURL(r *Redactor, raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	return r.URL(u), true
}

// FuzzRedactSecret places a secret drawn from the token alphabet anywhere in a URL, a header,
// a form or a JSON body, in any encoding a server or proxy produces, and checks that no
// encoding of it survives redaction.
func FuzzRedactSecret(f *testing.F) {
	f.Add("Sommer/2024+Neu", "bob", "before ", " after", uint8(3), uint8(6))
	f.Add("tok-7Hq2Zx9LmQ", "", "", "", uint8(0), uint8(0))
	f.Add("ab/cd/ef+gh==", "alice", `{"x":`, `\`, uint8(7), uint8(11))
	f.Add("x+y=z/w", "u", "%", "%2", uint8(12), uint8(14))
	f.Add("eyJhbGciOiJIUzI1NiJ9", "svc", "Bearer ", "", uint8(16), uint8(4))
	f.Fuzz(func(t *testing.T, rawSecret, rawUser, a, b string, enc, where uint8) {
		checkPlaced(t, fromAlphabet(rawSecret, tokenAlphabet, 48), rawUser, a, b, enc, where)
	})
}

// passwordAlphabet is what people put in passwords: every printable ASCII character and some
// beyond.
var passwordAlphabet = func() string {
	var b strings.Builder
	for c := ' '; c < 0x7f; c++ {
		b.WriteRune(c)
	}
	return b.String() + "äé€😀"
}()

// FuzzRedactPassword is FuzzRedactSecret for passwords: quotes, "&", "%", "\\", spaces and
// characters beyond ASCII.
func FuzzRedactPassword(f *testing.F) {
	f.Add("pa ss/w0rd+&=", "alice", "", "", uint8(0), uint8(6))
	f.Add(`p"a\\ss<w>rd'%`, "", "x", "y", uint8(8), uint8(9))
	f.Add("Grüße 2024€", "bob", "&amp;", ";", uint8(9), uint8(12))
	f.Fuzz(func(t *testing.T, rawSecret, rawUser, a, b string, enc, where uint8) {
		runes := []rune(passwordAlphabet)
		var sb strings.Builder
		for i := 0; i < len(rawSecret) && i < 32; i++ {
			sb.WriteRune(runes[int(rawSecret[i])%len(runes)])
		}
		checkPlaced(t, sb.String(), rawUser, a, b, enc, where)
	})
}

func checkPlaced(t *testing.T, secret, rawUser, a, b string, enc, where uint8) {
	if len(secret) < MinSecret || len(a) > 64 || len(b) > 64 {
		return
	}
	user := fromAlphabet(rawUser, "abcdefghijklmnopqrstuvwxyz0123456789.-_@", 16)
	e := encodings[int(enc)%len(encodings)]
	p := placements[int(where)%len(placements)]
	r := New(func() []string { return []string{secret} })
	out, ok := p.place(r, a, e.enc(user, secret), b)
	if !ok {
		return
	}
	// The mask must not form a secret with the text next to it ("TEDx" after REDACTED).
	check := strings.ReplaceAll(out, Mask, "\x00")
	// Escapes are compared in either case, unless the secret itself holds what reads as an
	// escape: "%AAP" is not a form of the password "%aaP" (the encodings list both cases).
	norm := normalise
	if strings.ContainsAny(secret, "%\\") {
		norm = func(s string) string { return s }
	}
	check = norm(check)
	for _, leak := range encodings {
		if form := norm(leak.enc(user, secret)); strings.Contains(check, form) {
			t.Fatalf("%s, placed in %s: the secret %q survives as %s %q in\n%s", e.name, p.name, secret, leak.name, form, out)
		}
	}
}

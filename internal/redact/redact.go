// Package redact hides secrets wherever roster shows or records a request: in errors, log
// records and cassettes. It is the one place that decides what counts as a secret (DESIGN §5).
package redact

import (
	"bytes"
	"encoding/json"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every hidden value.
const Mask = "REDACTED"

// sensitiveSuffixes are matched against a key lower-cased with "_" and "-" removed, and
// without a plural "s". A suffix rule (not "contains") keeps keys such as skipTokenRevocation
// and passhashed readable.
var sensitiveSuffixes = []string{
	"token", "secret", "password", "pass", "apikey", "authorization", "cookie", "session", "sessionid",
}

var keyNormaliser = strings.NewReplacer("_", "", "-", "")

// SensitiveKey reports whether a header, query, form or JSON key holds a secret by its name.
func SensitiveKey(name string) bool {
	k := keyNormaliser.Replace(strings.ToLower(name))
	// A plural ("tokens", "cookies") holds the same secrets as its singular.
	single, plural := strings.CutSuffix(k, "s")
	for _, s := range sensitiveSuffixes {
		if strings.HasSuffix(k, s) || plural && strings.HasSuffix(single, s) {
			return true
		}
	}
	return false
}

// Redactor masks sensitive keys and every known secret value. Secrets come from sources that
// are asked each time, so a token fetched after the Redactor was built is hidden too.
// A nil *Redactor still masks sensitive keys.
type Redactor struct {
	mu      sync.Mutex
	sources []func() []string
	static  []string
}

// New returns a Redactor that hides the values the sources report.
func New(sources ...func() []string) *Redactor {
	return &Redactor{sources: sources}
}

// Add registers secret values known up front (a password from a config).
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s != "" && !slices.Contains(r.static, s) {
			r.static = append(r.static, s)
		}
	}
}

// With returns a Redactor that hides everything r hides plus secrets (the values one call
// holds: a password in its form body). r is not changed.
func (r *Redactor) With(secrets ...string) *Redactor {
	out := &Redactor{}
	if r != nil {
		r.mu.Lock()
		out.sources = slices.Clone(r.sources)
		out.static = slices.Clone(r.static)
		r.mu.Unlock()
	}
	out.Add(secrets...)
	return out
}

// AddSource registers a function asked for current secrets whenever something is redacted.
func (r *Redactor) AddSource(src func() []string) {
	if r == nil || src == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sources = append(r.sources, src)
}

// htmlSpecial are the characters html.EscapeString rewrites.
const htmlSpecial = `&<>"'`

// htmlQuoteEscaper is html.EscapeString with the other common spelling of quotes.
var htmlQuoteEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;")

// secrets returns every known secret with its escaped forms (URL, JSON and HTML), longest
// first so that a secret that contains another is replaced whole.
func (r *Redactor) secrets() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	all := slices.Clone(r.static)
	srcs := slices.Clone(r.sources)
	r.mu.Unlock()
	for _, src := range srcs {
		all = append(all, src()...)
	}
	var out []string
	for _, s := range all {
		if s == "" {
			continue
		}
		forms := []string{s, url.QueryEscape(s), url.PathEscape(s)}
		if b, err := json.Marshal(s); err == nil {
			forms = append(forms, string(b[1:len(b)-1]))
		}
		out = append(out, forms...)
		// An HTML page (a 302 body, an error page) shows text and URLs HTML-escaped: a "&"
		// in a secret, plain or path-escaped inside an href, reads "&amp;". Quotes are
		// spelled two ways in the wild: html.EscapeString's "&#34;"/"&#39;" and
		// "&quot;"/"&#x27;".
		for _, f := range forms {
			if strings.ContainsAny(f, htmlSpecial) {
				out = append(out, html.EscapeString(f), htmlQuoteEscaper.Replace(f))
			}
		}
	}
	// Longest first; equal lengths in order, so that Compact drops every duplicate form.
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(out)
}

// String replaces every known secret in s.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	for _, sec := range r.secrets() {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	return s
}

// URL returns u as text with userinfo passwords and sensitive query values masked, and every
// known secret replaced (a token may sit in a path segment).
func (r *Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), Mask)
		}
	}
	if c.RawQuery != "" {
		if q, err := url.ParseQuery(c.RawQuery); err == nil {
			c.RawQuery = r.Form(q).Encode()
		} else {
			c.RawQuery = Mask
		}
	}
	return r.String(c.String())
}

// Form returns a copy of v with sensitive keys masked and secrets replaced.
func (r *Redactor) Form(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		masked := make([]string, len(vs))
		for i, s := range vs {
			if SensitiveKey(k) {
				masked[i] = Mask
			} else {
				masked[i] = r.String(s)
			}
		}
		out[k] = masked
	}
	return out
}

// Header returns a copy of h with sensitive headers masked and secrets replaced.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		masked := make([]string, len(vs))
		for i, s := range vs {
			if SensitiveKey(k) {
				masked[i] = Mask
			} else {
				masked[i] = r.String(s)
			}
		}
		out[k] = masked
	}
	return out
}

// FormSecrets returns the values of v held under sensitive keys.
func FormSecrets(v url.Values) []string {
	var out []string
	for k, vs := range v {
		if SensitiveKey(k) {
			out = append(out, vs...)
		}
	}
	return out
}

// JSONSecrets returns the strings (and numbers) held under sensitive keys at any depth of a JSON
// document, so that a vendor echoing them back is scrubbed too. Invalid JSON yields nil.
func JSONSecrets(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var out []string
	var walk func(v any, hidden bool)
	walk = func(v any, hidden bool) {
		switch t := v.(type) {
		case map[string]any:
			for k, e := range t {
				walk(e, hidden || SensitiveKey(k))
			}
		case []any:
			for _, e := range t {
				walk(e, hidden)
			}
		case string:
			if hidden {
				out = append(out, t)
			}
		case json.Number:
			if hidden {
				out = append(out, t.String())
			}
		}
	}
	walk(v, false)
	return out
}

// jsonPair finds "key": "value" pairs in text that is not valid JSON (a truncated body), so
// that a secret under a sensitive key is hidden even there.
var jsonPair = regexp.MustCompile(`"([A-Za-z0-9_\-]+)"\s*:\s*"((?:[^"\\]|\\.)*)"`)

// jsonTail finds a "key": "value pair cut off by truncation at the end of the text.
var jsonTail = regexp.MustCompile(`"([A-Za-z0-9_\-]+)"\s*:\s*"(?:[^"\\]|\\.)*\\?$`)

// Body returns a redacted copy of a request or response body of the given media type. JSON and
// form bodies keep their shape with sensitive values masked; multipart bodies are never shown
// (an import CSV holds passwords), only their size.
func (r *Redactor) Body(contentType string, body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return []byte("[multipart body omitted]")
	case mt == "application/x-www-form-urlencoded":
		if v, err := url.ParseQuery(string(body)); err == nil {
			return []byte(r.Form(v).Encode())
		}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if out, ok := r.JSON(trimmed); ok {
			return out
		}
		masked := jsonPair.ReplaceAllStringFunc(string(body), func(m string) string {
			sub := jsonPair.FindStringSubmatch(m)
			if SensitiveKey(sub[1]) {
				return `"` + sub[1] + `":"` + Mask + `"`
			}
			return m
		})
		masked = jsonTail.ReplaceAllStringFunc(masked, func(m string) string {
			sub := jsonTail.FindStringSubmatch(m)
			if SensitiveKey(sub[1]) {
				return `"` + sub[1] + `":"` + Mask
			}
			return m
		})
		return []byte(r.String(masked))
	}
	return []byte(r.String(string(body)))
}

// JSON masks sensitive keys at any depth of a JSON document and replaces known secrets in its
// strings. It reports false when data is not valid JSON. Object keys come back sorted.
func (r *Redactor) JSON(data []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if dec.More() {
		return nil, false
	}
	v = r.walk(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, false
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), true
}

func (r *Redactor) walk(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if SensitiveKey(k) {
				if e != nil {
					t[k] = Mask
				}
				continue
			}
			t[k] = r.walk(e)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = r.walk(e)
		}
		return t
	case string:
		return r.String(t)
	default:
		return v
	}
}

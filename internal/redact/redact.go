// Package redact hides secrets wherever roster shows or records a request: in errors, log
// records and cassettes. It is the one place that decides what counts as a secret (DESIGN §5).
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
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
//
// A secret is found in every encoding a server or a proxy may give it, mixed freely: as is,
// percent-escaped in either case, with "+" for a space, JSON-escaped ("\/", "\uXXXX"),
// HTML-escaped, and inside a base64 run (an echoed Basic Authorization header), in keys as in
// values. Secrets shorter than MinSecret bytes are ignored; user names and client ids are
// registered with AddWhole and hidden only where they stand whole.
type Redactor struct {
	mu      sync.Mutex
	sources []func() []string
	static  []string
	whole   []string
	links   []func() *Redactor
}

// New returns a Redactor that hides the values the sources report.
func New(sources ...func() []string) *Redactor {
	return &Redactor{sources: sources}
}

// Add registers secret values known up front (a password from a config). Values shorter than
// MinSecret bytes are ignored.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= MinSecret && !slices.Contains(r.static, s) {
			r.static = append(r.static, s)
		}
	}
}

// AddWhole registers values that are hidden only where they stand whole, delimited as a
// value is (by the ends of the text, quotes, white space, "=", "&", "/" and the like): a user
// name or client id "ops" is hidden in "user=ops&" and in `"ops"`, not in "operations" nor in
// "https://". Any length is accepted.
func (r *Redactor) AddWhole(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range values {
		if s != "" && !slices.Contains(r.whole, s) {
			r.whole = append(r.whole, s)
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
		out.whole = slices.Clone(r.whole)
		out.links = slices.Clone(r.links)
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

// Link makes r hide everything the Redactor that get returns hides, asked afresh whenever
// something is redacted (a nil result hides nothing). A cassette recorder links to a vendor
// client's redactor before the client exists: the closure returns nil until then.
func (r *Redactor) Link(get func() *Redactor) {
	if r == nil || get == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.links = append(r.links, get)
}

// Secrets returns the secrets r currently hides (those of at least MinSecret bytes, sources
// and linked redactors included), without the whole values.
func (r *Redactor) Secrets() []string {
	strong, _ := r.collect(nil, nil, 0)
	return strong
}

// maxLinkDepth bounds how deep linked redactors are followed (a cycle ends there).
const maxLinkDepth = 8

func (r *Redactor) collect(strong, whole []string, depth int) ([]string, []string) {
	if r == nil || depth > maxLinkDepth {
		return strong, whole
	}
	r.mu.Lock()
	strong = append(strong, r.static...)
	whole = append(whole, r.whole...)
	srcs := slices.Clone(r.sources)
	links := slices.Clone(r.links)
	r.mu.Unlock()
	for _, src := range srcs {
		for _, s := range src() {
			if len(s) >= MinSecret {
				strong = append(strong, s)
			}
		}
	}
	for _, get := range links {
		strong, whole = get().collect(strong, whole, depth+1)
	}
	return strong, whole
}

// matcher takes a snapshot of r's secrets for one redaction.
func (r *Redactor) matcher() *matcher {
	if r == nil {
		return nil
	}
	strong, whole := r.collect(nil, nil, 0)
	if len(strong) == 0 && len(whole) == 0 {
		return nil
	}
	return newMatcher(strong, whole)
}

// String replaces every known secret in s.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	return r.matcher().text(s, textCut)
}

// URL returns u as text with userinfo passwords and sensitive query values masked, and every
// known secret replaced (a token may sit in a path segment, a query key or the fragment).
func (r *Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	m := r.matcher()
	c := *u
	if c.User != nil {
		name := m.text(c.User.Username(), 0)
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(name, Mask)
		} else {
			c.User = url.User(name)
		}
	}
	if c.RawQuery != "" {
		if q, err := url.ParseQuery(c.RawQuery); err == nil {
			c.RawQuery = url.Values(m.values(q)).Encode()
		} else {
			c.RawQuery = Mask
		}
	}
	return m.text(c.String(), 0)
}

// Values returns a copy of v (an http.Header, a url.Values) with the values of sensitive keys
// masked and every known secret replaced, in keys as in values. A secret that spans a key and
// its value ("ab=cd" read as key "ab", value "cd") masks both.
func Values[M ~map[string][]string](r *Redactor, v M) M {
	if v == nil {
		return nil
	}
	return M(r.matcher().values(v))
}

func (m *matcher) values(v map[string][]string) map[string][]string {
	out := make(map[string][]string, len(v))
	for k, vs := range v {
		sensitive := SensitiveKey(k)
		key := m.text(k, 0)
		masked := make([]string, len(vs))
		for i, s := range vs {
			switch {
			case sensitive:
				masked[i] = Mask
			default:
				masked[i] = m.text(s, 0)
				if masked[i] == s && key == k && !m.empty() {
					if kv := k + "=" + s; m.text(kv, 0) != kv {
						key, masked[i] = Mask, Mask
					}
				}
			}
		}
		if prev, ok := out[key]; ok {
			masked = append(prev, masked...)
		}
		out[key] = masked
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

// HeaderSecrets returns the credentials held in sensitive headers of h: the whole value, the
// credential after an auth scheme ("Bearer <token>"), the password of a Basic header (its
// base64 decoded) and the values of cookies with sensitive names ("JSESSIONID=<id>").
func HeaderSecrets(h http.Header) []string {
	var out []string
	for k, vs := range h {
		if !SensitiveKey(k) {
			continue
		}
		for _, v := range vs {
			out = append(out, v)
			if scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok && !strings.Contains(scheme, "=") {
				cred = strings.TrimSpace(cred)
				out = append(out, cred)
				if strings.EqualFold(scheme, "Basic") {
					if plain, err := base64.StdEncoding.DecodeString(cred); err == nil {
						if _, pw, ok := strings.Cut(string(plain), ":"); ok {
							out = append(out, pw)
						}
					}
				}
			}
			for _, part := range strings.Split(v, ";") {
				if name, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok && SensitiveKey(name) {
					out = append(out, strings.Trim(val, `"`))
				}
			}
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

// Overlap is how much more than its limit a caller of BodyLimit should read: enough for the
// longest encoded secret to be whole across the cut.
const Overlap = 64 << 10

// Body returns a redacted copy of a request or response body of the given media type. JSON and
// form bodies keep their shape with sensitive values masked; multipart bodies are never shown
// (an import CSV holds passwords), only their size. The start of a secret cut off at the end
// of the body (a reply truncated by the server) is hidden too.
func (r *Redactor) Body(contentType string, body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	return r.matcher().body(contentType, body)
}

// BodyLimit redacts body and cuts it to about limit bytes, redacting before it cuts: a secret
// across the cut is hidden whole, not left half. Read limit+Overlap bytes of a long body and
// pass them all:
//
//	raw, _ := io.ReadAll(io.LimitReader(resp.Body, limit+redact.Overlap))
//	e.Body = red.BodyLimit(resp.Header.Get("Content-Type"), raw, limit)
//
// The result holds the body's first limit bytes, or a little more when a secret runs across
// the cut, each secret replaced by Mask.
func (r *Redactor) BodyLimit(contentType string, body []byte, limit int) []byte {
	if limit < 0 {
		limit = 0
	}
	if len(body) <= limit {
		return r.Body(contentType, body)
	}
	m := r.matcher()
	cut := limit
	for _, sp := range m.spans(string(body), bodyCut) {
		if sp.start < cut && sp.end > cut {
			cut = sp.end
		}
	}
	if cut == 0 {
		return body[:0]
	}
	return m.body(contentType, body[:cut])
}

func (m *matcher) body(contentType string, body []byte) []byte {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return []byte("[multipart body omitted]")
	case mt == "application/x-www-form-urlencoded":
		if v, err := url.ParseQuery(string(body)); err == nil {
			// The encoded form is scanned once more: a secret read across "=" or "&" (a key
			// holding "=") shows whole in it.
			return []byte(m.text(url.Values(m.values(v)).Encode(), bodyCut))
		}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if out, ok := m.json(trimmed); ok {
			return []byte(m.text(string(out), 0))
		}
		masked := jsonPair.ReplaceAllStringFunc(string(body), func(s string) string {
			sub := jsonPair.FindStringSubmatch(s)
			if SensitiveKey(sub[1]) {
				return `"` + sub[1] + `":"` + Mask + `"`
			}
			return s
		})
		masked = jsonTail.ReplaceAllStringFunc(masked, func(s string) string {
			sub := jsonTail.FindStringSubmatch(s)
			if SensitiveKey(sub[1]) {
				return `"` + sub[1] + `":"` + Mask
			}
			return s
		})
		return []byte(m.text(masked, bodyCut))
	}
	return []byte(m.text(string(body), bodyCut))
}

// JSON masks sensitive keys at any depth of a JSON document and replaces known secrets in its
// keys, strings and numbers (a number holding a secret becomes the string Mask). It reports
// false when data is not valid JSON. Object keys come back sorted.
func (r *Redactor) JSON(data []byte) ([]byte, bool) {
	return r.matcher().json(data)
}

func (m *matcher) json(data []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if dec.More() {
		return nil, false
	}
	v = m.walk(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, false
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), true
}

func (m *matcher) walk(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		var renamed []string
		for k, e := range t {
			if SensitiveKey(k) && e != nil {
				e = Mask
			} else {
				e = m.walk(e)
			}
			t[k] = e
			if m.text(k, 0) != k {
				renamed = append(renamed, k)
				continue
			}
			out[k] = e
		}
		// A key holding a secret is masked; two keys masked alike stay two keys, numbered in
		// the order of the keys they stand for.
		slices.Sort(renamed)
		for _, k := range renamed {
			key := m.text(k, 0)
			for n := 2; ; n++ {
				if _, taken := out[key]; !taken {
					break
				}
				key = fmt.Sprintf("%s~%d", m.text(k, 0), n)
			}
			out[key] = t[k]
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = m.walk(e)
		}
		return t
	case string:
		return m.text(t, textCut)
	case json.Number:
		if m.text(t.String(), 0) != t.String() {
			return Mask
		}
		return t
	default:
		return v
	}
}

package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/go-querystring/query"
	"github.com/rosterhq/roster/internal/redact"
)

// Request is one call before it is sent. Build it with NewRequest.
type Request struct {
	ctx      context.Context
	method   string
	url      *url.URL
	header   http.Header
	readOnly bool
	skipAuth bool

	// parseError overrides the vendor's ParseError hook (a token request's OAuth2 errors).
	parseError func(status int, header http.Header, body []byte) ErrorInfo

	body          func() (io.Reader, error) // rewound for every attempt
	contentLength int64
	contentType   string
	form          url.Values // set for form bodies, so auth can add values per attempt
	data          []byte     // an in-memory body, searched for secrets when an error is shown

	secrets []string // values this call holds that must never be shown
}

// NewRequest builds a request from a path template as the endpoint catalogue writes it.
// Literal text is used as written (it is already escaped); each {placeholder} takes the next
// param, escaped for where it stands: url.PathEscape in the path, url.QueryEscape after "?".
// Empty params and params that would traverse ("." or ".." segments) are refused with a
// *ValidationError naming the placeholder, before anything is sent.
func (c *Client) NewRequest(ctx context.Context, method, tmpl string, params ...string) (*Request, error) {
	path, err := fillTemplate(tmpl, params)
	if err != nil {
		return nil, c.vendor.Own(err)
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("rest: path template %q must start with /", tmpl)
	}
	u, err := url.Parse(c.base.Scheme + "://" + c.base.Host + c.basePath + path)
	if err != nil {
		return nil, fmt.Errorf("rest: bad path template %q: %v", tmpl, err)
	}
	if c.query != "" {
		u.RawQuery = appendRawQuery(u.RawQuery, c.query)
	}
	return &Request{ctx: ctx, method: method, url: u}, nil
}

// NewRequestURL builds a request for an absolute URL outside the base URL's tree (an OAuth2
// token endpoint on another host). Auth is applied only when it has the base URL's host; mark
// a token or login call SkipAuth anyway.
func (c *Client) NewRequestURL(ctx context.Context, method, rawURL string) (*Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, c.vendor.Invalid("URL", "not an absolute http or https URL")
	}
	return &Request{ctx: ctx, method: method, url: u}, nil
}

// appendQuery adds v to a raw query, leaving the text already there (the template's literal
// query, already escaped) exactly as it was.
func appendQuery(raw string, v url.Values) string {
	return appendRawQuery(raw, v.Encode())
}

func appendRawQuery(raw, enc string) string {
	switch {
	case enc == "":
		return raw
	case raw == "":
		return enc
	}
	return raw + "&" + enc
}

func fillTemplate(tmpl string, params []string) (string, error) {
	if len(params) == 0 && strings.IndexByte(tmpl, '{') < 0 {
		return tmpl, nil
	}
	var b strings.Builder
	size := len(tmpl)
	for _, p := range params {
		size += 3 * len(p) // the most escaping can add
	}
	b.Grow(size)
	inQuery := false
	n := 0
	for i := 0; i < len(tmpl); {
		ch := tmpl[i]
		if ch == '?' {
			inQuery = true
		}
		if ch != '{' {
			b.WriteByte(ch)
			i++
			continue
		}
		end := strings.IndexByte(tmpl[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("rest: unclosed placeholder in %q", tmpl)
		}
		name := tmpl[i+1 : i+end]
		if n >= len(params) {
			return "", fmt.Errorf("rest: %q needs more than %d parameters", tmpl, len(params))
		}
		p := params[n]
		n++
		if p == "" {
			return "", Invalid(name, "empty")
		}
		if inQuery {
			b.WriteString(url.QueryEscape(p))
		} else {
			for _, seg := range strings.Split(p, "/") {
				if seg == "." || seg == ".." {
					return "", Invalid(name, "%q would leave the endpoint's path", p)
				}
			}
			b.WriteString(url.PathEscape(p))
		}
		i += end + 1
	}
	if n != len(params) {
		return "", fmt.Errorf("rest: %q takes %d parameters, got %d", tmpl, n, len(params))
	}
	return b.String(), nil
}

// Method returns the HTTP method.
func (r *Request) Method() string { return r.method }

// URL returns the request URL (not redacted: do not show it).
func (r *Request) URL() *url.URL { return r.url }

// Header returns the headers sent with every attempt.
func (r *Request) Header() http.Header {
	if r.header == nil {
		r.header = make(http.Header)
	}
	return r.header
}

// MarkReadOnly makes the retry rule treat this request as a read (a query sent with POST).
func (r *Request) MarkReadOnly() *Request { r.readOnly = true; return r }

// SkipAuth sends the request without the client's authorizer: a login or token call, which
// the authorizer itself makes (it would otherwise wait for itself). A 401 or "session
// expired" reply to it is an error, never a reason to log in again.
func (r *Request) SkipAuth() *Request { r.skipAuth = true; return r }

// IsRead reports whether the request is retried like a read.
func (r *Request) IsRead() bool {
	return r.readOnly || r.method == http.MethodGet || r.method == http.MethodHead
}

// SetQuery adds query parameters from url.Values or a struct with `url` tags
// (go-querystring).
func (r *Request) SetQuery(v any) error {
	var add url.Values
	switch t := v.(type) {
	case nil:
		return nil
	case url.Values:
		add = t
	default:
		var err error
		add, err = query.Values(v)
		if err != nil {
			return fmt.Errorf("rest: encode query: %w", err)
		}
	}
	r.url.RawQuery = appendQuery(r.url.RawQuery, add)
	return nil
}

// AddSecrets registers values this call holds that appear in no sensitive key (Razuna's MD5 of a
// password inside userdata), so that errors and logs of this call hide them wherever they
// appear. Values under sensitive keys of the query, a form or JSON body and multipart fields
// are found without it.
func (r *Request) AddSecrets(values ...string) *Request {
	for _, v := range values {
		if v != "" {
			r.secrets = append(r.secrets, v)
		}
	}
	return r
}

// callSecrets returns every secret value this call holds: added ones, and values under
// sensitive keys in its query, headers and in-memory body. Only failures and logs need it.
func (r *Request) callSecrets() []string {
	out := slices.Clone(r.secrets)
	if r.url.RawQuery != "" {
		if q, err := url.ParseQuery(r.url.RawQuery); err == nil {
			out = append(out, redact.FormSecrets(q)...)
		}
	}
	for k, vs := range r.header {
		if redact.SensitiveKey(k) {
			out = append(out, vs...)
		}
	}
	switch {
	case r.form != nil:
		out = append(out, redact.FormSecrets(r.form)...)
	case len(r.data) > 0:
		out = append(out, redact.JSONSecrets(r.data)...)
	}
	return out
}

// SetJSON marshals v as the body. The bytes are kept, so every attempt resends the same body.
func (r *Request) SetJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("rest: encode body: %w", err)
	}
	r.setBytes("application/json", bytes.TrimRight(buf.Bytes(), "\n"), nil)
	return nil
}

// SetBody sets a body held in memory. A form body (application/x-www-form-urlencoded) is
// treated like one set with SetForm.
func (r *Request) SetBody(contentType string, data []byte) {
	var form url.Values
	if isForm(contentType) {
		if v, err := url.ParseQuery(string(data)); err == nil {
			form = v
		}
	}
	r.setBytes(contentType, data, form)
}

func (r *Request) setBytes(contentType string, data []byte, form url.Values) {
	r.body = func() (io.Reader, error) { return bytes.NewReader(data), nil }
	r.contentLength = int64(len(data))
	r.contentType = contentType
	r.form = form
	r.data = data
}

const formType = "application/x-www-form-urlencoded"

func isForm(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), formType)
}

// SetForm sets a form body. A FormAuthorizer adds its values on every attempt.
func (r *Request) SetForm(v url.Values) {
	form := make(url.Values, len(v))
	for k, vs := range v {
		form[k] = slices.Clone(vs)
	}
	r.setBytes(formType, []byte(form.Encode()), form)
}

// SetStream sets a body read from a rewindable source of known size.
func (r *Request) SetStream(contentType string, size int64, open func() (io.Reader, error)) {
	r.body = open
	r.contentLength = size
	r.contentType = contentType
	r.form = nil
	r.data = nil
}

package vcr

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/rosterhq/roster/internal/redact"
	"github.com/rosterhq/roster/internal/rest"
)

// multipartPlaceholder is what package redact shows (and a cassette records) instead of a
// multipart body.
var multipartPlaceholder = string(redact.New().Body("multipart/form-data", []byte("-")))

// normalized is a request as the matcher compares it: scrubbed, host-free, canonical.
type normalized struct {
	method    string
	path      string // escaped path, known secrets replaced
	query     string // decoded, sensitive values masked, re-encoded with sorted keys
	multipart bool   // body not compared; boundary already checked
	body      string // canonical scrubbed body
}

func (n normalized) String() string {
	s := n.method + " " + n.path
	if n.query != "" {
		s += "?" + n.query
	}
	switch {
	case n.multipart:
		s += " (multipart body)"
	case n.body != "":
		b := n.body
		if len(b) > 512 {
			b = b[:512] + "..."
		}
		s += " body " + b
	}
	return s
}

// match is the cassette matcher: method, then path and query, then body, each normalised the
// same way on both sides.
func (s *session) match(r *http.Request, i cassette.Request) bool {
	if r.Method != i.Method {
		return false
	}
	u, err := url.Parse(i.URL)
	if err != nil {
		return false
	}
	if s.normPath(r.URL) != s.normPath(u) || s.normQuery(r.URL) != s.normQuery(u) {
		return false
	}
	live, err := s.normLive(r)
	if err != nil {
		return false
	}
	rec := s.normRecorded(i, contentType(r.Header, i.Headers))
	return live.multipart == rec.multipart && live.body == rec.body
}

// contentType is the live request's Content-Type, or the recorded one when the live request
// has none: both bodies are normalised as this type.
func contentType(live, recorded http.Header) string {
	if ct := live.Get("Content-Type"); ct != "" {
		return ct
	}
	return recorded.Get("Content-Type")
}

func (s *session) normPath(u *url.URL) string { return s.red.String(u.EscapedPath()) }

func (s *session) normQuery(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return s.red.String(u.RawQuery)
	}
	return redact.Values(s.red, q).Encode()
}

// multipartBoundary reports whether ct is a multipart type, and its boundary.
func multipartBoundary(ct string) (bool, string) {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return false, ""
	}
	return true, params["boundary"]
}

// normLive normalises a live request. It reads the body (except a multipart one, which is
// never compared) and puts it back, so the request can still be sent or matched again.
func (s *session) normLive(r *http.Request) (normalized, error) {
	n := normalized{method: r.Method, path: s.normPath(r.URL), query: s.normQuery(r.URL)}
	ct := r.Header.Get("Content-Type")
	if mp, boundary := multipartBoundary(ct); mp {
		if boundary != rest.Boundary {
			return n, fmt.Errorf("multipart boundary %q is not rest.Boundary", boundary)
		}
		n.multipart = true
		return n, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return n, nil
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	if err != nil {
		return n, err
	}
	n.body = string(s.red.Body(ct, b))
	return n, nil
}

// normRecorded normalises a recorded request's body as content type ct. A recorded request is
// multipart when its own Content-Type says so (with the fixed boundary) or, without one, when
// its body is the multipart placeholder.
func (s *session) normRecorded(i cassette.Request, ct string) normalized {
	var n normalized
	if rct := i.Headers.Get("Content-Type"); rct != "" {
		if mp, boundary := multipartBoundary(rct); mp {
			n.multipart = boundary == rest.Boundary
			if !n.multipart {
				n.body = "\x00unmatchable multipart boundary " + boundary
			}
			return n
		}
	} else if i.Body == multipartPlaceholder {
		n.multipart = true
		return n
	}
	body := i.Body
	if body == "" && len(i.Form) > 0 {
		body = i.Form.Encode()
	}
	n.body = string(s.red.Body(ct, []byte(body)))
	return n
}

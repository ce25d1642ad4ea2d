package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Placement says where a session token goes on each request.
type Placement int

// Where a Session puts its token.
const (
	InHeader Placement = iota // header Key: token
	InQuery                   // query value Key=token
	InForm                    // form value Key=token (and the query, for requests without a form body)
)

// Session logs in on first use, caches the token, and logs in again when the core reports the
// token was rejected. Login runs at most once at a time; concurrent callers wait for it.
// A Session must not be copied after first use.
type Session struct {
	// Login returns a new session token. It is called without the session's credentials.
	Login func(ctx context.Context) (string, error)
	// Where and Key say where the token goes.
	Where Placement
	Key   string
	// Known holds secrets used by Login (a password), so they are scrubbed too.
	Known []string

	mu    sync.Mutex
	lock  ctxLock
	token string
	gen   uint64
	old   []string // earlier tokens, still scrubbed
}

// Token returns the cached token, logging in first when there is none.
func (s *Session) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	tok := s.token
	s.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	if s.Login == nil {
		return "", errors.New("auth: session has no Login function")
	}
	if err := s.lock.Lock(ctx); err != nil {
		return "", err
	}
	defer s.lock.Unlock()
	s.mu.Lock()
	tok = s.token
	s.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	tok, err := s.Login(ctx)
	if err != nil {
		return "", err
	}
	if tok == "" {
		return "", errors.New("auth: login returned an empty session token")
	}
	s.mu.Lock()
	s.token = tok
	s.gen++
	s.mu.Unlock()
	return tok, nil
}

// Authorize puts the token in the header or query; form placement is done by AuthorizeForm,
// but requests without a form body get it in the query.
func (s *Session) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := s.Token(ctx)
	if err != nil {
		return err
	}
	switch s.Where {
	case InHeader:
		req.Header.Set(s.Key, tok)
	case InQuery, InForm:
		if s.Where == InForm && req.Body != nil && req.Body != http.NoBody && isForm(req.Header.Get("Content-Type")) {
			return nil
		}
		req.URL.RawQuery = setQuery(req.URL.RawQuery, s.Key, tok)
	}
	return nil
}

func isForm(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

// setQuery sets key=value in a raw query. The rest of the query keeps its text (a vendor path
// template's literal query is already escaped the way the vendor wants it).
func setQuery(raw, key, value string) string {
	pair := url.QueryEscape(key) + "=" + url.QueryEscape(value)
	if raw == "" {
		return pair
	}
	var b strings.Builder
	for part := range strings.SplitSeq(raw, "&") {
		if k, _, _ := strings.Cut(part, "="); k != "" {
			if uk, err := url.QueryUnescape(k); err == nil && uk == key {
				continue // replaced below
			}
		}
		b.WriteString(part)
		b.WriteByte('&')
	}
	b.WriteString(pair)
	return b.String()
}

// AuthorizeForm sets the token as a form value when the placement is InForm.
func (s *Session) AuthorizeForm(ctx context.Context, form url.Values) error {
	if s.Where != InForm {
		return nil
	}
	tok, err := s.Token(ctx)
	if err != nil {
		return err
	}
	form.Set(s.Key, tok)
	return nil
}

// Generation identifies the current token.
func (s *Session) Generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// Refresh forgets the token of generation gen; the next Authorize logs in again.
func (s *Session) Refresh(_ context.Context, gen uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen || s.token == "" {
		return nil
	}
	s.old = append(s.old, s.token)
	if len(s.old) > 8 {
		s.old = s.old[len(s.old)-8:]
	}
	s.token = ""
	return nil
}

// Secrets returns the current and earlier tokens and the known login secrets.
func (s *Session) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string{s.token}, s.old...)
	return append(out, s.Known...)
}

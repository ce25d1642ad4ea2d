package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rosterhq/roster/internal/redact"
)

// Grant is an OAuth2 grant type.
type Grant string

// The grants the vendors use.
const (
	ClientCredentials Grant = "client_credentials"
	PasswordGrant     Grant = "password"
	RefreshTokenGrant Grant = "refresh_token"
)

// ClientAuth says how the client id and secret reach the token endpoint.
type ClientAuth int

// Ways to send the client credentials.
const (
	ClientAuthBasic ClientAuth = iota // HTTP Basic (Reltio)
	ClientAuthForm                    // client_id and client_secret form fields (Relativity)
)

// Token is an OAuth2 access token.
type Token struct {
	AccessToken  string
	TokenType    string
	RefreshToken string
	Expiry       time.Time // zero: unknown, treated as valid until rejected
}

// TokenError is a failed token request. Body is redacted.
type TokenError struct {
	StatusCode  int
	Code        string // OAuth2 "error"
	Description string // OAuth2 "error_description", redacted
	Body        string
}

// Error returns one line: the HTTP status, the OAuth2 error code and its (redacted)
// description. The body is left out.
func (e *TokenError) Error() string {
	msg := fmt.Sprintf("auth: token request failed: HTTP %d", e.StatusCode)
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// TokenSource fetches OAuth2 tokens with a form POST and caches them until Expiry minus Skew.
// One fetch runs at a time; callers that arrive meanwhile wait for it and share its token.
// A TokenSource must not be copied after first use.
type TokenSource struct {
	URL          string
	Grant        Grant
	ClientID     string
	ClientSecret string
	ClientAuth   ClientAuth
	Username     string // password grant
	Password     string // password grant
	RefreshToken string // refresh_token grant
	Scope        string
	// Header is sent on every token request (Relativity's X-CSRF-Header).
	Header http.Header
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
	// Skew is subtracted from the expiry; default 30 s.
	Skew time.Duration

	now func() time.Time // tests

	mu   sync.Mutex
	sem  chan struct{}
	tok  Token
	bad  bool // the server rejected tok
	gen  uint64
	old  []string
	refr string // refresh token from the last reply
}

func (s *TokenSource) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

func (s *TokenSource) skew() time.Duration {
	if s.Skew > 0 {
		return s.Skew
	}
	return 30 * time.Second
}

func (s *TokenSource) validLocked() bool {
	if s.tok.AccessToken == "" || s.bad {
		return false
	}
	return s.tok.Expiry.IsZero() || s.clock().Before(s.tok.Expiry.Add(-s.skew()))
}

// Token returns a valid token, fetching one when the cached one is missing or about to expire.
func (s *TokenSource) Token(ctx context.Context) (Token, error) {
	s.mu.Lock()
	if s.validLocked() {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	if s.sem == nil {
		s.sem = make(chan struct{}, 1)
	}
	sem := s.sem
	s.mu.Unlock()

	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
	defer func() { <-sem }()

	s.mu.Lock()
	if s.validLocked() {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	refr := s.refr
	s.mu.Unlock()

	var (
		t   Token
		err error
	)
	if refr != "" && s.Grant != RefreshTokenGrant {
		// Try the refresh token we were given before falling back to the configured grant.
		t, err = s.fetch(ctx, RefreshTokenGrant, refr)
	}
	if refr == "" || err != nil {
		t, err = s.fetch(ctx, s.Grant, s.RefreshToken)
	}
	if err != nil {
		return Token{}, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if t.AccessToken == s.tok.AccessToken && !s.tok.Expiry.IsZero() {
		// A server that re-issues the same token does not renew its lifetime: keep the
		// earlier expiry so we never trust it longer than its first grant said.
		if t.Expiry.IsZero() || t.Expiry.After(s.tok.Expiry) {
			t.Expiry = s.tok.Expiry
		}
	}
	if s.tok.AccessToken != "" && s.tok.AccessToken != t.AccessToken {
		s.old = append(s.old, s.tok.AccessToken)
		if len(s.old) > 8 {
			s.old = s.old[len(s.old)-8:]
		}
	}
	if t.RefreshToken != "" {
		s.refr = t.RefreshToken
	}
	s.tok = t
	s.bad = false
	s.gen++
	return t, nil
}

type tokenReply struct {
	AccessToken  string          `json:"access_token"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    json.Number     `json:"expires_in"`
	RefreshToken string          `json:"refresh_token"`
	Error        string          `json:"error"`
	Description  json.RawMessage `json:"error_description"`
}

func (s *TokenSource) fetch(ctx context.Context, grant Grant, refresh string) (Token, error) {
	if s.URL == "" {
		return Token{}, errors.New("auth: token source has no URL")
	}
	form := url.Values{"grant_type": {string(grant)}}
	switch grant {
	case PasswordGrant:
		form.Set("username", s.Username)
		form.Set("password", s.Password)
	case RefreshTokenGrant:
		if refresh == "" {
			return Token{}, errors.New("auth: refresh_token grant without a refresh token")
		}
		form.Set("refresh_token", refresh)
	case ClientCredentials:
	default:
		return Token{}, fmt.Errorf("auth: unsupported grant %q", grant)
	}
	if s.Scope != "" {
		form.Set("scope", s.Scope)
	}
	if s.ClientAuth == ClientAuthForm {
		form.Set("client_id", s.ClientID)
		form.Set("client_secret", s.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, errors.New("auth: bad token URL")
	}
	for k, vs := range s.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if s.ClientAuth == ClientAuthBasic && s.ClientID != "" {
		req.SetBasicAuth(url.QueryEscape(s.ClientID), url.QueryEscape(s.ClientSecret))
	}
	hc := s.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Token{}, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Token{}, fmt.Errorf("auth: token request failed: %s", s.redactor().String(err.Error()))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var r tokenReply
	jerr := json.Unmarshal(body, &r)
	if resp.StatusCode/100 != 2 || jerr != nil || r.AccessToken == "" {
		red := s.redactor()
		te := &TokenError{StatusCode: resp.StatusCode, Code: red.String(r.Error)}
		var desc string
		if json.Unmarshal(r.Description, &desc) != nil {
			desc = string(r.Description)
		}
		te.Description = red.String(desc)
		te.Body = string(red.Body(resp.Header.Get("Content-Type"), body))
		return Token{}, te
	}
	t := Token{AccessToken: r.AccessToken, TokenType: r.TokenType, RefreshToken: r.RefreshToken}
	if secs, err := r.ExpiresIn.Int64(); err == nil && secs > 0 {
		t.Expiry = s.clock().Add(time.Duration(secs) * time.Second)
	}
	return t, nil
}

func (s *TokenSource) redactor() *redact.Redactor {
	return redact.New(s.Secrets)
}

// Generation identifies the cached token.
func (s *TokenSource) Generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// Invalidate drops the token of generation gen, if it is still the cached one.
func (s *TokenSource) Invalidate(gen uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen == s.gen {
		s.bad = true // kept, so that a re-issue of the same token is recognised
	}
}

// Secrets returns the client secret, password, refresh tokens and the access tokens seen.
func (s *TokenSource) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.ClientSecret, s.Password, s.RefreshToken, s.refr, s.tok.AccessToken}
	return append(out, s.old...)
}

// Bearer sends "Authorization: Bearer <token>" from a TokenSource.
type Bearer struct {
	Source *TokenSource
}

// Authorize sets the Authorization header, fetching a token when needed.
func (b Bearer) Authorize(ctx context.Context, req *http.Request) error {
	t, err := b.Source.Token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+t.AccessToken)
	return nil
}

// Generation identifies the token handed out last.
func (b Bearer) Generation() uint64 { return b.Source.Generation() }

// Refresh drops the rejected token so the next Authorize fetches another.
func (b Bearer) Refresh(_ context.Context, gen uint64) error {
	b.Source.Invalidate(gen)
	return nil
}

// Secrets returns the token source's secrets.
func (b Bearer) Secrets() []string { return b.Source.Secrets() }

// StaticBearer sends a fixed bearer token (Reltio's RELTIO_TOKEN).
type StaticBearer struct{ Token string }

// Authorize sets the Authorization header.
func (b StaticBearer) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+b.Token)
	return nil
}

// Secrets returns the token.
func (b StaticBearer) Secrets() []string { return []string{b.Token} }

package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
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
	ClientAuthBasic ClientAuth = iota // HTTP Basic of the form-encoded id and secret (RFC 6749 §2.3.1)
	ClientAuthForm                    // client_id and client_secret form fields (Relativity)
	// ClientAuthBasicPlain is HTTP Basic of the id and secret as they are, base64 of
	// "client_id:client_secret" as Reltio's docs describe it: a server that does not
	// form-decode them (legacy Spring OAuth2) refuses a secret with "+", "/" or "=" otherwise.
	ClientAuthBasicPlain
)

// Token is an OAuth2 access token.
type Token struct {
	AccessToken  string
	TokenType    string
	RefreshToken string
	Expiry       time.Time // zero: unknown, treated as valid until rejected
}

// TokenSource fetches OAuth2 tokens with a form POST and caches them until Expiry minus Skew.
// One fetch runs at a time; callers that arrive meanwhile wait for it and share its token.
// It sends through the HTTP core it is attached to (rest.New attaches the source behind a
// Bearer), so token requests are retried like reads and fail with the core's *Error: a
// refused grant matches ErrUnauthorized, a 429 that outlasts the retry policy ErrRateLimited.
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
	// Skew is subtracted from the expiry: default 30 s, and never more than a tenth of the
	// token's lifetime (a 30 s skew on a 20 s token would mean a token request per call).
	Skew time.Duration

	now  func() time.Time // tests
	send TokenSender      // set by the HTTP core (UseSender)

	mu   sync.Mutex
	lock ctxLock
	life time.Duration // lifetime the server gave tok
	hdr  string        // "Bearer " + tok.AccessToken, built once per token
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
	skew := 30 * time.Second
	if s.Skew > 0 {
		skew = s.Skew
	}
	if s.life > 0 {
		skew = min(skew, s.life/10)
	}
	return skew
}

func (s *TokenSource) validLocked() bool {
	if s.tok.AccessToken == "" || s.bad {
		return false
	}
	return s.tok.Expiry.IsZero() || s.clock().Before(s.tok.Expiry.Add(-s.skew()))
}

// TokenRequest is one token request: a form POST to URL with Header, and the client
// credentials as HTTP Basic when BasicUser is set (already form-encoded, RFC 6749 §2.3.1).
type TokenRequest struct {
	URL                  string
	Header               http.Header
	Form                 url.Values
	BasicUser, BasicPass string
}

// TokenReply is the JSON a token endpoint answers with (RFC 6749 §5.1).
type TokenReply struct {
	AccessToken  string      `json:"access_token"`
	TokenType    string      `json:"token_type"`
	ExpiresIn    json.Number `json:"expires_in"`
	RefreshToken string      `json:"refresh_token"`
}

// TokenSender sends a token request and decodes its success reply. The HTTP core provides
// it, so that token requests use the vendor client's HTTP client, logger and retry rule, and
// fail with the core's errors.
type TokenSender func(ctx context.Context, r TokenRequest) (TokenReply, error)

// TokenUser is an Authorizer that sends token requests; the core hands it its sender.
type TokenUser interface {
	UseSender(TokenSender)
}

// UseSender sets how token requests are sent. Call it before the first Token.
func (s *TokenSource) UseSender(f TokenSender) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.send = f
}

// Token returns a valid token, fetching one when the cached one is missing or about to expire.
func (s *TokenSource) Token(ctx context.Context) (Token, error) {
	s.mu.Lock()
	if s.validLocked() {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	s.mu.Unlock()

	if err := s.lock.Lock(ctx); err != nil {
		return Token{}, err
	}
	defer s.lock.Unlock()

	s.mu.Lock()
	if s.validLocked() {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	refr := s.refr
	s.mu.Unlock()

	var (
		t    Token
		life time.Duration
		err  error
	)
	if refr != "" && s.Grant != RefreshTokenGrant {
		// Try the refresh token we were given before falling back to the configured grant.
		t, life, err = s.fetch(ctx, RefreshTokenGrant, refr)
	}
	if refr == "" || err != nil {
		t, life, err = s.fetch(ctx, s.Grant, s.RefreshToken)
	}
	if err != nil {
		return Token{}, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if t.AccessToken == s.tok.AccessToken && !s.tok.Expiry.IsZero() {
		life = s.life
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
	s.hdr = "Bearer " + t.AccessToken
	s.life = life
	s.bad = false
	s.gen++
	return t, nil
}

func (s *TokenSource) fetch(ctx context.Context, grant Grant, refresh string) (Token, time.Duration, error) {
	s.mu.Lock()
	send := s.send
	s.mu.Unlock()
	if send == nil {
		return Token{}, 0, errors.New("auth: token source is not attached to a client")
	}
	if s.URL == "" {
		return Token{}, 0, errors.New("auth: token source has no URL")
	}
	form := url.Values{"grant_type": {string(grant)}}
	switch grant {
	case PasswordGrant:
		form.Set("username", s.Username)
		form.Set("password", s.Password)
	case RefreshTokenGrant:
		if refresh == "" {
			return Token{}, 0, errors.New("auth: refresh_token grant without a refresh token")
		}
		form.Set("refresh_token", refresh)
	case ClientCredentials:
	default:
		return Token{}, 0, fmt.Errorf("auth: unsupported grant %q", grant)
	}
	if s.Scope != "" {
		form.Set("scope", s.Scope)
	}
	r := TokenRequest{URL: s.URL, Header: s.Header, Form: form}
	switch {
	case s.ClientAuth == ClientAuthForm:
		form.Set("client_id", s.ClientID)
		form.Set("client_secret", s.ClientSecret)
	case s.ClientID != "" && s.ClientAuth == ClientAuthBasicPlain:
		r.BasicUser, r.BasicPass = s.ClientID, s.ClientSecret
	case s.ClientID != "":
		r.BasicUser, r.BasicPass = url.QueryEscape(s.ClientID), url.QueryEscape(s.ClientSecret)
	}
	reply, err := send(ctx, r)
	if err != nil {
		return Token{}, 0, err
	}
	if reply.AccessToken == "" {
		return Token{}, 0, errors.New("auth: token reply has no access_token")
	}
	if strings.IndexFunc(reply.AccessToken, unicode.IsControl) >= 0 {
		// It could not be sent in a header; and a server that sends one is broken.
		return Token{}, 0, errors.New("auth: token reply's access_token holds a control character")
	}
	t := Token{AccessToken: reply.AccessToken, TokenType: reply.TokenType, RefreshToken: reply.RefreshToken}
	var life time.Duration
	if secs, err := reply.ExpiresIn.Int64(); err == nil && secs > 0 {
		life = time.Duration(secs) * time.Second
		t.Expiry = s.clock().Add(life)
	} else if f, err := reply.ExpiresIn.Float64(); err == nil && f > 0 {
		life = time.Duration(f * float64(time.Second))
		t.Expiry = s.clock().Add(life)
	}
	return t, life, nil
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

// Forget drops token if it is the cached one (the caller revoked it), so that the next
// Authorize fetches a new one instead of sending it and waiting for a 401.
func (s *TokenSource) Forget(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if token != "" && token == s.tok.AccessToken {
		s.bad = true
	}
}

// Secrets returns the client secret, password, refresh tokens and the access tokens seen.
func (s *TokenSource) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.ClientSecret, s.Password, s.RefreshToken, s.refr, s.tok.AccessToken}
	return append(out, s.old...)
}

// Names returns the client id and the user name of the password grant.
func (s *TokenSource) Names() []string { return []string{s.ClientID, s.Username} }

// Bearer sends "Authorization: Bearer <token>" from a TokenSource.
type Bearer struct {
	Source *TokenSource
}

// UseSender hands the core's token sender to the source.
func (b Bearer) UseSender(f TokenSender) { b.Source.UseSender(f) }

// Authorize sets the Authorization header, fetching a token when needed. A cached token
// costs no allocation beyond the header's own.
func (b Bearer) Authorize(ctx context.Context, req *http.Request) error {
	b.Source.mu.Lock()
	if b.Source.validLocked() {
		h := b.Source.hdr
		b.Source.mu.Unlock()
		req.Header.Set("Authorization", h)
		return nil
	}
	b.Source.mu.Unlock()
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

// Names returns the token source's client id and user name.
func (b Bearer) Names() []string { return b.Source.Names() }

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

// Package auth holds the ways a roster request proves who sent it: an access-token header,
// HTTP Basic, an OAuth2 Bearer token, and a vendor session token. The HTTP core calls an
// Authorizer on every attempt, on a clone of the request, so a refreshed credential lands in
// the resend and the caller's request is never touched.
package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sync"
)

// Authorizer adds credentials to one attempt of a request.
type Authorizer interface {
	Authorize(ctx context.Context, req *http.Request) error
}

// Refresher is an Authorizer whose credentials the server can reject and that can get new
// ones. The core asks it at most once per call, after a 401 or the vendor's "session expired"
// reply, and then sends the request once more.
type Refresher interface {
	Authorizer
	// Generation identifies the credentials handed out by the latest Authorize.
	Generation() uint64
	// Refresh drops the credentials of generation gen, so that the next Authorize gets new
	// ones. Callers that saw an older generation get nil: someone already refreshed.
	Refresh(ctx context.Context, gen uint64) error
}

// FormAuthorizer is an Authorizer that puts its credential into form bodies (Razuna's
// sessiontoken). The core calls it on every attempt of a request with a form body.
type FormAuthorizer interface {
	AuthorizeForm(ctx context.Context, form url.Values) error
}

// SecretHolder reports the secrets an authorizer holds, so the core can scrub them from
// errors, logs and cassettes wherever they appear.
type SecretHolder interface {
	Secrets() []string
}

// NameHolder reports the user names and client ids an authorizer sends. They are not secret
// enough to refuse for their length, but the core hides them where they stand whole.
type NameHolder interface {
	Names() []string
}

// HeaderToken sends a fixed token in a named header (Relution's X-User-Access-Token).
type HeaderToken struct {
	Name  string
	Token string
}

// Authorize sets the header.
func (h HeaderToken) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set(h.Name, h.Token)
	return nil
}

// Secrets returns the token.
func (h HeaderToken) Secrets() []string { return []string{h.Token} }

// Basic sends HTTP Basic credentials.
type Basic struct {
	Username string
	Password string
	// Latin1 encodes "user:password" as ISO-8859-1 instead of UTF-8 before base64, as
	// Relativity's own sample client does (Encoding.GetEncoding("ISO-8859-1")). The same
	// bytes for ASCII; check beyond it with FitsLatin1 before use (other runes are sent as '?').
	Latin1 bool
}

// Authorize sets the Authorization header.
func (b Basic) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Basic "+b.encoded())
	return nil
}

func (b Basic) encoded() string {
	raw := b.Username + ":" + b.Password
	if !b.Latin1 {
		return base64.StdEncoding.EncodeToString([]byte(raw))
	}
	out := make([]byte, 0, len(raw))
	for _, r := range raw {
		if r > 0xFF {
			r = '?'
		}
		out = append(out, byte(r))
	}
	return base64.StdEncoding.EncodeToString(out)
}

// FitsLatin1 reports whether s can be sent with Basic{Latin1: true} as it is.
func FitsLatin1(s string) bool {
	for _, r := range s {
		if r > 0xFF {
			return false
		}
	}
	return true
}

// Names returns the user name.
func (b Basic) Names() []string { return []string{b.Username} }

// Secrets returns the password, the base64 of "user:password" and the whole Authorization
// value "Basic <base64>", so that a server echoing the header is scrubbed too (the base64
// decodes to the password). An empty password yields no secrets: there is nothing to hide, and
// the base64 of "user:" alone would mask the user name wherever it appears encoded.
func (b Basic) Secrets() []string {
	if b.Password == "" {
		return nil
	}
	enc := b.encoded()
	return []string{b.Password, enc, "Basic " + enc}
}

// FormToken sends a fixed credential as a form value (Razuna's v2 api_key), so that it never
// sits in a URL. A request without a form body is refused before it is sent.
type FormToken struct {
	Key   string
	Token string
}

// Authorize refuses a request without a form body; AuthorizeForm adds the value to one.
func (f FormToken) Authorize(_ context.Context, req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody || !isForm(req.Header.Get("Content-Type")) {
		return errors.New("auth: " + f.Key + " is sent only in a form body, and this request has none")
	}
	return nil
}

// AuthorizeForm sets the credential.
func (f FormToken) AuthorizeForm(_ context.Context, form url.Values) error {
	form.Set(f.Key, f.Token)
	return nil
}

// Secrets returns the credential.
func (f FormToken) Secrets() []string { return []string{f.Token} }

// ctxLock is a mutex whose Lock gives up when ctx is done: a caller waiting for another's
// login or token fetch must not outlive its own deadline.
type ctxLock struct {
	once sync.Once
	ch   chan struct{}
}

// Lock takes the lock, or returns ctx's error when ctx ends first.
func (l *ctxLock) Lock(ctx context.Context) error {
	l.once.Do(func() { l.ch = make(chan struct{}, 1) })
	select {
	case l.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Unlock releases the lock.
func (l *ctxLock) Unlock() { <-l.ch }

package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/redact"
)

const maxErrorBody = 1 << 20

var acceptJSON = []string{"application/json"}

// Blob receives a success body as bytes, with its media type (an app icon).
type Blob struct {
	ContentType string
	Data        []byte
}

// Do sends req and decodes a success reply into out: JSON (or the vendor's Decode hook) into
// a pointer, raw bytes into an io.Writer or a *Blob, nothing for nil. Every other outcome is an
// *Error; a cancelled ctx returns ctx's error, except for a write cancelled while it was on the
// wire: that is an *Error matching both ctx's error and ErrMaybeApplied.
func (c *Client) Do(req *Request, out any) error {
	st := &callState{req: req}
	ctx := context.WithValue(req.ctx, stateKey{}, st)
	var body any
	if req.body != nil {
		body = retryablehttp.ReaderFunc(req.body)
	}
	rreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, req.url.String(), body)
	if err != nil {
		return fmt.Errorf("%s: build request: %w", c.vendor, err)
	}
	for k, vs := range c.header {
		rreq.Header[k] = vs
	}
	for k, vs := range req.header {
		rreq.Header[k] = vs
	}
	// The fixed values are shared, read-only slices: an Authorizer works on a clone.
	if rreq.Header.Get("Accept") == "" {
		rreq.Header["Accept"] = acceptJSON
	}
	rreq.Header["User-Agent"] = c.userAgentHdr
	if req.body != nil {
		rreq.Header.Set("Content-Type", req.contentType)
		rreq.ContentLength = req.contentLength
	}

	resp, err := c.rc.Do(rreq)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return c.failure(ctx, st, err)
	}
	defer resp.Body.Close()
	if st.limited {
		return c.statusError(st, resp, ErrRateLimited)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.statusError(st, resp, nil)
	}
	if c.hooks.SessionExpired != nil {
		peek, err := peekBody(resp, 64<<10)
		if err == nil && c.hooks.SessionExpired(resp.StatusCode, peek) {
			return c.statusError(st, resp, ErrUnauthorized)
		}
	}
	return c.decode(st, resp, out)
}

func (c *Client) decode(st *callState, resp *http.Response, out any) error {
	switch o := out.(type) {
	case nil:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	case *Blob:
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return c.readError(st, err)
		}
		o.ContentType, o.Data = resp.Header.Get("Content-Type"), data
		return nil
	case io.Writer:
		if _, err := io.Copy(o, resp.Body); err != nil {
			return c.readError(st, err)
		}
		return nil
	}
	if c.hooks.Decode != nil {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return c.readError(st, err)
		}
		if err := c.hooks.Decode(resp.Header, data, out); err != nil {
			return c.decodeError(st, err)
		}
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil && !errors.Is(err, io.EOF) {
		return c.decodeError(st, err)
	}
	// Read what follows the value (a newline, a chunked trailer) so the connection is reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	return nil
}

// decodeError reports a success reply that could not be decoded. The decoder's text may quote
// the body (a vendor Decode hook), so it is redacted like everything else.
func (c *Client) decodeError(st *callState, err error) error {
	red := st.redactor(c)
	return fmt.Errorf("%s: %s %s: decode reply: %w", c.vendor, st.req.method, red.URL(st.req.url), redactErr(red, err))
}

func (c *Client) readError(st *callState, err error) error {
	red := st.redactor(c)
	return &Error{Vendor: c.vendor, Method: st.req.method, URL: red.URL(st.req.url),
		cause: redactErr(red, err), maybeApplied: !st.req.IsRead()}
}

// peekBody reads up to n bytes and puts them back in front of the rest of the body.
func peekBody(resp *http.Response, n int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, n))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(data), resp.Body), resp.Body}
	return data, err
}

// statusError turns a non-success (or vendor-rejected) reply into an *Error.
func (c *Client) statusError(st *callState, resp *http.Response, kind error) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var info ErrorInfo
	if c.hooks.ParseError != nil && len(raw) > 0 {
		info = c.hooks.ParseError(resp.StatusCode, resp.Header, raw)
	}
	e := c.replyError(st, resp.StatusCode, kind, info)
	e.Body = st.redactor(c).Body(resp.Header.Get("Content-Type"), raw)
	return e
}

// ReplyError returns the *Error for a reply that req got and that the vendor code rejects
// although Do accepted it: Relution answers some failures with HTTP 200 and a status of "-1"
// in its envelope. status is the reply's HTTP status, info what the reply says. The error is
// built as Do builds one for a failed status: the vendor, req's method, req's URL redacted,
// and info's Code, Message and Detail redacted with the client's secrets and those req holds
// (the vendor's message may echo them). It matches info.Kind, when set, and the sentinels of
// status. A write answered with a 2xx is not ErrMaybeApplied: the server said it failed, so
// nothing was applied; with a 5xx it is, as in Do. Body is empty: the reply was decoded.
func (c *Client) ReplyError(req *Request, status int, info ErrorInfo) error {
	return c.replyError(&callState{req: req}, status, nil, info)
}

// replyError builds the *Error for a reply with the given status: kind, when set, wins over
// info.Kind. A write answered with a 5xx may have been applied: a 5xx does not prove it was
// refused (the server may have failed after applying it, or a gateway may have passed it on
// before giving up on the reply). It is not resent (checkRetry), and the error says so.
func (c *Client) replyError(st *callState, status int, kind error, info ErrorInfo) *Error {
	req, red := st.req, st.redactor(c)
	e := &Error{
		Vendor:     c.vendor,
		StatusCode: status,
		Method:     req.method,
		URL:        red.URL(req.url),
		Code:       red.String(info.Code),
		Message:    red.String(info.Message),
		Detail:     red.String(info.Detail),
		kind:       kind,
	}
	if e.kind == nil {
		e.kind = info.Kind
	}
	if !req.IsRead() && status >= 500 && status <= 599 {
		e.maybeApplied = true
	}
	return e
}

// failure turns a transport error or a refused retry into an error.
func (c *Client) failure(ctx context.Context, st *callState, err error) error {
	write := !st.req.IsRead()
	if ctxErr := ctx.Err(); ctxErr != nil {
		if write && st.sends > 0 && !st.waiting && !st.unsent && st.authErr == nil && !provesNotApplied(st.status) {
			// Cancelled while a write was on the wire, or just after a reply that does not
			// prove it was refused: it may have been applied.
			return &Error{Vendor: c.vendor, Method: st.req.method, URL: st.redactor(c).URL(st.req.url),
				cause: ctxErr, maybeApplied: true}
		}
		return ctxErr
	}
	red := st.redactor(c)
	if st.authErr != nil {
		if _, ok := st.authErr.(*Error); ok {
			return st.authErr
		}
		return &Error{Vendor: c.vendor, Method: st.req.method, URL: red.URL(st.req.url),
			cause: redactErr(red, fmt.Errorf("authorize: %w", st.authErr)), kind: ErrUnauthorized}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{
		Vendor:       c.vendor,
		Method:       st.req.method,
		URL:          red.URL(st.req.url),
		cause:        redactErr(red, err),
		maybeApplied: write && !st.unsent,
	}
}

// provesNotApplied reports whether a reply shows the server refused a write: any 4xx. No reply
// (0), a success, and a 5xx do not.
func provesNotApplied(status int) bool { return status >= 400 && status < 500 }

func redactErr(red *redact.Redactor, err error) error {
	return &redactedError{msg: red.String(err.Error()), err: err}
}

// transport authorizes and logs every attempt. It sits under the retry loop, above the
// caller's transport (or a cassette recorder).
type transport struct {
	c    *Client
	base http.RoundTripper
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	st := stateOf(ctx)
	if st == nil {
		return t.base.RoundTrip(r)
	}
	st.sends++
	st.unsent = false
	st.waiting = false
	out := r
	if a := t.c.auth; a != nil && sameHost(r.URL, t.c.base) {
		// Authorize a clone: the retry loop reuses r for the next attempt.
		out = r.Clone(ctx)
		if err := a.Authorize(ctx, out); err != nil {
			st.authErr = err
			closeBody(r) // a RoundTripper closes the body, even when it fails
			return nil, err
		}
		if fa, ok := a.(auth.FormAuthorizer); ok && st.req.form != nil {
			form := url.Values{}
			for k, vs := range st.req.form {
				form[k] = append([]string(nil), vs...)
			}
			if err := fa.AuthorizeForm(ctx, form); err != nil {
				st.authErr = err
				closeBody(r)
				return nil, err
			}
			closeBody(r)
			enc := form.Encode()
			out.Body = io.NopCloser(strings.NewReader(enc))
			// net/http rewinds through GetBody when it resends on a fresh connection.
			out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(enc)), nil }
			out.ContentLength = int64(len(enc))
		}
		if ref, ok := a.(auth.Refresher); ok {
			st.gen = ref.Generation()
		}
	}
	l := t.c.logger
	if l != nil && !l.Enabled(ctx, slog.LevelDebug) {
		l = nil
	}
	var start time.Time
	if l != nil {
		start = time.Now()
	}
	resp, err := t.base.RoundTrip(out)
	st.status = 0
	if err != nil {
		st.unsent = neverSent(err)
	} else {
		st.status = resp.StatusCode
	}
	if l != nil {
		red := st.redactor(t.c)
		attrs := []slog.Attr{
			slog.String("vendor", t.c.vendor),
			slog.String("method", r.Method),
			slog.String("url", red.URL(r.URL)),
			slog.Int("attempt", st.sends),
			slog.Duration("duration", time.Since(start)),
		}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", red.String(err.Error())))
		}
		l.LogAttrs(ctx, slog.LevelDebug, "roster http attempt", attrs...)
	}
	return resp, err
}

func closeBody(r *http.Request) {
	if r.Body != nil {
		r.Body.Close()
	}
}

func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

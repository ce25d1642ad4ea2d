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
// a pointer, raw bytes into an io.Writer or a *Blob, nothing for nil (a write that needs
// nothing from its reply succeeds on any 2xx, whatever the body). Every other outcome is an
// *Error. A call cut short by ctx is an *Error naming the call that matches ctx's error with
// errors.Is, and ErrMaybeApplied too when a write was on the wire. A success reply to a write
// that cannot be read or decoded matches ErrMaybeApplied: the server acknowledged the change.
func (c *Client) Do(req *Request, out any) error {
	st := &callState{req: req}
	if err := req.ctx.Err(); err != nil {
		// Nothing was sent: the error is the ctx's, named after the call.
		return c.ctxError(st, err, false)
	}
	ctx := context.WithValue(req.ctx, stateKey{}, st)
	var body any
	if req.body != nil {
		body = retryablehttp.ReaderFunc(req.body)
	}
	if c.percentSpaces && strings.Contains(req.url.RawQuery, "+") {
		// Query escaping writes a literal "+" as "%2B", so every "+" left is a space.
		req.url.RawQuery = strings.ReplaceAll(req.url.RawQuery, "+", "%20")
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
	if c.hooks.SessionExpired != nil && !req.skipAuth {
		peek, err := peekBody(resp, 64<<10)
		if err == nil && c.hooks.SessionExpired(req, resp.StatusCode, peek) {
			// Still expired after the one re-login: nothing was applied.
			return c.statusError(st, resp, ErrUnauthorized)
		}
	}
	return c.decode(st, resp, out)
}

func (c *Client) decode(st *callState, resp *http.Response, out any) error {
	switch o := out.(type) {
	case *Blob:
		data, err := c.readReply(st, resp, c.maxDownload)
		if err != nil {
			return err
		}
		if err := c.checkReply(st, resp, data); err != nil {
			return err
		}
		o.ContentType, o.Data = resp.Header.Get("Content-Type"), data
		return nil
	case io.Writer:
		if c.hooks.CheckReply == nil {
			n, err := io.Copy(o, io.LimitReader(resp.Body, c.maxDownload))
			if err != nil {
				return c.readError(st, resp, err)
			}
			if n == c.maxDownload {
				var one [1]byte
				if m, _ := io.ReadFull(resp.Body, one[:]); m > 0 {
					return c.tooLarge(st, resp, nil, c.maxDownload)
				}
			}
			return nil
		}
		data, err := c.readReply(st, resp, c.maxDownload)
		if err != nil {
			return err
		}
		if err := c.checkReply(st, resp, data); err != nil {
			return err
		}
		if _, err := o.Write(data); err != nil {
			return c.readError(st, resp, err)
		}
		return nil
	}
	data, err := c.readReply(st, resp, c.maxReply)
	if err != nil {
		return err
	}
	if err := c.checkReply(st, resp, data); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if c.hooks.Decode != nil {
		err = c.hooks.Decode(resp.Header, data, out)
	} else if len(bytes.TrimSpace(data)) > 0 {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		return c.decodeError(st, resp, data, err)
	}
	return nil
}

// checkReply runs the vendor's CheckReply hook on a success body.
func (c *Client) checkReply(st *callState, resp *http.Response, data []byte) error {
	if c.hooks.CheckReply == nil {
		return nil
	}
	info, failed := c.hooks.CheckReply(st.req, resp.StatusCode, resp.Header, data)
	if !failed {
		return nil
	}
	e := c.replyError(st, resp, nil, info)
	e.Body = st.redactor(c).BodyLimit(resp.Header.Get("Content-Type"), data, maxErrorBody)
	return e
}

// readReply reads a success body of at most limit bytes. A Content-Length within the limit
// sizes the buffer at once; otherwise the body is read in chunks that are joined once, so
// an endless (or endlessly inflating) reply costs at most limit bytes before it fails.
func (c *Client) readReply(st *callState, resp *http.Response, limit int64) ([]byte, error) {
	if cl := resp.ContentLength; cl >= 0 && cl <= limit {
		buf := make([]byte, cl)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, c.readError(st, resp, err)
		}
		// Read what follows (a chunked trailer) so the connection is reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return buf, nil
	}
	var chunks [][]byte
	var total int64
	size := int64(32 << 10)
	for {
		if total > limit {
			return nil, c.tooLarge(st, resp, chunks, limit)
		}
		chunk := make([]byte, min(size, limit+1-total))
		n, err := io.ReadFull(resp.Body, chunk)
		chunk = chunk[:n]
		total += int64(n)
		if n > 0 {
			chunks = append(chunks, chunk)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, c.readError(st, resp, err)
		}
		if size < 4<<20 {
			size *= 2
		}
	}
	if total > limit {
		return nil, c.tooLarge(st, resp, chunks, limit)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, ch := range chunks {
		out = append(out, ch...)
	}
	return out, nil
}

// maxOverCapBody is how much of a body over the reply cap an *Error keeps.
const maxOverCapBody = 4 << 10

// tooLarge reports a success body longer than limit. A write so answered was acknowledged
// by the server, so it matches ErrMaybeApplied.
func (c *Client) tooLarge(st *callState, resp *http.Response, chunks [][]byte, limit int64) error {
	e := c.replyError(st, resp, nil, ErrorInfo{MaybeApplied: !st.req.IsRead()})
	e.what = fmt.Sprintf("reply longer than the client's limit of %d bytes", limit)
	var head []byte
	for _, ch := range chunks {
		head = append(head, ch[:min(len(ch), maxOverCapBody+64-len(head))]...)
		if len(head) >= maxOverCapBody+64 {
			break
		}
	}
	e.Body = st.redactor(c).BodyLimit(resp.Header.Get("Content-Type"), head, maxOverCapBody)
	return e
}

// maxText caps an error's Code, Message and Detail: cut after redaction, so no secret is
// left half-shown at the cut.
const maxText = 4 << 10

func capText(s string) string {
	if len(s) > maxText {
		s = strings.ToValidUTF8(s[:maxText], "")
	}
	return s
}

func capBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n:n]
	}
	return b
}

// decodeError reports a success reply that could not be decoded. The decoder's text may quote
// the body (a vendor Decode hook), so it is redacted like everything else. A write so
// answered was acknowledged: it matches ErrMaybeApplied.
func (c *Client) decodeError(st *callState, resp *http.Response, data []byte, err error) error {
	red := st.redactor(c)
	e := c.replyError(st, resp, nil, ErrorInfo{MaybeApplied: !st.req.IsRead()})
	e.what = "decode reply: " + red.String(err.Error())
	e.cause = redactErr(red, err)
	e.Body = red.BodyLimit(resp.Header.Get("Content-Type"), data, maxErrorBody)
	return e
}

// readError reports a success reply whose body broke off. A write so answered was
// acknowledged: it matches ErrMaybeApplied.
func (c *Client) readError(st *callState, resp *http.Response, err error) error {
	red := st.redactor(c)
	e := c.replyError(st, resp, nil, ErrorInfo{MaybeApplied: !st.req.IsRead()})
	e.what = "read reply: " + red.String(err.Error())
	e.cause = redactErr(red, err)
	return e
}

// BadReply reports a success reply that was read but lacks what the call needs (the uuid of
// a job it started, the id of what it created). For a write it matches ErrMaybeApplied: the
// server acknowledged the change, so the caller must not simply send it again.
func (c *Client) BadReply(req *Request, format string, args ...any) error {
	st := &callState{req: req}
	red := st.redactor(c)
	return &Error{Vendor: string(c.vendor), Method: req.method, URL: red.URL(req.url),
		what: "unusable reply: " + red.String(fmt.Sprintf(format, args...)), maybeApplied: !req.IsRead()}
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

// statusError turns a non-success (or vendor-rejected) reply into an *Error. The body is
// redacted before it is cut to maxErrorBody, so no secret survives half-cut at the edge.
func (c *Client) statusError(st *callState, resp *http.Response, kind error) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+redactMargin))
	var info ErrorInfo
	parse := c.hooks.ParseError
	if st.req.parseError != nil {
		parse = st.req.parseError
	}
	if parse != nil && len(raw) > 0 {
		info = parse(resp.StatusCode, resp.Header, capBytes(raw, maxErrorBody))
	}
	e := c.replyError(st, resp, kind, info)
	e.Body = st.redactor(c).BodyLimit(resp.Header.Get("Content-Type"), raw, maxErrorBody)
	return e
}

// redactMargin is read past maxErrorBody so that a secret across the cut is whole when the
// body is redacted (then cut).
const redactMargin = redact.Overlap

// requestIDHeaders are the headers vendors and their gateways put a request id in.
var requestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "Request-Id", "X-Amzn-Requestid", "X-Trace-Id"}

// replyError builds the *Error for a reply: kind, when set, wins over info.Kind. A write
// answered with a 5xx may have been applied: a 5xx does not prove it was refused (the server
// may have failed after applying it, or a gateway may have passed it on before giving up on
// the reply), unless the vendor says the reply proves otherwise (info.Refused). It is not
// resent (checkRetry), and the error says so.
func (c *Client) replyError(st *callState, resp *http.Response, kind error, info ErrorInfo) *Error {
	req, red := st.req, st.redactor(c)
	status := resp.StatusCode
	e := &Error{
		Vendor:     string(c.vendor),
		StatusCode: status,
		Method:     req.method,
		URL:        red.URL(req.url),
		Code:       capText(red.String(info.Code)),
		Message:    capText(red.String(info.Message)),
		Detail:     capText(red.String(info.Detail)),
		RetryAfter: st.askedWait,
		kind:       kind,
	}
	if e.kind == nil {
		e.kind = info.Kind
	}
	if resp.Header != nil {
		e.Header = redact.Values(red, resp.Header)
		for _, h := range requestIDHeaders {
			if v := e.Header.Get(h); v != "" {
				e.RequestID = v
				break
			}
		}
	}
	switch {
	case req.IsRead(), info.Refused:
	case info.MaybeApplied:
		e.maybeApplied = true
	case status >= 500 && status <= 599:
		e.maybeApplied = true
	}
	return e
}

// ctxError names the call that ctx cut short; maybeApplied when a write was on the wire.
func (c *Client) ctxError(st *callState, ctxErr error, maybeApplied bool) error {
	return &Error{Vendor: string(c.vendor), Method: st.req.method, URL: st.redactor(c).URL(st.req.url),
		cause: ctxErr, maybeApplied: maybeApplied, RetryAfter: st.askedWait}
}

// failure turns a transport error or a refused retry into an error.
func (c *Client) failure(ctx context.Context, st *callState, err error) error {
	write := !st.req.IsRead()
	if ctxErr := ctx.Err(); ctxErr != nil {
		// Cancelled while a write was on the wire, or just after a reply that does not
		// prove it was refused: it may have been applied.
		maybe := write && st.sends > 0 && !st.waiting && !st.unsent && st.authErr == nil && !provesNotApplied(st.status)
		return c.ctxError(st, ctxErr, maybe)
	}
	red := st.redactor(c)
	if st.authErr != nil {
		if _, ok := st.authErr.(*Error); ok {
			return st.authErr
		}
		return &Error{Vendor: string(c.vendor), Method: st.req.method, URL: red.URL(st.req.url),
			cause: redactErr(red, fmt.Errorf("authorize: %w", st.authErr)), kind: ErrUnauthorized}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{
		Vendor:       string(c.vendor),
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
	if err := ctx.Err(); err != nil {
		// Done before this attempt left: it was never sent.
		st.unsent = true
		closeBody(r)
		return nil, err
	}
	out := r
	if a := t.c.auth; a != nil && !st.req.skipAuth && sameHost(r.URL, t.c.base) {
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
			slog.String("vendor", string(t.c.vendor)),
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

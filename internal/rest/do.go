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
)

const maxErrorBody = 1 << 20

// Blob receives a success body as bytes, with its media type (an app icon).
type Blob struct {
	ContentType string
	Data        []byte
}

// Do sends req and decodes a success reply into out: JSON (or the vendor's Decode hook) into
// a pointer, raw bytes into an io.Writer or a *Blob, nothing for nil. Every other outcome is an
// *Error; a cancelled ctx returns ctx's error.
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
	if rreq.Header.Get("Accept") == "" {
		rreq.Header.Set("Accept", "application/json")
	}
	rreq.Header.Set("User-Agent", c.userAgent)
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
		return c.statusError(req, resp, ErrRateLimited)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.statusError(req, resp, nil)
	}
	if c.hooks.SessionExpired != nil {
		peek, err := peekBody(resp, 64<<10)
		if err == nil && c.hooks.SessionExpired(resp.StatusCode, peek) {
			return c.statusError(req, resp, ErrUnauthorized)
		}
	}
	return c.decode(req, resp, out)
}

func (c *Client) decode(req *Request, resp *http.Response, out any) error {
	switch o := out.(type) {
	case nil:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	case *Blob:
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return c.readError(req, err)
		}
		o.ContentType, o.Data = resp.Header.Get("Content-Type"), data
		return nil
	case io.Writer:
		if _, err := io.Copy(o, resp.Body); err != nil {
			return c.readError(req, err)
		}
		return nil
	}
	if c.hooks.Decode != nil {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return c.readError(req, err)
		}
		if err := c.hooks.Decode(resp.Header, data, out); err != nil {
			return fmt.Errorf("%s: %s %s: decode reply: %w", c.vendor, req.method, c.redactor.URL(req.url), err)
		}
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %s %s: decode reply: %s", c.vendor, req.method, c.redactor.URL(req.url), c.redactor.String(err.Error()))
	}
	return nil
}

func (c *Client) readError(req *Request, err error) error {
	return &Error{Vendor: c.vendor, Method: req.method, URL: c.redactor.URL(req.url),
		cause: c.redact(err), maybeApplied: !req.IsRead()}
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
func (c *Client) statusError(req *Request, resp *http.Response, kind error) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &Error{
		Vendor:     c.vendor,
		StatusCode: resp.StatusCode,
		Method:     req.method,
		URL:        c.redactor.URL(req.url),
		kind:       kind,
	}
	if c.hooks.ParseError != nil && len(raw) > 0 {
		info := c.hooks.ParseError(resp.StatusCode, resp.Header, raw)
		e.Code = c.redactor.String(info.Code)
		e.Message = c.redactor.String(info.Message)
		e.Detail = c.redactor.String(info.Detail)
		if info.Kind != nil && e.kind == nil {
			e.kind = info.Kind
		}
	}
	e.Body = c.redactor.Body(resp.Header.Get("Content-Type"), raw)
	if !req.IsRead() {
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusGatewayTimeout:
			// A gateway may have passed the change on before giving up on the reply.
			e.maybeApplied = true
		}
	}
	return e
}

// failure turns a transport error or a refused retry into an error.
func (c *Client) failure(ctx context.Context, st *callState, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if st.authErr != nil {
		if _, ok := st.authErr.(*Error); ok {
			return st.authErr
		}
		return &Error{Vendor: c.vendor, Method: st.req.method, URL: c.redactor.URL(st.req.url),
			cause: c.redact(fmt.Errorf("authorize: %w", st.authErr)), kind: ErrUnauthorized}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{
		Vendor:       c.vendor,
		Method:       st.req.method,
		URL:          c.redactor.URL(st.req.url),
		cause:        c.redact(err),
		maybeApplied: !st.req.IsRead() && !st.unsent,
	}
}

func (c *Client) redact(err error) error {
	return &redactedError{msg: c.redactor.String(err.Error()), err: err}
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
	out := r.Clone(ctx)
	if a := t.c.auth; a != nil && sameHost(out.URL, t.c.base) {
		if err := a.Authorize(ctx, out); err != nil {
			st.authErr = err
			return nil, err
		}
		if fa, ok := a.(auth.FormAuthorizer); ok && st.req.form != nil {
			form := url.Values{}
			for k, vs := range st.req.form {
				form[k] = append([]string(nil), vs...)
			}
			if err := fa.AuthorizeForm(ctx, form); err != nil {
				st.authErr = err
				return nil, err
			}
			if r.Body != nil {
				r.Body.Close()
			}
			enc := form.Encode()
			out.Body = io.NopCloser(strings.NewReader(enc))
			out.ContentLength = int64(len(enc))
		}
		if ref, ok := a.(auth.Refresher); ok {
			st.gen = ref.Generation()
		}
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		st.unsent = neverSent(err)
	}
	if l := t.c.logger; l != nil && l.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.String("vendor", t.c.vendor),
			slog.String("method", r.Method),
			slog.String("url", t.c.redactor.URL(r.URL)),
			slog.Int("attempt", st.sends),
			slog.Duration("duration", time.Since(start)),
		}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", t.c.redactor.String(err.Error())))
		}
		l.LogAttrs(ctx, slog.LevelDebug, "roster http attempt", attrs...)
	}
	return resp, err
}

func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

package rest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rosterhq/roster/internal/auth"
)

// checkRetry is the retry rule of DESIGN §5. Reads are retried on transport errors and
// 429/502/503/504. Writes are sent again only when the request provably never left, after a
// 429, or once after an auth refresh: anything else might apply the change twice.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := stateOf(ctx)
	if st == nil || st.authErr != nil {
		return false, nil
	}
	retry, err := c.shouldRetry(ctx, st, resp, err)
	// Once a retry is decided, the last attempt is settled: answered with a reply that
	// proves nothing was applied, or never sent at all (for a write), or harmless (a read).
	st.waiting = retry
	return retry, err
}

func (c *Client) shouldRetry(ctx context.Context, st *callState, resp *http.Response, err error) (bool, error) {
	sends := st.sends
	if st.refreshed {
		sends-- // the resend after a refresh is free
	}
	budget := sends < c.policy.MaxAttempts
	read := st.req.IsRead()

	if err != nil {
		if isPermanent(err) {
			return false, nil
		}
		return budget && (read || st.unsent), nil
	}

	// Parsed once: the error reports what the server asked for, whatever happens next.
	ra := resp.Header.Get("Retry-After")
	wait, waitOK := retryAfter(ra, c.now())
	st.askedWait = wait
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		if st.req.skipAuth {
			return false, nil
		}
		return c.refresh(ctx, st)
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if resp.StatusCode != http.StatusTooManyRequests && !read {
			return false, nil
		}
		if (waitOK && wait > c.policy.MaxWait) || (!waitOK && ra != "") {
			// Too long, or unreadable ("3600.5", a number past int64): either way not a
			// wait this call may take.
			st.limited = true
			return false, nil
		}
		if !budget {
			return false, nil
		}
		st.retryAfter, st.hasRetryAfter = wait, waitOK
		return true, nil
	}
	if c.hooks.SessionExpired != nil && !st.req.skipAuth {
		peek, _ := peekBody(resp, 64<<10)
		if c.hooks.SessionExpired(st.req, resp.StatusCode, peek) {
			return c.refresh(ctx, st)
		}
	}
	return false, nil
}

// refresh asks a refreshable authorizer for new credentials, once per call.
func (c *Client) refresh(ctx context.Context, st *callState) (bool, error) {
	ref, ok := c.auth.(auth.Refresher)
	if !ok || st.refreshed {
		return false, nil
	}
	st.refreshed = true
	if err := ref.Refresh(ctx, st.gen); err != nil {
		st.authErr = err
		return false, err
	}
	st.immediate = true
	return true, nil
}

// backoff waits as the server asked (already checked against MaxWait), not at all after an
// auth refresh, and otherwise exponentially with jitter between min and max.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.Request != nil {
		if st := stateOf(resp.Request.Context()); st != nil {
			if st.immediate {
				st.immediate = false
				return 0
			}
			if st.hasRetryAfter {
				w := st.retryAfter
				st.retryAfter, st.hasRetryAfter = 0, false
				return w
			}
		}
	}
	w := minWait
	for i := 0; i < attempt && w < maxWait; i++ {
		w *= 2
	}
	if w > maxWait {
		w = maxWait
	}
	// Jitter in [w/2, w] spreads clients that failed together.
	if half := int64(w / 2); half > 0 {
		w = time.Duration(half + rand.Int64N(half+1))
	}
	return w
}

// retryAfter parses Retry-After as seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	v = strings.TrimSpace(v)
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			return 365 * 24 * time.Hour, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// neverSent reports whether a transport error proves the request did not reach the server:
// the connection was never made.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

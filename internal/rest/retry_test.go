package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/fake"
)

type failure int

const (
	dialRefused failure = iota
	status503
	status429
	status401Refresh
	resetAfterWrite
	status500
)

func (f failure) String() string {
	return [...]string{"dial refused", "503", "429", "401 then refresh", "reset after write", "500"}[f]
}

type call struct {
	name     string
	method   string
	readOnly bool
}

var calls = []call{
	{"GET", http.MethodGet, false},
	{"read-only POST", http.MethodPost, true},
	{"POST", http.MethodPost, false},
	{"PUT", http.MethodPut, false},
	{"DELETE", http.MethodDelete, false},
}

// TestRetryMatrix checks the retry rule of DESIGN §5 for every kind of call and failure:
// reads retry transport errors and 429/502/503/504 up to MaxAttempts; writes are sent again
// only after a dial failure, a 429, or once after a 401 refresh; 500 is never retried. A write
// answered with any 5xx is sent once and may have been applied.
func TestRetryMatrix(t *testing.T) {
	t.Parallel()
	const max = 4 // quickRetry.MaxAttempts
	type outcome struct {
		Attempts     int64 // as the server (or, for dial refused, the transport) counted them
		Applied      int64 // how often the handler ran to the end
		OK           bool
		MaybeApplied bool
		Sentinel     bool // the failure's own sentinel matched
	}
	want := func(c call, f failure) outcome {
		read := c.method == http.MethodGet || c.readOnly
		switch f {
		case dialRefused:
			return outcome{Attempts: max}
		case status503:
			if read {
				return outcome{Attempts: max, Sentinel: true}
			}
			return outcome{Attempts: 1, MaybeApplied: true, Sentinel: true}
		case status429:
			return outcome{Attempts: max, Sentinel: true}
		case status401Refresh:
			return outcome{Attempts: 2, Applied: 1, OK: true}
		case resetAfterWrite:
			if read {
				return outcome{Attempts: max, Applied: max}
			}
			return outcome{Attempts: 1, Applied: 1, MaybeApplied: true, Sentinel: true}
		case status500:
			if read {
				return outcome{Attempts: 1}
			}
			return outcome{Attempts: 1, MaybeApplied: true}
		}
		panic("unknown failure")
	}

	for _, f := range []failure{dialRefused, status503, status429, status401Refresh, resetAfterWrite, status500} {
		for _, c := range calls {
			t.Run(f.String()+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				var applied atomic.Int64
				kit := fake.NewKit(nil)
				wantToken := ""
				if f == status401Refresh {
					wantToken = "tok-2"
				}
				handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if wantToken != "" && r.Header.Get("X-Session") != wantToken {
						fake.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": "bad session"})
						return
					}
					applied.Add(1)
					fake.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
				})
				srv := newServer(t, kit.Handler(handler))

				base := srv.URL
				cfg := Config{Retry: quickRetry}
				switch f {
				case dialRefused:
					base = "http://" + closedAddr(t)
				case status503:
					kit.Inject(fake.Fault{Status: http.StatusServiceUnavailable, Count: 100})
				case status429:
					kit.Inject(fake.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0", Count: 100})
				case status500:
					kit.Inject(fake.Fault{Status: http.StatusInternalServerError, Count: 100})
				case resetAfterWrite:
					kit.Inject(fake.Fault{DropAfterApply: true, Count: 100})
				case status401Refresh:
					var logins atomic.Int64
					cfg.Auth = &auth.Session{
						Login: func(context.Context) (string, error) {
							return "tok-" + strconv.FormatInt(logins.Add(1), 10), nil
						},
						Where: auth.InHeader,
						Key:   "X-Session",
					}
				}
				client, ct := newTestClient(t, base, cfg)

				req := mustRequest(t, client, t.Context(), c.method, "/api/things/{id}", "42")
				if c.readOnly {
					req.MarkReadOnly()
				}
				if c.method == http.MethodPost || c.method == http.MethodPut {
					if err := req.SetJSON(map[string]string{"name": "x"}); err != nil {
						t.Fatal(err)
					}
				}
				var out struct{ OK bool }
				err := client.Do(req, &out)

				got := outcome{
					Attempts:     int64(len(kit.Requests())),
					Applied:      applied.Load(),
					OK:           err == nil && out.OK,
					MaybeApplied: errors.Is(err, ErrMaybeApplied),
				}
				if f == dialRefused {
					got.Attempts = ct.n.Load()
				} else if n := ct.n.Load(); n != got.Attempts {
					t.Errorf("transport counted %d attempts, server %d", n, got.Attempts)
				}
				switch f {
				case status503:
					got.Sentinel = errors.Is(err, ErrUnavailable)
				case status429:
					got.Sentinel = errors.Is(err, ErrRateLimited)
				case resetAfterWrite:
					got.Sentinel = errors.Is(err, ErrMaybeApplied)
				}
				if diff := cmp.Diff(want(c, f), got); diff != "" {
					t.Errorf("outcome (-want +got):\n%s\nerr: %v", diff, err)
				}
				if w := want(c, f); !w.OK {
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("error %v (%T) is not an *Error", err, err)
					}
					if e.Method != c.method {
						t.Errorf("Error.Method = %q, want %q", e.Method, c.method)
					}
				}
			})
		}
	}
}

// A 429 with Retry-After beyond MaxWait fails at once: waiting that long is the caller's call.
func TestRetryAfterBeyondMaxWait(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		method string
		status int
	}{
		{"POST 429", http.MethodPost, http.StatusTooManyRequests},
		{"GET 429", http.MethodGet, http.StatusTooManyRequests},
		{"GET 503", http.MethodGet, http.StatusServiceUnavailable},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			kit := fake.NewKit(nil)
			kit.Inject(fake.Fault{Status: c.status, RetryAfter: "1", Count: 100})
			srv := newServer(t, kit.Handler(http.NotFoundHandler()))
			client, _ := newTestClient(t, srv.URL, Config{Retry: quickRetry}) // MaxWait 50 ms < 1 s
			err := client.Do(mustRequest(t, client, t.Context(), c.method, "/x"), nil)
			if n := len(kit.Requests()); n != 1 {
				t.Errorf("server saw %d attempts, want 1", n)
			}
			if !errors.Is(err, ErrRateLimited) {
				t.Errorf("err = %v, want it to match ErrRateLimited", err)
			}
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != c.status {
				t.Errorf("err = %#v, want an *Error with status %d", err, c.status)
			}
		})
	}
}

func TestRetryAfterParsing(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"1", time.Second, true},
		{"120", 2 * time.Minute, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999", 365 * 24 * time.Hour, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Saturday, 01-Mar-25 12:01:00 GMT", time.Minute, true}, // RFC 850
		{"Sat Mar  1 12:00:05 2025", 5 * time.Second, true},     // ANSI C
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0, true},              // in the past: now
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// An HTTP-date Retry-After is honoured: checkRetry accepts it and the next backoff is exactly
// what the server asked, measured against the client's clock.
func TestRetryAfterDateHonoured(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		header    string
		maxWait   time.Duration
		wantRetry bool
		wantWait  time.Duration
	}{
		{now.Add(20 * time.Second).Format(http.TimeFormat), time.Minute, true, 20 * time.Second},
		{now.Add(2 * time.Minute).Format(http.TimeFormat), time.Minute, false, 0},
		{"0", time.Minute, true, 0},
	} {
		c, _ := newTestClient(t, "http://127.0.0.1:1", Config{Retry: RetryPolicy{MaxAttempts: 4, MinWait: time.Second, MaxWait: tt.maxWait}})
		c.now = func() time.Time { return now }
		req := mustRequest(t, c, t.Context(), http.MethodGet, "/x")
		st := &callState{req: req, sends: 1}
		ctx := context.WithValue(t.Context(), stateKey{}, st)
		hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL().String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {tt.header}}, Request: hreq}
		retry, err := c.checkRetry(ctx, resp, nil)
		if err != nil || retry != tt.wantRetry {
			t.Errorf("Retry-After %q: checkRetry = %v, %v; want %v", tt.header, retry, err, tt.wantRetry)
			continue
		}
		if !retry {
			if !st.limited {
				t.Errorf("Retry-After %q beyond MaxWait did not mark the call rate limited", tt.header)
			}
			continue
		}
		if got := c.backoff(c.policy.MinWait, c.policy.MaxWait, 0, resp); got != tt.wantWait {
			t.Errorf("Retry-After %q: backoff = %v, want %v", tt.header, got, tt.wantWait)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "http://127.0.0.1:1", Config{})
	minW, maxW := 100*time.Millisecond, time.Second
	for attempt := range 8 {
		full := minW << attempt
		if full > maxW {
			full = maxW
		}
		for range 50 {
			got := c.backoff(minW, maxW, attempt, nil)
			if got < full/2 || got > full {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, got, full/2, full)
			}
		}
	}
}

// Cancelling ctx while Do waits out a one-hour Retry-After returns ctx's error. That the test
// finishes at all is the proof that the wait ended.
func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method string
		status int // a write waits only after a 429
		// fromTransport signals once the reply reached the client, not when the server
		// wrote it, so that the write is known to have been refused before ctx ends.
		fromTransport bool
	}{
		{http.MethodGet, http.StatusServiceUnavailable, false},
		{http.MethodPost, http.StatusTooManyRequests, true},
	} {
		t.Run(c.method, func(t *testing.T) {
			t.Parallel()
			seen := make(chan struct{}, 10)
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(c.status)
				if !c.fromTransport {
					seen <- struct{}{}
				}
			}))
			client, ct := newTestClient(t, srv.URL, Config{Retry: RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 2 * time.Hour}})
			if c.fromTransport {
				base := ct.base
				ct.base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
					resp, err := base.RoundTrip(r)
					seen <- struct{}{}
					return resp, err
				})
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			go func() {
				<-seen
				cancel()
			}()
			err := client.Do(mustRequest(t, client, ctx, c.method, "/x"), nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if c.fromTransport && errors.Is(err, ErrMaybeApplied) {
				t.Errorf("err = %v claims the change may have been applied after a %d", err, c.status)
			}
			if n := ct.n.Load(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

// A write cancelled while it is on the wire may have been applied, and says so.
func TestCancelDuringWrite(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method    string
		wantMaybe bool
	}{{http.MethodPost, true}, {http.MethodGet, false}} {
		t.Run(c.method, func(t *testing.T) {
			t.Parallel()
			arrived := make(chan struct{})
			done := make(chan struct{})
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client leaving
				close(arrived)
				select { // hold the reply until the client gives up
				case <-r.Context().Done():
				case <-done:
				}
			}))
			t.Cleanup(func() { close(done) })
			client, ct := newTestClient(t, srv.URL, Config{Retry: quickRetry})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			go func() {
				<-arrived
				cancel()
			}()
			req := mustRequest(t, client, ctx, c.method, "/x")
			if c.method == http.MethodPost {
				req.SetBody("text/plain", []byte("change"))
			}
			err := client.Do(req, nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if got := errors.Is(err, ErrMaybeApplied); got != c.wantMaybe {
				t.Errorf("errors.Is(%v, ErrMaybeApplied) = %v, want %v", err, got, c.wantMaybe)
			}
			if n := ct.n.Load(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

// MaxAttempts caps every send; 1 disables retries.
func TestMaxAttempts(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 6} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			kit := fake.NewKit(nil)
			kit.Inject(fake.Fault{Status: http.StatusBadGateway, Count: 100})
			srv := newServer(t, kit.Handler(http.NotFoundHandler()))
			client, _ := newTestClient(t, srv.URL, Config{Retry: RetryPolicy{MaxAttempts: n, MinWait: time.Microsecond, MaxWait: time.Millisecond}})
			err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/x"), nil)
			if got := len(kit.Requests()); got != n {
				t.Errorf("%d attempts, want %d", got, n)
			}
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("err = %v, want ErrUnavailable", err)
			}
		})
	}
}

// A read recovers when the failure passes; the reply of the successful attempt is decoded.
func TestRetryThenSuccess(t *testing.T) {
	t.Parallel()
	kit := fake.NewKit(nil)
	kit.Inject(fake.Fault{Status: http.StatusServiceUnavailable, Count: 2})
	kit.Inject(fake.Fault{Status: http.StatusGatewayTimeout, Count: 1})
	srv := newServer(t, kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]string{"name": "bob"})
	})))
	client, _ := newTestClient(t, srv.URL, Config{Retry: quickRetry})
	var out struct{ Name string }
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/x"), &out); err != nil {
		t.Fatal(err)
	}
	if out.Name != "bob" {
		t.Errorf("decoded %+v, want name bob", out)
	}
	if n := len(kit.Requests()); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
}

// Any 5xx to a write: not resent, and the change may have been applied (the server may have
// failed after applying it; a gateway may have passed it on). 502, 503 and 504 are also
// ErrUnavailable by status. A read answered with a 5xx never claims a change.
func TestWrite5xxMayBeApplied(t *testing.T) {
	t.Parallel()
	statuses := []int{http.StatusInternalServerError, http.StatusNotImplemented, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusInsufficientStorage, 599}
	for _, c := range calls {
		for _, status := range statuses {
			t.Run(c.name+"/"+strconv.Itoa(status), func(t *testing.T) {
				t.Parallel()
				kit := fake.NewKit(nil)
				kit.Inject(fake.Fault{Status: status, Count: 100})
				srv := newServer(t, kit.Handler(http.NotFoundHandler()))
				client, _ := newTestClient(t, srv.URL, Config{Retry: quickRetry})
				req := mustRequest(t, client, t.Context(), c.method, "/x")
				if c.readOnly {
					req.MarkReadOnly()
				}
				err := client.Do(req, nil)
				read := req.IsRead()
				unavailable := status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
				wantAttempts := 1
				if read && unavailable {
					wantAttempts = quickRetry.MaxAttempts
				}
				if n := len(kit.Requests()); n != wantAttempts {
					t.Errorf("%d attempts, want %d", n, wantAttempts)
				}
				if got := errors.Is(err, ErrMaybeApplied); got != !read {
					t.Errorf("errors.Is(%v, ErrMaybeApplied) = %v, want %v", err, got, !read)
				}
				if got := errors.Is(err, ErrUnavailable); got != unavailable {
					t.Errorf("errors.Is(%v, ErrUnavailable) = %v, want %v", err, got, unavailable)
				}
				var e *Error
				if !errors.As(err, &e) || e.StatusCode != status {
					t.Fatalf("err = %v, want an *Error with status %d", err, status)
				}
				if got := strings.Contains(err.Error(), "may have been applied"); got != !read {
					t.Errorf("Error() = %q: says \"may have been applied\" = %v, want %v", err.Error(), got, !read)
				}
			})
		}
	}
}

// A Permanent transport error (a cassette miss) is never retried, even for a read.
func TestPermanentNotRetried(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	u, _ := ParseBaseURL("BaseURL", "http://127.0.0.1:1")
	c, err := New(Config{BaseURL: u, Retry: quickRetry, HTTPClient: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		n.Add(1)
		return nil, Permanent(errors.New("no cassette entry"))
	})}})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(mustRequest(t, c, t.Context(), http.MethodGet, "/x"), nil)
	if n.Load() != 1 {
		t.Errorf("%d attempts, want 1", n.Load())
	}
	if err == nil {
		t.Error("Do = nil, want an error")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

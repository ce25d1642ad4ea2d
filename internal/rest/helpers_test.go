package rest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// countingTransport counts the attempts that reach the caller's transport: what the retry
// loop sent, including those that never got a connection.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// newTransport returns a transport of its own for one test, so that no connection is shared
// with another test (net/http silently resends a GET on a reused connection that drops).
func newTransport(t *testing.T) *countingTransport {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // loopback only, whatever the environment says
	t.Cleanup(tr.CloseIdleConnections)
	return &countingTransport{base: tr}
}

// quickRetry keeps every wait tiny.
var quickRetry = RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}

// newTestClient builds a Client against baseURL with a counting transport. cfg.BaseURL and
// cfg.HTTPClient are filled in.
func newTestClient(t *testing.T, baseURL string, cfg Config) (*Client, *countingTransport) {
	t.Helper()
	u, err := ParseBaseURL("BaseURL", baseURL)
	if err != nil {
		t.Fatal(err)
	}
	ct := newTransport(t)
	cfg.BaseURL = u
	cfg.HTTPClient = &http.Client{Transport: ct}
	if cfg.Vendor == "" {
		cfg.Vendor = "testvendor"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, ct
}

// closedAddr returns the address of a loopback listener that is closed again: dialing it is
// refused.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func mustRequest(t *testing.T, c *Client, ctx context.Context, method, tmpl string, params ...string) *Request {
	t.Helper()
	req, err := c.NewRequest(ctx, method, tmpl, params...)
	if err != nil {
		t.Fatalf("NewRequest(%s %s): %v", method, tmpl, err)
	}
	return req
}

package duostation_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

// fastRetry keeps retry waits tiny.
var fastRetry = duostation.RetryPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

// setup starts a fake and returns a client for it; the fake closes when the test ends.
func setup(t *testing.T, opts ...duostationtest.Option) (*duostation.Client, *duostationtest.Server) {
	t.Helper()
	srv := duostationtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	client, err := duostation.NewClient(duostation.Config{
		BaseURL: srv.URL, Username: srv.Username, Password: srv.Password, Retry: fastRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client, srv
}

// capture records the escaped path and query of every request that leaves the client.
type capture struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []string
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.sent = append(c.sent, r.URL.RequestURI())
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *capture) uris() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.sent...)
}

func (c *capture) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = nil
}

// setupCapture is setup with a capture under the client.
func setupCapture(t *testing.T, opts ...duostationtest.Option) (*duostation.Client, *duostationtest.Server, *capture) {
	t.Helper()
	srv := duostationtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c := &capture{next: http.DefaultTransport}
	client, err := duostation.NewClient(duostation.Config{
		BaseURL: srv.URL, Username: srv.Username, Password: srv.Password, Retry: fastRetry,
		HTTPClient: &http.Client{Transport: c},
	})
	if err != nil {
		t.Fatal(err)
	}
	return client, srv, c
}

// stubClient returns a client for a handler that stands in for a server with other reply
// shapes than the fake's.
func stubClient(t *testing.T, h http.HandlerFunc) *duostation.Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	client, err := duostation.NewClient(duostation.Config{BaseURL: ts.URL, Username: "u", Password: "secret-pw", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

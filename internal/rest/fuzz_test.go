package rest

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// FuzzDecodeReply feeds any body, status and length claim to Do, for a read and a write, with
// and without a vendor's CheckReply and Decode hooks. It must never panic; a write answered
// 2xx either succeeds or fails matching ErrMaybeApplied (the server acknowledged it) unless
// the vendor's check said it failed; every failure is an *Error.
func FuzzDecodeReply(f *testing.F) {
	f.Add([]byte(`{"uuid":"12"}`), 200, true, false)
	f.Add([]byte(`{"uuid":`), 200, false, true)
	f.Add([]byte(``), 204, true, true)
	f.Add([]byte(`<Response><responsecode>1</responsecode></Response>`), 200, true, true)
	f.Add([]byte(`[1,2,3]`), 201, false, false)
	f.Add([]byte(`{"message":"nope"}`), 500, true, false)
	f.Fuzz(func(t *testing.T, body []byte, status int, honestLength, hooks bool) {
		if status < 100 || status > 599 {
			status = 200 + (status&0x7fffffff)%400
		}
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Body != nil {
				_, _ = io.Copy(io.Discard, r.Body)
			}
			cl := int64(len(body))
			if !honestLength {
				cl = -1
			}
			return &http.Response{StatusCode: status, Header: http.Header{"Content-Length": {strconv.Itoa(len(body))}},
				Body: io.NopCloser(bytes.NewReader(body)), ContentLength: cl, Request: r}, nil
		})
		u, _ := url.Parse("https://vendor.example")
		cfg := Config{Vendor: "fuzz", BaseURL: u, HTTPClient: &http.Client{Transport: rt},
			Retry: RetryPolicy{MaxAttempts: 1}, MaxReply: 1 << 10}
		if hooks {
			cfg.Hooks.CheckReply = xmlFailed
			cfg.Hooks.Decode = func(_ http.Header, b []byte, out any) error {
				if bytes.HasPrefix(b, []byte("<")) {
					return errors.New("not JSON")
				}
				return nil
			}
		}
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, err := c.NewRequest(t.Context(), method, "/things")
			if err != nil {
				t.Fatal(err)
			}
			var out struct {
				UUID string `json:"uuid"`
			}
			err = c.Do(req, &out)
			if err == nil {
				continue
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: %T %v, want *Error", method, err, err)
			}
			if method == http.MethodPost && status/100 == 2 && !errors.Is(err, ErrMaybeApplied) &&
				!(hooks && bytes.Contains(body, []byte("<responsecode>1</responsecode>"))) {
				t.Fatalf("acknowledged write failed without ErrMaybeApplied: %v", err)
			}
		}
	})
}

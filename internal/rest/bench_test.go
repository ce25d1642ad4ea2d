package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rosterhq/roster/internal/auth"
)

// benchUser is a typical vendor user record; benchReply encodes one as about 1 KiB of JSON.
type benchUser struct {
	UUID         string            `json:"uuid"`
	Name         string            `json:"name"`
	Email        string            `json:"email"`
	GivenName    string            `json:"givenName"`
	Surname      string            `json:"surname"`
	Organization string            `json:"organizationUuid"`
	Roles        []string          `json:"roles"`
	Groups       []string          `json:"groups"`
	Active       bool              `json:"active"`
	Created      int64             `json:"createdAt"`
	Modified     int64             `json:"modifiedAt"`
	Attributes   map[string]string `json:"attributes"`
	Description  string            `json:"description"`
}

var benchReply = func() []byte {
	u := benchUser{
		UUID: "6f1c2a9e-3b7d-4f0a-9c1e-2d5b8a7f3e10", Name: "jdoe", Email: "jane.doe@example.com",
		GivenName: "Jane", Surname: "Doe", Organization: "0b6c1f4e-9a2d-4e3f-8b7c-5d1a2e3f4b6c",
		Roles:   []string{"Organame Device User", "Organame Administrator"},
		Groups:  []string{"a1b2c3d4-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000002"},
		Active:  true,
		Created: 1718000000000, Modified: 1718500000000,
		Attributes: map[string]string{
			"department": "Engineering", "costCenter": "4711", "phone": "+49 30 1234567", "office": "Berlin",
		},
	}
	data, _ := json.Marshal(u)
	u.Description = strings.Repeat("x", 1024-len(data)) // the empty description is already in data
	data, _ = json.Marshal(u)
	return data
}()

// The access token both benchmarks send, as Relution's client does.
const (
	benchTokenHeader = "X-User-Access-Token"
	benchToken       = "bench-0123456789abcdef0123456789abcdef"
)

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	if len(benchReply) != 1024 {
		b.Fatalf("reply is %d bytes, want 1024", len(benchReply))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"`+benchToken+`","token_type":"bearer","expires_in":3600}`)
			return
		}
		if r.Header.Get(benchTokenHeader) != benchToken && r.Header.Get("Authorization") != "Bearer "+benchToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchReply)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchTransport gives each benchmark a transport of its own with the same settings.
func benchTransport(b *testing.B) *http.Transport {
	b.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	b.Cleanup(tr.CloseIdleConnections)
	return tr
}

func BenchmarkDo_GetJSON1KiB(b *testing.B) {
	srv := benchServer(b)
	// A real client always has an authorizer; it makes every attempt work on a copy of the
	// request. The baseline sets the same header by hand.
	benchDo(b, srv, auth.HeaderToken{Name: benchTokenHeader, Token: benchToken})
}

// The same call with an OAuth2 bearer token that is cached: the token path must cost no
// allocation more than the header token.
func BenchmarkDoBearer_GetJSON1KiB(b *testing.B) {
	srv := benchServer(b)
	benchDo(b, srv, auth.Bearer{Source: &auth.TokenSource{URL: srv.URL + "/oauth/token", Grant: auth.ClientCredentials}})
}

func benchDo(b *testing.B, srv *httptest.Server, a auth.Authorizer) {
	u, err := ParseBaseURL("BaseURL", srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(Config{Vendor: "bench", BaseURL: u, HTTPClient: &http.Client{Transport: benchTransport(b)}, Auth: a})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := c.NewRequest(ctx, http.MethodGet, "/api/v1/users/{uuid}", "6f1c2a9e")
		if err != nil {
			b.Fatal(err)
		}
		var out benchUser
		if err := c.Do(req, &out); err != nil {
			b.Fatal(err)
		}
		if out.Name != "jdoe" {
			b.Fatalf("decoded %+v", out)
		}
	}
}

func BenchmarkBaseline_GetJSON1KiB(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{Transport: benchTransport(b)}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/users/6f1c2a9e", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", DefaultUserAgent)
		req.Header.Set(benchTokenHeader, benchToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out benchUser
		err = json.NewDecoder(resp.Body).Decode(&out)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d: %v", resp.StatusCode, err)
		}
		if out.Name != "jdoe" {
			b.Fatalf("decoded %+v", out)
		}
	}
}

// BenchmarkConcurrentCallers runs 1, 8 and 64 goroutines sharing one client, with Go's
// default transport (2 idle connections per host) and with the pooled one a client gets
// when Config.HTTPClient is nil. It reports ns per call and new connections per 1,000 calls.
func BenchmarkConcurrentCallers(b *testing.B) {
	for _, pooled := range []bool{false, true} {
		for _, callers := range []int{1, 8, 64} {
			name := fmt.Sprintf("transport=default/callers=%d", callers)
			if pooled {
				name = fmt.Sprintf("transport=pooled/callers=%d", callers)
			}
			b.Run(name, func(b *testing.B) {
				var conns atomic.Int64
				srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write(benchReply)
				}))
				srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
					if s == http.StateNew {
						conns.Add(1)
					}
				}
				srv.Start()
				defer srv.Close()
				u, _ := ParseBaseURL("BaseURL", srv.URL)
				cfg := Config{Vendor: "bench", BaseURL: u}
				if !pooled {
					tr := http.DefaultTransport.(*http.Transport).Clone()
					tr.Proxy = nil
					defer tr.CloseIdleConnections()
					cfg.HTTPClient = &http.Client{Transport: tr}
				}
				c, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				var next atomic.Int64
				b.ReportAllocs()
				b.ResetTimer()
				var wg sync.WaitGroup
				for range callers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for next.Add(1) <= int64(b.N) {
							req, _ := c.NewRequest(context.Background(), http.MethodGet, "/api/v1/users/{uuid}", "6f1c2a9e")
							var out benchUser
							if err := c.Do(req, &out); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				b.ReportMetric(float64(conns.Load())*1000/float64(b.N), "conns/1000calls")
			})
		}
	}
}

package fake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echoServer answers every request with the SHA-256 and length of what the
// handler read from the body, so tests can prove the log changed nothing.
func echoServer(t *testing.T, kit *Kit, calls *atomic.Int64) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls != nil {
			calls.Add(1)
		}
		sum := sha256.New()
		n, err := io.Copy(sum, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "%d %s", n, hex.EncodeToString(sum.Sum(nil)))
	})
	srv := httptest.NewServer(kit.Handler(h))
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, client *http.Client, method, url string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return fmt.Sprintf("%d %s", len(b), hex.EncodeToString(s[:]))
}

func TestHandlerLogsRequest(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	srv := echoServer(t, kit, nil)
	body := []byte(`{"name":"x"}`)
	_, got := do(t, srv.Client(), "POST", srv.URL+"/api/users?limit=5&q=a+b", bytes.NewReader(body), "X-Test", "yes")
	if got != digest(body) {
		t.Errorf("handler read %q, want %q", got, digest(body))
	}
	reqs := kit.Requests()
	if len(reqs) != 1 {
		t.Fatalf("logged %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Header.Get("X-Test") != "yes" {
		t.Errorf("logged header X-Test = %q, want yes", r.Header.Get("X-Test"))
	}
	r.Header = nil
	want := Request{
		Method:   "POST",
		Path:     "/api/users",
		Query:    url.Values{"limit": {"5"}, "q": {"a b"}},
		Body:     body,
		BodySize: int64(len(body)),
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("logged request mismatch (-want +got):\n%s", diff)
	}

	// The copy is the caller's: changing it leaves the log alone.
	reqs[0].Body[0] = 'X'
	reqs[0].Query.Set("limit", "9")
	again := kit.Requests()[0]
	if again.Body[0] != '{' || again.Query.Get("limit") != "5" {
		t.Error("Requests returned memory shared with the log")
	}

	kit.ResetRequests()
	if n := len(kit.Requests()); n != 0 {
		t.Errorf("after ResetRequests: %d requests, want 0", n)
	}
}

func TestHandlerLogsLargeBody(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("0123456789abcdef"), (3*MaxLoggedBody+100)/16)
	tests := []struct {
		name string
		body []byte
	}{
		{"empty", nil},
		{"exactly the limit", big[:MaxLoggedBody]},
		{"one over the limit", big[:MaxLoggedBody+1]},
		{"three times the limit", big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kit := NewKit(nil)
			srv := echoServer(t, kit, nil)
			_, got := do(t, srv.Client(), "PUT", srv.URL+"/upload", bytes.NewReader(tt.body))
			if got != digest(tt.body) {
				t.Errorf("handler read %q, want %q", got, digest(tt.body))
			}
			r := kit.Requests()[0]
			wantLogged := tt.body[:min(len(tt.body), MaxLoggedBody)]
			if !bytes.Equal(r.Body, wantLogged) {
				t.Errorf("logged %d body bytes, want the first %d", len(r.Body), len(wantLogged))
			}
			if r.BodySize != int64(len(tt.body)) {
				t.Errorf("BodySize = %d, want %d", r.BodySize, len(tt.body))
			}
		})
	}
}

// A handler that answers without reading the body still gets a complete
// entry, visible as soon as the client has its reply.
func TestHandlerCountsUnreadBody(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	srv := httptest.NewServer(kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 10)
		_, _ = io.ReadFull(r.Body, buf)
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write(bytes.Repeat([]byte("r"), 1<<20)) // larger than any server buffer
	})))
	t.Cleanup(srv.Close)
	size := 5*MaxLoggedBody + 7
	resp, _ := do(t, srv.Client(), "POST", srv.URL+"/x", io.LimitReader(neverEnding('z'), int64(size)))
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status = %d, want 202", resp.StatusCode)
	}
	r := kit.Requests()[0]
	if r.BodySize != int64(size) || len(r.Body) != MaxLoggedBody {
		t.Errorf("BodySize = %d, len(Body) = %d; want %d, %d", r.BodySize, len(r.Body), size, MaxLoggedBody)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// The read-ahead holds at most MaxLoggedBody+1 bytes however large the body.
func TestLoggedBodyBoundedMemory(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	b := newLoggedBody(io.NopCloser(io.LimitReader(neverEnding('a'), size)))
	if len(b.head) != MaxLoggedBody+1 {
		t.Fatalf("read ahead %d bytes, want %d", len(b.head), MaxLoggedBody+1)
	}
	n, err := io.Copy(io.Discard, b)
	if err != nil || n != size {
		t.Fatalf("replayed %d bytes (err %v), want %d", n, err, size)
	}
	logged, total := b.finish()
	if len(logged) != MaxLoggedBody || total != size || cap(b.head) > 2*MaxLoggedBody+2 {
		t.Errorf("logged %d of %d bytes (buffer cap %d)", len(logged), total, cap(b.head))
	}
}

// A body that breaks off replays its head, then the read error.
func TestLoggedBodyReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	b := newLoggedBody(io.NopCloser(io.MultiReader(strings.NewReader("abc"), errReader{boom})))
	got, err := io.ReadAll(b)
	if string(got) != "abc" || !errors.Is(err, boom) {
		t.Errorf("ReadAll = %q, %v; want \"abc\", boom", got, err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestFaultCountAndStatus(t *testing.T) {
	t.Parallel()
	var gotCode, gotMessage string
	var mu sync.Mutex
	vendor := func(w http.ResponseWriter, r *http.Request, status int, code, message string) {
		mu.Lock()
		gotCode, gotMessage = code, message
		mu.Unlock()
		WriteJSON(w, status, map[string]any{"vendorError": code})
	}
	kit := NewKit(nil, WithFaultWriter(vendor))
	var calls atomic.Int64
	srv := echoServer(t, kit, &calls)
	kit.Inject(Fault{Method: "POST", Path: "/jobs", Count: 2, Status: 503, RetryAfter: "7"})

	for i := range 2 {
		resp, body := do(t, srv.Client(), "POST", srv.URL+"/jobs", strings.NewReader("payload"))
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "7" {
			t.Errorf("request %d: status %d, Retry-After %q; want 503, 7", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if body != `{"vendorError":"INJECTED_FAULT"}` {
			t.Errorf("request %d: body %s, want the vendor error shape", i, body)
		}
	}
	mu.Lock()
	if gotCode != "INJECTED_FAULT" || gotMessage != "injected fault: HTTP 503" {
		t.Errorf("error writer got %q, %q", gotCode, gotMessage)
	}
	mu.Unlock()
	if n := calls.Load(); n != 0 {
		t.Errorf("handler called %d times during the fault, want 0", n)
	}
	if f := kit.Faults(); len(f) != 0 {
		t.Errorf("faults left after use: %+v", f)
	}
	resp, _ := do(t, srv.Client(), "POST", srv.URL+"/jobs", strings.NewReader("payload"))
	if resp.StatusCode != 200 || resp.Header.Get("Retry-After") != "" || calls.Load() != 1 {
		t.Errorf("after the fault: status %d, Retry-After %q, calls %d", resp.StatusCode, resp.Header.Get("Retry-After"), calls.Load())
	}
	// Bodies of faulted requests are logged too.
	for i, r := range kit.Requests() {
		if string(r.Body) != "payload" || r.BodySize != 7 {
			t.Errorf("request %d logged body %q (%d)", i, r.Body, r.BodySize)
		}
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fault  Fault
		method string
		path   string
		want   bool
	}{
		{"any request", Fault{}, "GET", "/a", true},
		{"method matches", Fault{Method: "POST"}, "POST", "/a", true},
		{"method differs", Fault{Method: "POST"}, "GET", "/a", false},
		{"exact path", Fault{Path: "/a/b"}, "GET", "/a/b", true},
		{"exact path is not a prefix", Fault{Path: "/a"}, "GET", "/a/b", false},
		{"longer fault path", Fault{Path: "/a/b"}, "GET", "/a", false},
		{"prefix", Fault{Path: "/a/*"}, "GET", "/a/b/c", true},
		{"prefix needs its slash", Fault{Path: "/a/*"}, "GET", "/ab", false},
		{"bare star", Fault{Path: "*"}, "DELETE", "/anything", true},
		{"method and prefix", Fault{Method: "PUT", Path: "/a*"}, "PUT", "/ab", true},
		{"method and prefix, wrong method", Fault{Method: "PUT", Path: "/a*"}, "POST", "/ab", false},
		{"template segment", Fault{Path: "/api/users/{id}"}, "GET", "/api/users/42", true},
		{"template segment ignores case", Fault{Path: "/API/users/{id}"}, "GET", "/api/users/42", true},
		{"template needs the segment", Fault{Path: "/api/users/{id}"}, "GET", "/api/users/", false},
		{"template is not a prefix", Fault{Path: "/api/users/{id}"}, "GET", "/api/users/42/groups", false},
		{"template literal differs", Fault{Path: "/api/users/{id}/groups"}, "GET", "/api/users/42/tags", false},
		{"template with prefix", Fault{Path: "/jobs/{id}/rep*"}, "GET", "/jobs/7/reports/1", true},
		{"template with prefix, short path", Fault{Path: "/jobs/{id}/*"}, "GET", "/jobs/7", false},
		{"catalogue template with query", Fault{Path: "/u.cfc?method=add"}, "GET", "/u.cfc?method=add&x=1", true},
		{"catalogue template with other query", Fault{Path: "/u.cfc?method=add"}, "GET", "/u.cfc?method=delete", false},
		{"path query and Query both apply", Fault{Path: "/u.cfc?method=add", Query: "x=2"}, "GET", "/u.cfc?method=add&x=1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kit := NewKit(nil)
			var calls atomic.Int64
			srv := echoServer(t, kit, &calls)
			f := tt.fault
			f.Status = http.StatusTeapot
			kit.Inject(f)
			resp, _ := do(t, srv.Client(), tt.method, srv.URL+tt.path, nil)
			if got := resp.StatusCode == http.StatusTeapot; got != tt.want {
				t.Errorf("fault %+v on %s %s applied = %v, want %v", tt.fault, tt.method, tt.path, got, tt.want)
			}
			if left := len(kit.Faults()); (left == 0) != tt.want {
				t.Errorf("faults left = %d", left)
			}
		})
	}
}

func TestFaultOrderAndClear(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	srv := echoServer(t, kit, nil)
	kit.Inject(Fault{Path: "/a", Status: 500})           // Count 0 means once
	kit.Inject(Fault{Path: "/a", Status: 502, Count: 3}) // next in line
	kit.Inject(Fault{Path: "/b", Status: 504, Count: 5})

	var got []int
	for range 3 {
		resp, _ := do(t, srv.Client(), "GET", srv.URL+"/a", nil)
		got = append(got, resp.StatusCode)
	}
	if diff := cmp.Diff([]int{500, 502, 502}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	want := []Fault{{Path: "/a", Status: 502, Count: 1}, {Path: "/b", Status: 504, Count: 5}}
	if diff := cmp.Diff(want, kit.Faults()); diff != "" {
		t.Errorf("faults left (-want +got):\n%s", diff)
	}
	kit.ClearFaults()
	resp, _ := do(t, srv.Client(), "GET", srv.URL+"/b", nil)
	if resp.StatusCode != 200 {
		t.Errorf("after ClearFaults: status %d, want 200", resp.StatusCode)
	}
}

// An injected status is a real HTTP status with a plain body, even when the
// vendor's own errors are HTTP 200 pages.
func TestFaultPlainByDefault(t *testing.T) {
	t.Parallel()
	var vendorCalls atomic.Int64
	kit := NewKit(func(w http.ResponseWriter, _ *http.Request, _ int, _, _ string) {
		vendorCalls.Add(1)
		w.WriteHeader(http.StatusOK)
	})
	srv := echoServer(t, kit, nil)
	kit.Inject(Fault{Status: 503})
	kit.Inject(Fault{Status: 429, RetryAfter: "3"})
	for _, want := range []struct {
		status     int
		retryAfter string
	}{{503, ""}, {429, "3"}} {
		resp, body := do(t, srv.Client(), "GET", srv.URL+"/", nil)
		if resp.StatusCode != want.status || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || resp.Header.Get("Retry-After") != want.retryAfter {
			t.Errorf("status %d, content type %q, Retry-After %q; want %d, text/plain, %q", resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), want.status, want.retryAfter)
		}
		if w := fmt.Sprintf("injected fault: HTTP %d\n", want.status); body != w {
			t.Errorf("body = %q, want %q", body, w)
		}
	}
	if n := vendorCalls.Load(); n != 0 {
		t.Errorf("vendor error writer called %d times for injected faults", n)
	}
	// Kit.Error still writes the vendor's shape.
	w := httptest.NewRecorder()
	kit.Error(w, httptest.NewRequest("GET", "/", nil), 400, "X", "y")
	if w.Code != 200 || vendorCalls.Load() != 1 {
		t.Errorf("Kit.Error: %d, %d calls", w.Code, vendorCalls.Load())
	}
}

// A latency fault runs the handler once the delay is over.
func TestFaultLatencyThenHandler(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	var calls atomic.Int64
	srv := echoServer(t, kit, &calls)
	kit.Inject(Fault{Latency: 1, Path: "/slow"})
	resp, body := do(t, srv.Client(), "POST", srv.URL+"/slow", strings.NewReader("abc"))
	if resp.StatusCode != 200 || body != digest([]byte("abc")) || calls.Load() != 1 {
		t.Errorf("status %d, body %q, calls %d", resp.StatusCode, body, calls.Load())
	}
}

// A latency of an hour that ends at all proves the wait honours the client
// going away; the test has no clock of its own.
func TestFaultLatencyCancelledByClient(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			kit := NewKit(nil)
			var calls atomic.Int64
			inner := kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
			}))
			arrived := make(chan struct{})
			served := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				close(arrived)
				inner.ServeHTTP(w, r)
				close(served)
			}))
			t.Cleanup(srv.Close)
			kit.Inject(Fault{Latency: 1 << 62})

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var body io.Reader
			if method == "POST" {
				body = strings.NewReader(`{"a":1}`)
			}
			req, err := http.NewRequestWithContext(ctx, method, srv.URL+"/x", body)
			if err != nil {
				t.Fatal(err)
			}
			errc := make(chan error, 1)
			go func() {
				resp, err := srv.Client().Do(req)
				if err == nil {
					resp.Body.Close()
				}
				errc <- err
			}()
			<-arrived
			cancel()
			if err := <-errc; !errors.Is(err, context.Canceled) {
				t.Errorf("client error = %v, want context.Canceled", err)
			}
			<-served
			if n := calls.Load(); n != 0 {
				t.Errorf("handler called %d times after the client left, want 0", n)
			}
			if n := len(kit.Requests()); n != 1 {
				t.Errorf("logged %d requests, want 1", n)
			}
		})
	}
}

func TestFaultDropAfterApply(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	var mu sync.Mutex
	var stored []string
	srv := httptest.NewServer(kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		stored = append(stored, string(b))
		mu.Unlock()
		WriteJSON(w, http.StatusCreated, map[string]string{"stored": string(b)})
	})))
	t.Cleanup(srv.Close)
	// The Status is ignored: the reply is lost anyway.
	kit.Inject(Fault{Method: "POST", Path: "/items", DropAfterApply: true, Status: 500})

	req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/items", strings.NewReader("first"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("POST got a reply (status %d), want a transport error", resp.StatusCode)
	}
	if errors.Is(err, context.Canceled) {
		t.Fatalf("POST error = %v, want a transport error", err)
	}
	mu.Lock()
	if diff := cmp.Diff([]string{"first"}, stored); diff != "" {
		t.Errorf("side effects (-want +got):\n%s", diff)
	}
	mu.Unlock()

	// The next request is served normally.
	resp2, body := do(t, srv.Client(), "POST", srv.URL+"/items", strings.NewReader("second"))
	if resp2.StatusCode != http.StatusCreated || body != `{"stored":"second"}` {
		t.Errorf("after the drop: %d %s", resp2.StatusCode, body)
	}
	reqs := kit.Requests()
	if len(reqs) != 2 || string(reqs[0].Body) != "first" || string(reqs[1].Body) != "second" {
		t.Errorf("log = %+v", reqs)
	}
}

func TestRequestsConcurrent(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	srv := echoServer(t, kit, nil)
	const clients, perClient = 8, 10
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, r := range kit.Requests() {
					_ = len(r.Body) + len(r.Header) + len(r.Query)
				}
				kit.Inject(Fault{Path: "/never"})
			}
		}()
	}
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perClient {
				req, err := http.NewRequestWithContext(t.Context(), "POST", fmt.Sprintf("%s/c/%d?j=%d", srv.URL, i, j), strings.NewReader("body"))
				if err != nil {
					t.Error(err)
					return
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	reqs := kit.Requests()
	if len(reqs) != clients*perClient {
		t.Fatalf("logged %d requests, want %d", len(reqs), clients*perClient)
	}
	seen := make(map[string]bool)
	for _, r := range reqs {
		seen[r.Path+"?"+r.Query.Encode()] = true
		if string(r.Body) != "body" {
			t.Errorf("%s: body %q", r.Path, r.Body)
		}
	}
	if len(seen) != clients*perClient {
		t.Errorf("%d distinct requests logged, want %d", len(seen), clients*perClient)
	}
}

func TestFaultPathIgnoresCase(t *testing.T) {
	t.Parallel()
	k := NewKit(func(w http.ResponseWriter, _ *http.Request, status int, _, _ string) { w.WriteHeader(status) })
	srv := httptest.NewServer(k.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})))
	defer srv.Close()
	k.Inject(Fault{Path: "/users/01995c17-6bd0", Status: 503})
	k.Inject(Fault{Path: "/devices/ABC*", Status: 502})
	for path, want := range map[string]int{"/users/01995C17-6BD0": 503, "/devices/abc/actions": 502} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// Razuna's add, update and delete share one path: a fault picks one by its
// method= value, in the URL or in a form body, and the handler still reads
// the whole body.
func TestFaultQuery(t *testing.T) {
	t.Parallel()
	const formType = "application/x-www-form-urlencoded"
	tests := []struct {
		name, query, target, ct, body string
		want                          bool
	}{
		{"url query matches", "method=add", "/u.cfc?method=add", "", "", true},
		{"url query differs", "method=add", "/u.cfc?method=delete", "", "", false},
		{"value case matters", "method=add", "/u.cfc?method=Add", "", "", false},
		{"one of repeated values", "method=add", "/u.cfc?method=x&method=add", "", "", true},
		{"no query", "method=add", "/u.cfc", "", "", false},
		{"form body matches", "method=add", "/u.cfc", formType + "; charset=UTF-8", "sessiontoken=t&method=add", true},
		{"form body differs", "method=add", "/u.cfc", formType, "method=update", false},
		{"pairs split between url and form", "method=add&hostid=1", "/u.cfc?method=add", formType, "hostid=1", true},
		{"every pair needed", "method=add&hostid=1", "/u.cfc?method=add", formType, "hostid=2", false},
		{"bare name: present with any value", "sessiontoken", "/u.cfc", formType, "sessiontoken=", true},
		{"bare name absent", "sessiontoken", "/u.cfc?method=add", "", "", false},
		{"escaped pair", "userdata=%5B%5D", "/u.cfc", formType, "userdata=%5B%5D", true},
		{"json body not looked into", "method=add", "/u.cfc", "application/json", `{"method":"add"}`, false},
		{"form body over MaxLoggedBody not looked into", "method=add", "/u.cfc", formType, "method=add&pad=" + strings.Repeat("x", MaxLoggedBody), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kit := NewKit(nil)
			srv := echoServer(t, kit, nil)
			kit.Inject(Fault{Method: "POST", Path: "/u.cfc", Query: tt.query, Status: http.StatusServiceUnavailable})
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			resp, got := do(t, srv.Client(), "POST", srv.URL+tt.target, body, "Content-Type", tt.ct)
			if applied := resp.StatusCode == http.StatusServiceUnavailable; applied != tt.want {
				t.Fatalf("fault Query %q on %s %q applied = %v, want %v", tt.query, tt.target, tt.body, applied, tt.want)
			}
			if !tt.want {
				// The handler saw the whole body despite the look into it.
				if want := digest([]byte(tt.body)); got != want {
					t.Errorf("handler read %s, want %s", got, want)
				}
			}
		})
	}
}

func TestFaultQueryPicksOperation(t *testing.T) {
	t.Parallel()
	kit := NewKit(nil)
	var calls atomic.Int64
	srv := echoServer(t, kit, &calls)
	kit.Inject(Fault{Method: "POST", Path: "/global/api/user.cfc", Query: "method=delete", Status: 503, Count: 2})
	for _, m := range []string{"add", "update", "getuser"} {
		if resp, _ := do(t, srv.Client(), "POST", srv.URL+"/global/api/user.cfc?method="+m, nil); resp.StatusCode != 200 {
			t.Errorf("method=%s: status %d, want 200", m, resp.StatusCode)
		}
	}
	if resp, _ := do(t, srv.Client(), "POST", srv.URL+"/global/api/user.cfc?method=delete", nil); resp.StatusCode != 503 {
		t.Errorf("method=delete: status %d, want 503", resp.StatusCode)
	}
	if left := kit.Faults(); len(left) != 1 || left[0].Count != 1 {
		t.Errorf("faults left = %+v, want one with Count 1", left)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("handler calls = %d, want 3", n)
	}
}

func TestInjectPanicsOnBadQuery(t *testing.T) {
	t.Parallel()
	defer func() {
		if got := recover(); got != `fake: Fault.Query: bad value in "method=%zz"` {
			t.Errorf("panic = %v", got)
		}
	}()
	NewKit(nil).Inject(Fault{Query: "method=%zz"})
}

func TestInjectPanicsOnBadPathQuery(t *testing.T) {
	t.Parallel()
	defer func() {
		if got := recover(); got != `fake: Fault.Path: bad name in "=add"` {
			t.Errorf("panic = %v", got)
		}
	}()
	NewKit(nil).Inject(Fault{Path: "/u.cfc?=add"})
}

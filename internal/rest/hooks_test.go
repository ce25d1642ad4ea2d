package rest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterhq/roster/internal/auth"
)

// The tests in this file drive the core through a small test vendor: what a vendor package
// plugs in (hooks, a session login, a token source) and what it gets back.

// xmlFailed is a vendor's CheckReply: HTTP 200 with <responsecode>1</responsecode> failed.
func xmlFailed(_ *Request, _ int, _ http.Header, body []byte) (ErrorInfo, bool) {
	if !bytes.Contains(body, []byte("<responsecode>1</responsecode>")) {
		return ErrorInfo{}, false
	}
	info := ErrorInfo{Message: "User already exists"}
	if bytes.Contains(body, []byte("host link removed")) {
		info = ErrorInfo{Message: "host link removed", MaybeApplied: true}
	}
	if info.Message == "User already exists" {
		info.Kind = ErrConflict
	}
	return info, true
}

func TestCheckReplyTurnsA2xxIntoAnError(t *testing.T) {
	t.Parallel()
	const secret = "sess-t0ken-1234"
	for _, tt := range []struct {
		name         string
		body         string
		out          any
		wantErr      bool
		maybeApplied bool
	}{
		{"failed write is refused", `<Response><responsecode>1</responsecode><message>User already exists ` + secret + `</message></Response>`, nil, true, false},
		{"failed write that may have been applied", `<Response><responsecode>1</responsecode>host link removed</Response>`, nil, true, true},
		{"success", `<Response><responsecode>0</responsecode></Response>`, nil, false, false},
		{"success into a writer", `<Response><responsecode>0</responsecode></Response>`, &bytes.Buffer{}, false, false},
		{"failure into a writer", `<Response><responsecode>1</responsecode></Response>`, &bytes.Buffer{}, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/xml")
				_, _ = io.WriteString(w, tt.body)
			}))
			client, _ := newTestClient(t, srv.URL, Config{Hooks: Hooks{CheckReply: xmlFailed}, Secrets: []string{secret}})
			req := mustRequest(t, client, t.Context(), http.MethodPost, "/global/api/user.cfc?method=add")
			req.SetForm(url.Values{"user_name": {"bob"}})
			err := client.Do(req, tt.out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Do = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				if b, ok := tt.out.(*bytes.Buffer); ok && b.String() != tt.body {
					t.Errorf("writer got %q", b)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T, want *Error", err)
			}
			if got := errors.Is(err, ErrMaybeApplied); got != tt.maybeApplied {
				t.Errorf("ErrMaybeApplied = %v, want %v (%v)", got, tt.maybeApplied, err)
			}
			if strings.Contains(err.Error(), "may have been applied") != tt.maybeApplied {
				t.Errorf("Error() = %q", err)
			}
			if len(e.Body) == 0 || bytes.Contains(e.Body, []byte(secret)) || strings.Contains(e.Message, secret) {
				t.Errorf("Body %q Message %q: want the redacted body", e.Body, e.Message)
			}
			if strings.Contains(tt.body, "already exists") && !errors.Is(err, ErrConflict) {
				t.Errorf("%v does not match the hook's ErrConflict", err)
			}
		})
	}
}

// Reltio answers a create of an existing user with a 500 whose body says "already in use":
// the vendor says the reply proves nothing was applied.
func TestRefusedServerError(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":"Username is already in use"}`)
	}))
	parse := func(status int, _ http.Header, body []byte) ErrorInfo {
		if strings.Contains(string(body), "already in use") {
			return ErrorInfo{Message: "Username is already in use", Kind: ErrConflict, Refused: true}
		}
		return ErrorInfo{}
	}
	client, ct := newTestClient(t, srv.URL, Config{Hooks: Hooks{ParseError: parse}, Retry: quickRetry})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/users")
	_ = req.SetJSON([]string{"x"})
	err := client.Do(req, nil)
	if !errors.Is(err, ErrConflict) || errors.Is(err, ErrMaybeApplied) || strings.Contains(err.Error(), "may have been applied") {
		t.Fatalf("err = %v: want ErrConflict, refused", err)
	}
	if ct.n.Load() != 1 {
		t.Errorf("%d sends, want 1", ct.n.Load())
	}
}

// A session whose Login calls the core (marked SkipAuth) neither deadlocks nor sends the
// session to the login; the session-expired hook sees the request, so it can judge by call.
func TestSessionLoginThroughTheCore(t *testing.T) {
	t.Parallel()
	var logins atomic.Int64
	var mu sync.Mutex
	var seen []string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		seen = append(seen, r.URL.RawQuery+" token="+r.PostForm.Get("sessiontoken"))
		mu.Unlock()
		if r.URL.Query().Get("method") == "login" {
			n := logins.Add(1)
			fmt.Fprintf(w, "<Response><responsecode>0</responsecode><sessiontoken>tok-%d</sessiontoken></Response>", n)
			return
		}
		if r.PostForm.Get("sessiontoken") == "tok-1" {
			_, _ = io.WriteString(w, "<Response><responsecode>1</responsecode><message>Session timeout</message></Response>")
			return
		}
		_, _ = io.WriteString(w, "<Response><responsecode>0</responsecode></Response>")
	}))
	var client *Client
	var hookSaw []string
	sess := &auth.Session{Where: auth.InForm, Key: "sessiontoken"}
	sess.Login = func(ctx context.Context) (string, error) {
		req, err := client.NewRequest(ctx, http.MethodPost, "/global/api/authentication.cfc?method=login")
		if err != nil {
			return "", err
		}
		req.SkipAuth().MarkReadOnly()
		req.SetForm(url.Values{"user": {"admin"}})
		var b Blob
		if err := client.Do(req, &b); err != nil {
			return "", err
		}
		s := string(b.Data)
		i, j := strings.Index(s, "<sessiontoken>"), strings.Index(s, "</sessiontoken>")
		return s[i+len("<sessiontoken>") : j], nil
	}
	expired := func(req *Request, status int, body []byte) bool {
		hookSaw = append(hookSaw, req.Method()+" "+req.URL().Query().Get("method"))
		return bytes.Contains(body, []byte("Session timeout"))
	}
	client, _ = newTestClient(t, srv.URL, Config{Auth: sess, Hooks: Hooks{SessionExpired: expired}, Retry: quickRetry})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req := mustRequest(t, client, ctx, http.MethodPost, "/global/api/user.cfc?method=getuser")
	req.MarkReadOnly()
	req.SetForm(url.Values{})
	if err := client.Do(req, nil); err != nil {
		t.Fatalf("Do = %v", err)
	}
	want := []string{"method=login token=", "method=getuser token=tok-1", "method=login token=", "method=getuser token=tok-2"}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("server saw %q, want %q", seen, want)
	}
	for _, s := range hookSaw {
		if s != "POST getuser" {
			t.Errorf("session hook saw %q: it must not judge the login itself", s)
		}
	}
}

// plannedTokenEndpoint answers token requests with plan(n) for the n-th (from 1).
func plannedTokenEndpoint(t *testing.T, plan func(n int, w http.ResponseWriter) bool) (*atomic.Int64, string) {
	var n atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			if plan(int(n.Add(1)), w) {
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"at-%d","token_type":"bearer","expires_in":3600}`, n.Load())
			return
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer at-") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	return &n, srv.URL
}

// Token requests go through the vendor client's HTTP client, are retried like reads, wait out
// a 429 within MaxWait, and a 429 that persists is ErrRateLimited.
func TestTokenRequestsThroughTheCore(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		plan       func(n int, w http.ResponseWriter) bool
		wantErr    error
		wantTokens int64
	}{
		{"429 then 200", func(n int, w http.ResponseWriter) bool {
			if n == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}
			return false
		}, nil, 2},
		{"429 without Retry-After then 200", func(n int, w http.ResponseWriter) bool {
			if n == 1 {
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}
			return false
		}, nil, 2},
		{"503 then 200", func(n int, w http.ResponseWriter) bool {
			if n == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}
			return false
		}, nil, 2},
		{"connection reset then 200", func(n int, w http.ResponseWriter) bool {
			if n == 1 {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					if tcp, ok := conn.(*net.TCPConn); ok {
						_ = tcp.SetLinger(0)
					}
					_ = conn.Close()
				}
				return true
			}
			return false
		}, nil, 2},
		{"502 and 504 then 200", func(n int, w http.ResponseWriter) bool {
			switch n {
			case 1:
				w.WriteHeader(http.StatusBadGateway)
			case 2:
				w.WriteHeader(http.StatusGatewayTimeout)
			default:
				return false
			}
			return true
		}, nil, 3},
		{"429 forever", func(n int, w http.ResponseWriter) bool {
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}, ErrRateLimited, 4},
		{"refused grant", func(n int, w http.ResponseWriter) bool {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"bad secret s3cret-value"}`)
			return true
		}, ErrUnauthorized, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tokens, base := plannedTokenEndpoint(t, tt.plan)
			src := &auth.TokenSource{URL: base + "/oauth/token", Grant: auth.ClientCredentials, ClientID: "id", ClientSecret: "s3cret-value"}
			client, ct := newTestClient(t, base, Config{Auth: auth.Bearer{Source: src}, Retry: quickRetry})
			req := mustRequest(t, client, t.Context(), http.MethodGet, "/users")
			err := client.Do(req, nil)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Do = %v, want %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(fmt.Sprintf("%+v %#v", err, err), "s3cret-value") {
				t.Errorf("the client secret is shown: %v", err)
			}
			if got := tokens.Load(); got != tt.wantTokens {
				t.Errorf("%d token requests, want %d", got, tt.wantTokens)
			}
			// Every token request went through the client's own transport.
			wantSends := tt.wantTokens
			if tt.wantErr == nil {
				wantSends++
			}
			if ct.n.Load() != wantSends {
				t.Errorf("%d sends through the client's transport, want %d", ct.n.Load(), wantSends)
			}
		})
	}
}

// Error metadata: the wait the server asked for (also past MaxWait), the reply's headers
// (redacted) and the vendor's request id.
func TestErrorMetadata(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.Header().Set("X-Request-Id", "req-42")
		w.Header().Set("Set-Cookie", "JSESSIONID=abcdef123456")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	client, ct := newTestClient(t, srv.URL, Config{Retry: quickRetry})
	err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/users"), nil)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want an *Error matching ErrRateLimited", err)
	}
	if e.RetryAfter != time.Hour || e.RequestID != "req-42" {
		t.Errorf("RetryAfter %v RequestID %q, want 1h and req-42", e.RetryAfter, e.RequestID)
	}
	if strings.Contains(fmt.Sprint(e.Header), "abcdef123456") || e.Header.Get("X-Request-Id") != "req-42" {
		t.Errorf("Header = %v: want the cookie redacted and the rest kept", e.Header)
	}
	if ct.n.Load() != 1 {
		t.Errorf("%d sends: a wait past MaxWait must fail at once", ct.n.Load())
	}
}

// An unreadable Retry-After is not a reason to retry quickly: it fails at once.
func TestUnreadableRetryAfter(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"99999999999999999999", "3600.5", "soon"} {
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", v)
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		client, ct := newTestClient(t, srv.URL, Config{Retry: quickRetry})
		err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/users"), nil)
		if !errors.Is(err, ErrRateLimited) || ct.n.Load() != 1 {
			t.Errorf("Retry-After %q: err %v after %d sends, want ErrRateLimited after 1", v, err, ct.n.Load())
		}
	}
}

// A call cut short by ctx names the vendor, method and redacted URL and still matches ctx's
// error; one whose ctx was done before it was sent is not "may have been applied".
func TestContextErrorsNameTheCall(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	client, ct := newTestClient(t, srv.URL+"/mdm", Config{Vendor: "relution", Query: url.Values{"token": {"qs-s3cret"}}})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := client.Do(mustRequest(t, client, ctx, http.MethodGet, "/api/v1/security/users/{id}", "u1"), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	want := "relution: GET " + srv.URL + "/mdm/api/v1/security/users/u1?token=REDACTED: context deadline exceeded"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err, want)
	}

	done, cancel2 := context.WithCancel(t.Context())
	cancel2()
	before := ct.n.Load()
	req := mustRequest(t, client, done, http.MethodPost, "/api/users")
	_ = req.SetJSON(map[string]string{"a": "b"})
	err = client.Do(req, nil)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrMaybeApplied) || ct.n.Load() != before {
		t.Errorf("write with a done ctx: %v after %d sends, want Canceled, not maybe applied, nothing sent", err, ct.n.Load()-before)
	}
}

// A 2xx to a write whose body cannot be decoded (truncated, empty where a value is needed) is
// ErrMaybeApplied; a write that needs nothing from its reply succeeds on any 2xx body.
func TestAcknowledgedWriteWithAnUnreadableReply(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"uuid": "12`, `<html>`, `[1,2`} {
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) }))
		client, _ := newTestClient(t, srv.URL, Config{})
		req := mustRequest(t, client, t.Context(), http.MethodPost, "/jobs")
		_ = req.SetJSON(map[string]string{"a": "b"})
		var out struct{ UUID string }
		err := client.Do(req, &out)
		var e *Error
		if !errors.Is(err, ErrMaybeApplied) || !errors.As(err, &e) || e.StatusCode != 200 {
			t.Errorf("body %q: err %v, want an *Error matching ErrMaybeApplied", body, err)
		}
		req = mustRequest(t, client, t.Context(), http.MethodPut, "/users/1")
		_ = req.SetJSON(map[string]string{"a": "b"})
		if err := client.Do(req, nil); err != nil {
			t.Errorf("body %q to a write that needs nothing: %v", body, err)
		}
		if err := client.BadReply(req, "no job uuid"); !errors.Is(err, ErrMaybeApplied) || !strings.Contains(err.Error(), "no job uuid") {
			t.Errorf("BadReply = %v", err)
		}
	}
}

// A reply over the cap fails with an *Error that says so and keeps only a few KiB; a 1 GiB
// gzip reply fails having allocated far less than it inflates to.
func TestReplyCap(t *testing.T) {
	// A gzip stream may hold several members, read as one: 1 MiB of 'a' compressed once and
	// repeated 1,024 times inflates to 1 GiB inside one JSON string.
	member := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(data)
		_ = zw.Close()
		return b.Bytes()
	}
	var gz bytes.Buffer
	gz.Write(member([]byte(`{"name":"`)))
	mib := member(bytes.Repeat([]byte("a"), 1<<20))
	for range 1 << 10 {
		gz.Write(mib)
	}
	gz.Write(member([]byte(`"}`)))
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	}))
	client, _ := newTestClient(t, srv.URL, Config{})
	// Go's transport undoes gzip only when it asked for it: the test transport does.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var out struct{ Name string }
	err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/users/1"), &out)
	runtime.ReadMemStats(&after)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "longer than the client's limit") {
		t.Fatalf("err = %v, want the reply cap", err)
	}
	if len(e.Body) > 4<<10 {
		t.Errorf("Body keeps %d bytes of an over-cap reply", len(e.Body))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("allocated %d MiB for a reply cut at 64 MiB", alloc>>20)
	}

	// A small cap applies to one client; a Content-Length within it sizes the buffer.
	small := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"name": strings.Repeat("x", 100)})
	}))
	client, _ = newTestClient(t, small.URL, Config{MaxReply: 50})
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/users/1"), &out); err == nil {
		t.Error("a 100-byte reply passed a 50-byte cap")
	}
	client, _ = newTestClient(t, small.URL, Config{MaxReply: 200})
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/users/1"), &out); err != nil || len(out.Name) != 100 {
		t.Errorf("within the cap: %v", err)
	}
}

func TestVendorChecks(t *testing.T) {
	t.Parallel()
	const v Vendor = "testvendor"
	for _, tt := range []struct {
		err  error
		want string
	}{
		{v.CheckSecret("Password", "abc"), "testvendor: invalid Password: shorter than 4 characters"},
		{v.CheckSecret("AccessToken", "tok\nen"), "testvendor: invalid AccessToken: holds a control character"},
		{v.CheckSecret("ClientSecret", ""), "testvendor: invalid ClientSecret: missing"},
		{v.CheckName("Username", "bo:b", true), "testvendor: invalid Username: holds ':', which HTTP Basic cannot carry in a user name"},
		{v.CheckName("Username", "b\x00", false), "testvendor: invalid Username: holds a control character"},
		{v.CheckText("Customer", "  "), "testvendor: invalid Customer: missing"},
		{v.CheckText("Name", "a\u0085b"), "testvendor: invalid Name: holds a control character"},
		{v.CheckText("Name", "a\xffb"), "testvendor: invalid Name: not valid UTF-8"},
	} {
		if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, ErrInvalidInput) {
			t.Errorf("got %v, want %q", tt.err, tt.want)
		}
	}
	if err := v.CheckName("ClientID", "a", true); err != nil {
		t.Errorf("a one-letter name refused: %v", err)
	}
	if err := v.CheckSecret("Password", "abcd"); err != nil {
		t.Errorf("a 4-letter secret refused: %v", err)
	}
	var r *bytes.Reader
	var w io.Writer = (*bytes.Buffer)(nil)
	if !IsNil(nil) || !IsNil(r) || !IsNil(w) || IsNil(bytes.NewReader(nil)) || IsNil(3) {
		t.Error("IsNil is wrong")
	}
	if _, err := v.ParseBaseURL("BaseURL", "https://h/\n"); err == nil || !strings.HasPrefix(err.Error(), "testvendor: ") {
		t.Errorf("ParseBaseURL = %v", err)
	}
	client, _ := newTestClient(t, "https://h", Config{})
	if _, err := client.NewRequest(t.Context(), "GET", "/users/{id}", ".."); err == nil || !strings.HasPrefix(err.Error(), "testvendor: invalid id") {
		t.Errorf("NewRequest = %v, want the vendor's prefix", err)
	}
}

// With no HTTPClient, a client keeps as many idle connections per host as in all: 64
// goroutines sharing it for 5,000 calls open at most 250 connections (50 per 1,000 calls; in
// fact about one per goroutine, plus the dials a freed connection overtook); Go's default
// transport keeps 2 idle and opens more than 500 per 1,000 calls.
func TestPooledTransportReusesConnections(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"name":"jdoe"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	u, _ := ParseBaseURL("BaseURL", srv.URL)
	c, err := New(Config{Vendor: "testvendor", BaseURL: u})
	if err != nil {
		t.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= 5000 {
				var out struct{ Name string }
				if err := c.Do(mustRequest(t, c, t.Context(), http.MethodGet, "/users/1"), &out); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := conns.Load(); n > 250 {
		t.Errorf("%d connections for 5,000 calls from 64 goroutines, want at most 250", n)
	}
}

// PercentSpaces writes a query's spaces as %20, and a literal "+" stays %2B.
func TestPercentSpaces(t *testing.T) {
	t.Parallel()
	var got string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.URL.RawQuery }))
	for _, pct := range []bool{false, true} {
		client, _ := newTestClient(t, srv.URL, Config{PercentSpaces: pct})
		req := mustRequest(t, client, t.Context(), http.MethodGet, "/api/groups?path={path}", `Customers\Company Inc+1`)
		_ = req.SetQuery(url.Values{"name": {"a b"}})
		if err := client.Do(req, nil); err != nil {
			t.Fatal(err)
		}
		want := "path=Customers%5CCompany+Inc%2B1&name=a+b"
		if pct {
			want = "path=Customers%5CCompany%20Inc%2B1&name=a%20b"
		}
		if got != want {
			t.Errorf("PercentSpaces %v: query %q, want %q", pct, got, want)
		}
	}
}

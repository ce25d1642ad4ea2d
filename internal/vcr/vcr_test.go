package vcr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/dnaeon/go-vcr/v2/recorder"
	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/rest"
)

// replayBase is where replayed clients point: nothing listens there, and replay never dials.
const replayBase = "http://127.0.0.1:1"

// counter counts the attempts that reach the cassette.
type counter struct {
	base http.RoundTripper
	n    atomic.Int32
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// countSends wraps hc's transport in a counter.
func countSends(hc *http.Client) *counter {
	c := &counter{base: hc.Transport}
	hc.Transport = c
	return c
}

func newRest(t *testing.T, base string, hc *http.Client, a auth.Authorizer) *rest.Client {
	t.Helper()
	u, err := rest.ParseBaseURL("BaseURL", base)
	if err != nil {
		t.Fatal(err)
	}
	c, err := rest.New(rest.Config{
		Vendor:     "test",
		BaseURL:    u,
		HTTPClient: hc,
		Auth:       a,
		Retry:      rest.RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func replay(t *testing.T, name string, opts ...Option) *http.Client {
	t.Helper()
	return open(t, filepath.Join("testdata", name), recorder.ModeReplaying, opts...)
}

func TestReplayRetry503(t *testing.T) {
	hc := replay(t, "retry-503")
	sends := countSends(hc)
	c := newRest(t, replayBase, hc, nil)
	req, err := c.NewRequest(context.Background(), http.MethodGet, "/api/v1/things/{id}", "42")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID   int      `json:"id"`
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	if err := c.Do(req, &got); err != nil {
		t.Fatalf("Do: %v", err)
	}
	want := got
	want.ID, want.Name, want.Tags = 42, "widget", []string{"a", "b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded reply (-want +got):\n%s", diff)
	}
	if n := sends.n.Load(); n != 2 {
		t.Errorf("sends = %d, want 2 (503, then 200)", n)
	}
}

func TestReplayMatchesScrubbedSecrets(t *testing.T) {
	const token, session = "real-token-8d7f6e", "real-session-1a2b3c"
	tokenAuth := auth.HeaderToken{Name: "X-User-Access-Token", Token: token}
	hc := replay(t, "scrubbed-token", WithAuth(tokenAuth), WithSecrets(session))
	c := newRest(t, replayBase, hc, tokenAuth)
	req, err := c.NewRequest(context.Background(), http.MethodGet, "/api/v1/users")
	if err != nil {
		t.Fatal(err)
	}
	if err := req.SetQuery(url.Values{"limit": {"2"}, "sessiontoken": {session}}); err != nil {
		t.Fatal(err)
	}
	var got []struct{ Name string }
	if err := c.Do(req, &got); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(got) != 2 || got[0].Name != "ann" || got[1].Name != "bob" {
		t.Errorf("got %+v", got)
	}
}

func TestReplayNormalisesBodies(t *testing.T) {
	hc := replay(t, "bodies")
	sends := countSends(hc)
	c := newRest(t, replayBase, hc, nil)
	ctx := context.Background()

	req, err := c.NewRequest(ctx, http.MethodPost, "/api/v1/users")
	if err != nil {
		t.Fatal(err)
	}
	// Keys in another order than the cassette's, compact, and a real password.
	req.SetBody("application/json", []byte(`{"name":"Ann Example","age":3,"password":"s3cr3t!","roles":["admin","user"]}`))
	var created struct{ ID int }
	if err := c.Do(req, &created); err != nil {
		t.Fatalf("JSON POST: %v", err)
	}
	if created.ID != 7 {
		t.Errorf("id = %d, want 7", created.ID)
	}

	req, err = c.NewRequest(ctx, http.MethodPost, "/api/v1/login")
	if err != nil {
		t.Fatal(err)
	}
	req.SetForm(url.Values{"password": {"hunter2"}, "username": {"ann"}})
	var ok struct{ OK bool }
	if err := c.Do(req, &ok); err != nil {
		t.Fatalf("form POST: %v", err)
	}
	if !ok.OK {
		t.Error("form POST: ok = false")
	}
	if n := sends.n.Load(); n != 2 {
		t.Errorf("sends = %d, want 2", n)
	}
}

func TestReplayBodyMismatchMisses(t *testing.T) {
	for name, body := range map[string]string{
		"other value":   `{"name":"Bob Example","age":3,"password":"x","roles":["admin","user"]}`,
		"other order":   `{"name":"Ann Example","age":3,"password":"x","roles":["user","admin"]}`,
		"missing key":   `{"name":"Ann Example","age":3,"roles":["admin","user"]}`,
		"number format": `{"name":"Ann Example","age":3.0,"password":"x","roles":["admin","user"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			hc := replay(t, "bodies")
			c := newRest(t, replayBase, hc, nil)
			req, err := c.NewRequest(context.Background(), http.MethodPost, "/api/v1/users")
			if err != nil {
				t.Fatal(err)
			}
			req.SetBody("application/json", []byte(body))
			if err := c.Do(req, nil); !errors.Is(err, cassette.ErrInteractionNotFound) {
				t.Errorf("err = %v, want a cassette miss", err)
			}
		})
	}
}

func TestMissFailsFast(t *testing.T) {
	hc := replay(t, "retry-503")
	sends := countSends(hc)
	c := newRest(t, replayBase, hc, nil) // default MaxAttempts: 4
	req, err := c.NewRequest(context.Background(), http.MethodGet, "/api/v1/things/{id}", "43")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(req, nil)
	if !errors.Is(err, cassette.ErrInteractionNotFound) {
		t.Fatalf("err = %v, want it to wrap cassette.ErrInteractionNotFound", err)
	}
	if n := sends.n.Load(); n != 1 {
		t.Errorf("sends = %d, want 1: a cassette miss must not be retried", n)
	}
	if msg := err.Error(); !strings.Contains(msg, "GET /api/v1/things/43") || !strings.Contains(msg, "retry-503.yaml") {
		t.Errorf("error %q should name the request and the cassette", msg)
	}
}

func TestReplayLoadsCommentHeader(t *testing.T) {
	// go-vcr's loader itself accepts the provenance comments.
	c, err := cassette.Load(filepath.Join("testdata", "retry-503"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 2 || c.Interactions[0].Response.Code != 503 {
		t.Errorf("loaded %d interactions", len(c.Interactions))
	}
}

// fakeTB records what Open does to a test: Fatalf ends the goroutine like the real one.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	fatals   []string
	errs     []string
	cleanups []func()
	failed   bool
}

func (f *fakeTB) Helper()             {}
func (f *fakeTB) Logf(string, ...any) {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
	f.failed = true
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
	f.failed = true
}
func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}
func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

// run calls fn like a test body (in its own goroutine, so Fatalf can end it), then the
// cleanups, last first.
func (f *fakeTB) run(fn func(tb testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

func TestOpenRefusesCassetteWithoutSource(t *testing.T) {
	f := &fakeTB{TB: t}
	reached := false
	f.run(func(tb testing.TB) {
		Open(tb, filepath.Join("testdata", "no-source"))
		reached = true
	})
	if reached || len(f.fatals) != 1 || !strings.Contains(f.fatals[0], "# source:") {
		t.Errorf("Open of a cassette without a source line: fatals %q, returned %v", f.fatals, reached)
	}
}

func TestOpenMissingCassette(t *testing.T) {
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) { Open(tb, filepath.Join("testdata", "does-not-exist")) })
	if len(f.fatals) != 1 || !strings.Contains(f.fatals[0], "not found") {
		t.Errorf("fatals = %q", f.fatals)
	}
}

func TestOpenReplays(t *testing.T) {
	hc := Open(t, filepath.Join("testdata", "retry-503"))
	resp, err := hc.Get("https://elsewhere.example/api/v1/things/42")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("first reply %d, want the recorded 503", resp.StatusCode)
	}
}

func TestEnv(t *testing.T) {
	t.Setenv(RecordEnv, "")
	t.Setenv("VCR_TEST_VALUE", "from-env")
	if got := Env(t, "VCR_TEST_VALUE", "replay"); got != "replay" {
		t.Errorf("replaying: Env = %q", got)
	}
	t.Setenv(RecordEnv, "1")
	if got := Env(t, "VCR_TEST_VALUE", "replay"); got != "from-env" {
		t.Errorf("recording: Env = %q", got)
	}
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) { Env(tb, "VCR_TEST_UNSET_VALUE", "replay") })
	if len(f.fatals) != 1 || !strings.Contains(f.fatals[0], "VCR_TEST_UNSET_VALUE") {
		t.Errorf("recording with the variable unset: fatals %q", f.fatals)
	}
}

func TestProvenanceLines(t *testing.T) {
	got := leadingComments([]byte("\n# source: vendor doc, \"Create Users\" sample\n#\n# responses synthesized\n---\n# not this\nversion: 1\n"))
	want := []string{`# source: vendor doc, "Create Users" sample`, "#", "# responses synthesized"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leadingComments (-want +got):\n%s", diff)
	}
	if !hasSource(got) {
		t.Error("hasSource = false")
	}
	for _, lines := range [][]string{nil, {"# sources vary"}, {"# source:"}, {"# see source: below"}} {
		if hasSource(lines) {
			t.Errorf("hasSource(%q) = true", lines)
		}
	}
	got = sourceLines("recorded against Razuna 74ce1f07\nrequests from the doc")
	want = []string{"# source: recorded against Razuna 74ce1f07", "# requests from the doc"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sourceLines (-want +got):\n%s", diff)
	}
	if got := sourceLines("# source: as is"); !cmp.Equal(got, []string{"# source: as is"}) {
		t.Errorf("sourceLines of a comment = %q", got)
	}
}

func TestMain(m *testing.M) {
	// The package's own cassettes are handwritten: ROSTER_RECORD=1 must not rewrite them, and
	// the recording tests choose their mode and source themselves.
	os.Unsetenv(RecordEnv)
	os.Unsetenv(SourceEnv)
	os.Exit(m.Run())
}

func TestMatchMultipartAndRestoresBody(t *testing.T) {
	s, err := start(filepath.Join("testdata", "bodies"), recorder.ModeReplaying)
	if err != nil {
		t.Fatal(err)
	}
	mp := func(boundary string) http.Header {
		return http.Header{"Content-Type": {"multipart/form-data; boundary=" + boundary}}
	}
	recorded := cassette.Request{Method: http.MethodPost, URL: "https://x.example/up", Headers: mp(rest.Boundary), Body: multipartPlaceholder}
	bare := cassette.Request{Method: http.MethodPost, URL: "https://x.example/up", Body: multipartPlaceholder}
	jsonReq := cassette.Request{Method: http.MethodPost, URL: "https://x.example/up", Body: `{"a":1}`}
	for _, tc := range []struct {
		name     string
		header   http.Header
		body     string
		recorded cassette.Request
		want     bool
	}{
		{"same boundary, content ignored", mp(rest.Boundary), "--" + rest.Boundary + "\r\nanything", recorded, true},
		{"recorded without content type", mp(rest.Boundary), "whatever", bare, true},
		{"other live boundary", mp("abc"), "x", recorded, false},
		{"other recorded boundary", mp(rest.Boundary), "x", cassette.Request{Method: http.MethodPost, URL: "/up", Headers: mp("abc")}, false},
		{"multipart against JSON", mp(rest.Boundary), "x", jsonReq, false},
		{"JSON against multipart", http.Header{"Content-Type": {"application/json"}}, `{"a":1}`, recorded, false},
		{"JSON against JSON, other host", http.Header{"Content-Type": {"application/json"}}, ` { "a" : 1 } `, jsonReq, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:1/up", strings.NewReader(tc.body))
			r.Header = tc.header
			if got := s.match(r, tc.recorded); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
			// The body is still there to send, or to match against the next interaction.
			b, err := io.ReadAll(r.Body)
			if err != nil || string(b) != tc.body {
				t.Errorf("body after match = %q, %v; want %q", b, err, tc.body)
			}
			if r.GetBody != nil {
				rc, _ := r.GetBody()
				b, _ := io.ReadAll(rc)
				if string(b) != tc.body {
					t.Errorf("GetBody after match = %q", b)
				}
			}
		})
	}
}

// A ReplayOnly cassette replays even when the run records, and its file is left alone.
func TestReplayOnlyIgnoresRecordMode(t *testing.T) {
	t.Setenv(RecordEnv, "1")
	t.Setenv(SourceEnv, "should not be written")
	file := filepath.Join("testdata", "retry-503.yaml")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("replay", func(t *testing.T) {
		hc := Open(t, filepath.Join("testdata", "retry-503"), ReplayOnly())
		resp, err := hc.Get("https://elsewhere.example/api/v1/things/42")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("first reply %d, want the recorded 503", resp.StatusCode)
		}
	})
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a ReplayOnly cassette was rewritten in record mode")
	}
}

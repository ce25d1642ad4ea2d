package vcr

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/dnaeon/go-vcr/v2/recorder"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/rest"
)

// Secrets the recording test sends and the server echoes; none may reach the cassette.
const (
	secToken        = "tok-7Hq2Zx9LmQ"
	secUser         = "alice"
	secPass         = "pa ss/w0rd+&="
	secAPIKey       = "key-9f8e7d6c"
	secSession      = "sess-ABC123xyz"
	secFormPass     = "hunter2-Secret!"
	secClientSecret = "cs-5566-q/r"
	secNested       = "nt-7788-zz"
	secCSVPass      = "csv-P@ssw0rd-99" // only inside the multipart upload
	secIssued       = "AT-issued-0001"  // a token the server hands out, under a sensitive key
)

var basicB64 = base64.StdEncoding.EncodeToString([]byte(secUser + ":" + secPass))

// server is a loopback stand-in for a vendor that checks credentials on every attempt and
// echoes secrets back in bodies, headers and cookies.
type server struct {
	t  *testing.T
	mu sync.Mutex
	// attempts of the retried reads, with the credential each one carried
	flaky      []string
	flakyBasic []string
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, format string, args ...any) {
		s.t.Errorf("server: "+format, args...)
		http.Error(w, "bad request", http.StatusBadRequest)
	}
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Header.Get("X-User-Access-Token") != secToken || q.Get("api_key") != secAPIKey || q.Get("sessiontoken") != secSession {
			fail(w, "items: credentials missing: %v %v", r.Header, q)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: secSession})
		w.Header().Set("X-Request-Info", "served token "+secToken)
		writeJSON(w, map[string]any{"items": []int{1, 2}, "echo": "token " + secToken + " key " + secAPIKey})
	})
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != secUser || p != secPass || r.PostFormValue("password") != secFormPass {
			fail(w, "login: credentials missing")
			return
		}
		writeJSON(w, map[string]any{"ok": true, "seen": r.Header.Get("Authorization"),
			"note": "password " + secFormPass + " for " + url.QueryEscape(secPass)})
	})
	mux.HandleFunc("POST /api/oauth", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			ClientSecret string `json:"client_secret"`
			Nested       struct {
				Token string `json:"token"`
			} `json:"nested"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.ClientSecret != secClientSecret || body.Nested.Token != secNested {
			fail(w, "oauth: body %+v, %v", body, err)
			return
		}
		writeJSON(w, map[string]any{"access_token": secIssued, "token_type": "bearer",
			"error_description": "client " + secClientSecret + " nested " + secNested})
	})
	mux.HandleFunc("POST /api/import", func(w http.ResponseWriter, r *http.Request) {
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if params["boundary"] != rest.Boundary {
			fail(w, "import: boundary %q", params["boundary"])
			return
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			fail(w, "import: %v", err)
			return
		}
		csv, _ := io.ReadAll(f)
		if !bytes.Contains(csv, []byte(secCSVPass)) {
			fail(w, "import: csv %q", csv)
			return
		}
		writeJSON(w, map[string]any{"imported": 1})
	})
	mux.HandleFunc("GET /api/flaky", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.flaky = append(s.flaky, r.Header.Get("X-User-Access-Token"))
		n := len(s.flaky)
		s.mu.Unlock()
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /api/flaky-basic", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.flakyBasic = append(s.flakyBasic, r.Header.Get("Authorization"))
		n := len(s.flakyBasic)
		s.mu.Unlock()
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, map[string]any{"ok": true})
	})
	return mux
}

var (
	tokenAuth = auth.HeaderToken{Name: "X-User-Access-Token", Token: secToken}
	basicAuth = auth.Basic{Username: secUser, Password: secPass}
)

// secretOpts is how a vendor test hands its credentials to the helper.
func secretOpts() []Option {
	return []Option{WithAuth(tokenAuth), WithAuth(basicAuth),
		WithSecrets(secAPIKey, secSession, secFormPass, secClientSecret, secNested)}
}

// results is what the scenario's calls decoded.
type results struct {
	Items struct {
		Items []int
		Echo  string
	}
	Login struct {
		OK   bool
		Seen string
		Note string
	}
	OAuth struct {
		AccessToken      string `json:"access_token"`
		ErrorDescription string `json:"error_description"`
	}
	Imported struct{ Imported int }
	Flaky    struct{ OK bool }
}

// scenario makes every call of the recording test through roster's core against base.
func scenario(t *testing.T, base string, hc *http.Client) results {
	t.Helper()
	ctx := context.Background()
	tc := newRest(t, base, hc, tokenAuth)
	bc := newRest(t, base, hc, basicAuth)
	var res results
	do := func(c *rest.Client, req *rest.Request, out any) {
		t.Helper()
		if err := c.Do(req, out); err != nil {
			t.Fatalf("%s %s: %v", req.Method(), req.URL().Path, err)
		}
	}
	newReq := func(c *rest.Client, method, path string) *rest.Request {
		t.Helper()
		req, err := c.NewRequest(ctx, method, path)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}

	req := newReq(tc, http.MethodGet, "/api/items")
	if err := req.SetQuery(url.Values{"api_key": {secAPIKey}, "sessiontoken": {secSession}}); err != nil {
		t.Fatal(err)
	}
	do(tc, req, &res.Items)

	req = newReq(bc, http.MethodPost, "/api/login")
	req.SetForm(url.Values{"username": {secUser}, "password": {secFormPass}})
	do(bc, req, &res.Login)

	req = newReq(tc, http.MethodPost, "/api/oauth")
	if err := req.SetJSON(map[string]any{"client_secret": secClientSecret, "nested": map[string]any{"token": secNested}, "name": "x"}); err != nil {
		t.Fatal(err)
	}
	do(tc, req, &res.OAuth)

	csv := "email;password\nann@example.com;" + secCSVPass + "\n"
	req = newReq(tc, http.MethodPost, "/api/import")
	if err := req.SetMultipart(rest.Multipart{
		Fields:    []rest.FormField{{Name: "separator", Value: ";"}},
		FileField: "file", FileName: "users.csv", ContentType: "text/csv",
		File: strings.NewReader(csv), Size: int64(len(csv)),
	}); err != nil {
		t.Fatal(err)
	}
	do(tc, req, &res.Imported)

	do(tc, newReq(tc, http.MethodGet, "/api/flaky"), &res.Flaky)
	return res
}

// rawRetry sends GET /api/flaky-basic through go-retryablehttp directly, with Basic
// credentials set once on the request: retryablehttp reuses that header map for every attempt,
// which is where a filter that edits recorded headers in place would strip them (anchors §6.4).
func rawRetry(t *testing.T, base string, hc *http.Client) *retryablehttp.Request {
	t.Helper()
	rc := retryablehttp.NewClient()
	rc.HTTPClient = hc
	rc.Logger = nil
	rc.RetryMax = 2
	rc.RetryWaitMin, rc.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	req, err := retryablehttp.NewRequest(http.MethodGet, base+"/api/flaky-basic", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(secUser, secPass)
	resp, err := rc.Do(req)
	if err != nil {
		t.Fatalf("raw retry: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("raw retry: status %d", resp.StatusCode)
	}
	return req
}

func TestRecordScrubsAndReplays(t *testing.T) {
	srv := &server{t: t}
	ts := httptest.NewServer(srv.handler())
	defer ts.Close()
	path := filepath.Join(t.TempDir(), "rec", "scrubbed")

	opts := append(secretOpts(), WithRealTransport(ts.Client().Transport),
		WithSource("recorded against the test's loopback server\nsecrets echoed on purpose"))
	s, err := start(path, recorder.ModeRecording, opts...)
	if err != nil {
		t.Fatal(err)
	}
	live := scenario(t, ts.URL, s.client())
	rawReq := rawRetry(t, ts.URL, s.client())

	// While recording, the client sees the server's real replies: scrubbing happens on save.
	if !strings.Contains(live.Items.Echo, secToken) || live.OAuth.AccessToken != secIssued {
		t.Errorf("recording changed the live replies: %+v", live)
	}
	// Every attempt of the retried reads reached the server with its credentials.
	wantFlaky := []string{secToken, secToken}
	wantBasic := []string{"Basic " + basicB64, "Basic " + basicB64}
	srv.mu.Lock()
	if fmt.Sprint(srv.flaky) != fmt.Sprint(wantFlaky) || fmt.Sprint(srv.flakyBasic) != fmt.Sprint(wantBasic) {
		t.Errorf("credentials per attempt: core %q, raw %q; want each attempt authorized", srv.flaky, srv.flakyBasic)
	}
	srv.mu.Unlock()

	if err := s.save(); err != nil {
		t.Fatalf("save: %v", err)
	}
	// Saving replaced the recorded header maps instead of editing the live request's.
	if rawReq.Header.Get("Authorization") != "Basic "+basicB64 {
		t.Errorf("save scrubbed the live request's headers: %v", rawReq.Header)
	}
	if _, err := os.Stat(s.tmpDir); !os.IsNotExist(err) {
		t.Errorf("temporary recording %s left behind", s.tmpDir)
	}

	data, err := os.ReadFile(path + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.HasPrefix(text, "# source: recorded against the test's loopback server\n# secrets echoed on purpose\n") {
		t.Errorf("cassette lost its provenance header:\n%s", text)
	}
	for _, sec := range []string{secToken, secPass, secAPIKey, secSession, secFormPass, secClientSecret,
		secNested, secCSVPass, secIssued, basicB64} {
		for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec)} {
			if strings.Contains(text, form) {
				t.Errorf("cassette contains secret %q (as %q)", sec, form)
			}
		}
	}
	for _, want := range []string{"REDACTED", multipartPlaceholder, "boundary=" + rest.Boundary, "/api/flaky-basic"} {
		if !strings.Contains(text, want) {
			t.Errorf("cassette lacks %q", want)
		}
	}
	if strings.Contains(text, "Date:") {
		t.Error("cassette keeps the Date response header")
	}
	if t.Failed() || os.Getenv("VCR_SHOW") != "" {
		t.Logf("cassette:\n%s", text)
	}

	// Replay against another base URL, with clients that carry the real secrets.
	hc := open(t, path, recorder.ModeReplaying, secretOpts()...)
	sends := countSends(hc)
	got := scenario(t, replayBase, hc)
	rawRetry(t, replayBase, hc)
	if n := sends.n.Load(); n != 8 { // 5 calls, 1 retry each for the two flaky reads
		t.Errorf("replay used %d interactions, want 8", n)
	}
	if got.Items.Echo != "token REDACTED key REDACTED" || len(got.Items.Items) != 2 {
		t.Errorf("replayed items = %+v", got.Items)
	}
	if !got.Login.OK || got.OAuth.AccessToken != "REDACTED" || got.Imported.Imported != 1 || !got.Flaky.OK {
		t.Errorf("replayed results = %+v", got)
	}
}

func TestRecordNeedsSource(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new")
	if _, err := start(path, recorder.ModeRecording); err == nil || !strings.Contains(err.Error(), SourceEnv) {
		t.Errorf("recording a new cassette without a source: err = %v", err)
	}
}

// TestOpenRecording follows the ROSTER_RECORD=1 flow through Open and its cleanup.
func TestOpenRecording(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "sid="+secSession)
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("sessiontoken"))
	}))
	defer ts.Close()
	get := func(tb testing.TB, hc *http.Client) {
		resp, err := hc.Get(ts.URL + "/hello?sessiontoken=" + secSession)
		if err != nil {
			tb.Errorf("get: %v", err)
			return
		}
		resp.Body.Close()
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "hello")
	t.Setenv(RecordEnv, "1")

	// A new cassette takes its provenance from ROSTER_RECORD_SOURCE over WithSource.
	t.Setenv(SourceEnv, "recorded against the loopback hello server")
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) {
		get(tb, Open(tb, path, WithRealTransport(ts.Client().Transport), WithSource("ignored"), WithSecrets(secSession)))
	})
	if f.failed {
		t.Fatalf("recording: fatals %q errors %q", f.fatals, f.errs)
	}
	first, err := os.ReadFile(path + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(first), "# source: recorded against the loopback hello server\n---\n") {
		t.Errorf("new cassette:\n%s", first)
	}
	if strings.Contains(string(first), secSession) {
		t.Errorf("cassette holds the session:\n%s", first)
	}

	// Re-recording with no source given keeps the old header, and replaces (not appends) the
	// interactions.
	t.Setenv(SourceEnv, "")
	f = &fakeTB{TB: t}
	f.run(func(tb testing.TB) {
		get(tb, Open(tb, path, WithRealTransport(ts.Client().Transport), WithSecrets(secSession)))
	})
	second, err := os.ReadFile(path + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	if f.failed || !strings.HasPrefix(string(second), "# source: recorded against the loopback hello server\n") ||
		strings.Count(string(second), "/hello?") != 1 {
		t.Errorf("re-recorded cassette (fatals %q, errors %q):\n%s", f.fatals, f.errs, second)
	}

	// A failed test leaves the cassette as it was.
	f = &fakeTB{TB: t}
	f.run(func(tb testing.TB) {
		hc := Open(tb, path, WithRealTransport(ts.Client().Transport), WithSource("a broken run"))
		get(tb, hc)
		get(tb, hc)
		tb.Errorf("the test failed")
	})
	third, err := os.ReadFile(path + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(third) != string(second) {
		t.Errorf("a failed recording rewrote the cassette:\n%s", third)
	}

	// And the cassette replays once recording is off.
	t.Setenv(RecordEnv, "")
	hc := Open(t, path, WithSecrets(secSession))
	resp, err := hc.Get("http://127.0.0.1:1/hello?sessiontoken=other-session")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello REDACTED" || resp.Header.Get("Set-Cookie") != "REDACTED" {
		t.Errorf("replayed %q %v", body, resp.Header)
	}
}

func TestSaveRefusesSurvivingSecret(t *testing.T) {
	// Header names are scrubbed too now; a filter that runs after scrub and writes a secret
	// back stands for whatever the filters may miss. The last check catches it.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Leakysecret9", "1")
	}))
	defer ts.Close()
	path := filepath.Join(t.TempDir(), "leak")
	s, err := start(path, recorder.ModeRecording, WithSource("test"), WithSecrets("Leakysecret9"),
		WithRealTransport(ts.Client().Transport))
	if err != nil {
		t.Fatal(err)
	}
	s.rec.AddSaveFilter(func(i *cassette.Interaction) error {
		i.Response.Headers.Set("X-Note", "Leaky%73ecret9") // an escape the last check decodes too
		return nil
	})
	resp, err := s.client().Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := s.save(); err == nil || !strings.Contains(err.Error(), "secret survived") {
		t.Errorf("save = %v, want a refusal", err)
	}
	if _, err := os.Stat(path + ".yaml"); !os.IsNotExist(err) {
		t.Errorf("cassette written despite the leak: %v", err)
	}
}

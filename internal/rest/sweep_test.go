package rest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/redact"
	"github.com/rosterhq/roster/internal/rest"
	"github.com/rosterhq/roster/internal/vcr"
)

// The issue 9 secret sweep: every failure mode crossed with every kind of secret, each echoed
// by the server in every encoding a server or proxy produces. No secret may show in the error
// (Error(), %v, %+v, %#v, every error it wraps, every exported field of *Error), in the debug
// log, or in a cassette recorded through internal/vcr in record mode.

// The sweep's credentials. Each holds "/" and "+" (escaped differently by every encoder), and
// the password "&" and "!" (HTML and JSON escape them).
const (
	swToken  = "tok/Sweep+9xQ~z7K"
	swUser   = "sweep-user"
	swPass   = "Sommer/2024+Neu!&x"
	swClient = "sweep-client"
	swSecret = "cs/Sweep+Secret=1Q"
	swIssued = "at/Issued+Token=9Z" // the access token the token endpoint hands out
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// sweepKind is one kind of credential.
type sweepKind struct {
	name string
	// authorizer builds the credential; tokenURL is the sweep server's token endpoint.
	authorizer func(tokenURL string) auth.Authorizer
	// failToken: the failure is at the token endpoint, not at the API.
	failToken bool
	// secrets must not show; echoed are what the server echoes (secrets plus their raw
	// forms on the wire).
	secrets []string
}

var sweepKinds = []sweepKind{
	{name: "header token",
		authorizer: func(string) auth.Authorizer { return auth.HeaderToken{Name: "X-User-Access-Token", Token: swToken} },
		secrets:    []string{swToken}},
	{name: "basic",
		authorizer: func(string) auth.Authorizer { return auth.Basic{Username: swUser, Password: swPass} },
		secrets:    []string{swPass, b64(swUser + ":" + swPass)}},
	{name: "oauth client secret in basic", failToken: true,
		authorizer: func(u string) auth.Authorizer {
			return auth.Bearer{Source: &auth.TokenSource{URL: u, Grant: auth.ClientCredentials, ClientID: swClient,
				ClientSecret: swSecret, ClientAuth: auth.ClientAuthBasic}}
		},
		secrets: []string{swSecret, b64(swClient + ":" + swSecret)}},
	{name: "oauth client secret in form", failToken: true,
		authorizer: func(u string) auth.Authorizer {
			return auth.Bearer{Source: &auth.TokenSource{URL: u, Grant: auth.ClientCredentials, ClientID: swClient,
				ClientSecret: swSecret, ClientAuth: auth.ClientAuthForm}}
		},
		secrets: []string{swSecret}},
	{name: "oauth issued token",
		authorizer: func(u string) auth.Authorizer {
			return auth.Bearer{Source: &auth.TokenSource{URL: u, Grant: auth.ClientCredentials, ClientID: swClient,
				ClientSecret: swSecret, ClientAuth: auth.ClientAuthBasic}}
		},
		secrets: []string{swIssued, swSecret, b64(swClient + ":" + swSecret)}},
}

// sweepEncodings are the ways a server or proxy writes a secret back, each built here with
// the standard library or by hand, independently of package redact.
var sweepEncodings = []struct {
	name string
	enc  func(string) string
}{
	{"raw", func(s string) string { return s }},
	{"query", url.QueryEscape},
	{"query, lower-case escapes", func(s string) string { return lowerHex(url.QueryEscape(s)) }},
	{"path", url.PathEscape},
	{"every byte escaped", func(s string) string {
		var b strings.Builder
		for i := range len(s) {
			fmt.Fprintf(&b, "%%%02x", s[i])
		}
		return b.String()
	}},
	{"json", jsonString},
	{`json \/`, func(s string) string { return strings.ReplaceAll(jsonString(s), "/", `\/`) }},
	{`json \u`, func(s string) string {
		var b strings.Builder
		for _, u := range utf16.Encode([]rune(s)) {
			fmt.Fprintf(&b, `\u%04x`, u)
		}
		return b.String()
	}},
	{"html", html.EscapeString},
	{"html of query", func(s string) string { return html.EscapeString(url.QueryEscape(s)) }},
	{"base64", b64},
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = bytes.ToLower(b[i+1 : i+2])[0], bytes.ToLower(b[i+2 : i+3])[0]
		}
	}
	return string(b)
}

// normaliseHex upper-cases the hex digits of percent and \u escapes, so that one comparison
// finds an escape in either case.
func normaliseHex(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '%' && i+2 < len(b):
			copy(b[i+1:i+3], bytes.ToUpper(b[i+1:i+3]))
		case b[i] == '\\' && i+5 < len(b) && b[i+1] == 'u':
			copy(b[i+2:i+6], bytes.ToUpper(b[i+2:i+6]))
		}
	}
	return string(b)
}

// echoOfAll is every secret and every credential the request carried, in every encoding.
func echoOfAll(r *http.Request, secrets []string) []string {
	raw := append([]string(nil), secrets...)
	for _, h := range []string{"Authorization", "X-User-Access-Token"} {
		if v := r.Header.Get(h); v != "" {
			raw = append(raw, v)
		}
	}
	if r.Method == http.MethodPost {
		_ = r.ParseForm()
		raw = append(raw, r.PostForm.Get("client_secret"), r.PostForm.Encode())
	}
	var out []string
	for _, s := range raw {
		if s == "" {
			continue
		}
		for _, e := range sweepEncodings {
			out = append(out, e.enc(s))
		}
	}
	return out
}

// sweepMode is one way a call fails. fail answers the failing request; echo is everything
// to echo.
type sweepMode struct {
	name string
	fail func(w http.ResponseWriter, r *http.Request, echo []string, cancel context.CancelFunc)
	// reply: an HTTP reply reaches the client (a cassette gets an interaction).
	reply bool
}

func writeEcho(w http.ResponseWriter, status int, ct string, body []byte) {
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// jsonEcho is a JSON error body with the echo in values, as keys and in an OAuth2 error.
func jsonEcho(echo []string) []byte {
	m := map[string]any{"error": "invalid_client", "error_description": strings.Join(echo, " "),
		"message": strings.Join(echo, " | "), "errors": echo}
	for _, e := range echo {
		m[e] = 1
	}
	b, _ := json.Marshal(m)
	return b
}

var sweepModes = []sweepMode{
	{name: "400 JSON", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		w.Header().Set("X-Echo", strings.Join(echo, " "))
		w.Header().Set("X-"+url.QueryEscape(echo[0]), "1")
		writeEcho(w, http.StatusBadRequest, "application/json", jsonEcho(echo))
	}},
	{name: "401 OAuth2", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+strings.Join(echo, " ")+`"`)
		writeEcho(w, http.StatusUnauthorized, "application/json", jsonEcho(echo))
	}},
	{name: "500 text", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		writeEcho(w, http.StatusInternalServerError, "text/plain", []byte("failed: "+strings.Join(echo, "\n")))
	}},
	{name: "502 HTML page", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		var b strings.Builder
		b.WriteString("<html><body><h1>502 Bad Gateway</h1>")
		for _, e := range echo {
			fmt.Fprintf(&b, `<p>%s</p><a href="https://proxy.example/retry?cred=%s&amp;x=1">retry</a>`, html.EscapeString(e), html.EscapeString(url.QueryEscape(e)))
		}
		b.WriteString("</body></html>")
		writeEcho(w, http.StatusBadGateway, "text/html; charset=utf-8", []byte(b.String()))
	}},
	{name: "403 gzip", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(jsonEcho(echo))
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		writeEcho(w, http.StatusForbidden, "application/json", buf.Bytes())
	}},
	{name: "200 truncated", fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		body := []byte(`{"access_token":"` + echo[0] + `","items":["` + strings.Join(echo, `","`))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)+100))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	}},
	{name: "200 not JSON", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		writeEcho(w, http.StatusOK, "application/json", []byte(`{"access_token": `+strings.Join(echo, " ")+`}`))
	}},
	{name: "500 over 1 MiB, secret across the cut", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		const cut = 1 << 20
		var b strings.Builder
		for b.Len() < cut-len(echo[0])/2 {
			b.WriteString("lorem ipsum ")
		}
		body := b.String()[:cut-len(echo[0])/2] + echo[0] + " " + strings.Join(echo, " ")
		writeEcho(w, http.StatusInternalServerError, "text/plain", []byte(body))
	}},
	{name: "302 redirect", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		w.Header().Set("Location", "https://login.example/?next="+url.QueryEscape(strings.Join(echo, " ")))
		writeEcho(w, http.StatusFound, "text/html", []byte(`<a href="https://login.example/?t=`+html.EscapeString(url.QueryEscape(echo[0]))+`">moved</a>`))
	}},
	{name: "429 beyond MaxWait", reply: true, fail: func(w http.ResponseWriter, r *http.Request, echo []string, _ context.CancelFunc) {
		w.Header().Set("Retry-After", "3600")
		writeEcho(w, http.StatusTooManyRequests, "application/json", jsonEcho(echo))
	}},
	{name: "connection reset", fail: func(w http.ResponseWriter, r *http.Request, _ []string, _ context.CancelFunc) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST, not FIN
		}
		conn.Close()
	}},
	{name: "ctx cancelled on the wire", fail: func(w http.ResponseWriter, r *http.Request, _ []string, cancel context.CancelFunc) {
		cancel()
		<-r.Context().Done()
	}},
}

// sweepBuffer is a log sink safe for the handler and the test to share.
type sweepBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *sweepBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *sweepBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSecretSweepEveryEncoding(t *testing.T) {
	// Recording sets ROSTER_RECORD: the subtests run one after another.
	t.Setenv(vcr.RecordEnv, "1")
	t.Setenv(vcr.SourceEnv, "")
	for _, kind := range sweepKinds {
		for _, mode := range sweepModes {
			t.Run(kind.name+"/"+mode.name, func(t *testing.T) {
				sweepOne(t, kind, mode)
			})
		}
	}
}

func sweepOne(t *testing.T, kind sweepKind, mode sweepMode) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var apiCalls, tokenCalls int
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokenCalls++
		mu.Unlock()
		if kind.failToken {
			mode.fail(w, r, echoOfAll(r, kind.secrets), cancel)
			return
		}
		writeEcho(w, http.StatusOK, "application/json", []byte(`{"access_token":"`+swIssued+`","token_type":"bearer","expires_in":3600}`))
	})
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		apiCalls++
		mu.Unlock()
		mode.fail(w, r, echoOfAll(r, kind.secrets), cancel)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tr := srv.Client().Transport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()

	// The cassette: recorded with the client's whole secret set, checked after vcr saved it.
	dir := t.TempDir()
	cassette := filepath.Join(dir, "sweep")
	var logs sweepBuffer
	var client *rest.Client
	t.Cleanup(func() {
		data, err := os.ReadFile(cassette + ".yaml")
		if err != nil {
			if mode.reply && !t.Failed() {
				t.Errorf("no cassette recorded: %v", err)
			}
			return
		}
		checkNoLeak(t, "cassette", string(data), kind.secrets)
	})
	hc := vcr.Open(t, cassette, vcr.WithSource("the sweep's loopback server"), vcr.WithRealTransport(tr),
		vcr.WithRedactor(func() *redact.Redactor {
			if client == nil {
				return nil
			}
			return client.Redactor()
		}))
	u, err := rest.ParseBaseURL("BaseURL", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	client, err = rest.New(rest.Config{
		Vendor:     "sweep",
		BaseURL:    u,
		HTTPClient: hc,
		Auth:       kind.authorizer(srv.URL + "/oauth/token"),
		Logger:     slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Retry:      rest.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
		Hooks: rest.Hooks{ParseError: func(_ int, _ http.Header, body []byte) rest.ErrorInfo {
			// A careless vendor hook: the body's first 300 bytes as the message.
			return rest.ErrorInfo{Code: "E", Message: string(body[:min(len(body), 300)]), Detail: string(body)}
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	req, err := client.NewRequest(ctx, http.MethodGet, "/api/items?name={n}", "bob")
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Items []string }
	err = client.Do(req, &out)
	if err == nil {
		t.Fatal("Do succeeded; every case must fail")
	}
	mu.Lock()
	reached := apiCalls > 0 || kind.failToken && tokenCalls > 0
	mu.Unlock()
	if !reached {
		t.Fatalf("the failing endpoint was never called: %v", err)
	}

	shown := map[string]string{
		"Error()": err.Error(),
		"%v":      fmt.Sprintf("%v", err),
		"%+v":     fmt.Sprintf("%+v", err),
		"%#v":     fmt.Sprintf("%#v", err),
		"log":     logs.String(),
	}
	// Every error the chain holds, as text and as Go syntax.
	for i, e := range unwrapAll(err) {
		shown[fmt.Sprintf("unwrapped[%d] %T Error()", i, e)] = e.Error()
		shown[fmt.Sprintf("unwrapped[%d] %T %%#v", i, e)] = fmt.Sprintf("%#v", e)
	}
	var re *rest.Error
	if !errors.As(err, &re) && !errors.Is(err, context.Canceled) {
		t.Errorf("err = %#v, want a *rest.Error", err)
	}
	if re != nil {
		v := reflect.ValueOf(*re)
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			val := v.Field(i).Interface()
			if b, ok := val.([]byte); ok {
				val = string(b)
			}
			shown["Error."+f.Name] = fmt.Sprintf("%v %#v", val, val)
		}
	}
	// The debug log decoded: a JSON handler writes "&" as \u0026.
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil {
			shown["log record"] += fmt.Sprint(rec) + "\n"
		}
	}
	for where, text := range shown {
		checkNoLeak(t, where, text, kind.secrets)
	}
}

// unwrapAll returns every error err wraps, depth first.
func unwrapAll(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if w := u.Unwrap(); w != nil {
				out = append(out, w)
				walk(w)
			}
		case interface{ Unwrap() []error }:
			for _, w := range u.Unwrap() {
				if w != nil {
					out = append(out, w)
					walk(w)
				}
			}
		}
	}
	walk(err)
	return out
}

// checkNoLeak fails when text shows a secret in any encoding of the sweep, or a start of
// one (8 bytes or more) left by a cut.
func checkNoLeak(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	norm := normaliseHex(strings.ReplaceAll(text, redact.Mask, "\x00"))
	for _, s := range secrets {
		for _, e := range sweepEncodings {
			if form := normaliseHex(e.enc(s)); strings.Contains(norm, form) {
				i := strings.Index(norm, form)
				t.Errorf("%s shows %q as %s: ...%q...", where, s, e.name, norm[max(0, i-40):min(len(norm), i+len(form)+40)])
			}
		}
		if i := strings.Index(norm, s[:8]); i >= 0 {
			t.Errorf("%s shows the start %q of %q: ...%q...", where, s[:8], s, norm[max(0, i-40):min(len(norm), i+40)])
		}
	}
}

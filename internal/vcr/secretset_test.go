package vcr

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnaeon/go-vcr/v2/recorder"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/redact"
	"github.com/rosterhq/roster/internal/rest"
)

// WithAuth hands over exactly the authorizer's secrets: auth.Basic's already hold the base64
// of user:password, which WithAuth used to add a second time.
func TestWithAuthAddsNothingToBasic(t *testing.T) {
	s, err := start(filepath.Join(t.TempDir(), "x"), recorder.ModeRecording, WithSource("test"), WithAuth(basicAuth))
	if err != nil {
		t.Fatal(err)
	}
	defer s.discard()
	got, want := s.red.Secrets(), basicAuth.Secrets()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("secrets = %q, want the authorizer's own %q", got, want)
	}
}

// echoServer answers every request with the Basic credentials it got, in the encodings a
// server or proxy produces: the header as sent, the base64 alone, the password with lower-case
// percent escapes, JSON "\/" and "\u" escapes, and as an HTML page.
func echoServer(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok {
			http.Error(w, "no credentials", http.StatusUnauthorized)
			return
		}
		enc := base64.StdEncoding.EncodeToString([]byte(u + ":" + p))
		lower := strings.ToLower(url.QueryEscape(p))
		w.Header().Set("X-Echo-Auth", r.Header.Get("Authorization"))
		w.Header().Set("X-Echo-Pass", lower)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		js, _ := json.Marshal(p)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"message":  "bad credentials " + strings.ReplaceAll(string(js[1:len(js)-1]), "/", `\/`),
			"seen":     enc,
			"query":    "pw=" + lower,
			"user":     u,
			string(js): "a password as a key",
			"html":     "<p>" + strings.ReplaceAll(p, "&", "&amp;") + "</p>",
		})
	}))
}

// A vendor test passes the client's whole secret set, although the client is built after Open:
// the cassette it records holds none of them, in any encoding.
func TestRecordWithClientRedactor(t *testing.T) {
	const user, pass = "svc-reader", "Sommer/2024+Neu&x"
	ts := echoServer(t)
	defer ts.Close()
	for _, tc := range []struct {
		name string
		opt  func(get func() *rest.Client) Option
	}{
		{"WithRedactor", func(get func() *rest.Client) Option {
			return WithRedactor(func() *redact.Redactor {
				if c := get(); c != nil {
					return c.Redactor()
				}
				return nil
			})
		}},
		{"WithSecretSource", func(get func() *rest.Client) Option {
			return WithSecretSource(func() []string {
				if c := get(); c != nil {
					return c.Redactor().Secrets()
				}
				return nil
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "echo")
			var client *rest.Client
			s, err := start(path, recorder.ModeRecording, WithSource("test"), WithRealTransport(ts.Client().Transport),
				tc.opt(func() *rest.Client { return client }))
			if err != nil {
				t.Fatal(err)
			}
			client = newRest(t, ts.URL, s.client(), auth.Basic{Username: user, Password: pass})
			req, err := client.NewRequest(context.Background(), http.MethodGet, "/api/me")
			if err != nil {
				t.Fatal(err)
			}
			if err := client.Do(req, nil); err == nil {
				t.Fatal("no error for a 401")
			}
			// The link is what hides the password: a redactor without it does not.
			if red := redact.New(); red.String(pass) != pass {
				t.Fatal("an empty redactor hides the password")
			}
			if err := s.save(); err != nil {
				t.Fatalf("save: %v", err)
			}
			data, err := os.ReadFile(path + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			assertNoSecret(t, string(data), user, pass)
		})
	}
}

// Without any option, the credentials the requests carried are still scrubbed wherever the
// server echoes them: recording harvests them from the live requests and replies.
func TestRecordHarvestsRequestCredentials(t *testing.T) {
	const user, pass = "svc-reader", "Sommer/2024+Neu&x"
	ts := echoServer(t)
	defer ts.Close()
	path := filepath.Join(t.TempDir(), "echo")
	s, err := start(path, recorder.ModeRecording, WithSource("test"), WithRealTransport(ts.Client().Transport))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/api/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pass)
	resp, err := s.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := s.save(); err != nil {
		t.Fatalf("save: %v", err)
	}
	data, err := os.ReadFile(path + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, string(data), user, pass)
}

// assertNoSecret fails when text holds the password or the Basic credentials in any of the
// encodings the echo server uses.
func assertNoSecret(t *testing.T, text, user, pass string) {
	t.Helper()
	enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	js, _ := json.Marshal(pass)
	for _, form := range []string{pass, enc, strings.TrimRight(enc, "="), url.QueryEscape(pass),
		strings.ToLower(url.QueryEscape(pass)), strings.ReplaceAll(pass, "/", `\/`), string(js[1 : len(js)-1]),
		strings.ReplaceAll(pass, "&", "&amp;"), "Sommer"} {
		if strings.Contains(text, form) {
			t.Errorf("cassette holds the secret as %q", form)
		}
	}
	if !strings.Contains(text, "REDACTED") {
		t.Error("cassette has nothing redacted")
	}
	if t.Failed() {
		t.Logf("cassette:\n%s", text)
	}
}

package auth

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func newRequest(t *testing.T, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestFixedAuthorizers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		a           Authorizer
		header      string
		want        string
		wantSecrets []string
	}{
		{"HeaderToken", HeaderToken{Name: "X-User-Access-Token", Token: "tok-1"}, "X-User-Access-Token", "tok-1", []string{"tok-1"}},
		{"Basic", Basic{Username: "bob", Password: "pä:ss"}, "Authorization", "Basic Ym9iOnDDpDpzcw==", []string{"pä:ss", "Ym9iOnDDpDpzcw==", "Basic Ym9iOnDDpDpzcw=="}},
		{"StaticBearer", StaticBearer{Token: "eyJ.abc"}, "Authorization", "Bearer eyJ.abc", []string{"eyJ.abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, "https://h/x")
			if err := tt.a.Authorize(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Values(tt.header); len(got) != 1 || got[0] != tt.want {
				t.Errorf("%s = %q, want [%q]", tt.header, got, tt.want)
			}
			// Authorizing again (a retry on a clone of the same request) replaces, never adds.
			if err := tt.a.Authorize(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Values(tt.header); len(got) != 1 {
				t.Errorf("after a second Authorize %s = %q, want one value", tt.header, got)
			}
			sh, ok := tt.a.(SecretHolder)
			if !ok {
				t.Fatalf("%T is not a SecretHolder", tt.a)
			}
			if diff := cmp.Diff(tt.wantSecrets, sh.Secrets()); diff != "" {
				t.Errorf("Secrets (-want +got):\n%s", diff)
			}
		})
	}
	// Basic credentials decode back to what was given.
	req := newRequest(t, "https://h/x")
	_ = Basic{Username: "bob", Password: "pä:ss"}.Authorize(context.Background(), req)
	if u, p, ok := req.BasicAuth(); !ok || u != "bob" || p != "pä:ss" {
		t.Errorf("BasicAuth = %q, %q, %v", u, p, ok)
	}
}

// A server that echoes the Authorization header shows base64(user:pass), which decodes to the
// password: Basic reports it, and the whole header value, as secrets.
func TestBasicSecretsCoverTheHeader(t *testing.T) {
	t.Parallel()
	b := Basic{Username: "alice", Password: "s3cr3t/+="}
	req := newRequest(t, "https://h/x")
	if err := b.Authorize(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	header := req.Header.Get("Authorization")
	enc, ok := strings.CutPrefix(header, "Basic ")
	if !ok {
		t.Fatalf("Authorization = %q", header)
	}
	for _, want := range []string{b.Password, enc, header} {
		if !slices.Contains(b.Secrets(), want) {
			t.Errorf("Secrets() = %q, missing %q", b.Secrets(), want)
		}
	}
	if got := (Basic{Username: "alice"}).Secrets(); len(got) != 0 {
		t.Errorf("Secrets() without a password = %q, want none", got)
	}
}

// The interfaces the core relies on are implemented where the design says.
func TestInterfaces(t *testing.T) {
	t.Parallel()
	var (
		_ Refresher      = Bearer{}
		_ Refresher      = (*Session)(nil)
		_ FormAuthorizer = (*Session)(nil)
		_ SecretHolder   = Bearer{}
		_ SecretHolder   = (*Session)(nil)
	)
	var a Authorizer = HeaderToken{}
	if _, ok := a.(Refresher); ok {
		t.Error("a fixed HeaderToken claims it can refresh")
	}
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestBasicLatin1(t *testing.T) {
	t.Parallel()
	b := Basic{Username: "jürgen", Password: "pässwort", Latin1: true}
	req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
	if err := b.Authorize(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("j\xfcrgen:p\xe4sswort"))
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization %q, want %q", got, want)
	}
	if s := b.Secrets(); len(s) != 3 || s[2] != want {
		t.Errorf("Secrets %q miss the header sent", s)
	}
	if !FitsLatin1("jürgen") || FitsLatin1("пароль") {
		t.Error("FitsLatin1 is wrong")
	}
}

package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// counter returns a Login that hands out tok-1, tok-2, ... and counts its calls.
func counter() (func(context.Context) (string, error), *atomic.Int64) {
	var n atomic.Int64
	return func(context.Context) (string, error) {
		return fmt.Sprintf("tok-%d", n.Add(1)), nil
	}, &n
}

func TestSessionLogsInOnceAndCaches(t *testing.T) {
	t.Parallel()
	login, n := counter()
	s := &Session{Login: login, Where: InHeader, Key: "X-Session"}
	for range 3 {
		tok, err := s.Token(t.Context())
		if err != nil || tok != "tok-1" {
			t.Fatalf("Token = %q, %v; want tok-1", tok, err)
		}
	}
	if n.Load() != 1 {
		t.Errorf("%d logins, want 1", n.Load())
	}
}

func TestSessionConcurrentCallersOneLogin(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var n atomic.Int64
	s := &Session{Login: func(context.Context) (string, error) {
		<-release
		return fmt.Sprintf("tok-%d", n.Add(1)), nil
	}}
	const callers = 32
	var started, done sync.WaitGroup
	got := make([]string, callers)
	for i := range callers {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			started.Done()
			got[i], _ = s.Token(t.Context())
		}()
	}
	started.Wait()
	close(release)
	done.Wait()
	for i, tok := range got {
		if tok != "tok-1" {
			t.Errorf("caller %d got %q, want tok-1", i, tok)
		}
	}
	if n.Load() != 1 {
		t.Errorf("%d logins for %d concurrent callers, want 1", n.Load(), callers)
	}
}

func TestSessionRefresh(t *testing.T) {
	t.Parallel()
	login, n := counter()
	s := &Session{Login: login, Known: []string{"the-password"}}
	if _, err := s.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	gen := s.Generation()
	if err := s.Refresh(t.Context(), gen); err != nil {
		t.Fatal(err)
	}
	if tok, _ := s.Token(t.Context()); tok != "tok-2" {
		t.Errorf("after Refresh: %q, want tok-2", tok)
	}
	// Another caller that saw the old generation must not throw away the new token.
	if err := s.Refresh(t.Context(), gen); err != nil {
		t.Fatal(err)
	}
	if tok, _ := s.Token(t.Context()); tok != "tok-2" {
		t.Errorf("after a stale Refresh: %q, want tok-2", tok)
	}
	if n.Load() != 2 {
		t.Errorf("%d logins, want 2", n.Load())
	}
	if diff := cmp.Diff([]string{"tok-2", "tok-1", "the-password"}, s.Secrets()); diff != "" {
		t.Errorf("Secrets (-want +got):\n%s", diff)
	}
}

func TestSessionLoginFailures(t *testing.T) {
	t.Parallel()
	boom := errors.New("login refused")
	if _, err := (&Session{Login: func(context.Context) (string, error) { return "", boom }}).Token(t.Context()); !errors.Is(err, boom) {
		t.Errorf("Token = %v, want the login error", err)
	}
	if _, err := (&Session{Login: func(context.Context) (string, error) { return "", nil }}).Token(t.Context()); err == nil {
		t.Error("an empty session token was accepted")
	}
	if _, err := (&Session{}).Token(t.Context()); err == nil {
		t.Error("a Session without Login produced a token")
	}
	// A failed login is not cached: the next call tries again.
	var n atomic.Int64
	s := &Session{Login: func(context.Context) (string, error) {
		if n.Add(1) == 1 {
			return "", boom
		}
		return "tok", nil
	}}
	_, _ = s.Token(t.Context())
	if tok, err := s.Token(t.Context()); err != nil || tok != "tok" {
		t.Errorf("second Token = %q, %v; want tok", tok, err)
	}
}

func TestSessionPlacement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		where       Placement
		target      string
		formBody    bool
		wantURL     string
		wantHeader  string
		wantFormTok bool
	}{
		{"header", InHeader, "https://h/api?a=1", false, "https://h/api?a=1", "tok-1", false},
		{"query", InQuery, "https://h/api", false, "https://h/api?sessiontoken=tok-1", "", false},
		{"query keeps the literal query", InQuery, "https://h/global/api/?method=add&x=a%20b&flag", false,
			"https://h/global/api/?method=add&x=a%20b&flag&sessiontoken=tok-1", "", false},
		{"query replaces a stale token", InQuery, "https://h/api?sessiontoken=old&method=get", false,
			"https://h/api?method=get&sessiontoken=tok-1", "", false},
		{"form without a form body goes to the query", InForm, "https://h/api?method=get", false,
			"https://h/api?method=get&sessiontoken=tok-1", "", false},
		{"form body", InForm, "https://h/api?method=add", true, "https://h/api?method=add", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			login, _ := counter()
			s := &Session{Login: login, Where: tt.where, Key: "sessiontoken"}
			if tt.where == InHeader {
				s.Key = "X-Session"
			}
			var body *strings.Reader
			method := http.MethodGet
			if tt.formBody {
				body, method = strings.NewReader("a=1"), http.MethodPost
			}
			var req *http.Request
			var err error
			if body != nil {
				req, err = http.NewRequestWithContext(t.Context(), method, tt.target, body)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			} else {
				req, err = http.NewRequestWithContext(t.Context(), method, tt.target, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Authorize(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			if got := req.URL.String(); got != tt.wantURL {
				t.Errorf("URL = %s, want %s", got, tt.wantURL)
			}
			if got := req.Header.Get("X-Session"); got != tt.wantHeader {
				t.Errorf("X-Session = %q, want %q", got, tt.wantHeader)
			}
			form := url.Values{"a": {"1"}}
			if err := s.AuthorizeForm(t.Context(), form); err != nil {
				t.Fatal(err)
			}
			want := url.Values{"a": {"1"}}
			if tt.where == InForm {
				want.Set("sessiontoken", "tok-1")
			}
			if diff := cmp.Diff(want, form); diff != "" {
				t.Errorf("AuthorizeForm (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSessionCancelledWhileWaitingForLogin(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	entered := make(chan struct{})
	s := &Session{Login: func(context.Context) (string, error) {
		close(entered)
		<-release
		return "tok", nil
	}}
	defer close(release)
	go func() { _, _ = s.Token(context.Background()) }()
	<-entered
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Token = %v, want context.Canceled", err)
	}
}

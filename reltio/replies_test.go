package reltio_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

// replyServer answers every request with status and body.
func replyServer(t *testing.T, status int, body string) *reltio.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := reltio.NewClient(reltio.Config{AuthURL: srv.URL + "/oauth", Customer: "C", AccessToken: "static-token", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLenientReplies(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	u := reltio.User{Username: "a@example.com", Email: "a@example.com", Customer: "C"}

	// A 201 without a body: the users as sent.
	got, err := replyServer(t, 201, "").Users.Create(ctx, []reltio.User{u})
	if err != nil || len(got) != 1 || got[0].Username != "a@example.com" {
		t.Errorf("empty create reply: %v, %v", got, err)
	}
	// A 201 whose body is no user: created, but unreadable.
	_, err = replyServer(t, 201, `"done"`).Users.Create(ctx, []reltio.User{u})
	var e *reltio.Error
	if !errors.Is(err, reltio.ErrMaybeApplied) || !errors.As(err, &e) {
		t.Errorf("odd create reply: %v", err)
	}
	// A 200 without a user to a read.
	if _, err := replyServer(t, 200, "{}").Users.Get(ctx, "a@example.com"); !errors.As(err, &e) || errors.Is(err, reltio.ErrMaybeApplied) {
		t.Errorf("empty user: %v", err)
	}
	// A 200 without a user to an update: the change went through, the user as sent.
	upd, err := replyServer(t, 200, "").Users.Update(ctx, "a@example.com", u)
	if err != nil || upd.Username != "a@example.com" {
		t.Errorf("empty update reply: %v, %v", upd, err)
	}
	// Deletes and revocations accept any 2xx body.
	if err := replyServer(t, 200, "OK").Users.Delete(ctx, "a@example.com"); err != nil {
		t.Errorf("plain-text delete reply: %v", err)
	}
	// A 404 sent as text/plain JSON is still read.
	_, err = replyServer(t, 404, `{"errorCode":404,"errorMessage":"User a@example.com is not found"}`).Users.Get(ctx, "a@example.com")
	if !errors.As(err, &e) || e.Message != "User a@example.com is not found" || !errors.Is(err, reltio.ErrNotFound) {
		t.Errorf("404: %v", err)
	}
}

func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{Username: "jane@example.com", Email: "jane@example.com", Password: "user-Pa55word"}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := testClient(t, srv, func(cfg *reltio.Config) {
		cfg.Logger = logger
		cfg.Username, cfg.Password = "jane@example.com", "user-Pa55word"
	})
	ctx := t.Context()
	if _, err := c.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	tok, _ := c.Tokens.Token(ctx)
	srv.ExpireTokens()
	if _, err := c.Users.Create(ctx, []reltio.User{{Username: "x@example.com", Email: "x@example.com", Password: "new-Pa55word"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tokens.Revoke(ctx, tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "/oauth/token") || !strings.Contains(out, "status=401") {
		t.Fatalf("the log misses the calls:\n%s", out)
	}
	for _, secret := range []string{tok.AccessToken, srv.ClientSecret, "user-Pa55word", "new-Pa55word"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

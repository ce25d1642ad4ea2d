package rest

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/fake"
)

// records decodes JSON log lines, dropping the fields that vary from run to run.
func records(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if _, ok := m["duration"]; !ok {
			t.Errorf("log record without duration: %s", sc.Text())
		}
		delete(m, "time")
		delete(m, "duration")
		out = append(out, m)
	}
	return out
}

func TestLogOneRecordPerAttempt(t *testing.T) {
	t.Parallel()
	kit := fake.NewKit(nil)
	kit.Inject(fake.Fault{Status: http.StatusServiceUnavailable, Count: 2})
	srv := newServer(t, kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]string{"secret": "never logged"})
	})))
	var logs syncBuffer
	client, _ := newTestClient(t, srv.URL, Config{
		Vendor: "relution",
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Retry:  quickRetry,
	})
	req := mustRequest(t, client, t.Context(), http.MethodGet, "/api/users/{id}", "u 1")
	if err := req.SetQuery(url.Values{"sessiontoken": {"st-1"}, "limit": {"5"}}); err != nil {
		t.Fatal(err)
	}
	if err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	wantURL := srv.URL + "/api/users/u%201?limit=5&sessiontoken=REDACTED"
	rec := func(attempt, status int) map[string]any {
		return map[string]any{
			"level": "DEBUG", "msg": "roster http attempt", "vendor": "relution", "method": "GET",
			"url": wantURL, "attempt": float64(attempt), "status": float64(status),
		}
	}
	want := []map[string]any{rec(1, 503), rec(2, 503), rec(3, 200)}
	if diff := cmp.Diff(want, records(t, logs.String())); diff != "" {
		t.Errorf("log records (-want +got):\n%s", diff)
	}
	if strings.Contains(logs.String(), "never logged") || strings.Contains(logs.String(), "st-1") {
		t.Errorf("the log shows a body or a secret:\n%s", logs.String())
	}
}

func TestLogTransportError(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	client, _ := newTestClient(t, "http://"+closedAddr(t), Config{
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Retry:  RetryPolicy{MaxAttempts: 2, MinWait: 1, MaxWait: 1},
	})
	if err := client.Do(mustRequest(t, client, t.Context(), http.MethodPost, "/x"), nil); err == nil {
		t.Fatal("Do against a closed port succeeded")
	}
	recs := records(t, logs.String())
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2 (a dial failure is retried even for a write):\n%s", len(recs), logs.String())
	}
	for i, r := range recs {
		if _, ok := r["status"]; ok {
			t.Errorf("record %d has a status without a reply: %v", i, r)
		}
		if e, _ := r["error"].(string); !strings.Contains(e, "refused") {
			t.Errorf("record %d error = %q, want the dial error", i, e)
		}
		if r["attempt"] != float64(i+1) {
			t.Errorf("record %d attempt = %v", i, r["attempt"])
		}
	}
}

// Without a logger, or with one above Debug, nothing is logged and nothing breaks.
func TestLogSilent(t *testing.T) {
	t.Parallel()
	kit := fake.NewKit(nil)
	kit.Inject(fake.Fault{Status: http.StatusServiceUnavailable, Count: 1})
	srv := newServer(t, kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]int{"n": 1})
	})))
	var logs syncBuffer
	for _, l := range []*slog.Logger{nil, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))} {
		client, _ := newTestClient(t, srv.URL, Config{Logger: l, Retry: quickRetry})
		var out struct{ N int }
		if err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/x"), &out); err != nil || out.N != 1 {
			t.Errorf("logger %v: Do = %v, out %+v", l, err, out)
		}
	}
	if logs.String() != "" {
		t.Errorf("an Info logger got records:\n%s", logs.String())
	}
}

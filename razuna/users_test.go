package razuna_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/razuna"
	"github.com/rosterhq/roster/razuna/razunatest"
)

var fastRetry = razuna.RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

func fakeClient(t *testing.T, srv *razunatest.Server, mod ...func(*razuna.Config)) *razuna.Client {
	t.Helper()
	cfg := razuna.Config{BaseURL: srv.URL, HostID: srv.HostID, Username: srv.Username, Password: srv.Password,
		APIKey: srv.APIKey, Retry: fastRetry}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := razuna.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// calls counts the logged requests to a v1 method.
func calls(srv *razunatest.Server, method string) int {
	n := 0
	for _, r := range srv.Kit().Requests() {
		if r.Query.Get("method") == method {
			n++
		}
	}
	return n
}

func form(t *testing.T, r razunatest.Request) url.Values {
	t.Helper()
	v, err := url.ParseQuery(string(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func upperMD5(s string) string {
	sum := md5.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

var jdoe = razuna.NewUser{FirstName: "John", LastName: "Doe", Email: "john@doe.com", LoginName: "jdoe",
	Password: "john1doe", Active: true, GroupID: razuna.GroupAdministrator}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer(razunatest.WithContextPath("/razuna"))
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := t.Context()
	if _, err := c.Users.Add(ctx, jdoe); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Update(ctx, razuna.UserByLoginName("jdoe"), razuna.UserData{Email: razuna.Ptr("x@y")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Delete(ctx, razuna.UserByEmail("x@y")); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Kit().Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want login, add, update, delete", len(reqs))
	}
	tok := form(t, reqs[1]).Get("sessiontoken")
	want := []struct {
		path, method string
		form         url.Values
	}{
		{"/razuna/global/api/authentication.cfc", "login", url.Values{"hostid": {"1"}, "user": {"admin"}, "pass": {"admin"},
			"passhashed": {"0"}, "__BDRETURNFORMAT": {"plain"}}},
		{"/razuna/global/api/user.cfc", "add", url.Values{"sessiontoken": {tok}, "user_first_name": {"John"},
			"user_last_name": {"Doe"}, "user_email": {"john@doe.com"}, "user_name": {"jdoe"}, "user_pass": {"john1doe"},
			"user_active": {"T"}, "groupid": {"2"}, "__BDRETURNFORMAT": {"plain"}}},
		{"/razuna/global/api/user.cfc", "update", url.Values{"sessiontoken": {tok}, "userid": {""}, "userloginname": {"jdoe"},
			"useremail": {""}, "userdata": {`[["user_email","x@y"]]`}, "__BDRETURNFORMAT": {"plain"}}},
		{"/razuna/global/api/user.cfc", "delete", url.Values{"sessiontoken": {tok}, "userid": {""}, "userloginname": {""},
			"useremail": {"x@y"}, "__BDRETURNFORMAT": {"plain"}}},
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != http.MethodPost || r.Path != w.path {
			t.Errorf("request %d: %s %s, want POST %s", i, r.Method, r.Path, w.path)
		}
		// method only in the query, and nothing else there: no credential in a URL.
		if diff := cmp.Diff(url.Values{"method": {w.method}}, r.Query); diff != "" {
			t.Errorf("request %d query (-want +got):\n%s", i, diff)
		}
		if diff := cmp.Diff(w.form, form(t, r)); diff != "" {
			t.Errorf("request %d form (-want +got):\n%s", i, diff)
		}
	}
	if len(tok) != 32 {
		t.Errorf("token %q", tok)
	}
}

func TestUpdatePasswordStoresUpperMD5(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := t.Context()
	if _, err := c.Users.Add(ctx, jdoe); err != nil {
		t.Fatal(err)
	}
	if u, _ := srv.User("jdoe"); u.PasswordHash != upperMD5("john1doe") {
		t.Errorf("after add: hash %s", u.PasswordHash)
	}
	if _, err := c.Users.Update(ctx, razuna.UserByLoginName("JDOE"), razuna.UserData{Password: razuna.Ptr("n3w Sécret")}); err != nil {
		t.Fatal(err)
	}
	u, _ := srv.User("jdoe")
	if u.PasswordHash != upperMD5("n3w Sécret") {
		t.Errorf("stored hash %s, want %s", u.PasswordHash, upperMD5("n3w Sécret"))
	}
	// The user logs in with the new password.
	me := fakeClient(t, srv, func(cfg *razuna.Config) { cfg.Username, cfg.Password = "jdoe", "n3w Sécret" })
	got, err := me.Users.Get(ctx)
	if err != nil || got.LoginName != "jdoe" {
		t.Errorf("getuser as jdoe: %+v, %v", got, err)
	}
}

func TestSessionExpiryMidRun(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := t.Context()
	if _, err := c.Users.Get(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ExpireSessions()
	if _, err := c.Users.Add(ctx, jdoe); err != nil {
		t.Fatal(err)
	}
	if n := calls(srv, "login"); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
	if n := calls(srv, "add"); n != 2 {
		t.Errorf("add sent %d times, want 2 (timed out, then resent)", n)
	}
	if n := len(srv.Users()); n != 2 {
		t.Errorf("%d users, want admin and jdoe", n)
	}
}

// TestSessionTimeoutForever: a server that keeps answering Session timeout gets one new
// login and one resend, then the call fails.
func TestSessionTimeoutForever(t *testing.T) {
	t.Parallel()
	var logins, getusers atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		if r.URL.Query().Get("method") == "login" {
			logins.Add(1)
			fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<responsecode>0</responsecode>\n<sessiontoken>%032X</sessiontoken>\n</Response>\n", logins.Load())
			return
		}
		getusers.Add(1)
		io.WriteString(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<responsecode>1</responsecode>\n<message>Session timeout</message>\n</Response>\n")
	}))
	defer srv.Close()
	c, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, HostID: 1, Username: "admin", Password: "admin", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Get(t.Context())
	var e *razuna.Error
	if !errors.Is(err, razuna.ErrUnauthorized) || !errors.As(err, &e) || e.Message != "Session timeout" {
		t.Errorf("err = %v", err)
	}
	if logins.Load() != 2 || getusers.Load() != 2 {
		t.Errorf("%d logins, %d getusers; want 2 and 2", logins.Load(), getusers.Load())
	}
}

func TestRestartRule(t *testing.T) {
	t.Parallel()
	t.Run("getuser logs in again", func(t *testing.T) {
		t.Parallel()
		srv := razunatest.NewServer()
		defer srv.Close()
		c := fakeClient(t, srv)
		if _, err := c.Users.Get(t.Context()); err != nil {
			t.Fatal(err)
		}
		srv.Restart()
		u, err := c.Users.Get(t.Context())
		if err != nil || u.ID != razunatest.AdminID {
			t.Fatalf("getuser: %+v, %v", u, err)
		}
		if calls(srv, "login") != 2 || calls(srv, "getuser") != 3 {
			t.Errorf("%d logins, %d getusers; want 2 and 3", calls(srv, "login"), calls(srv, "getuser"))
		}
	})
	t.Run("add logs in again", func(t *testing.T) {
		t.Parallel()
		srv := razunatest.NewServer()
		defer srv.Close()
		c := fakeClient(t, srv)
		if _, err := c.Users.Get(t.Context()); err != nil {
			t.Fatal(err)
		}
		srv.Restart()
		if _, err := c.Users.Add(t.Context(), jdoe); err != nil {
			t.Fatal(err)
		}
		if calls(srv, "login") != 2 || calls(srv, "add") != 2 || len(srv.Users()) != 2 {
			t.Errorf("%d logins, %d adds, %d users; want 2, 2, 2", calls(srv, "login"), calls(srv, "add"), len(srv.Users()))
		}
	})
	t.Run("delete may have been applied", func(t *testing.T) {
		t.Parallel()
		srv := razunatest.NewServer()
		defer srv.Close()
		c := fakeClient(t, srv)
		if _, err := c.Users.Add(t.Context(), jdoe); err != nil {
			t.Fatal(err)
		}
		srv.Restart()
		_, err := c.Users.Delete(t.Context(), razuna.UserByLoginName("jdoe"))
		if !errors.Is(err, razuna.ErrMaybeApplied) {
			t.Fatalf("delete: %v", err)
		}
		if calls(srv, "delete") != 1 || calls(srv, "login") != 1 {
			t.Errorf("delete sent %d times after %d logins; want once, no new login", calls(srv, "delete"), calls(srv, "login"))
		}
		if u, ok := srv.User("jdoe"); !ok || len(u.Hosts) != 0 {
			t.Errorf("half-deleted user: %+v, %v", u, ok)
		}
		// The stale session was dropped: the next delete logs in and finishes.
		if _, err := c.Users.Delete(t.Context(), razuna.UserByLoginName("jdoe")); err != nil {
			t.Fatal(err)
		}
		if _, ok := srv.User("jdoe"); ok || calls(srv, "login") != 2 {
			t.Errorf("user still there (%v) or %d logins", ok, calls(srv, "login"))
		}
	})
	t.Run("update is not affected", func(t *testing.T) {
		t.Parallel()
		srv := razunatest.NewServer()
		defer srv.Close()
		c := fakeClient(t, srv)
		if _, err := c.Users.Add(t.Context(), jdoe); err != nil {
			t.Fatal(err)
		}
		srv.Restart()
		if _, err := c.Users.Update(t.Context(), razuna.UserByLoginName("jdoe"), razuna.UserData{LastName: razuna.Ptr("Roe")}); err != nil {
			t.Fatal(err)
		}
		if calls(srv, "login") != 1 {
			t.Errorf("%d logins", calls(srv, "login"))
		}
	})
}

// TestErrorPageOnAddMayBeApplied: an exception page after an add (the server creates the
// user before it fails on the group) is ErrMaybeApplied and never resent, not even after a
// new login.
func TestErrorPageOnAddMayBeApplied(t *testing.T) {
	t.Parallel()
	var adds atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("method") == "login" {
			io.WriteString(w, "<Response><responsecode>0</responsecode><sessiontoken>0123456789ABCDEF0123456789ABCDEF</sessiontoken></Response>")
			return
		}
		adds.Add(1)
		w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
		io.WriteString(w, "<Response><error><message><![CDATA[General SQL Error]]></message><errorcode><![CDATA[errorCode.sqlError]]></errorcode><detail><![CDATA[x]]></detail></error></Response>")
	}))
	defer srv.Close()
	c, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, HostID: 1, Username: "admin", Password: "admin", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Add(t.Context(), jdoe)
	var e *razuna.Error
	if !errors.Is(err, razuna.ErrMaybeApplied) || !errors.As(err, &e) || e.Code != "errorCode.sqlError" || e.Message != "General SQL Error" {
		t.Errorf("err = %v", err)
	}
	if adds.Load() != 1 {
		t.Errorf("add sent %d times", adds.Load())
	}
}

func TestNoSecretsInErrorsLogsOrURLs(t *testing.T) {
	t.Parallel()
	const password, apiKey = "B0ss-Passw0rd", "5EC2E7AP1KEY0000000000000000B055"
	srv := razunatest.NewServer(razunatest.WithUsers(razunatest.SeedUser{LoginName: "boss", Email: "boss@example.com",
		FirstName: "Big", LastName: "Boss", Password: password, Groups: []string{"1"}, APIKey: apiKey}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := fakeClient(t, srv, func(cfg *razuna.Config) {
		cfg.Logger, cfg.Username, cfg.Password, cfg.APIKey = logger, "boss", password, apiKey
	})
	ctx := t.Context()
	var errs []error
	note := func(_ any, err error) { errs = append(errs, err) }
	note(c.Users.Add(ctx, jdoe))
	note(c.Users.Add(ctx, jdoe)) // conflict
	note(c.Users.Update(ctx, razuna.UserByLoginName("nobody"), razuna.UserData{Password: razuna.Ptr("n3wSecret")}))
	note(c.Users.Update(ctx, razuna.UserByLoginName("jdoe"), razuna.UserData{Password: razuna.Ptr("n3wSecret")}))
	srv.ExpireSessions()
	note(c.Users.Get(ctx))
	note(c.Authentication.Login(ctx, 1, "admin", "wrong-password"))
	note(c.UsersV2.Update(ctx, razuna.UserByLoginName("nobody"), razuna.UserData{Password: razuna.Ptr("n3wSecret")}))
	bad := fakeClient(t, srv, func(cfg *razuna.Config) { cfg.APIKey = "0BADC0DE0BADC0DE0BADC0DE0BADC0DE"; cfg.Logger = logger })
	note(bad.UsersV2.Get(ctx))

	secrets := []string{password, upperMD5(password), strings.ToLower(upperMD5(password)),
		"john1doe", "n3wSecret", upperMD5("n3wSecret"), "wrong-password", apiKey, "0BADC0DE0BADC0DE0BADC0DE0BADC0DE"}
	for _, r := range srv.Kit().Requests() {
		f := form(t, r)
		for _, k := range []string{"sessiontoken", "pass", "user_pass", "api_key"} {
			if v := f.Get(k); v != "" && !slices.Contains(secrets, v) {
				secrets = append(secrets, v)
			}
		}
		for k := range r.Query {
			if k != "method" {
				t.Errorf("%s %s: query parameter %q", r.Method, r.Path, k)
			}
		}
	}
	var text strings.Builder
	text.WriteString(logs.String())
	failures := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		failures++
		fmt.Fprintf(&text, "%v\n%+v\n", err, err)
		var e *razuna.Error
		if errors.As(err, &e) {
			fmt.Fprintf(&text, "%s %s %s %s %s %v\n", e.URL, e.Code, e.Message, e.Detail, e.Body, e.Header)
		}
	}
	if failures < 4 || logs.Len() == 0 {
		t.Fatalf("%d failures, %d bytes of logs: the test saw too little", failures, logs.Len())
	}
	for _, s := range secrets {
		if strings.Contains(text.String(), s) {
			t.Errorf("secret %q shown:\n%s", s, text.String())
		}
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := t.Context()
	with := func(f func(*razuna.NewUser)) razuna.NewUser { u := jdoe; f(&u); return u }
	adds := map[string]razuna.NewUser{
		"no group":          with(func(u *razuna.NewUser) { u.GroupID = "" }),
		"group name":        with(func(u *razuna.NewUser) { u.GroupID = "Administrators" }),
		"empty first name":  with(func(u *razuna.NewUser) { u.FirstName = "" }),
		"blank email":       with(func(u *razuna.NewUser) { u.Email = "  " }),
		"no login":          with(func(u *razuna.NewUser) { u.LoginName = "" }),
		"long login":        with(func(u *razuna.NewUser) { u.LoginName = strings.Repeat("x", 51) }),
		"short password":    with(func(u *razuna.NewUser) { u.Password = "x" }),
		"control character": with(func(u *razuna.NewUser) { u.LastName = "Doe\n" }),
	}
	for name, u := range adds {
		if _, err := c.Users.Add(ctx, u); !errors.Is(err, razuna.ErrInvalidInput) {
			t.Errorf("add %s: %v", name, err)
		}
	}
	var empty razuna.UserRef
	updates := map[string]struct {
		ref  razuna.UserRef
		data razuna.UserData
	}{
		"zero ref":       {empty, razuna.UserData{FirstName: razuna.Ptr("X")}},
		"empty id":       {razuna.UserByID(""), razuna.UserData{FirstName: razuna.Ptr("X")}},
		"no field":       {razuna.UserByID("1"), razuna.UserData{}},
		"no groups":      {razuna.UserByID("1"), razuna.UserData{GroupIDs: []string{}}},
		"empty group":    {razuna.UserByID("1"), razuna.UserData{GroupIDs: []string{"2", ""}}},
		"group none":     {razuna.UserByID("1"), razuna.UserData{GroupIDs: []string{razuna.NoGroup}}},
		"empty email":    {razuna.UserByID("1"), razuna.UserData{Email: razuna.Ptr("")}},
		"long login":     {razuna.UserByID("1"), razuna.UserData{LoginName: razuna.Ptr(strings.Repeat("ü", 51))}},
		"short password": {razuna.UserByID("1"), razuna.UserData{Password: razuna.Ptr("abc")}},
	}
	for name, tt := range updates {
		if _, err := c.Users.Update(ctx, tt.ref, tt.data); !errors.Is(err, razuna.ErrInvalidInput) {
			t.Errorf("update %s: %v", name, err)
		}
	}
	if _, err := c.Users.Delete(ctx, empty); !errors.Is(err, razuna.ErrInvalidInput) {
		t.Errorf("delete zero ref: %v", err)
	}
	if _, err := c.UsersV2.Add(ctx, with(func(u *razuna.NewUser) { u.GroupID = razuna.GroupSystemAdmin })); !errors.Is(err, razuna.ErrInvalidInput) {
		t.Errorf("v2 add to SystemAdmin: %v", err)
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
	// A 50-character login name is fine.
	if _, err := c.Users.Add(ctx, with(func(u *razuna.NewUser) { u.LoginName = strings.Repeat("ü", 50) })); err != nil {
		t.Errorf("50 characters: %v", err)
	}
}

func TestNewClientConfig(t *testing.T) {
	t.Parallel()
	bad := map[string]razuna.Config{
		"no base":        {HostID: 1, Username: "a", Password: "secret"},
		"no credentials": {BaseURL: "http://x"},
		"no host":        {BaseURL: "http://x", Username: "a", Password: "secret"},
		"both hosts":     {BaseURL: "http://x", HostID: 1, HostName: "demo.razuna.com", Username: "a", Password: "secret"},
		"dotless host":   {BaseURL: "http://x", HostName: "demo", Username: "a", Password: "secret"},
		"no password":    {BaseURL: "http://x", HostID: 1, Username: "a"},
		"short api key":  {BaseURL: "http://x", APIKey: "k"},
	}
	for name, cfg := range bad {
		if _, err := razuna.NewClient(cfg); !errors.Is(err, razuna.ErrInvalidInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// v1 calls on a v2-only client, and the other way round, are refused before sending.
	c, err := razuna.NewClient(razuna.Config{BaseURL: "http://127.0.0.1:1", APIKey: "0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(t.Context()); !errors.Is(err, razuna.ErrInvalidInput) {
		t.Errorf("v1 without login: %v", err)
	}
	c, err = razuna.NewClient(razuna.Config{BaseURL: "http://127.0.0.1:1", HostID: 1, Username: "a", Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UsersV2.Get(t.Context()); !errors.Is(err, razuna.ErrInvalidInput) {
		t.Errorf("v2 without key: %v", err)
	}
}

// TestWDDXFallback: a server that ignores __BDRETURNFORMAT=plain answers WDDX, which the
// client decodes as well.
func TestWDDXFallback(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		if r.URL.Query().Get("method") == "login" {
			io.WriteString(w, "<wddxPacket version='1.0'><header></header><data><string>&lt;?xml version=\"1.0\" encoding=\"UTF-8\"?&gt;<char code='0a'/>&lt;Response&gt;<char code='0a'/>&lt;responsecode&gt;0&lt;/responsecode&gt;<char code='0a'/>&lt;sessiontoken&gt;0000DEADBEEF00000000000000000004&lt;/sessiontoken&gt;<char code='0a'/>&lt;/Response&gt;<char code='0a'/><char code='09'/><char code='09'/><char code='09'/></string></data></wddxPacket>")
			return
		}
		io.WriteString(w, "<wddxPacket version='1.0'><header></header><data><string>&lt;?xml version=\"1.0\" encoding=\"UTF-8\"?&gt;<char code='0a'/>&lt;Response&gt;<char code='0a'/>&lt;responsecode&gt;0&lt;/responsecode&gt;<char code='0a'/>&lt;userid&gt;1&lt;/userid&gt;<char code='0a'/>&lt;loginname&gt;admin&lt;/loginname&gt;<char code='0a'/>&lt;email&gt;admin@example.com&lt;/email&gt;<char code='0a'/>&lt;firstname&gt;J&amp;#xfc;rgen&lt;/firstname&gt;<char code='0a'/>&lt;lastname&gt;Administrator&lt;/lastname&gt;<char code='0a'/>&lt;/Response&gt;<char code='0a'/><char code='09'/><char code='09'/><char code='09'/><char code='09'/></string></data></wddxPacket>")
	}))
	defer srv.Close()
	c, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, HostID: 1, Username: "admin", Password: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Users.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&razuna.User{ID: "1", LoginName: "admin", Email: "admin@example.com", FirstName: "Jürgen", LastName: "Administrator"}, u); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestConcurrentCallsShareOneLogin: calls that start together wait for one login.
func TestConcurrentCallsShareOneLogin(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := c.Users.Get(t.Context())
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := calls(srv, "login"); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// TestNotAReply: a 2xx body of another shape is an error, ErrMaybeApplied after a write.
func TestNotAReply(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("method") == "login" {
			io.WriteString(w, "<Response><responsecode>0</responsecode><sessiontoken>0123456789ABCDEF0123456789ABCDEF</sessiontoken></Response>")
			return
		}
		io.WriteString(w, "<html><body>Welcome to our proxy</body></html>")
	}))
	defer srv.Close()
	c, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, HostID: 1, Username: "admin", Password: "admin", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(t.Context()); err == nil || errors.Is(err, razuna.ErrMaybeApplied) {
		t.Errorf("getuser: %v", err)
	}
	if _, err := c.Users.Delete(t.Context(), razuna.UserByID("7")); !errors.Is(err, razuna.ErrMaybeApplied) {
		t.Errorf("delete: %v", err)
	}
}

// TestFaults: a 503 on getuser (a read) is retried; on add (a write) it is not, and a reply
// lost after the user was created is ErrMaybeApplied.
func TestFaults(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := t.Context()
	srv.Kit().Inject(razunatest.Fault{Path: "/global/api/user.cfc", Query: "method=getuser", Status: 503, Count: 2})
	if _, err := c.Users.Get(ctx); err != nil {
		t.Fatalf("getuser after two 503s: %v", err)
	}
	srv.Kit().Inject(razunatest.Fault{Path: "/global/api/user.cfc", Query: "method=add", Status: 503})
	if _, err := c.Users.Add(ctx, jdoe); !errors.Is(err, razuna.ErrMaybeApplied) || !errors.Is(err, razuna.ErrUnavailable) {
		t.Errorf("add answered 503: %v", err)
	}
	srv.Kit().Inject(razunatest.Fault{Path: "/global/api/user.cfc", Query: "method=add", DropAfterApply: true})
	if _, err := c.Users.Add(ctx, jdoe); !errors.Is(err, razuna.ErrMaybeApplied) {
		t.Errorf("add with a lost reply: %v", err)
	}
	if calls(srv, "getuser") != 3 || calls(srv, "add") != 2 {
		t.Errorf("%d getusers, %d adds; want 3 and 2", calls(srv, "getuser"), calls(srv, "add"))
	}
	if _, ok := srv.User("jdoe"); !ok {
		t.Error("the add whose reply was lost created no user")
	}
}

func TestLoginByHostName(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, func(cfg *razuna.Config) { cfg.HostID, cfg.HostName = 0, razunatest.HostName })
	if u, err := c.Users.Get(t.Context()); err != nil || u.LoginName != "admin" {
		t.Fatalf("getuser: %+v, %v", u, err)
	}
	if calls(srv, "loginhost") != 1 || calls(srv, "login") != 0 {
		t.Errorf("%d loginhost, %d login calls", calls(srv, "loginhost"), calls(srv, "login"))
	}
	if r := srv.Kit().Requests()[0]; form(t, r).Get("hostname") != razunatest.HostName {
		t.Errorf("loginhost form %s", r.Body)
	}
}

func TestAddPermissions(t *testing.T) {
	t.Parallel()
	srv := razunatest.NewServer(razunatest.WithUsers(
		razunatest.SeedUser{LoginName: "admin2", Email: "a2@example.com", FirstName: "A", LastName: "Two",
			Password: "admin2-pw", Groups: []string{razunatest.GroupAdministrator}},
		razunatest.SeedUser{LoginName: "dual", Email: "dual@example.com", FirstName: "D", LastName: "Ual",
			Password: "dual-pw", Groups: []string{razunatest.GroupAdministrator, razunatest.GroupSystemAdmin}},
		razunatest.SeedUser{LoginName: "plain", Email: "plain@example.com", FirstName: "P", LastName: "Lain",
			Password: "plain-pw"},
	))
	defer srv.Close()
	as := func(user, pw string) *razuna.Client {
		return fakeClient(t, srv, func(cfg *razuna.Config) { cfg.Username, cfg.Password = user, pw })
	}
	if _, err := as("admin2", "admin2-pw").Users.Add(t.Context(), jdoe); err != nil {
		t.Errorf("Administrator adds: %v", err)
	}
	_, err := as("dual", "dual-pw").Users.Add(t.Context(), razuna.NewUser{FirstName: "A", LastName: "B", Email: "a@b.c",
		LoginName: "ab", Password: "ab-pw", Active: true, GroupID: razuna.NoGroup})
	if !errors.Is(err, razuna.ErrForbidden) || errors.Is(err, razuna.ErrMaybeApplied) {
		t.Errorf("dual adds: %v", err)
	}
	if _, err := as("plain", "plain-pw").Users.Get(t.Context()); !errors.Is(err, razuna.ErrUnauthorized) {
		t.Errorf("a user in no admin group logs in: %v", err)
	}
}

// TestRestartPageHidesTheToken: the restart exception quotes the session token; the error
// does not.
func TestRestartPageHidesTheToken(t *testing.T) {
	t.Parallel()
	const tok = "0123456789ABCDEF0123456789ABCDEF"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("method") == "login" {
			io.WriteString(w, "<Response><responsecode>0</responsecode><sessiontoken>"+tok+"</sessiontoken></Response>")
			return
		}
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
		io.WriteString(w, "<Response><error><message><![CDATA[application.razuna.userid["+r.PostForm.Get("sessiontoken")+
			"] doesn't exist.]]></message><errorcode><![CDATA[]]></errorcode><detail><![CDATA[Error at line 1, column 27]]></detail></error></Response>")
	}))
	defer srv.Close()
	c, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, HostID: 1, Username: "admin", Password: "admin-pw", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Get(t.Context())
	var e *razuna.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	shown := fmt.Sprintf("%v %s %s", err, e.Message, e.Body)
	if strings.Contains(shown, tok) || !strings.Contains(e.Message, "application.razuna.userid[") {
		t.Errorf("shown: %s", shown)
	}
}

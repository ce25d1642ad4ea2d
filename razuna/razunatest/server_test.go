package razunatest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func post(t *testing.T, srv *Server, path, query string, form url.Values) (int, string) {
	t.Helper()
	u := srv.URL + path
	if query != "" {
		u += "?" + query
	}
	resp, err := srv.Client().Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestContractRefusals(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithContextPath("razuna/"))
	defer srv.Close()
	login := url.Values{"hostid": {"1"}, "user": {"admin"}, "pass": {"admin"}, "passhashed": {"0"}, "__BDRETURNFORMAT": {"plain"}}
	tests := []struct {
		name, path, query string
		form              url.Values
		want              string
	}{
		{"password in the URL", "/global/api/authentication.cfc", "method=login&pass=admin",
			url.Values{"hostid": {"1"}, "user": {"admin"}, "passhashed": {"0"}}, "razunatest: pass must not be sent in the URL"},
		{"token in the URL", "/global/api/user.cfc", "method=getuser&sessiontoken=X", url.Values{}, "razunatest: sessiontoken must not be sent in the URL"},
		{"api key in the URL", "/global/api2/user.cfc", "method=getuser&api_key=X", url.Values{}, "razunatest: api_key must not be sent in the URL"},
		{"method twice", "/global/api/authentication.cfc", "method=login",
			url.Values{"method": {"login"}, "hostid": {"1"}}, "razunatest: method is sent in both the query and the form"},
		{"format twice", "/global/api/authentication.cfc", "method=login&__BDRETURNFORMAT=plain", login,
			"razunatest: __bdreturnformat is sent in both the query and the form"},
		{"unknown parameter", "/global/api/user.cfc", "method=getuser",
			url.Values{"sessiontoken": {"X"}, "bogus": {"1"}}, "razunatest: getuser() takes no parameter bogus"},
		{"unknown method", "/global/api/user.cfc", "method=listusers", url.Values{}, "an invalid request was attempted"},
	}
	for _, tt := range tests {
		status, body := post(t, srv, tt.path, tt.query, tt.form)
		v1page := strings.Contains(body, "<error>") && strings.Contains(body, "<![CDATA["+tt.want+"]]>")
		v2page := strings.Contains(body, `{"message":"`+tt.want+`","errorcode":""`)
		if status != http.StatusOK || !v1page && !v2page {
			t.Errorf("%s: %d %q", tt.name, status, body)
		}
	}
	resp, err := srv.Client().PostForm(strings.TrimSuffix(srv.URL, "/razuna")+"/global/api/authentication.cfc?method=login", login)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("without the context path: %d", resp.StatusCode)
	}
	if status, body := post(t, srv, "/global/api/user.cfc", "", url.Values{"sessiontoken": {"X"}}); status != http.StatusInternalServerError ||
		!strings.Contains(body, "the request must contain a METHOD parameter") {
		t.Errorf("no method: %d %q", status, body)
	}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/global/api/user.cfc?method=getuser", nil)
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", resp.StatusCode)
	}
	// Names and the method are case-blind, as on the server; the format defaults to WDDX.
	_, body := post(t, srv, "/global/api/authentication.cfc", "", url.Values{"Method": {"LOGIN"}, "HostID": {"1"},
		"User": {"ADMIN@example.com"}, "Pass": {"admin"}, "PassHashed": {"0"}})
	if !strings.HasPrefix(body, "<wddxPacket version='1.0'>") || !strings.Contains(body, "&lt;responsecode&gt;0&lt;/responsecode&gt;") {
		t.Errorf("case-blind login: %q", body)
	}
}

func TestSessionsAndRestart(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	defer srv.Close()
	login := url.Values{"hostid": {"1"}, "user": {"admin"}, "pass": {"admin"}, "passhashed": {"0"}, "__BDRETURNFORMAT": {"plain"}}
	_, body := post(t, srv, "/global/api/authentication.cfc", "method=login", login)
	tok := tokenRE.FindString(body)
	if tok == "" || srv.Sessions() != 1 {
		t.Fatalf("login: %q, %d sessions", body, srv.Sessions())
	}
	get := url.Values{"sessiontoken": {tok}, "__BDRETURNFORMAT": {"plain"}}
	if _, body := post(t, srv, "/global/api/user.cfc", "method=getuser", get); !strings.Contains(body, "<loginname>admin</loginname>") {
		t.Errorf("getuser: %q", body)
	}
	srv.Restart()
	if _, body := post(t, srv, "/global/api/user.cfc", "method=getuser", get); !strings.Contains(body, "application.razuna.userid["+tok+"] doesn't exist.") {
		t.Errorf("getuser after restart: %q", body)
	}
	srv.ExpireSessions()
	if _, body := post(t, srv, "/global/api/user.cfc", "method=getuser", get); !strings.Contains(body, "<message>Session timeout</message>") {
		t.Errorf("getuser after expiry: %q", body)
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions left", srv.Sessions())
	}
}

// TestSlidingTimeout: a session lives 30 minutes after its last call.
func TestSlidingTimeout(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := NewServer(WithClock(clock))
	defer srv.Close()
	login := url.Values{"hostid": {"1"}, "user": {"admin"}, "pass": {"admin"}, "passhashed": {"0"}, "__BDRETURNFORMAT": {"plain"}}
	_, body := post(t, srv, "/global/api/authentication.cfc", "method=login", login)
	get := url.Values{"sessiontoken": {tokenRE.FindString(body)}, "__BDRETURNFORMAT": {"plain"}}
	for range 3 {
		advance(SessionTimeout - time.Minute)
		if _, body := post(t, srv, "/global/api/user.cfc", "method=getuser", get); !strings.Contains(body, "<responsecode>0</responsecode>") {
			t.Fatalf("getuser within the timeout: %q", body)
		}
	}
	advance(SessionTimeout)
	if _, body := post(t, srv, "/global/api/user.cfc", "method=getuser", get); !strings.Contains(body, "<message>Session timeout</message>") {
		t.Errorf("getuser after 30 idle minutes: %q", body)
	}
}

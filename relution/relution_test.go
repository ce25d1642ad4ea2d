package relution

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/internal/rest"
)

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no base URL", Config{AccessToken: "t"}, "BaseURL"},
		{"ftp scheme", Config{BaseURL: "ftp://h", AccessToken: "t"}, "BaseURL"},
		{"no host", Config{BaseURL: "https://", AccessToken: "t"}, "BaseURL"},
		{"no credential", Config{BaseURL: "https://h"}, "AccessToken"},
		{"both credentials", Config{BaseURL: "https://h", AccessToken: "t", Username: "u", Password: "p"}, "AccessToken"},
		{"user without password", Config{BaseURL: "https://h", Username: "u"}, "Password"},
		{"password without user", Config{BaseURL: "https://h", Password: "p"}, "Username"},
		// A short secret would be scrubbed from every message it occurs in by accident.
		{"short token", Config{BaseURL: "https://h", AccessToken: "abc"}, "AccessToken"},
		{"short password", Config{BaseURL: "https://h", Username: "u", Password: "abc"}, "Password"},
		// No header can carry a control character intact; reads would retry in vain.
		{"token with a newline", Config{BaseURL: "https://h", AccessToken: "tok\nen"}, "AccessToken"},
		{"password with a tab", Config{BaseURL: "https://h", Username: "u", Password: "pass\tword"}, "Password"},
		{"user with a colon", Config{BaseURL: "https://h", Username: "u:v", Password: "password"}, "Username"},
		{"user with a newline", Config{BaseURL: "https://h", Username: "u\n", Password: "password"}, "Username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient(tt.cfg)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("NewClient error = %v, want *ValidationError", err)
			}
			if ve.Field != tt.field {
				t.Errorf("field = %q, want %q (err %v)", ve.Field, tt.field, err)
			}
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("errors.Is(err, ErrInvalidInput) = false")
			}
			if !strings.HasPrefix(err.Error(), "relution: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
	for _, cfg := range []Config{
		{BaseURL: "https://h", AccessToken: "tok1"},
		// A user name is never refused for its length.
		{BaseURL: "http://h:8080/relution", Username: "u", Password: "pass", Organization: uuid.New()},
	} {
		if _, err := NewClient(cfg); err != nil {
			t.Errorf("NewClient(%+v) = %v", cfg.BaseURL, err)
		}
	}
}

func TestParseError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want rest.ErrorInfo
	}{
		{
			"recorded 422 (notes §4)",
			`{"status":"-1","message":"Version already exists","errors":{"2047":"dup"},"exception":{"className":"com.mwaysolutions.relution.common.domain.RelutionException","cause":null,"errorCode":"VERSION_ALREADY_EXISTS","httpStatus":422,"message":"inner"},"total":0,"results":[]}`,
			rest.ErrorInfo{Code: "VERSION_ALREADY_EXISTS", Message: "Version already exists", Detail: "com.mwaysolutions.relution.common.domain.RelutionException; 2047: dup"},
		},
		{
			"top-level errorCode (relution-tools)",
			`{"errorCode":"VERSION_ALREADY_EXISTS","message":"m"}`,
			rest.ErrorInfo{Code: "VERSION_ALREADY_EXISTS", Message: "m"},
		},
		{
			"message only under exception",
			`{"exception":{"errorCode":"X","message":"inner"}}`,
			rest.ErrorInfo{Code: "X", Message: "inner"},
		},
		{"plain text", "Access token is invalid\nmore", rest.ErrorInfo{Message: "Access token is invalid"}},
		{"html", "<html><body>502</body></html>", rest.ErrorInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := parseError(422, nil, []byte(tt.body))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimeDecodesBothForms(t *testing.T) {
	t.Parallel()
	want := time.UnixMilli(1467968221000).UTC()
	for _, in := range []string{`1467968221000`, `"1467968221000"`, `"2016-07-08T08:57:01Z"`, `1.467968221e12`} {
		var tm Time
		if err := tm.UnmarshalJSON([]byte(in)); err != nil {
			t.Fatalf("UnmarshalJSON(%s) = %v", in, err)
		}
		if !tm.Equal(want) {
			t.Errorf("UnmarshalJSON(%s) = %v, want %v", in, tm.Time, want)
		}
	}
	var tm Time
	if err := tm.UnmarshalJSON([]byte(`null`)); err != nil || !tm.IsZero() {
		t.Errorf("null: %v %v", tm, err)
	}
	if err := tm.UnmarshalJSON([]byte(`"yesterday"`)); err == nil {
		t.Error("a word decoded as a time")
	}
	b, _ := Time{want}.MarshalJSON()
	if string(b) != "1467968221000" {
		t.Errorf("MarshalJSON = %s", b)
	}
}

func TestWireUUIDIsUpperCase(t *testing.T) {
	t.Parallel()
	id := uuid.MustParse("01995c17-6bd0-7f84-87e9-21a1498b386f")
	if got := wireUUID(id); got != "01995C17-6BD0-7F84-87E9-21A1498B386F" {
		t.Errorf("wireUUID = %s", got)
	}
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := Ptr("+4912345")
	q := Ptr("+4912345")
	if *p != "+4912345" || p == q {
		t.Errorf("Ptr returned %v, %v", p, q)
	}
}

func TestDecodeToleratesEmptyUUIDs(t *testing.T) {
	t.Parallel()
	body := []byte(`{"results":[{"uuid":"01995C17-6BD0-7F84-87E9-21A1498B386F","name":"kiosk","userUuid": "","organizationUuid":""}],"total":1}`)
	var env envelope[Device]
	if err := decode(nil, body, &env); err != nil {
		t.Fatalf("decode: %v", err)
	}
	d := env.Results[0]
	if d.Name != "kiosk" || d.UserUUID != uuid.Nil || d.UUID == uuid.Nil {
		t.Errorf("decoded %+v", d)
	}
	// A name that happens to be empty is left alone.
	body = []byte(`{"results":[{"uuid":"01995C17-6BD0-7F84-87E9-21A1498B386F","name":""}]}`)
	if err := decode(nil, body, &env); err != nil || env.Results[0].Name != "" {
		t.Errorf("decode: %v %+v", err, env.Results)
	}
	if err := decode(nil, []byte(`{"results":[{"uuid":"nope"}]}`), &env); err == nil {
		t.Error("a malformed UUID decoded")
	}
}

// A 200 reply whose envelope says status -1 is an *Error, redacted like any other.
func TestStatusMinusOneIsAnError(t *testing.T) {
	t.Parallel()
	const token = "tok-9f8e7d6c5b4a"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"-1","message":"token `+token+` may not do this","errors":{"9":"nine","1":"one"},"exception":{"className":"X","errorCode":"NOT_ALLOWED"},"total":0,"results":[]}`)
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: token})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ImportJobs.Get(t.Context(), uuid.New())
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.StatusCode != 200 || e.Code != "NOT_ALLOWED" || e.Detail != "X; 1: one; 9: nine" {
		t.Errorf("error = %+v", e)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %s", err, err, e.Message), token) {
		t.Errorf("the token shows: %v", err)
	}
	// A success envelope with an unexpected errors shape still decodes.
	var env envelope[ImportJob]
	if err := decode(nil, []byte(`{"status":"0","errors":[],"exception":"none","results":[{"status":"RUNNING"}]}`), &env); err != nil || env.failed() {
		t.Errorf("decode = %v, failed = %v", err, env.failed())
	}
}

func TestNullEmptyUUIDs(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"userUuid":""}`, `{"userUuid":null}`},
		{`{"userUuid" : "" ,"uuid":"","UUID":  ""}`, `{"userUuid" : null ,"uuid":null,"UUID":  null}`},
		{`{"name":"","uuid":"A"}`, `{"name":"","uuid":"A"}`},
		{`{"note":"a uuid: \"\""}`, `{"note":"a uuid: \"\""}`},
		{`["",""]`, `["",""]`},
		{`""`, `""`},
		{`{"x":"uuid","y":""}`, `{"x":"uuid","y":""}`},
	}
	for _, tt := range tests {
		if got := string(nullEmptyUUIDs([]byte(tt.in))); got != tt.want {
			t.Errorf("nullEmptyUUIDs(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// A server that ignores offset and claims a huge total must not keep a walk going.
func TestAllStopsWhenTheServerIgnoresOffset(t *testing.T) {
	t.Parallel()
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		var b strings.Builder
		b.WriteString(`{"status":"0","nonpagedCount":1000000,"results":[`)
		for i := range 10 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"uuid":"%s","name":"d%d"}`, uuid.NewSHA1(uuid.Nil, []byte{byte(i)}), i)
		}
		b.WriteString(`]}`)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, b.String())
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: "tok1"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var last error
	for _, err := range c.Devices.All(t.Context(), Query{Limit: 10}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if last == nil || !strings.Contains(last.Error(), "ignores paging") {
		t.Fatalf("walk ended with %v after %d devices", last, n)
	}
	if n != 10 || requests != 2 {
		t.Errorf("yielded %d devices in %d requests, want 10 in 2", n, requests)
	}
}

// A 2xx envelope fails only on evidence.
func TestEnvelopeStatusRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body   string
		failed bool
	}{
		{`{"status":"0","errors":{},"exception":null,"results":[]}`, false},
		{`{"status":0,"results":[]}`, false},
		{`{"status":"OK","results":[]}`, false},
		{`{"status":"SUCCESS","results":[]}`, false},
		{`{"status":"1","results":[]}`, false},
		{`{"results":[]}`, false},
		{`{"status":"0","errors":[],"exception":"none","results":[]}`, false},
		{`{"status":"-1","results":[]}`, true},
		{`{"status":-2,"results":[]}`, true},
		{`{"status":"ERROR","results":[]}`, true},
		{`{"status":"failed","results":[]}`, true},
		{`{"status":"0","errors":{"2047":"version exists"},"results":[]}`, true},
		{`{"status":"OK","errors":["broken"],"results":[]}`, true},
		{`{"exception":{"className":"X"},"results":[]}`, true},
	}
	for _, tt := range tests {
		var env envelope[json.RawMessage]
		if err := decode(nil, []byte(tt.body), &env); err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		if env.failed() != tt.failed {
			t.Errorf("%s: failed = %v, want %v", tt.body, env.failed(), tt.failed)
		}
	}
}

// Writes that need nothing from their reply succeed on any 2xx, whatever the body, unless
// it is an envelope that says they failed; writes that need a value fail with
// ErrMaybeApplied when the reply lacks it.
func TestWriteReplies(t *testing.T) {
	t.Parallel()
	const userID = "11111111-2222-4333-8444-555555555555"
	const groupID = "21111111-2222-4333-8444-555555555555"
	var reply string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, reply)
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: "tok-123456"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	id := uuid.MustParse(userID)
	upd := UserUpdate{Phone: Ptr("+4912345")}
	app := App{Name: LocalizedString{"en": "App"}}
	lenient := []struct {
		reply          string
		user, app      bool // the reply shows the user / the app
		groups         int
		failedEnvelope bool
	}{
		{reply: ``},
		{reply: `not json`},
		{reply: `{}`},
		{reply: `[]`},
		{reply: `{"uuid":"` + userID + `","groups":[{"uuid":"` + groupID + `","name":"G"}]}`, user: true, app: true, groups: 1},
		{reply: `[{"uuid":"` + groupID + `","name":"G"}]`, user: true, app: true, groups: 1},
		{reply: `{"status":"0","results":[{"uuid":"` + userID + `"}]}`, user: true, app: true, groups: 1},
		{reply: `{"status":"OK","results":[]}`},
		{reply: `{"status":"-1","message":"nope","results":[]}`, failedEnvelope: true},
	}
	for _, tt := range lenient {
		reply = tt.reply
		u, err := c.Users.Update(ctx, id, upd)
		if tt.failedEnvelope {
			var e *Error
			if !errors.As(err, &e) || errors.Is(err, ErrMaybeApplied) {
				t.Errorf("Update, reply %q: err = %v, want an *Error, not ErrMaybeApplied", tt.reply, err)
			}
			continue
		}
		if err != nil || (u != nil) != tt.user {
			t.Errorf("Update, reply %q: %+v, %v", tt.reply, u, err)
		}
		g, err := c.Users.SetGroups(ctx, id, uuid.MustParse(groupID))
		if err != nil || len(g) != tt.groups {
			t.Errorf("SetGroups, reply %q: %+v, %v", tt.reply, g, err)
		}
		a, err := c.Apps.Create(ctx, app)
		if err != nil || (a != nil) != tt.app {
			t.Errorf("Apps.Create, reply %q: %+v, %v", tt.reply, a, err)
		}
	}

	// A value the call needs and the reply lacks: the change may have been applied.
	for _, reply = range []string{``, `{}`, `{"status":"0","results":[]}`, `{"status":"0","results":[{"name":"x"}]}`, `garbage`} {
		_, err := c.ImportJobs.Upload(ctx, "u.csv", strings.NewReader("x"), 1)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrMaybeApplied) {
			t.Errorf("Upload, reply %q: err = %v, want an *Error matching ErrMaybeApplied", reply, err)
		}
		_, err = c.ImportJobs.Start(ctx, id, StartOptions{})
		if !errors.As(err, &e) || !errors.Is(err, ErrMaybeApplied) {
			t.Errorf("Start, reply %q: err = %v, want an *Error matching ErrMaybeApplied", reply, err)
		}
		_, err = c.Apps.UploadFile(ctx, "a.msi", strings.NewReader("x"), 1)
		if !errors.As(err, &e) || !errors.Is(err, ErrMaybeApplied) {
			t.Errorf("UploadFile, reply %q: err = %v, want an *Error matching ErrMaybeApplied", reply, err)
		}
	}
	// A read that lacks what it needs is an error, but not ErrMaybeApplied.
	reply = `{}`
	if _, err := c.Users.Get(ctx, id); err == nil || errors.Is(err, ErrMaybeApplied) {
		t.Errorf("Get, reply {}: err = %v", err)
	}
}

// A server that ignores offset and cycles through 7 items, one a page, while claiming a
// huge total, ends the walk with an error instead of keeping it going.
func TestAllEndsOnAServerCyclingItsItems(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		id := uuid.NewSHA1(uuid.Nil, []byte{byte(n % 7)})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"0","total":1,"nonpagedCount":100000000,"results":[{"uuid":"%s","name":"d"}]}`, id)
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: "tok1"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var last error
	for _, err := range c.Devices.All(t.Context(), Query{Limit: 1}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if last == nil || !strings.Contains(last.Error(), "ignores paging") {
		t.Fatalf("walk ended with %v after %d devices", last, n)
	}
	if n > 7 || requests.Load() > 8 {
		t.Errorf("yielded %d devices in %d requests; want the walk to end at the first repeated page", n, requests.Load())
	}
}

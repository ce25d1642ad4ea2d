package rest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/fake"
)

// The secrets one call holds, in every place a request can carry them.
const (
	headerToken   = "hdr-T0KEN-8f3a"      // X-User-Access-Token (the authorizer's)
	querySession  = "qs-S3SSION-77c1"     // ?sessiontoken=
	queryAPIKey   = "qs-AP1KEY-e09d"      // &api_key=
	formPassword  = "form-PASSW0RD/+ 1"   // password= in a form body
	jsonPassword  = `json-"PASSW0RD"-2`   // "password" in a JSON body
	clientSecret  = "cl1ent-S3CRET-42"    // the OAuth client's
	loginPassword = "l0gin-PASSW0RD-9"    // what a session logs in with
	sessionToken  = "sess-T0KEN-from-log" // what that login returned
	basicUser     = "basic-user"          // HTTP Basic user name (not a secret by itself)
	basicPassword = "b4sic-PASSW0RD~?"    // HTTP Basic password
)

// basicEncoded is base64(user:password), which decodes to the password; basicHeader is the
// Authorization value that carries it.
var (
	basicEncoded = base64.StdEncoding.EncodeToString([]byte(basicUser + ":" + basicPassword))
	basicHeader  = "Basic " + basicEncoded
)

var allSecrets = []string{headerToken, querySession, queryAPIKey, formPassword, jsonPassword, clientSecret, loginPassword, sessionToken,
	basicPassword, basicEncoded, basicHeader}

// echoOf is what a careless vendor might put into an error reply: every secret it was sent,
// plain, URL-escaped and HTML-escaped.
func echoOf(secrets []string) string {
	var parts []string
	for _, s := range secrets {
		parts = append(parts, s, url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s))
	}
	return strings.Join(parts, " ")
}

// syncBuffer is a bytes.Buffer safe for the slog handler and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// vendorErrorHook parses {"errorCode","message","detail"}, copying the vendor's text as a
// vendor package does.
func vendorErrorHook(_ int, _ http.Header, body []byte) ErrorInfo {
	var b struct{ ErrorCode, Message, Detail string }
	if json.Unmarshal(body, &b) != nil {
		return ErrorInfo{Message: string(body)}
	}
	return ErrorInfo{Code: b.ErrorCode, Message: b.Message, Detail: b.Detail}
}

// TestSecretSweep fails requests in every way, each carrying known secrets in its header,
// query, form or JSON body, and checks that no secret shows up in the error text, in the
// *Error's (or *TokenError's) fields, or in the log.
//
// %#v is not checked: it prints unexported fields, including the transport error before
// redaction (kept so that errors.Is finds context and net errors).
func TestSecretSweep(t *testing.T) {
	t.Parallel()
	type failureCase struct {
		name string
		// serve answers the API request, echoing the secrets it was sent; nil means the API
		// is a closed port.
		serve func(w http.ResponseWriter, r *http.Request, echo string)
		// authorizer, when set, replaces the header token; it returns the secrets it holds.
		authorizer func(t *testing.T) (auth.Authorizer, []string)
		decode     func(http.Header, []byte, any) error
		wantLog    bool // at least one attempt reaches the wire and is logged
	}
	cases := []failureCase{
		{name: "401", wantLog: true, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			fake.WriteJSON(w, http.StatusUnauthorized, map[string]string{"errorCode": "AUTH", "message": "token " + headerToken + " rejected", "detail": echo})
		}},
		{name: "404 vendor body", wantLog: true, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			fake.WriteJSON(w, http.StatusNotFound, map[string]string{
				"errorCode": "NOT_FOUND " + queryAPIKey,
				"message":   "no user for " + echo + " and token " + headerToken,
				"detail":    echo,
				"echo":      r.URL.RawQuery,
			})
		}},
		{name: "500 HTML page", wantLog: true, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "<html><body><h1>Internal error</h1><pre>%s\n%s\n%s</pre></body></html>", echo, r.URL.RawQuery, r.Header)
		}},
		{name: "transport error", wantLog: true, serve: nil},
		{name: "decode error", wantLog: true, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id": ` + echo + `}`))
		}},
		{name: "decode hook error", wantLog: true, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			_, _ = w.Write([]byte("<Response>" + echo + "</Response>"))
		}, decode: func(_ http.Header, body []byte, _ any) error {
			return fmt.Errorf("unexpected reply %q", body) // a vendor decoder quoting the body
		}},
		{name: "token endpoint failure", authorizer: func(t *testing.T) (auth.Authorizer, []string) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fake.WriteJSON(w, http.StatusUnauthorized, map[string]string{
					"error": "invalid_client", "error_description": "client secret " + clientSecret + " is not valid",
				})
			}))
			return auth.Bearer{Source: &auth.TokenSource{URL: srv.URL + "/oauth/token", Grant: auth.ClientCredentials,
				ClientID: "reltio_ui", ClientSecret: clientSecret}}, []string{clientSecret}
		}, serve: func(w http.ResponseWriter, r *http.Request, _ string) { t.Error("API reached without a token") }},
		{name: "session login failure", authorizer: func(t *testing.T) (auth.Authorizer, []string) {
			return &auth.Session{Where: auth.InForm, Key: "sessiontoken", Known: []string{loginPassword},
				Login: func(context.Context) (string, error) {
					return "", fmt.Errorf("login as bob with password %s refused", loginPassword)
				}}, []string{loginPassword}
		}, serve: func(w http.ResponseWriter, r *http.Request, _ string) { t.Error("API reached without a session") }},
		{name: "Basic header echoed in JSON", wantLog: true, authorizer: basicAuthorizer, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			h := r.Header.Get("Authorization")
			fake.WriteJSON(w, http.StatusBadRequest, map[string]string{
				"errorCode": "BAD_AUTH " + h,
				"message":   "no user for header " + h,
				"detail":    "received " + h + " " + echo,
				"received":  h,
			})
		}},
		{name: "Basic header echoed in text", wantLog: true, authorizer: basicAuthorizer, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "Authorization: %s\n%s\n%s", r.Header.Get("Authorization"), echo, r.Header)
		}},
		{name: "session expired", wantLog: true, authorizer: func(t *testing.T) (auth.Authorizer, []string) {
			return &auth.Session{Where: auth.InForm, Key: "sessiontoken", Known: []string{loginPassword},
				Login: func(context.Context) (string, error) { return sessionToken, nil }}, []string{loginPassword, sessionToken}
		}, serve: func(w http.ResponseWriter, r *http.Request, echo string) {
			_ = r.ParseForm()
			fake.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": "session " + r.Form.Get("sessiontoken") + " expired", "detail": echo})
		}},
	}
	bodies := []struct {
		name   string
		set    func(*Request) error
		secret string
	}{
		{"form body", func(r *Request) error {
			r.SetForm(url.Values{"username": {"bob"}, "password": {formPassword}})
			return nil
		}, formPassword},
		{"JSON body", func(r *Request) error {
			return r.SetJSON(map[string]any{"name": "bob", "credentials": map[string]string{"password": jsonPassword}})
		}, jsonPassword},
	}
	for _, fc := range cases {
		for _, body := range bodies {
			t.Run(fc.name+"/"+body.name, func(t *testing.T) {
				t.Parallel()
				var logs syncBuffer
				var a auth.Authorizer = auth.HeaderToken{Name: "X-User-Access-Token", Token: headerToken}
				held := []string{headerToken}
				if fc.authorizer != nil {
					a, held = fc.authorizer(t)
				}
				held = append(held, querySession, queryAPIKey, body.secret)
				echo := echoOf(held)
				base := "http://" + closedAddr(t)
				if fc.serve != nil {
					base = newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fc.serve(w, r, echo) })).URL
				}
				client, _ := newTestClient(t, base, Config{
					Vendor: "vendor",
					Auth:   a,
					Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
					Hooks:  Hooks{ParseError: vendorErrorHook, Decode: fc.decode},
					Retry:  quickRetry,
				})
				req := mustRequest(t, client, t.Context(), http.MethodPost, "/api/users/{name}?sessiontoken={s}&api_key={k}", "bob", querySession, queryAPIKey)
				if err := body.set(req); err != nil {
					t.Fatal(err)
				}
				var out struct{ ID int }
				err := client.Do(req, &out)
				if err == nil {
					t.Fatal("Do succeeded; every case must fail")
				}

				shown := map[string]string{
					"Error()": err.Error(),
					"%v":      fmt.Sprintf("%v", err),
					"%+v":     fmt.Sprintf("%+v", err),
					"%s":      fmt.Sprintf("%s", err),
					"log":     logs.String(),
				}
				var e *Error
				if errors.As(err, &e) {
					shown["Error.URL"] = e.URL
					shown["Error.Code"] = e.Code
					shown["Error.Message"] = e.Message
					shown["Error.Detail"] = e.Detail
					shown["Error.Body"] = string(e.Body)
				}
				if e != nil {
					for k, vs := range e.Header {
						shown["Error.Header "+k] = strings.Join(vs, ", ")
					}
					shown["%#v"] = fmt.Sprintf("%#v", err)
				}
				for where, text := range shown {
					for _, s := range allSecrets {
						for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s)} {
							if strings.Contains(text, form) {
								t.Errorf("%s shows secret %q:\n%s", where, form, text)
							}
						}
					}
				}
				if fc.wantLog && !strings.Contains(logs.String(), `"attempt":1`) {
					t.Errorf("no attempt was logged:\n%s", logs.String())
				}
				if fc.name == "token endpoint failure" && (e == nil || e.Code != "invalid_client" || !errors.Is(err, ErrUnauthorized)) {
					t.Errorf("err = %#v, want the token endpoint's *Error matching ErrUnauthorized", err)
				}
				if strings.Contains(fc.name, "vendor body") && !strings.HasPrefix(e.Message, "no user for REDACTED") {
					t.Errorf("Message = %q: the vendor's text should survive around the mask", e.Message)
				}
			})
		}
	}
}

// basicAuthorizer is HTTP Basic with the sweep's credentials. The secrets the test echoes are
// spelled out here, not taken from Basic.Secrets, so the sweep checks what Basic reports.
func basicAuthorizer(*testing.T) (auth.Authorizer, []string) {
	return auth.Basic{Username: basicUser, Password: basicPassword}, []string{basicPassword, basicEncoded, basicHeader}
}

// A secret registered on one call is hidden in that call's errors but does not leak into the
// client's redactor (other calls do not pay for it, nor are they masked by it).
func TestAddSecretsPerCall(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusBadRequest, map[string]string{"message": "userdata 5f4dcc3b5aa765d61d8327deb882cf99 wrong"})
	}))
	client, _ := newTestClient(t, srv.URL, Config{Hooks: Hooks{ParseError: vendorErrorHook}})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/api").AddSecrets("5f4dcc3b5aa765d61d8327deb882cf99", "")
	err := client.Do(req, nil)
	if err == nil || strings.Contains(err.Error(), "5f4dcc3b") || !strings.Contains(err.Error(), "userdata REDACTED wrong") {
		t.Errorf("err = %v, want the hash hidden", err)
	}
	err = client.Do(mustRequest(t, client, t.Context(), http.MethodPost, "/api"), nil)
	if err == nil || !strings.Contains(err.Error(), "5f4dcc3b") {
		t.Errorf("err = %v: another call's secret should not mask this one's text", err)
	}
}

// Fixed credentials in Config.Header and Config.Query are secrets too.
func TestConfigHeaderAndQuerySecrets(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusForbidden, map[string]string{"message": "keys " + r.Header.Get("X-Api-Key") + " " + r.URL.Query().Get("apikey")})
	}))
	client, _ := newTestClient(t, srv.URL, Config{
		Header: http.Header{"X-Api-Key": {"hdr-key-123"}},
		Query:  url.Values{"apikey": {"qry-key-456"}},
		Hooks:  Hooks{ParseError: vendorErrorHook},
	})
	err := client.Do(mustRequest(t, client, t.Context(), http.MethodGet, "/api"), nil)
	if err == nil || strings.Contains(err.Error(), "hdr-key-123") || strings.Contains(err.Error(), "qry-key-456") {
		t.Errorf("err = %v, want both keys hidden", err)
	}
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("err = %v, want ErrForbidden", err)
	}
}

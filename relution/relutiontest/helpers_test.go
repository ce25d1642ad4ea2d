package relutiontest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
)

// reply is an answer from the fake.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// req describes one request; zero fields mean "leave out".
type req struct {
	method, path string
	body         string
	contentType  string // defaults to application/json when body is set
	raw          io.Reader
	header       map[string]string
	noAuth       bool
	basic        [2]string
}

func send(t *testing.T, srv *Server, r req) reply {
	t.Helper()
	var body io.Reader
	if r.raw != nil {
		body = r.raw
	} else if r.body != "" {
		body = strings.NewReader(r.body)
		if r.contentType == "" {
			r.contentType = "application/json"
		}
	}
	hr, err := http.NewRequestWithContext(t.Context(), r.method, srv.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Accept", "application/json")
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	}
	switch {
	case r.basic[0] != "":
		hr.SetBasicAuth(r.basic[0], r.basic[1])
	case !r.noAuth:
		hr.Header.Set("X-User-Access-Token", srv.Token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// ok sends r and fails the test unless the answer has the given status.
func ok(t *testing.T, srv *Server, want int, r req) []byte {
	t.Helper()
	got := send(t, srv, r)
	if got.status != want {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.method, r.path, got.status, want, got.body)
	}
	return got.body
}

type errorReply struct {
	Status    string         `json:"status"`
	Message   string         `json:"message"`
	Errors    map[string]any `json:"errors"`
	Exception struct {
		ClassName  string `json:"className"`
		Cause      any    `json:"cause"`
		ErrorCode  string `json:"errorCode"`
		HTTPStatus int    `json:"httpStatus"`
		Message    string `json:"message"`
	} `json:"exception"`
	Total   int   `json:"total"`
	Results []any `json:"results"`
}

// fails sends r and checks that it fails with status and Relution error
// code; it returns the error message.
func fails(t *testing.T, srv *Server, status int, code string, r req) string {
	t.Helper()
	got := send(t, srv, r)
	if got.status != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.method, r.path, got.status, status, got.body)
	}
	var e errorReply
	dec := json.NewDecoder(bytes.NewReader(got.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("%s %s: error body %s: %v", r.method, r.path, got.body, err)
	}
	if e.Status != "-1" || e.Exception.ErrorCode != code || e.Exception.HTTPStatus != status ||
		e.Message == "" || e.Exception.Message != e.Message || e.Results == nil || e.Errors == nil ||
		e.Exception.ClassName != "com.mwaysolutions.relution.common.domain.RelutionException" {
		t.Errorf("%s %s: error body %s, want code %s", r.method, r.path, got.body, code)
	}
	return e.Message
}

// envelope is the results envelope.
type envelope[T any] struct {
	Status        string         `json:"status"`
	Message       string         `json:"message"`
	Errors        map[string]any `json:"errors"`
	Total         int            `json:"total"`
	Results       []T            `json:"results"`
	NonpagedCount *int           `json:"nonpagedCount"`
}

// items is the items envelope.
type items[T any] struct {
	Items         []T  `json:"items"`
	NonpagedCount *int `json:"nonpagedCount"`
}

// decode unmarshals strictly, so that a key the fake adds by mistake fails.
func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, b, err)
	}
	return v
}

func results[T any](t *testing.T, b []byte) envelope[T] {
	t.Helper()
	e := decode[envelope[T]](t, b)
	if e.Status != "0" || e.Total != len(e.Results) || e.Errors == nil {
		t.Errorf("bad envelope: %s", b)
	}
	return e
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// part is one part of a multipart body.
type part struct {
	name, filename, contentType, content string
}

func multipartBody(t *testing.T, parts ...part) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := `form-data; name="` + p.name + `"`
		if p.filename != "" {
			disp += `; filename="` + p.filename + `"`
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// start starts a server that lives as long as the test and its subtests.
func start(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

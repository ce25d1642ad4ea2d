package rest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/fake"
)

const usersCSV = "email,password,role\r\nbob@example.com,hunter2,user\r\n"

func csvUpload() Multipart {
	return Multipart{
		Fields:      []FormField{{"separator", "COMMA"}, {"role", `Orga "Device" User`}},
		FileField:   "file",
		FileName:    "users ü.csv",
		ContentType: "text/csv",
		File:        strings.NewReader(usersCSV),
		Size:        int64(len(usersCSV)),
	}
}

// wantMultipart builds the body mime/multipart itself writes for m.
func wantMultipart(t *testing.T, m Multipart, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(Boundary); err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Fields {
		if err := w.WriteField(f.Name, f.Value); err != nil {
			t.Fatal(err)
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="`+m.FileField+`"; filename="`+m.FileName+`"`)
	h.Set("Content-Type", m.ContentType)
	pw, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(pw, content); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type part struct {
	Name, FileName, ContentType, Content string
}

func TestMultipartBody(t *testing.T) {
	t.Parallel()
	type received struct {
		ContentLength int64
		BodyLen       int
		Chunked       bool
		ContentType   string
		Parts         []part
		Body          []byte
	}
	got := make(chan received, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		rec := received{ContentLength: r.ContentLength, BodyLen: len(body), Chunked: len(r.TransferEncoding) > 0,
			ContentType: r.Header.Get("Content-Type"), Body: body}
		r.Body = io.NopCloser(bytes.NewReader(body))
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			got <- rec
			return
		}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Error(err)
				break
			}
			data, _ := io.ReadAll(p)
			rec.Parts = append(rec.Parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(data)})
		}
		got <- rec
	}))
	client, _ := newTestClient(t, srv.URL, Config{})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/api/import")
	m := csvUpload()
	if err := req.SetMultipart(m); err != nil {
		t.Fatal(err)
	}
	if err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	rec := <-got
	want := wantMultipart(t, m, usersCSV)
	if !bytes.Equal(rec.Body, want) {
		t.Errorf("body differs from what mime/multipart writes:\n got %q\nwant %q", rec.Body, want)
	}
	if rec.Chunked || rec.ContentLength != int64(rec.BodyLen) || rec.ContentLength != int64(len(want)) {
		t.Errorf("Content-Length %d (chunked %v), %d bytes received, want %d", rec.ContentLength, rec.Chunked, rec.BodyLen, len(want))
	}
	mt, params, err := mime.ParseMediaType(rec.ContentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] != Boundary {
		t.Errorf("Content-Type %q, want multipart/form-data with boundary %s", rec.ContentType, Boundary)
	}
	wantParts := []part{
		{"separator", "", "", "COMMA"},
		{"role", "", "", `Orga "Device" User`},
		{"file", "users ü.csv", "text/csv", usersCSV},
	}
	if diff := cmp.Diff(wantParts, rec.Parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
}

// A retried upload sends the same bytes again, rewound from the ReaderAt.
func TestMultipartRetrySameBytes(t *testing.T) {
	t.Parallel()
	kit := fake.NewKit(nil)
	kit.Inject(fake.Fault{Method: http.MethodPost, Status: http.StatusServiceUnavailable, Count: 1})
	srv := newServer(t, kit.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.WriteJSON(w, http.StatusOK, map[string]string{"status": "done"})
	})))
	client, _ := newTestClient(t, srv.URL, Config{Retry: quickRetry})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/api/import").MarkReadOnly()
	m := csvUpload()
	if err := req.SetMultipart(m); err != nil {
		t.Fatal(err)
	}
	if err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	reqs := kit.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want 2", len(reqs))
	}
	want := wantMultipart(t, m, usersCSV)
	for i, r := range reqs {
		if !bytes.Equal(r.Body, want) || r.BodySize != int64(len(want)) {
			t.Errorf("attempt %d sent %d bytes %q, want %q", i+1, r.BodySize, r.Body, want)
		}
	}
	if !bytes.Equal(reqs[0].Body, reqs[1].Body) {
		t.Error("the two attempts sent different bodies")
	}
}

// generated is an io.ReaderAt (and nothing else) whose bytes are computed from their offset,
// so a large upload needs no memory on the sending side either.
type generated struct {
	size int64

	mu       sync.Mutex
	maxChunk int
}

func (g *generated) ReadAt(p []byte, off int64) (int, error) {
	g.mu.Lock()
	g.maxChunk = max(g.maxChunk, len(p))
	g.mu.Unlock()
	if off >= g.size {
		return 0, io.EOF
	}
	n := len(p)
	if rest := g.size - off; int64(n) > rest {
		n = int(rest)
	}
	for i := range n {
		x := uint64(off + int64(i))
		p[i] = byte(x*2654435761>>13 ^ x)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestMultipartLargeStreamed(t *testing.T) {
	t.Parallel()
	const size = 20 << 20
	type result struct {
		size int64
		sum  [32]byte
	}
	got := make(chan result, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var res result
		defer func() { got <- res }()
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			return
		}
		for {
			p, err := mr.NextPart()
			if err != nil {
				if err != io.EOF {
					t.Error(err)
				}
				return
			}
			if p.FormName() != "file" {
				continue
			}
			h := sha256.New()
			res.size, err = io.Copy(h, p)
			if err != nil {
				t.Error(err)
			}
			copy(res.sum[:], h.Sum(nil))
		}
	}))
	client, _ := newTestClient(t, srv.URL, Config{})
	gen := &generated{size: size}
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/api/import")
	if err := req.SetMultipart(Multipart{FileField: "file", FileName: "big.bin", File: gen, Size: size}); err != nil {
		t.Fatal(err)
	}
	if err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(&generated{size: size}, 0, size)); err != nil {
		t.Fatal(err)
	}
	var want [32]byte
	copy(want[:], h.Sum(nil))
	res := <-got
	if res.size != size || res.sum != want {
		t.Errorf("server got %d bytes with sha256 %x, want %d bytes with %x", res.size, res.sum, size, want)
	}
	gen.mu.Lock()
	defer gen.mu.Unlock()
	if gen.maxChunk > 1<<20 {
		t.Errorf("the file was read in chunks of up to %d bytes: it should stream", gen.maxChunk)
	}
}

func TestMultipartInvalid(t *testing.T) {
	t.Parallel()
	client, _ := newTestClient(t, "http://127.0.0.1:1", Config{})
	for _, m := range []Multipart{
		{FileField: "file", Size: 1},                                // no file
		{File: strings.NewReader("x"), Size: 1},                     // no field name
		{FileField: "file", File: strings.NewReader("x"), Size: -1}, // negative size
	} {
		req := mustRequest(t, client, t.Context(), http.MethodPost, "/x")
		if err := req.SetMultipart(m); err == nil {
			t.Errorf("SetMultipart(%+v) = nil, want an error", m)
		}
	}
}

// A file shorter than its declared Size fails the call instead of sending a short body.
func TestMultipartShortFile(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	client, _ := newTestClient(t, srv.URL, Config{Retry: quickRetry})
	req := mustRequest(t, client, t.Context(), http.MethodPost, "/x")
	if err := req.SetMultipart(Multipart{FileField: "file", File: strings.NewReader("abc"), Size: 10}); err != nil {
		t.Fatal(err)
	}
	err := client.Do(req, nil)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 0 {
		t.Errorf("Do = %v, want a transport *Error", err)
	}
}

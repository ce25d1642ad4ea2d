package fake

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxLoggedBody is how much of each request body the log keeps. Uploads can
// be far larger; only their size is recorded beyond this.
const MaxLoggedBody = 64 << 10

// Request is one logged request, as the fake received it.
type Request struct {
	Method string
	Path   string // URL path, unescaped
	Query  url.Values
	Header http.Header
	// Body holds the first MaxLoggedBody bytes of the request body.
	Body []byte
	// BodySize is the size of the whole body. The rest of a body the handler
	// left unread is drained (and discarded) before the reply goes out, so
	// the count is complete by the time a client sees any answer.
	BodySize int64
}

// Fault is a planned misbehaviour, applied in place of or around the real
// handler to requests that match it.
type Fault struct {
	// Method and Path select requests; empty matches any. Path matches the
	// URL path ignoring case, exactly or, when it ends in "*", as a prefix.
	// A segment written "{name}" matches any one non-empty segment, and a
	// "?" starts pairs that are added to Query, so a catalogue template
	// such as "/global/api/user.cfc?method=add" or "/api/users/{id}" works
	// as it is.
	Method, Path string
	// Query, when set, selects requests further by their parameters, such
	// as "method=add" (Razuna's add, update and delete share one path).
	// It is written like a URL query: every "name=value" pair must be
	// present (one of the name's values equal to value, case-sensitive),
	// and a bare "name" must be present with any value. A pair is looked
	// up in the URL query, then in the body's values when the request is
	// application/x-www-form-urlencoded and its body fits in MaxLoggedBody
	// (the Kit reads that much ahead anyway, so the handler still gets the
	// whole body); multipart and JSON bodies are not looked into. Inject
	// panics on a Query that does not parse.
	Query string
	// Count is how many matching requests the fault applies to; less than
	// one means one.
	Count int
	// Status, when not zero, is answered instead of calling the handler, so
	// nothing is applied. The reply is a real HTTP status with a plain-text
	// body, as a proxy or load balancer in front of the vendor would send,
	// whatever shape the vendor's own errors take (Razuna's are HTTP 200
	// pages); WithFaultWriter changes that.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header with Status.
	RetryAfter string
	// Latency delays the request before anything else. When the client goes
	// away during the delay the request ends there: the handler is not
	// called and nothing is written.
	Latency time.Duration
	// DropAfterApply runs the real handler (so the change is applied)
	// against a throw-away response, then closes the connection without a
	// reply: the client sees a transport error. It takes precedence over
	// Status. Go's http.Transport silently resends a GET, HEAD, OPTIONS or
	// TRACE on a reused connection after such a drop, so test it with
	// writes or fresh connections.
	DropAfterApply bool
}

func (f *Fault) matches(r *http.Request, form func() url.Values) bool {
	if f.Method != "" && f.Method != r.Method {
		return false
	}
	path, query, _ := strings.Cut(f.Path, "?")
	return matchFaultPath(path, r.URL.Path) && matchFaultQuery(f.Query, r, form) && matchFaultQuery(query, r, form)
}

// matchFaultPath matches a Fault's path pattern against a request path.
func matchFaultPath(pattern, path string) bool {
	if pattern == "" {
		return true
	}
	// Case is ignored: vendors write UUIDs in paths in one case and uuid.UUID.String() in
	// another, and a fault that silently never fires is worse than a loose match.
	pattern, prefix := strings.CutSuffix(pattern, "*")
	if !strings.Contains(pattern, "{") {
		if prefix {
			return len(path) >= len(pattern) && strings.EqualFold(path[:len(pattern)], pattern)
		}
		return strings.EqualFold(pattern, path)
	}
	// With placeholders, compare segment by segment; a prefix pattern's last
	// segment may be a prefix of the request's segment ("/jobs/{id}/rep*").
	pats, segs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(segs) < len(pats) || (!prefix && len(segs) != len(pats)) {
		return false
	}
	for i, p := range pats {
		seg := segs[i]
		if _, ok := placeholder(p); ok {
			if seg == "" {
				return false
			}
			continue
		}
		if prefix && i == len(pats)-1 {
			return len(seg) >= len(p) && strings.EqualFold(seg[:len(p)], p)
		}
		if !strings.EqualFold(p, seg) {
			return false
		}
	}
	return true
}

// queryPair is one part of Fault.Query; a bare name has any set.
type queryPair struct {
	name, value string
	any         bool
}

func parseFaultQuery(q string) ([]queryPair, error) {
	var out []queryPair
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		k, v, hasValue := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil || name == "" {
			return nil, fmt.Errorf("bad name in %q", part)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("bad value in %q", part)
		}
		out = append(out, queryPair{name: name, value: value, any: !hasValue})
	}
	return out, nil
}

func matchFaultQuery(q string, r *http.Request, form func() url.Values) bool {
	if q == "" {
		return true
	}
	pairs, err := parseFaultQuery(q) // checked by Inject
	if err != nil {
		return false
	}
	query, _ := url.ParseQuery(r.URL.RawQuery) // what parses, even if a part does not
	for _, p := range pairs {
		if !p.in(query) && !p.in(form()) {
			return false
		}
	}
	return true
}

func (p queryPair) in(v url.Values) bool {
	vals, ok := v[p.name]
	if !ok {
		return false
	}
	return p.any || slices.Contains(vals, p.value)
}

// Kit is the request log and fault injector every vendor fake wraps around
// its handler. It is safe for concurrent use.
type Kit struct {
	errorWriter ErrorWriter
	faultWriter ErrorWriter

	mu     sync.Mutex
	faults []Fault // Count is what is left
	log    []*Request
}

// KitOption configures NewKit.
type KitOption func(*Kit)

// WithFaultWriter makes injected Status faults answer through w (for
// instance the vendor's own ErrorWriter, with code CodeInjectedFault)
// instead of the default plain-text reply.
func WithFaultWriter(w ErrorWriter) KitOption {
	return func(k *Kit) {
		if w != nil {
			k.faultWriter = w
		}
	}
}

// CodeInjectedFault is the code a fault writer gets for an injected Status.
const CodeInjectedFault = "INJECTED_FAULT"

// NewKit returns a Kit. errorWriter is the vendor's own error shape, which
// Kit.Error writes; nil writes {"code":...,"message":...}. Injected faults
// do not use it: see Fault.Status and WithFaultWriter.
func NewKit(errorWriter ErrorWriter, opts ...KitOption) *Kit {
	if errorWriter == nil {
		errorWriter = defaultErrorWriter
	}
	k := &Kit{errorWriter: errorWriter, faultWriter: writePlainFault}
	for _, o := range opts {
		if o != nil {
			o(k)
		}
	}
	return k
}

// writePlainFault answers an injected status as a proxy would: the status,
// a line of plain text, no vendor shape.
func writePlainFault(w http.ResponseWriter, _ *http.Request, status int, _, message string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, message+"\n")
}

// Error writes an error reply in the vendor's shape.
func (k *Kit) Error(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	k.errorWriter(w, r, status, code, message)
}

// Inject adds f after the faults already planned; the first matching fault
// applies. It panics when f.Query or the query in f.Path does not parse, a
// bug in the test.
func (k *Kit) Inject(f Fault) {
	if _, err := parseFaultQuery(f.Query); err != nil {
		panic("fake: Fault.Query: " + err.Error())
	}
	if _, q, _ := strings.Cut(f.Path, "?"); q != "" {
		if _, err := parseFaultQuery(q); err != nil {
			panic("fake: Fault.Path: " + err.Error())
		}
	}
	if f.Count < 1 {
		f.Count = 1
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults = append(k.faults, f)
}

// ClearFaults removes every planned fault.
func (k *Kit) ClearFaults() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults = nil
}

// Faults returns the faults not yet used up, each with the Count it has left.
func (k *Kit) Faults() []Fault {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Fault(nil), k.faults...)
}

// takeFault consumes one use of the first fault matching r, whose body is
// body.
func (k *Kit) takeFault(r *http.Request, body *loggedBody) (Fault, bool) {
	form := sync.OnceValue(func() url.Values { return body.form(r) })
	k.mu.Lock()
	defer k.mu.Unlock()
	for i := range k.faults {
		f := &k.faults[i]
		if !f.matches(r, form) {
			continue
		}
		got := *f
		f.Count--
		if f.Count == 0 {
			k.faults = append(k.faults[:i], k.faults[i+1:]...)
		}
		return got, true
	}
	return Fault{}, false
}

// Requests returns a copy of the log, oldest first. A request appears as soon
// as it arrives; its Body and BodySize are final once it has been answered.
func (k *Kit) Requests() []Request {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]Request, len(k.log))
	for i, e := range k.log {
		out[i] = Request{
			Method:   e.Method,
			Path:     e.Path,
			Query:    cloneValues(e.Query),
			Header:   e.Header.Clone(),
			Body:     bytes.Clone(e.Body),
			BodySize: e.BodySize,
		}
	}
	return out
}

// ResetRequests empties the log.
func (k *Kit) ResetRequests() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.log = nil
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for key, vals := range v {
		out[key] = append([]string(nil), vals...)
	}
	return out
}

// Handler logs each request, then applies the first matching fault or calls
// next.
//
// The body next reads is byte for byte what the client sent. The Kit reads
// the first MaxLoggedBody bytes (plus one) before anything else: for the usual
// small body that reads it to its end, which is also what lets net/http notice
// a client that goes away during a Latency fault. A larger body is streamed to
// next and only counted, never held in memory.
func (k *Kit) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entry := &Request{
			Method: r.Method,
			Path:   r.URL.Path,
			Query:  r.URL.Query(),
			Header: r.Header.Clone(),
		}
		k.mu.Lock()
		k.log = append(k.log, entry)
		k.mu.Unlock()

		body := newLoggedBody(r.Body)
		r.Body = body
		finish := sync.OnceFunc(func() {
			logged, size := body.finish()
			k.mu.Lock()
			entry.Body, entry.BodySize = logged, size
			k.mu.Unlock()
		})
		defer finish()

		f, ok := k.takeFault(r, body)
		if !ok {
			next.ServeHTTP(&finishingWriter{ResponseWriter: w, finish: finish}, r)
			return
		}
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case f.DropAfterApply:
			next.ServeHTTP(newDiscardWriter(), r)
			finish()
			drop(w)
		case f.Status != 0:
			finish()
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			k.faultWriter(w, r, f.Status, CodeInjectedFault, "injected fault: HTTP "+strconv.Itoa(f.Status))
		default:
			next.ServeHTTP(&finishingWriter{ResponseWriter: w, finish: finish}, r)
		}
	})
}

// drop closes the client's connection without a reply.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hand over its connection; this sentinel makes the
		// server reset the stream without logging, which the client also
		// sees as a transport error.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		// A reset rather than an orderly close, so the client cannot
		// mistake the end of the stream for a short reply.
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// loggedBody replays a request body to the handler while keeping its head
// for the log and counting the rest.
type loggedBody struct {
	orig io.ReadCloser

	mu      sync.Mutex
	head    []byte // up to MaxLoggedBody+1 bytes read ahead
	headPos int
	headErr error // what ended the read-ahead early (nil when more may follow)
	rest    int64 // bytes read from orig after head
	done    bool
}

func newLoggedBody(orig io.ReadCloser) *loggedBody {
	b := &loggedBody{orig: orig}
	if orig == nil || orig == http.NoBody {
		b.headErr = io.EOF
		return b
	}
	head, err := io.ReadAll(io.LimitReader(orig, MaxLoggedBody+1))
	b.head = head
	switch {
	case err != nil:
		b.headErr = err
	case len(head) <= MaxLoggedBody:
		b.headErr = io.EOF
	}
	return b
}

// form returns the body's values when r is a form and the whole body was
// read ahead; nil otherwise. It does not move the handler's read position.
func (b *loggedBody) form(r *http.Request) url.Values {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media != "application/x-www-form-urlencoded" {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.headErr != io.EOF {
		return nil // larger than MaxLoggedBody, or a read error
	}
	v, _ := url.ParseQuery(string(b.head))
	return v
}

func (b *loggedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.headPos < len(b.head) {
		n := copy(p, b.head[b.headPos:])
		b.headPos += n
		return n, nil
	}
	if b.headErr != nil {
		return 0, b.headErr
	}
	n, err := b.orig.Read(p)
	b.rest += int64(n)
	return n, err
}

// Close drains what the handler left, so that BodySize counts the whole body
// even when the handler closes it early.
func (b *loggedBody) Close() error {
	b.drain()
	if b.orig == nil {
		return nil
	}
	return b.orig.Close()
}

func (b *loggedBody) drain() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done || b.headErr != nil {
		return
	}
	b.done = true
	n, _ := io.Copy(io.Discard, b.orig)
	b.rest += n
}

// finish drains the body and returns the logged head and the full size.
func (b *loggedBody) finish() ([]byte, int64) {
	b.drain()
	b.mu.Lock()
	defer b.mu.Unlock()
	logged := b.head
	if len(logged) > MaxLoggedBody {
		logged = logged[:MaxLoggedBody:MaxLoggedBody]
	}
	return logged, int64(len(b.head)) + b.rest
}

// finishingWriter completes the log entry before the first byte of the reply
// leaves, so a client that has its answer always finds the full entry in the
// log. net/http does not promise that a body can still be read once the
// reply has started (HTTP/1), so draining at that point takes nothing from
// the handler.
type finishingWriter struct {
	http.ResponseWriter
	finish func()
}

func (w *finishingWriter) WriteHeader(status int) {
	w.finish()
	w.ResponseWriter.WriteHeader(status)
}

func (w *finishingWriter) Write(p []byte) (int, error) {
	w.finish()
	return w.ResponseWriter.Write(p)
}

// Flush supports handlers that stream their reply.
func (w *finishingWriter) Flush() {
	w.finish()
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack supports handlers that take over the connection.
func (w *finishingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.finish()
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *finishingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// discardWriter is the reply a DropAfterApply handler writes to: no one will
// ever read it.
type discardWriter struct{ header http.Header }

func newDiscardWriter() *discardWriter { return &discardWriter{header: make(http.Header)} }

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

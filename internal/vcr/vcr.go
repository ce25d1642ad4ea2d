package vcr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/dnaeon/go-vcr/v2/recorder"
	"github.com/rosterhq/roster/internal/auth"
	"github.com/rosterhq/roster/internal/redact"
	"github.com/rosterhq/roster/internal/rest"
)

// RecordEnv is the environment variable that switches Open to recording when it is "1".
const RecordEnv = "ROSTER_RECORD"

// SourceEnv is the environment variable that, when recording, gives the provenance line
// written on top of the new cassette (e.g. "recorded against Razuna 74ce1f07 on Jetty 9.4 +
// H2"). It wins over WithSource.
const SourceEnv = "ROSTER_RECORD_SOURCE"

// Recording reports whether this test run records cassettes (ROSTER_RECORD=1).
func Recording() bool { return os.Getenv(RecordEnv) == "1" }

// Env returns the environment variable name when recording, failing the test if it is unset,
// and replay otherwise. Use it for the server address and credentials of DESIGN §8, and pass
// credentials to WithSecrets as well.
func Env(t testing.TB, name, replay string) string {
	t.Helper()
	if !Recording() {
		return replay
	}
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("vcr: %s=1 needs %s in the environment", RecordEnv, name)
	}
	return v
}

// Option configures Open.
type Option func(*options)

type options struct {
	replayOnly bool
	secrets    []string
	names      []string
	sources    []func() []string
	links      []func() *redact.Redactor
	real       http.RoundTripper
	source     string
}

// WithSecrets adds values to scrub wherever they appear (a token, a password), on top of the
// keys package redact always masks. The matcher scrubs them from live requests too.
func WithSecrets(secrets ...string) Option {
	return func(o *options) { o.secrets = append(o.secrets, secrets...) }
}

// WithAuth scrubs every secret the authorizer holds (when it is an auth.SecretHolder), asked
// afresh at each use so a token fetched later is hidden too: auth.Basic's secrets already hold
// the base64 of user:password. It may be given more than once.
func WithAuth(a auth.Authorizer) Option {
	return func(o *options) {
		if sh, ok := a.(auth.SecretHolder); ok {
			o.sources = append(o.sources, sh.Secrets)
		}
	}
}

// WithSecretSource scrubs the values src returns, asked afresh at each use.
func WithSecretSource(src func() []string) Option {
	return func(o *options) {
		if src != nil {
			o.sources = append(o.sources, src)
		}
	}
}

// WithRedactor scrubs everything the redactor get returns hides (its secrets, sources and
// whole values), asked afresh at each use. It lets a vendor test hand over a client's whole
// secret set although the client is built after Open, on the *http.Client Open returns:
//
//	var core *rest.Client
//	hc := vcr.Open(t, path, vcr.WithRedactor(func() *redact.Redactor {
//		if core == nil {
//			return nil
//		}
//		return core.Redactor()
//	}))
//	client, err := relution.NewClient(relution.Config{..., HTTPClient: hc})
//	core = client.core
func WithRedactor(get func() *redact.Redactor) Option {
	return func(o *options) {
		if get != nil {
			o.links = append(o.links, get)
		}
	}
}

// WithNames scrubs user names and client ids where they stand as whole values (a form value,
// a JSON string, a path segment), never inside other words (redact.Redactor.AddWhole).
func WithNames(names ...string) Option {
	return func(o *options) { o.names = append(o.names, names...) }
}

// ReplayOnly keeps a cassette from being recorded over, even with ROSTER_RECORD=1: for
// cassettes written from a vendor's documentation, which a recording against one server must
// not replace.
func ReplayOnly() Option {
	return func(o *options) { o.replayOnly = true }
}

// WithRealTransport sets the transport that reaches the real server when recording
// (default http.DefaultTransport). Replaying never uses it.
func WithRealTransport(rt http.RoundTripper) Option {
	return func(o *options) { o.real = rt }
}

// WithSource gives the provenance written on top of a new recording. A text that does not
// start with "#" becomes "# source: <text>"; further lines become comments. SourceEnv wins
// over it; without either, recording keeps the comment block of the old file.
func WithSource(text string) Option {
	return func(o *options) { o.source = text }
}

// Open returns an *http.Client whose transport replays the cassette path+".yaml" (path has no
// extension, e.g. "../fixtures/relution/import-users"), or, with ROSTER_RECORD=1, records
// through the real transport and writes the scrubbed cassette when the test ends. It fails
// the test when the cassette is missing or has no "# source:" line.
func Open(t testing.TB, path string, opts ...Option) *http.Client {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	mode := recorder.ModeReplaying
	if Recording() && !o.replayOnly {
		mode = recorder.ModeRecording
	}
	return open(t, path, mode, opts...)
}

// open is Open with the mode chosen by the caller (the package's own tests record without
// the environment variable).
func open(t testing.TB, path string, mode recorder.Mode, opts ...Option) *http.Client {
	t.Helper()
	s, err := start(path, mode, opts...)
	if err != nil {
		t.Fatalf("vcr: %v", err)
	}
	if s.recording {
		t.Cleanup(func() {
			if t.Failed() {
				s.discard()
				t.Logf("vcr: test failed; %s left unchanged", s.file)
				return
			}
			if err := s.save(); err != nil {
				if errors.Is(err, errNothingRecorded) {
					t.Logf("vcr: %v", err)
					return
				}
				t.Errorf("vcr: %v", err)
				return
			}
			t.Logf("vcr: recorded %s", s.file)
		})
	}
	return s.client()
}

// session is one opened cassette.
type session struct {
	path      string // without ".yaml"
	file      string // path + ".yaml"
	rec       *recorder.Recorder
	red       *redact.Redactor
	recording bool
	header    []string // provenance comment lines, written back on save
	tmpDir    string   // where go-vcr saves a recording before it is checked and moved
}

func start(path string, mode recorder.Mode, opts ...Option) (*session, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	s := &session{path: path, file: path + ".yaml", red: redact.New(o.sources...)}
	s.red.Add(o.secrets...)
	s.red.AddWhole(o.names...)
	for _, get := range o.links {
		s.red.Link(get)
	}

	switch mode {
	case recorder.ModeReplaying:
		data, err := os.ReadFile(s.file)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("cassette %s not found: write it by hand or record it with %s=1", s.file, RecordEnv)
			}
			return nil, err
		}
		s.header = leadingComments(data)
		if !hasSource(s.header) {
			return nil, fmt.Errorf("cassette %s has no %q line in its leading comments: a cassette must say where its exchanges come from", s.file, "# source:")
		}
		rec, err := recorder.NewAsMode(path, recorder.ModeReplaying, nil)
		if err != nil {
			return nil, fmt.Errorf("load cassette %s: %w", s.file, err)
		}
		rec.SkipRequestLatency = true
		s.rec = rec
	case recorder.ModeRecording:
		s.recording = true
		switch {
		case os.Getenv(SourceEnv) != "":
			s.header = sourceLines(os.Getenv(SourceEnv))
		case o.source != "":
			s.header = sourceLines(o.source)
		default:
			if data, err := os.ReadFile(s.file); err == nil {
				s.header = leadingComments(data)
			}
		}
		if !hasSource(s.header) {
			return nil, fmt.Errorf("recording %s: say where its exchanges come from with %s or WithSource (e.g. \"recorded against <server> <version>\")", s.file, SourceEnv)
		}
		dir, err := os.MkdirTemp("", "roster-vcr-")
		if err != nil {
			return nil, err
		}
		s.tmpDir = dir
		// A fresh cassette: recording over an existing file would append to its interactions.
		rec, err := recorder.NewAsMode(filepath.Join(dir, "cassette"), recorder.ModeRecording, o.real)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.rec = rec
	default:
		return nil, fmt.Errorf("unsupported recorder mode %d", mode)
	}
	s.rec.SetMatcher(s.match)
	s.rec.AddSaveFilter(s.scrub)
	return s, nil
}

func (s *session) client() *http.Client {
	return &http.Client{Transport: &transport{s: s}}
}

// transport turns a cassette miss into an error the core's retry rule does not retry.
type transport struct{ s *session }

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.s.recording {
		t.s.harvestRequest(r)
	}
	resp, err := t.s.rec.RoundTrip(r)
	if t.s.recording && err == nil {
		t.s.harvestResponse(resp)
	}
	if errors.Is(err, cassette.ErrInteractionNotFound) {
		n, nerr := t.s.normLive(r)
		what := r.Method + " " + t.s.red.URL(r.URL)
		if nerr == nil {
			what = n.String()
		}
		return nil, rest.Permanent(fmt.Errorf("vcr: no unused interaction in %s matches %s: %w", t.s.file, what, err))
	}
	return resp, err
}

// harvestRequest adds to the session's secrets the credentials a live request carries: the
// values of sensitive headers (the token after "Bearer", the password inside a Basic header),
// of sensitive query and form keys, and of sensitive JSON keys. Whatever credential the
// client used, the server's echo of it is scrubbed, whether or not the test named it.
func (s *session) harvestRequest(r *http.Request) {
	var found []string
	found = append(found, redact.HeaderSecrets(r.Header)...)
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		found = append(found, redact.FormSecrets(q)...)
	}
	if mp, _ := multipartBoundary(r.Header.Get("Content-Type")); !mp && r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		if err == nil {
			found = append(found, bodySecrets(r.Header.Get("Content-Type"), b)...)
		}
	}
	s.red.Add(found...)
}

// harvestResponse adds the credentials a reply hands out: a token under a sensitive JSON or
// form key (an OAuth token endpoint's access_token) and sensitive cookies.
func (s *session) harvestResponse(resp *http.Response) {
	found := redact.HeaderSecrets(resp.Header)
	if resp.Body != nil {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if err == nil {
			found = append(found, bodySecrets(resp.Header.Get("Content-Type"), b)...)
		}
	}
	s.red.Add(found...)
}

// bodySecrets returns the values under sensitive keys of a form or JSON body.
func bodySecrets(ct string, b []byte) []string {
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "application/x-www-form-urlencoded" {
		if v, err := url.ParseQuery(string(b)); err == nil {
			return redact.FormSecrets(v)
		}
	}
	return redact.JSONSecrets(bytes.TrimSpace(b))
}

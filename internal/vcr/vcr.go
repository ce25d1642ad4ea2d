package vcr

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
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
	sources    []func() []string
	real       http.RoundTripper
	source     string
}

// WithSecrets adds values to scrub wherever they appear (a token, a password), on top of the
// keys package redact always masks. The matcher scrubs them from live requests too.
func WithSecrets(secrets ...string) Option {
	return func(o *options) { o.secrets = append(o.secrets, secrets...) }
}

// WithAuth scrubs every secret the authorizer holds (when it is an auth.SecretHolder), asked
// afresh at each use so a token fetched later is hidden too. For auth.Basic it also scrubs the
// base64 form of user:password. It may be given more than once.
func WithAuth(a auth.Authorizer) Option {
	return func(o *options) {
		if sh, ok := a.(auth.SecretHolder); ok {
			o.sources = append(o.sources, sh.Secrets)
		}
		var b *auth.Basic
		switch v := a.(type) {
		case auth.Basic:
			b = &v
		case *auth.Basic:
			b = v
		}
		if b != nil && b.Password != "" {
			o.secrets = append(o.secrets, base64.StdEncoding.EncodeToString([]byte(b.Username+":"+b.Password)))
		}
	}
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
	resp, err := t.s.rec.RoundTrip(r)
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

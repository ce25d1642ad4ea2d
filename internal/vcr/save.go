package vcr

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/rosterhq/roster/internal/redact"
)

var errNothingRecorded = errors.New("nothing recorded")

// scrub is the save filter. It runs on every interaction just before the cassette is written,
// after the exchanges are over, and it replaces values and maps instead of editing them: the
// recorded headers and forms are the live requests' own maps (go-vcr stores them by
// reference), and a retry loop may still be using them (an AddFilter that deleted
// Authorization would strip it from the next attempt).
func (s *session) scrub(i *cassette.Interaction) error {
	rq := &i.Request
	ct := rq.Headers.Get("Content-Type")
	if u, err := url.Parse(rq.URL); err == nil {
		rq.URL = s.red.URL(u)
	} else {
		rq.URL = s.red.String(rq.URL)
	}
	rq.Headers = redact.Values(s.red, rq.Headers)
	// Body hides multipart bodies behind its placeholder: an upload is never recorded raw.
	rq.Body = string(s.red.Body(ct, []byte(rq.Body)))
	if mp, _ := multipartBoundary(ct); mp || len(rq.Form) == 0 {
		rq.Form = nil
	} else {
		rq.Form = redact.Values(s.red, rq.Form)
	}

	rs := &i.Response
	h := redact.Values(s.red, rs.Headers)
	h.Del("Date")
	n := len(rs.Body)
	rs.Body = string(s.red.Body(rs.Headers.Get("Content-Type"), []byte(rs.Body)))
	if rq.Method != http.MethodHead && len(rs.Body) != n && h.Get("Content-Length") != "" {
		h.Set("Content-Length", strconv.Itoa(len(rs.Body)))
	}
	rs.Headers = h
	rs.Status = s.red.String(rs.Status)
	rs.Duration = rs.Duration.Round(time.Millisecond)
	return nil
}

// save stops the recorder (go-vcr writes the scrubbed cassette into tmpDir), checks that no
// known secret survived, and writes the provenance comments and the cassette to s.file.
func (s *session) save() error {
	defer s.discard()
	if err := s.rec.Stop(); err != nil {
		return fmt.Errorf("save %s: %w", s.file, err)
	}
	data, err := os.ReadFile(filepath.Join(s.tmpDir, "cassette.yaml"))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w; %s left unchanged", errNothingRecorded, s.file)
	}
	if err != nil {
		return err
	}
	if s.red.String(string(data)) != string(data) {
		return fmt.Errorf("%s not written: a known secret survived scrubbing", s.file)
	}
	out := strings.Join(s.header, "\n") + "\n" + string(data)
	dir := filepath.Dir(s.file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".vcr-*.yaml")
	if err != nil {
		return err
	}
	_, werr := f.WriteString(out)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), s.file); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// discard drops an unsaved recording.
func (s *session) discard() {
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}

// leadingComments returns the comment lines at the top of a cassette, before its first YAML
// line (blank lines skipped).
func leadingComments(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(line)
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, "#") {
			break
		}
		out = append(out, l)
	}
	return out
}

var sourceLine = regexp.MustCompile(`^#\s*source:\s*\S`)

// hasSource reports whether a comment block says where its exchanges come from.
func hasSource(lines []string) bool {
	for _, l := range lines {
		if sourceLine.MatchString(l) {
			return true
		}
	}
	return false
}

// sourceLines turns provenance text into comment lines: a first line that is not a comment
// becomes "# source: ...", later ones "# ...".
func sourceLines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "#"):
		case len(out) == 0:
			l = "# source: " + l
		case l == "":
			l = "#"
		default:
			l = "# " + l
		}
		out = append(out, l)
	}
	return out
}

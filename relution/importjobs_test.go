package relution_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/fixtures"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

const (
	uploadPath = "/api/management/v1/csvImport/upload/users"
	startPath  = "/api/v1/security/users/import/fromFile/"
	jobPath    = "/api/management/v1/csvImport/job/"
	role       = "Organame Device User"
)

var fastWait = relution.WaitOptions{Interval: time.Millisecond, MaxInterval: time.Millisecond}

func newImportClient(t *testing.T, opts ...relutiontest.Option) (*relution.Client, *relutiontest.Server) {
	t.Helper()
	srv := relutiontest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := relution.NewClient(relution.Config{
		BaseURL:     srv.URL,
		AccessToken: srv.Token,
		Retry:       relution.RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func countRequests(srv *relutiontest.Server, method, prefix string) int {
	n := 0
	for _, r := range srv.Kit().Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func reports(t *testing.T, c *relution.Client, job uuid.UUID) []string {
	t.Helper()
	var out []string
	for r, err := range c.ImportJobs.AllReports(t.Context(), job) {
		if err != nil {
			t.Fatalf("Reports: %v", err)
		}
		out = append(out, fmt.Sprintf("%d: [%s] %s", r.Line, r.Status, r.Message))
	}
	return out
}

func importOpts() relution.ImportOptions {
	return relution.ImportOptions{Role: role, Wait: fastWait}
}

func TestImportUsersDocExample(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithImportPolls(2))
	var polls []relution.JobStatus
	opts := importOpts()
	opts.Wait.Progress = func(j *relution.ImportJob) { polls = append(polls, j.Status) }

	job, err := c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), opts)
	if err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	if diff := cmp.Diff([]relution.JobStatus{"RUNNING", "RUNNING", "FINISHED"}, polls); diff != "" {
		t.Errorf("polls (-want +got):\n%s", diff)
	}
	if job.SuccessCount != 6 || job.SkippedCount != 0 || job.FailureCount != 0 {
		t.Errorf("counts = %d/%d/%d, want 6/0/0", job.SuccessCount, job.SkippedCount, job.FailureCount)
	}
	var want []string
	for i := 1; i <= 6; i++ {
		want = append(want, fmt.Sprintf("%d: [SUCCESS] User user%d successfully stored with version 1.", i+1, i))
	}
	if diff := cmp.Diff(want, reports(t, c, job.UUID)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if _, ok := srv.User("user6"); !ok {
		t.Error("user6 not on the server after the import")
	}
	// The upload is one multipart part named file, typed text/csv as in the script.
	for _, r := range srv.Kit().Requests() {
		if r.Path == uploadPath {
			if !bytes.Contains(r.Body, []byte(`name="file"; filename="users.csv"`)) || !bytes.Contains(r.Body, []byte("Content-Type: text/csv")) {
				t.Errorf("upload part headers wrong:\n%.300s", r.Body)
			}
		}
	}
	// A second import without overwrite skips everyone; with overwrite it stores version 2.
	job, err = c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), opts)
	if err != nil || job.SkippedCount != 6 {
		t.Fatalf("second import: %+v, %v; want 6 skipped", job, err)
	}
	if got := reports(t, c, job.UUID)[0]; got != "2: [SKIPPED] User user1 should not be overwritten." {
		t.Errorf("skip report = %q", got)
	}
	opts.Overwrite = true
	job, err = c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), opts)
	if err != nil || job.SuccessCount != 6 {
		t.Fatalf("overwrite import: %+v, %v", job, err)
	}
	if got := reports(t, c, job.UUID)[0]; got != "2: [SUCCESS] User user1 successfully stored with version 2." {
		t.Errorf("overwrite report = %q", got)
	}
}

func TestImportUsersSources(t *testing.T) {
	t.Parallel()
	doc := fixtures.RelutionUsersCSV()
	path := filepath.Join(t.TempDir(), "staff.csv")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		open     func(t *testing.T) io.Reader
		fileName string
	}{
		{"os.File", func(t *testing.T) io.Reader {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}, "staff.csv"},
		{"bytes.Reader", func(*testing.T) io.Reader { return bytes.NewReader(doc) }, "users.csv"},
		{"plain reader, spooled", func(*testing.T) io.Reader {
			return io.MultiReader(bytes.NewReader(doc[:10]), bytes.NewReader(doc[10:]))
		}, "users.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newImportClient(t, relutiontest.WithImportPolls(0))
			job, err := c.ImportJobs.ImportUsers(t.Context(), tt.open(t), importOpts())
			if err != nil || job.SuccessCount != 6 {
				t.Fatalf("ImportUsers = %+v, %v", job, err)
			}
			for _, r := range srv.Kit().Requests() {
				if r.Path == uploadPath {
					if r.BodySize < int64(len(doc)) || !bytes.Contains(r.Body, doc) {
						t.Errorf("upload body lacks the CSV (size %d)", r.BodySize)
					}
					if !bytes.Contains(r.Body, []byte(`filename="`+tt.fileName+`"`)) {
						t.Errorf("upload file name is not %q", tt.fileName)
					}
				}
			}
		})
	}
}

// A whole-file problem is refused before anything is sent, with every problem listed.
func TestImportUsersWholeFileProblemSendsNothing(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	csv := "name,givenName,surName,password,password\nuser1,A,B\nuser2,,B,pw,pw\n"
	for _, mode := range []relution.CheckMode{relution.CheckWholeFile, relution.CheckStrict} {
		opts := importOpts()
		opts.Check = mode
		_, err := c.ImportJobs.ImportUsers(t.Context(), strings.NewReader(csv), opts)
		if !errors.Is(err, relution.ErrInvalidInput) {
			t.Fatalf("mode %d: err = %v, want ErrInvalidInput", mode, err)
		}
		var ce *relution.CSVError
		if !errors.As(err, &ce) || !ce.WholeFile() {
			t.Fatalf("mode %d: err = %v, want a *CSVError with a whole-file problem", mode, err)
		}
		var got []string
		for _, p := range ce.Problems {
			got = append(got, fmt.Sprintf("%v %v", p, p.WholeFile))
		}
		want := []string{
			`line 1: duplicate column "password" (columns 4 and 5) true`,
			`line 1: missing mandatory column "email" true`,
			"line 2: 3 fields, header has 5 false",
			`line 3: mandatory field "givenName" is empty false`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("mode %d: problems (-want +got):\n%s", mode, diff)
		}
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent for a CSV that failed the local check", n)
	}
}

// Line problems are warnings by default: the file goes up as the script would send it, and
// the server reports those lines.
func TestImportUsersLineProblemsAreWarnings(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithImportPolls(0))
	csv := "name,email,givenName,surName,password,nickname\nuser1,u1@x.com,A,B\nuser2,,A,B,pw,x\nuser3,u3@x.com,A,B,pw,y\n"
	wantWarnings := []relution.CSVProblem{
		{Line: 1, Reason: "column 6: unknown name (the columns are name, email, givenName, surName, password, phone, position, country, managedAppleId and custom1 to custom15)"},
		{Line: 2, Reason: "4 fields, header has 6"},
		{Line: 3, Column: "email", Reason: `mandatory field "email" is empty`},
	}
	wantReports := []string{
		"2: [FAILED] Number of data fields does not match number of headers.",
		"3: [FAILED] Mandatory field email is empty.",
		"4: [SUCCESS] User user3 successfully stored with version 1.",
	}

	job, err := c.ImportJobs.ImportUsers(t.Context(), strings.NewReader(csv), importOpts())
	if err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	if diff := cmp.Diff(wantWarnings, job.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if job.SuccessCount != 1 || job.FailureCount != 2 {
		t.Errorf("job %+v, want 1 success and 2 failures", job)
	}
	if diff := cmp.Diff(wantReports, reports(t, c, job.UUID)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	// The upload is the file, byte for byte.
	var uploads int
	for _, r := range srv.Kit().Requests() {
		if r.Path == uploadPath {
			uploads++
			if !bytes.Contains(r.Body, []byte("\r\n\r\n"+csv+"\r\n--")) {
				t.Errorf("the upload does not hold the file byte for byte:\n%s", r.Body)
			}
		}
	}
	if uploads != 1 {
		t.Errorf("%d uploads, want 1", uploads)
	}

	// Strict refuses the same file, sending nothing.
	srv.Kit().ResetRequests()
	opts := importOpts()
	opts.Check = relution.CheckStrict
	_, err = c.ImportJobs.ImportUsers(t.Context(), strings.NewReader(csv), opts)
	var ce *relution.CSVError
	if !errors.As(err, &ce) || ce.WholeFile() || len(ce.Problems) != 3 {
		t.Fatalf("strict: err = %v, want a *CSVError with the 3 line problems", err)
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("strict: %d requests sent", n)
	}

	// CheckOff uploads even a file the server fails as a whole, and returns no warnings.
	opts.Check = relution.CheckOff
	job, err = c.ImportJobs.ImportUsers(t.Context(), strings.NewReader("name,email\nu,u@x\n"), opts)
	if !errors.Is(err, relution.ErrJobFailed) || job == nil || job.Warnings != nil {
		t.Fatalf("no check: job %+v, err %v; want the FAILED job without warnings", job, err)
	}

	opts.Check = relution.CheckMode(7)
	if _, err := c.ImportJobs.ImportUsers(t.Context(), strings.NewReader(csv), opts); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("unknown check mode: err = %v, want ErrInvalidInput", err)
	}
}

func TestImportUsersSemicolon(t *testing.T) {
	t.Parallel()
	c, _ := newImportClient(t, relutiontest.WithImportPolls(1))
	csv := strings.ReplaceAll(string(fixtures.RelutionUsersCSV()), ",", ";")
	opts := importOpts()
	opts.Separator = relution.Semicolon
	job, err := c.ImportJobs.ImportUsers(t.Context(), strings.NewReader(csv), opts)
	if err != nil || job.SuccessCount != 6 {
		t.Fatalf("ImportUsers = %+v, %v", job, err)
	}
	// The same file read with the wrong separator fails the local check.
	_, err = c.ImportJobs.ImportUsers(t.Context(), strings.NewReader(csv), importOpts())
	if !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("comma-read of a semicolon file: err = %v", err)
	}
}

func TestImportValidation(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	ctx := t.Context()
	file := uuid.New()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"bad separator", func() error {
			_, err := c.ImportJobs.Start(ctx, file, relution.StartOptions{Role: role, Separator: "TAB"})
			return err
		}, "Separator"},
		{"zero file", func() error {
			_, err := c.ImportJobs.Start(ctx, uuid.Nil, relution.StartOptions{Role: role})
			return err
		}, "file"},
		{"zero job", func() error { _, err := c.ImportJobs.Get(ctx, uuid.Nil); return err }, "job"},
		{"zero job wait", func() error { _, err := c.ImportJobs.Wait(ctx, uuid.Nil, fastWait); return err }, "job"},
		{"empty upload name", func() error {
			_, err := c.ImportJobs.Upload(ctx, "", strings.NewReader("x"), 1)
			return err
		}, "name"},
		{"nil reader", func() error { _, err := c.ImportJobs.ImportUsers(ctx, nil, importOpts()); return err }, "file"},
		{"import with a bad separator", func() error {
			_, err := c.ImportJobs.ImportUsers(ctx, bytes.NewReader(fixtures.RelutionUsersCSV()), relution.ImportOptions{Separator: ";"})
			return err
		}, "Separator"},
	}
	for _, tt := range tests {
		err := tt.call()
		var ve *relution.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: err = %v, want ValidationError on %s", tt.name, err, tt.field)
		}
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

// Without a Role the start call sends no role parameter at all.
func TestImportWithoutRole(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithImportPolls(0))
	job, err := c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), relution.ImportOptions{Wait: fastWait})
	if err != nil || job.SuccessCount != 6 {
		t.Fatalf("ImportUsers = %+v, %v", job, err)
	}
	for _, r := range srv.Kit().Requests() {
		if strings.HasPrefix(r.Path, startPath) {
			if _, ok := r.Query["role"]; ok || r.Query.Get("overwrite") != "false" || r.Query.Get("csvSeparator") != "COMMA" {
				t.Errorf("start query = %v", r.Query)
			}
		}
	}
}

func TestImportJobFailed(t *testing.T) {
	t.Parallel()
	c, _ := newImportClient(t, relutiontest.WithImportFailure(), relutiontest.WithImportPolls(1))
	job, err := c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), importOpts())
	if !errors.Is(err, relution.ErrJobFailed) {
		t.Fatalf("err = %v, want ErrJobFailed", err)
	}
	if job == nil || job.Status != relution.JobFailed {
		t.Fatalf("job = %+v, want the FAILED job", job)
	}
	if got := reports(t, c, job.UUID); len(got) != 1 || !strings.HasPrefix(got[0], "1: [FAILED]") {
		t.Errorf("reports = %q", got)
	}
}

// A reply lost after the server started the job must not start a second job.
func TestImportStartLostReplyNotResent(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	srv.Kit().Inject(relutiontest.Fault{Method: "POST", Path: startPath + "*", DropAfterApply: true})
	_, err := c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), importOpts())
	if !errors.Is(err, relution.ErrMaybeApplied) {
		t.Fatalf("err = %v, want ErrMaybeApplied", err)
	}
	if n := countRequests(srv, "POST", startPath); n != 1 {
		t.Errorf("import start sent %d times, want 1", n)
	}
	if n := len(srv.ImportJobs()); n != 1 {
		t.Errorf("server has %d jobs, want 1 (the change was applied once)", n)
	}
	if n := countRequests(srv, "GET", jobPath); n != 0 {
		t.Errorf("polled %d times after a failed start", n)
	}
}

// The upload is a write too: a lost reply is reported, not resent.
func TestUploadLostReplyNotResent(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	srv.Kit().Inject(relutiontest.Fault{Method: "POST", Path: uploadPath, DropAfterApply: true})
	doc := fixtures.RelutionUsersCSV()
	_, err := c.ImportJobs.Upload(t.Context(), "users.csv", bytes.NewReader(doc), int64(len(doc)))
	if !errors.Is(err, relution.ErrMaybeApplied) {
		t.Fatalf("err = %v, want ErrMaybeApplied", err)
	}
	if n := countRequests(srv, "POST", uploadPath); n != 1 {
		t.Errorf("upload sent %d times, want 1", n)
	}
}

// A 503 on a job poll is retried by the core and the wait goes on to the end.
func TestWaitSurvives503(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithImportPolls(1))
	srv.Kit().Inject(relutiontest.Fault{Method: "GET", Path: jobPath + "*", Status: 503, Count: 2})
	job, err := c.ImportJobs.ImportUsers(t.Context(), bytes.NewReader(fixtures.RelutionUsersCSV()), importOpts())
	if err != nil || job.Status != relution.JobFinished {
		t.Fatalf("ImportUsers = %+v, %v", job, err)
	}
	// 2 refused + RUNNING + FINISHED.
	if n := countRequests(srv, "GET", jobPath); n != 4 {
		t.Errorf("job GETs = %d, want 4", n)
	}
	// The reports query is a read-only POST: retried on 503 as well.
	srv.Kit().Inject(relutiontest.Fault{Method: "POST", Path: jobPath + "*", Status: 503, Count: 1})
	if got := reports(t, c, job.UUID); len(got) != 6 {
		t.Errorf("reports after a 503 = %d lines, want 6", len(got))
	}
}

// Cancelling ctx stops Wait in the middle of an hour-long wait.
func TestWaitStopsOnCancel(t *testing.T) {
	t.Parallel()
	c, _ := newImportClient(t, relutiontest.WithImportPolls(1_000_000))
	doc := fixtures.RelutionUsersCSV()
	f, err := c.ImportJobs.Upload(t.Context(), "users.csv", bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.ImportJobs.Start(t.Context(), f.UUID, relution.StartOptions{Role: role})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	polls := 0
	last, err := c.ImportJobs.Wait(ctx, job.UUID, relution.WaitOptions{
		Interval: time.Hour, MaxInterval: time.Hour,
		Progress: func(*relution.ImportJob) { polls++; cancel() },
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait err = %v, want context.Canceled", err)
	}
	if polls != 1 || last == nil || last.Status != relution.JobRunning {
		t.Errorf("polls = %d, last = %+v", polls, last)
	}
}

// sectionOnly hides every method but ReadAt, so ImportUsersAt cannot cheat by reading.
type sectionOnly struct{ r io.ReaderAt }

func (s sectionOnly) ReadAt(p []byte, off int64) (int, error) { return s.r.ReadAt(p, off) }

func TestImportUsersAt(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithImportPolls(0))
	doc := fixtures.RelutionUsersCSV()
	opts := importOpts()
	opts.FileName = "hr-export.csv"
	job, err := c.ImportJobs.ImportUsersAt(t.Context(), sectionOnly{bytes.NewReader(doc)}, int64(len(doc)), opts)
	if err != nil || job.SuccessCount != 6 {
		t.Fatalf("ImportUsersAt = %+v, %v", job, err)
	}
	for _, r := range srv.Kit().Requests() {
		if r.Path == uploadPath && !bytes.Contains(r.Body, []byte(`filename="hr-export.csv"`)) {
			t.Errorf("upload not named hr-export.csv")
		}
	}
	if _, err := c.ImportJobs.ImportUsersAt(t.Context(), nil, 1, opts); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("nil ReaderAt: err = %v", err)
	}
}

func TestImportUsersRefusesNilAndDirectories(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	for name, r := range map[string]io.Reader{
		"nil *os.File":        (*os.File)(nil),
		"nil *bytes.Reader":   (*bytes.Reader)(nil),
		"nil *strings.Reader": (*strings.Reader)(nil),
		"a directory":         dir,
	} {
		_, err := c.ImportJobs.ImportUsers(t.Context(), r, importOpts())
		if !errors.Is(err, relution.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestImportCheckErrorIsOneLine(t *testing.T) {
	t.Parallel()
	c, _ := newImportClient(t)
	opts := importOpts()
	opts.FileName = "u.csv"
	_, err := c.ImportJobs.ImportUsers(t.Context(), strings.NewReader("name,givenName,surName,password\nx,A,B,pw\n"), opts)
	want := `relution: import users: file "u.csv": 1 problem: line 1: missing mandatory column "email"`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	var ce *relution.CSVError
	if !errors.As(err, &ce) || !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("err does not unwrap to *CSVError and ErrInvalidInput")
	}
}

// A size other than the data's is refused before anything is sent: from the reader's own
// size when it has one, else from what the check read. A shorter size would upload a cut
// file ("Cost center 4711" stored as "Cost center 4").
func TestImportUsersAtWrongSize(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	doc := []byte("name,email,givenName,surName,password,custom1\nu,u@x.de,A,B,pw,Cost center 4711\n")
	for _, tt := range []struct {
		name string
		r    io.ReaderAt
		size int64
		mode relution.CheckMode
	}{
		{"sized, beyond", bytes.NewReader(doc), int64(len(doc)) + 10, relution.CheckWholeFile},
		{"sized, short", bytes.NewReader(doc), int64(len(doc)) - 3, relution.CheckWholeFile},
		{"sized, short, no check", bytes.NewReader(doc), int64(len(doc)) - 3, relution.CheckOff},
		{"bare, beyond", sectionOnly{bytes.NewReader(doc)}, int64(len(doc)) + 10, relution.CheckWholeFile},
		{"bare, short", sectionOnly{bytes.NewReader(doc)}, int64(len(doc)) - 3, relution.CheckWholeFile},
		{"bare, short, strict", sectionOnly{bytes.NewReader(doc)}, int64(len(doc)) - 3, relution.CheckStrict},
		{"negative", sectionOnly{bytes.NewReader(doc)}, -1, relution.CheckWholeFile},
	} {
		opts := importOpts()
		opts.Check = tt.mode
		_, err := c.ImportJobs.ImportUsersAt(t.Context(), tt.r, tt.size, opts)
		var ve *relution.ValidationError
		if !errors.As(err, &ve) || ve.Field != "size" {
			t.Errorf("%s: err = %v, want a ValidationError on size", tt.name, err)
		}
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// ImportRecords maps the server's reports back to the records, whatever lines they take up,
// and refuses records the CSV writer refuses without sending anything.
func TestImportRecords(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithImportPolls(0))
	rec := func(name string) relution.UserRecord {
		return relution.UserRecord{Name: name, Email: name + "@x.example", GivenName: "G", SurName: "S", Password: "pw"}
	}
	multi := rec("multi")
	multi.Position = "two\nlines"
	custom := rec("custom")
	custom.Custom[2] = "c3"
	records := []relution.UserRecord{rec("anna"), multi, rec("admin"), custom, rec("anna")}
	opts := importOpts()
	opts.Separator = relution.Semicolon
	job, results, err := c.ImportJobs.ImportRecords(t.Context(), records, opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, r := range results {
		if r.Record != records[i] {
			t.Errorf("result %d holds record %+v, want %+v", i, r.Record, records[i])
		}
		got = append(got, fmt.Sprintf("%s %d [%s] %s", r.Record.Name, r.Line, r.Status, r.Message))
	}
	want := []string{
		"anna 2 [SUCCESS] User anna successfully stored with version 1.",
		"multi 3 [SUCCESS] User multi successfully stored with version 1.",
		"admin 5 [SKIPPED] User admin should not be overwritten.",
		"custom 6 [SUCCESS] User custom successfully stored with version 1.",
		"anna 7 [SKIPPED] User anna should not be overwritten.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if job.SuccessCount != 3 || job.SkippedCount != 2 {
		t.Errorf("job %+v", job)
	}
	if u, ok := srv.User("custom"); !ok || u.CustomProperties["custom3"] != "c3" {
		t.Errorf("custom3 not imported: %+v", u)
	}

	srv.Kit().ResetRequests()
	bad := rec("bad")
	bad.Email = ""
	phone := rec("phone")
	phone.Phone = "0171 234"
	_, _, err = c.ImportJobs.ImportRecords(t.Context(), []relution.UserRecord{rec("ok"), bad, phone}, opts)
	var ce *relution.CSVError
	if !errors.As(err, &ce) || !errors.Is(err, relution.ErrInvalidInput) || len(ce.Problems) != 2 ||
		!strings.HasPrefix(ce.Problems[0].Reason, "record 1: ") || !strings.HasPrefix(ce.Problems[1].Reason, "record 2: ") {
		t.Errorf("err = %v, want a *CSVError naming records 1 and 2", err)
	}
	if _, _, err := c.ImportJobs.ImportRecords(t.Context(), nil, opts); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("no records: err = %v", err)
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent for refused records", n)
	}
}

// Typed nil readers are refused before any I/O: net/http would panic on them in a goroutine
// the caller cannot recover.
func TestTypedNilReaders(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	ctx := t.Context()
	var br *bytes.Reader
	var sr *strings.Reader
	var f *os.File
	checks := map[string]func() error{
		"Upload *bytes.Reader":        func() error { _, err := c.ImportJobs.Upload(ctx, "u.csv", br, 10); return err },
		"Upload *os.File":             func() error { _, err := c.ImportJobs.Upload(ctx, "u.csv", f, 10); return err },
		"UploadFile *strings.Reader":  func() error { _, err := c.Apps.UploadFile(ctx, "a.msi", sr, 10); return err },
		"ImportUsersAt *bytes.Reader": func() error { _, err := c.ImportJobs.ImportUsersAt(ctx, br, 10, importOpts()); return err },
		"ImportUsers *strings.Reader": func() error { _, err := c.ImportJobs.ImportUsers(ctx, sr, importOpts()); return err },
		"CheckCSV *bytes.Reader":      func() error { return relution.CheckCSV(br, relution.Comma) },
		"NewCSVWriter *bytes.Buffer": func() error {
			_, err := relution.NewCSVWriter((*bytes.Buffer)(nil), relution.CSVWriterOptions{})
			return err
		},
	}
	for name, call := range checks {
		var ve *relution.ValidationError
		if err := call(); !errors.As(err, &ve) || !errors.Is(err, relution.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want a *ValidationError", name, err)
		}
	}
	if _, err := relution.NewCSVWriter(io.Discard, relution.CSVWriterOptions{Separator: "TAB"}); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("NewCSVWriter(TAB): err = %v, want ErrInvalidInput", err)
	}
	if _, err := relution.Separator("TAB").Rune(); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("Rune(TAB): err = %v, want ErrInvalidInput", err)
	}
	if _, err := relution.NewCSVWriter(io.Discard, relution.CSVWriterOptions{Customs: 16}); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("NewCSVWriter(Customs 16): err = %v, want ErrInvalidInput", err)
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

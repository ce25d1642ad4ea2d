package relution

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/internal/paging"
	"github.com/rosterhq/roster/internal/rest"
)

// ImportJobsService runs CSV user imports: upload a file, start a job on it, poll the job
// until it finishes, read its per-line reports. Since Relution 5.34 an import is a background
// job (doc.txt §3); ImportUsers does all of it in one call.
type ImportJobsService service

// JobStatus is the state of an import job.
type JobStatus string

// Job states of doc.txt §4. Wait stops at FINISHED or FAILED and keeps polling through any
// other state, as the vendor's script does.
const (
	JobRunning  JobStatus = "RUNNING"
	JobFinished JobStatus = "FINISHED"
	JobFailed   JobStatus = "FAILED"
)

// ErrJobFailed is returned, with the job, when an import job ends FAILED.
var ErrJobFailed = errors.New("relution: import job failed")

// ImportJob is a CSV import job.
type ImportJob struct {
	// UUID identifies the job.
	UUID uuid.UUID `json:"uuid"`
	// Status is RUNNING until the job ends FINISHED or FAILED.
	Status JobStatus `json:"status"`
	// SuccessCount is the number of lines stored as users.
	SuccessCount int `json:"successCount"`
	// SkippedCount is the number of lines left alone: existing users without Overwrite.
	SkippedCount int `json:"skippedCount"`
	// FailureCount is the number of lines refused; AllReports says why.
	FailureCount int `json:"failureCount"`

	// Warnings are the line problems the local check of ImportUsers found
	// and let through (see CheckCSV), at most 1000; the server's reports say
	// what it made of those lines. Never sent by the server.
	Warnings []CSVProblem `json:"-"`
}

// Done reports whether the job reached a terminal state.
func (j *ImportJob) Done() bool { return j.Status == JobFinished || j.Status == JobFailed }

// UploadedFile is a file stored on the server for a later import.
type UploadedFile struct {
	// UUID names the file in Start.
	UUID uuid.UUID `json:"uuid"`
	// Name is the file name sent with the upload.
	Name string `json:"name"`
	// ContentType is the media type the server stored, text/csv.
	ContentType string `json:"contentType"`
	// Size is the number of bytes the server stored.
	Size int64 `json:"size"`
}

// Upload stores a users CSV on the server, streamed from r (size bytes) as a multipart body
// of known length: memory does not grow with the file. It is a write and is not resent after
// a lost reply; a reply without the file's UUID is an error matching ErrMaybeApplied.
//
// Doc: "Bash Script: Upload Users via CSV", step "uploading file".
//
// Endpoint: POST /api/management/v1/csvImport/upload/users
//
//roster:endpoint POST /api/management/v1/csvImport/upload/users
func (s *ImportJobsService) Upload(ctx context.Context, name string, r io.ReaderAt, size int64) (*UploadedFile, error) {
	if name == "" {
		return nil, vendor.Invalid("name", "empty file name")
	}
	if rest.IsNil(r) || size < 0 {
		// A typed nil would panic in net/http's goroutine, out of the caller's reach.
		return nil, vendor.Invalid("file", "no readable file of known size")
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/management/v1/csvImport/upload/users")
	if err != nil {
		return nil, err
	}
	if err := req.SetMultipart(rest.Multipart{
		FileField: "file", FileName: name, ContentType: "text/csv", File: r, Size: size,
	}); err != nil {
		return nil, vendor.Own(err)
	}
	f, err := first[UploadedFile]((*service)(s), req)
	if err != nil {
		return nil, err
	}
	if f.UUID == uuid.Nil {
		return nil, s.c.core.BadReply(req, "the reply has no file uuid")
	}
	return f, nil
}

// StartOptions are the parameters of an import job.
type StartOptions struct {
	// Overwrite replaces existing users; when false they are reported SKIPPED.
	Overwrite bool
	// Role is given to the imported users, by name ("Organame Device User"), not in the
	// URL-encoded form the vendor's script takes. Empty sends no role, leaving it to the
	// server (the script always sends one; which values the server accepts is not
	// documented).
	Role string
	// Separator is the CSV field separator; empty means Comma.
	Separator Separator
}

func (o StartOptions) validate() (Separator, error) {
	sep := o.Separator
	if sep == "" {
		sep = Comma
	}
	if _, err := sep.Rune(); err != nil {
		return "", vendor.Invalid("Separator", "%q is not COMMA or SEMICOLON", string(o.Separator))
	}
	return sep, nil
}

// Start starts an import job on an uploaded file. The reply carries the job's UUID; the
// job runs in the background. It is a write and is not resent after a lost reply (the job
// would run twice): the error then matches ErrMaybeApplied, as it does for a reply without
// the job's UUID.
//
// Doc: "Bash Script: Upload Users via CSV", step "start import job".
//
// Endpoint: POST /api/v1/security/users/import/fromFile/{fileUuid}
//
//roster:endpoint POST /api/v1/security/users/import/fromFile/{fileUuid}
func (s *ImportJobsService) Start(ctx context.Context, file uuid.UUID, opts StartOptions) (*ImportJob, error) {
	if err := checkUUID("file", file); err != nil {
		return nil, err
	}
	sep, err := opts.validate()
	if err != nil {
		return nil, vendor.Own(err)
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/v1/security/users/import/fromFile/{fileUuid}", wireUUID(file))
	if err != nil {
		return nil, err
	}
	if err := req.SetQuery(struct {
		Overwrite bool   `url:"overwrite"`
		Role      string `url:"role,omitempty"`
		Separator string `url:"csvSeparator"`
	}{opts.Overwrite, opts.Role, string(sep)}); err != nil {
		return nil, err
	}
	var job ImportJob
	if err := s.c.core.Do(req, &job); err != nil {
		return nil, err
	}
	if job.UUID == uuid.Nil {
		return nil, s.c.core.BadReply(req, "the reply has no job uuid")
	}
	return &job, nil
}

// Get returns an import job's state and counts.
//
// Doc: "Bash Script: Upload Users via CSV", the status poll.
//
// Endpoint: GET /api/management/v1/csvImport/job/{jobUuid}
//
//roster:endpoint GET /api/management/v1/csvImport/job/{jobUuid}
func (s *ImportJobsService) Get(ctx context.Context, job uuid.UUID) (*ImportJob, error) {
	if err := checkUUID("job", job); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/api/management/v1/csvImport/job/{jobUuid}", wireUUID(job))
	if err != nil {
		return nil, err
	}
	return first[ImportJob]((*service)(s), req)
}

// WaitOptions set how Wait polls.
type WaitOptions struct {
	// Interval is the wait after the first poll; default 1 s, like the vendor's script.
	Interval time.Duration
	// MaxInterval caps the wait, which grows 1.5× per poll; default 10 s. Set it equal to
	// Interval for a fixed rhythm.
	MaxInterval time.Duration
	// Progress, if set, sees the job after every poll.
	Progress func(*ImportJob)
}

// Wait polls a job until it is FINISHED or FAILED, or ctx is done: the first poll at once,
// then after each wait. A FAILED job is returned with an error matching ErrJobFailed. A
// failed poll (after the core's retries) ends the wait with that error.
//
// Endpoint: GET /api/management/v1/csvImport/job/{jobUuid}
//
//roster:endpoint GET /api/management/v1/csvImport/job/{jobUuid}
func (s *ImportJobsService) Wait(ctx context.Context, job uuid.UUID, opts WaitOptions) (*ImportJob, error) {
	if err := checkUUID("job", job); err != nil {
		return nil, err
	}
	j, err := paging.Poll(ctx, paging.PollOptions{Interval: opts.Interval, MaxInterval: opts.MaxInterval},
		func(ctx context.Context) (*ImportJob, bool, error) {
			j, err := s.Get(ctx, job)
			if err != nil {
				return nil, false, err
			}
			return j, j.Done(), nil
		}, opts.Progress)
	if err != nil {
		return j, err
	}
	if j.Status == JobFailed {
		return j, fmt.Errorf("%w: job %s", ErrJobFailed, wireUUID(j.UUID))
	}
	return j, nil
}

// ReportStatus is what an import did with one line.
type ReportStatus string

// Report states of doc.txt's output example.
const (
	ReportSuccess ReportStatus = "SUCCESS"
	ReportFailed  ReportStatus = "FAILED"
	ReportSkipped ReportStatus = "SKIPPED"
)

// LineReport is what an import job did with one line of the CSV (the header is line 1).
type LineReport struct {
	// Line is the line of the CSV file; the header is line 1.
	Line int `json:"line"`
	// Status is SUCCESS, FAILED or SKIPPED.
	Status ReportStatus `json:"status"`
	// Message is the server's explanation, e.g. "Number of data fields does not match
	// number of headers."
	Message string `json:"message"`
}

// ListReports runs one query over a job's per-line reports (read-only).
//
// Doc: "Bash Script: Upload Users via CSV", the report query.
//
// Endpoint: POST /api/management/v1/csvImport/job/{jobUuid}/entityStates/query
//
//roster:endpoint POST /api/management/v1/csvImport/job/{jobUuid}/entityStates/query
func (s *ImportJobsService) ListReports(ctx context.Context, job uuid.UUID, q Query) (*Page[LineReport], error) {
	if err := checkUUID("job", job); err != nil {
		return nil, err
	}
	return query[LineReport](ctx, (*service)(s), q, "/api/management/v1/csvImport/job/{jobUuid}/entityStates/query", wireUUID(job))
}

// reportPageSize keeps a page of reports around 100 KiB.
const reportPageSize = 1000

// AllReports yields every per-line report of a job in line order, a page at a time.
//
// Endpoint: POST /api/management/v1/csvImport/job/{jobUuid}/entityStates/query
//
//roster:endpoint POST /api/management/v1/csvImport/job/{jobUuid}/entityStates/query
func (s *ImportJobsService) AllReports(ctx context.Context, job uuid.UUID) iter.Seq2[LineReport, error] {
	q := Query{Limit: reportPageSize, SortOrder: SortBy(Asc("line"))}
	return all(ctx, q, func(ctx context.Context, q Query) (*Page[LineReport], error) {
		p, err := s.ListReports(ctx, job, q)
		if err == nil {
			// The server is asked to sort; a page out of order is put right here.
			slices.SortStableFunc(p.Items, func(a, b LineReport) int { return a.Line - b.Line })
		}
		return p, err
	})
}

// CheckMode says what ImportUsers does with the problems its local check finds.
type CheckMode int

// Check modes. The default refuses what the server would fail as a whole and uploads the
// rest, as the vendor's script does.
const (
	// CheckWholeFile refuses a file with a whole-file problem (no header, a missing
	// mandatory column, a duplicate column, an unreadable header), which the server would
	// fail as a whole, and uploads a file with only line problems, returning those as
	// ImportJob.Warnings. The server reports such lines FAILED and imports the others.
	CheckWholeFile CheckMode = iota
	// CheckStrict refuses a file with any problem.
	CheckStrict
	// CheckOff uploads without checking, leaving every verdict to the server.
	CheckOff
)

// ImportOptions configure ImportUsers.
type ImportOptions struct {
	// Overwrite replaces existing users; when false they are reported SKIPPED.
	Overwrite bool
	// Role is given to the imported users; see StartOptions.Role.
	Role string
	// Separator is the CSV field separator; empty means Comma.
	Separator Separator
	// FileName names the upload; default the file's base name, or "users.csv".
	FileName string
	// Check says what the local check refuses; the zero value is CheckWholeFile.
	Check CheckMode
	// Wait sets the polling rhythm.
	Wait WaitOptions
}

// ImportUsers checks a users CSV locally, uploads it, starts an import job and waits for it
// to finish, like the vendor's uploadUserCSV.sh
// (https://hub.relution.io/en/docs/settings/rest-api). Read the per-line reports with
// AllReports.
//
// r may be an *os.File or any io.ReaderAt with a Size method (bytes.Reader, strings.Reader,
// io.SectionReader): it is read from its start, twice (check, upload), never whole into
// memory. Any other io.Reader is first copied to a temporary file, removed afterwards. For
// an io.ReaderAt without a Size method, use ImportUsersAt.
//
// The local check (CheckCSV) follows opts.Check. By default a file with a whole-file
// problem is refused before anything is sent: the error, a *CSVError matching
// ErrInvalidInput, lists every problem with its line. A file with only line problems (a
// line with the wrong number of fields, an empty mandatory value) is uploaded, as the
// script would upload it: the server reports those lines FAILED and imports the others,
// and the job comes back with the problems in its Warnings. A job that ends FAILED is
// returned with an error matching ErrJobFailed.
//
// Endpoints:
//   - POST /api/management/v1/csvImport/upload/users
//   - POST /api/v1/security/users/import/fromFile/{fileUuid}
//   - GET /api/management/v1/csvImport/job/{jobUuid}
//
//roster:endpoint POST /api/management/v1/csvImport/upload/users
//roster:endpoint POST /api/v1/security/users/import/fromFile/{fileUuid}
//roster:endpoint GET /api/management/v1/csvImport/job/{jobUuid}
func (s *ImportJobsService) ImportUsers(ctx context.Context, r io.Reader, opts ImportOptions) (*ImportJob, error) {
	if rest.IsNil(r) {
		return nil, vendor.Invalid("file", "nil reader")
	}
	if _, err := opts.validate(); err != nil {
		return nil, err
	}
	ra, size, name, cleanup, err := readerAt(r)
	if err != nil {
		return nil, vendor.Own(err)
	}
	defer cleanup()
	return s.importAt(ctx, ra, size, name, opts)
}

// ImportUsersAt is ImportUsers for a file given as an io.ReaderAt of size bytes, read from
// offset 0. The upload is named opts.FileName, or "users.csv".
//
// The file must hold exactly size bytes. When r can tell its size (an *os.File, or a
// Size method as bytes.Reader has) a different size is refused before anything is read;
// otherwise the local check reads the file to its end first and refuses a size that
// differs, so that the upload never sends a cut file. With Check set to CheckOff nothing
// reads the file before the upload: a shorter file then fails the upload midway, and the
// error matches ErrMaybeApplied only if the server may have stored something.
//
// Endpoints:
//   - POST /api/management/v1/csvImport/upload/users
//   - POST /api/v1/security/users/import/fromFile/{fileUuid}
//   - GET /api/management/v1/csvImport/job/{jobUuid}
//
//roster:endpoint POST /api/management/v1/csvImport/upload/users
//roster:endpoint POST /api/v1/security/users/import/fromFile/{fileUuid}
//roster:endpoint GET /api/management/v1/csvImport/job/{jobUuid}
func (s *ImportJobsService) ImportUsersAt(ctx context.Context, r io.ReaderAt, size int64, opts ImportOptions) (*ImportJob, error) {
	if rest.IsNil(r) {
		return nil, vendor.Invalid("file", "nil %T", r)
	}
	if size < 0 {
		return nil, vendor.Invalid("size", "%d is negative", size)
	}
	if n, ok := knownSize(r); ok && n != size {
		return nil, vendor.Invalid("size", "the file has %d bytes, not %d", n, size)
	}
	return s.importAt(ctx, r, size, "users.csv", opts)
}

// knownSize returns the size r reports of itself, if it can: a Size method, or Stat for
// a regular file.
func knownSize(r io.ReaderAt) (int64, bool) {
	switch t := r.(type) {
	case *os.File:
		if st, err := t.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size(), true
		}
	case interface{ Size() int64 }:
		return t.Size(), true
	}
	return 0, false
}

func (o ImportOptions) validate() (Separator, error) {
	if o.Check < CheckWholeFile || o.Check > CheckOff {
		return "", vendor.Invalid("Check", "unknown CheckMode %d", int(o.Check))
	}
	return o.start().validate()
}

func (o ImportOptions) start() StartOptions {
	return StartOptions{Overwrite: o.Overwrite, Role: o.Role, Separator: o.Separator}
}

func (s *ImportJobsService) importAt(ctx context.Context, ra io.ReaderAt, size int64, name string, opts ImportOptions) (*ImportJob, error) {
	sep, err := opts.validate()
	if err != nil {
		return nil, err
	}
	start := opts.start()
	if opts.FileName != "" {
		name = opts.FileName
	}
	var warnings []CSVProblem
	if opts.Check != CheckOff {
		// The check reads one byte past size: a file longer than size would be uploaded cut.
		cr := &sizeCounter{r: io.NewSectionReader(ra, 0, size+1)}
		err := CheckCSV(cr, sep)
		var ce *CSVError
		if err != nil && !errors.As(err, &ce) {
			return nil, fmt.Errorf("relution: import users: file %q: %w", name, err)
		}
		// The check may stop early (a record over 1 MiB): count the rest.
		if _, err := io.Copy(io.Discard, cr); err != nil {
			return nil, fmt.Errorf("relution: import users: file %q: %w", name, err)
		}
		if cr.n != size {
			// A size beyond the data would fail mid-upload, after the server saw part of it;
			// a size short of it would upload a cut file.
			return nil, vendor.Invalid("size", "file %q has %s bytes, not %d", name, sizeText(cr.n, size), size)
		}
		if ce != nil {
			if opts.Check == CheckStrict || ce.WholeFile() {
				return nil, &fileError{name: name, err: ce}
			}
			warnings = ce.Problems
		}
	}
	f, err := s.Upload(ctx, name, ra, size)
	if err != nil {
		return nil, fmt.Errorf("relution: import users: upload: %w", err)
	}
	job, err := s.Start(ctx, f.UUID, start)
	if err != nil {
		return nil, fmt.Errorf("relution: import users: start: %w", err)
	}
	j, err := s.Wait(ctx, job.UUID, opts.Wait)
	if j != nil {
		j.Warnings = warnings
	}
	return j, err
}

// sizeText is the number of bytes a check counted, n, against the size given: the check
// reads one byte past size, so a count of size+1 means "more than size".
func sizeText(n, size int64) string {
	if n > size {
		return fmt.Sprintf("more than %d", size)
	}
	return fmt.Sprint(n)
}

type sizeCounter struct {
	r io.Reader
	n int64
}

func (c *sizeCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// fileError names the file a failed local check was about, in one line:
// relution: import users: file "u.csv": 1 problem: line 3: ...
type fileError struct {
	name string
	err  *CSVError
}

func (e *fileError) Error() string {
	return fmt.Sprintf("relution: import users: file %q: %s", e.name, strings.TrimPrefix(e.err.Error(), "relution: users CSV: "))
}

func (e *fileError) Unwrap() error { return e.err }

type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// readerAt turns r into a ReaderAt of known size, spooling a plain reader to a temp file.
func readerAt(r io.Reader) (io.ReaderAt, int64, string, func(), error) {
	nop := func() {}
	if v := reflect.ValueOf(r); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, 0, "", nop, vendor.Invalid("file", "nil %T", r)
	}
	switch t := r.(type) {
	case *os.File:
		st, err := t.Stat()
		if err != nil {
			return nil, 0, "", nop, fmt.Errorf("stat %s: %w", t.Name(), err)
		}
		if st.IsDir() {
			return nil, 0, "", nop, vendor.Invalid("file", "%s is a directory", t.Name())
		}
		if st.Mode().IsRegular() {
			return t, st.Size(), filepath.Base(t.Name()), nop, nil
		}
	case sizedReaderAt:
		return t, t.Size(), "users.csv", nop, nil
	}
	tmp, err := os.CreateTemp("", "roster-users-*.csv")
	if err != nil {
		return nil, 0, "", nop, fmt.Errorf("spool CSV: %w", err)
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	n, err := io.Copy(tmp, r)
	if err != nil {
		cleanup()
		return nil, 0, "", nop, fmt.Errorf("spool CSV: %w", err)
	}
	name := "users.csv"
	if f, ok := r.(interface{ Name() string }); ok {
		name = filepath.Base(f.Name())
	}
	return tmp, n, name, cleanup, nil
}

// RecordResult is what an import did with one record of ImportRecords.
type RecordResult struct {
	// Record is the record as given.
	Record UserRecord
	// Line is the record's line in the uploaded CSV; the header is line 1.
	Line int
	// Status is SUCCESS, FAILED or SKIPPED; empty when the server sent no report for the
	// line.
	Status ReportStatus
	// Message is the server's explanation, e.g. "User anna successfully stored with
	// version 1."
	Message string
}

// ImportRecords creates or updates users: Relution has no single-user create, so it writes
// the records as a users CSV (CSVWriter), imports it with ImportUsers and returns one result
// per record, in the order given, with the job.
//
// A record CSVWriter refuses (an empty mandatory field, a phone number not in international
// format, text that is not UTF-8) is not sent: the error, a *CSVError matching
// ErrInvalidInput, lists every such record as "record N: ..." (N counting from 0), and
// nothing is uploaded. The CSV goes out with opts.Separator and as many custom columns as
// the records use. A job that ends FAILED is returned, with its results, and an error
// matching ErrJobFailed.
//
// Endpoints:
//   - POST /api/management/v1/csvImport/upload/users
//   - POST /api/v1/security/users/import/fromFile/{fileUuid}
//   - GET /api/management/v1/csvImport/job/{jobUuid}
//   - POST /api/management/v1/csvImport/job/{jobUuid}/entityStates/query
//
//roster:endpoint POST /api/management/v1/csvImport/upload/users
//roster:endpoint POST /api/v1/security/users/import/fromFile/{fileUuid}
//roster:endpoint GET /api/management/v1/csvImport/job/{jobUuid}
//roster:endpoint POST /api/management/v1/csvImport/job/{jobUuid}/entityStates/query
func (s *ImportJobsService) ImportRecords(ctx context.Context, records []UserRecord, opts ImportOptions) (*ImportJob, []RecordResult, error) {
	if len(records) == 0 {
		return nil, nil, vendor.Invalid("records", "none given")
	}
	if _, err := opts.validate(); err != nil {
		return nil, nil, err
	}
	customs := 0
	for _, r := range records {
		for i, v := range r.Custom {
			if v != "" {
				customs = max(customs, i+1)
			}
		}
	}
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, CSVWriterOptions{Separator: opts.Separator, Customs: customs})
	if err != nil {
		return nil, nil, err
	}
	if err := w.writeHeader(); err != nil {
		return nil, nil, err
	}
	results := make([]RecordResult, len(records))
	var ps problemList
	for i, r := range records {
		line := w.line
		if err := w.Write(r); err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) {
				return nil, nil, err
			}
			for _, p := range ce.Problems {
				ps.add(p.Line, p.Column, fmt.Sprintf("record %d: %s", i, p.Reason))
			}
			continue
		}
		results[i] = RecordResult{Record: r, Line: line}
	}
	if err := ps.err(); err != nil {
		return nil, nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, nil, err
	}
	byLine := make(map[int]int, len(records))
	for i, r := range results {
		byLine[r.Line] = i
	}
	data := buf.Bytes()
	job, err := s.ImportUsersAt(ctx, bytes.NewReader(data), int64(len(data)), opts)
	if job == nil {
		return nil, nil, err
	}
	for rep, rerr := range s.AllReports(ctx, job.UUID) {
		if rerr != nil {
			return job, results, rerr
		}
		if i, ok := byLine[rep.Line]; ok {
			results[i].Status, results[i].Message = rep.Status, rep.Message
		}
	}
	return job, results, err
}

package relution_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/fixtures"
	"github.com/rosterhq/roster/internal/vcr"
	"github.com/rosterhq/roster/relution"
)

// The cassettes of fixtures/relution are handwritten from the vendor doc's scripts and sample
// output (each says so in its "# source:" lines). These tests replay them through the real
// client, with the recorder as the transport under the retry loop.

const (
	cassetteDir = "../fixtures/relution/"
	cassetteURL = "https://mdm.example.com"
	// cassetteToken is a made-up token of a real-looking shape. The cassettes record the header
	// as REDACTED; the matcher scrubs this value from the live requests.
	cassetteToken = "rXq7Vt2LmN9pK4sW8zB3cF6hJ1dG5aYeU0oI"

	// UUIDs the import-users cassette answers with (upper case on the wire).
	importFileUUID = "0198F2A4-3C1D-7B6E-9A52-4E8D1C7F0B23"
	importJobUUID  = "0198F2A4-4E07-7D13-8C9A-2B6F5E1D3A94"
	docRole        = "Organame Device User" // the script's default role, Organame%20Device%20User
)

// docOutput is the doc's "Output Example" (doc.txt §3) after its "====" line, as the script
// prints it.
var docOutput = []string{
	"success: 1, skipped: 1, failed: 1",
	"2: [SUCCESS] User ... successfully stored with version 1.",
	"3: [FAILED] Number of data fields does not match number of headers.",
	"4: [SKIPPED] User Test2 should not be overwritten.",
}

// fastPoll polls an import job without waiting in any real sense.
var fastPoll = relution.WaitOptions{Interval: time.Millisecond, MaxInterval: time.Millisecond}

// countingTransport counts the requests that reach the cassette: every attempt of every call.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func (c *countingTransport) sends() int { return int(c.n.Load()) }

// replay opens fixtures/relution/<name>.yaml and returns a client that replays it with token,
// and the counter of its sends. The cassettes are handwritten from the doc, so they are
// replayed even in a recording run (ROSTER_RECORD=1), never overwritten with another server's
// answers.
func replay(t *testing.T, name, token string, edit func(*relution.Config)) (*relution.Client, *countingTransport) {
	t.Helper()
	hc := vcr.Open(t, cassetteDir+name, vcr.ReplayOnly(), vcr.WithSecrets(token))
	ct := &countingTransport{next: hc.Transport}
	cfg := relution.Config{
		BaseURL:     cassetteURL,
		AccessToken: token,
		HTTPClient:  &http.Client{Transport: ct},
		Retry:       relution.RetryPolicy{MinWait: time.Millisecond, MaxWait: time.Millisecond},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := relution.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, ct
}

// interactions is the number of interactions cassette name holds.
func interactions(t *testing.T, name string) int {
	t.Helper()
	c, err := cassette.Load(cassetteDir + name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return len(c.Interactions)
}

// checkAllUsed fails unless the client sent exactly as many requests as the cassette holds
// interactions. Each send took an unused interaction (a miss is an error the tests check), so
// equal counts mean every interaction was used once.
func checkAllUsed(t *testing.T, name string, ct *countingTransport) {
	t.Helper()
	if got, want := ct.sends(), interactions(t, name); got != want {
		t.Errorf("%s: %d requests sent, cassette holds %d interactions", name, got, want)
	}
}

// scriptOutput prints a finished job and its reports the way uploadUserCSV.sh does.
func scriptOutput(t *testing.T, ctx context.Context, c *relution.Client, job *relution.ImportJob) []string {
	t.Helper()
	out := []string{fmt.Sprintf("success: %d, skipped: %d, failed: %d", job.SuccessCount, job.SkippedCount, job.FailureCount)}
	for r, err := range c.ImportJobs.AllReports(ctx, job.UUID) {
		if err != nil {
			t.Fatalf("Reports: %v", err)
		}
		out = append(out, fmt.Sprintf("%d: [%s] %s", r.Line, r.Status, r.Message))
	}
	return out
}

func wantFinishedJob() *relution.ImportJob {
	return &relution.ImportJob{
		UUID: uuid.MustParse(importJobUUID), Status: relution.JobFinished,
		SuccessCount: 1, SkippedCount: 1, FailureCount: 1,
	}
}

// TestCassetteDocCSVIsNotTheOutputsFile pins the doc's inconsistency the import cassette
// carries: its Example CSV holds six valid users, while its Output Example reports three lines,
// one of them a field-count failure. The output came from another file.
func TestCassetteDocCSVIsNotTheOutputsFile(t *testing.T) {
	t.Parallel()
	csv := fixtures.RelutionUsersCSV()
	if err := relution.CheckCSV(bytes.NewReader(csv), relution.Comma); err != nil {
		t.Fatalf("CheckCSV(doc's Example CSV) = %v, want no problems", err)
	}
	// Six data lines, where the Output Example reports on lines 2 to 4 only.
	if got := bytes.Count(bytes.TrimSpace(csv), []byte("\n")); got != 6 {
		t.Errorf("doc's Example CSV has %d data lines, want 6", got)
	}
}

// TestCassetteImportUsersSteps replays the import with the step calls, as uploadUserCSV.sh
// makes them: upload, start, poll until FINISHED, read the reports. It uploads the doc's Example
// CSV; the cassette answers with the doc's Output Example, which came from another file (see
// TestCassetteDocCSVIsNotTheOutputsFile): the multipart body is not matched, so that is fine
// for a replay, but the counts say nothing about the six users sent.
func TestCassetteImportUsersSteps(t *testing.T) {
	t.Parallel()
	const name = "import-users"
	c, ct := replay(t, name, cassetteToken, nil)
	ctx := context.Background()
	csv := fixtures.RelutionUsersCSV()

	f, err := c.ImportJobs.Upload(ctx, "users.csv", bytes.NewReader(csv), int64(len(csv)))
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	wantFile := &relution.UploadedFile{UUID: uuid.MustParse(importFileUUID), Name: "users.csv", ContentType: "text/csv", Size: int64(len(csv))}
	if diff := cmp.Diff(wantFile, f); diff != "" {
		t.Errorf("Upload (-want +got):\n%s", diff)
	}

	job, err := c.ImportJobs.Start(ctx, f.UUID, relution.StartOptions{Role: docRole})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	// The start reply is a bare {"uuid"}: no status, no counts.
	if diff := cmp.Diff(&relution.ImportJob{UUID: uuid.MustParse(importJobUUID)}, job); diff != "" {
		t.Errorf("Start (-want +got):\n%s", diff)
	}

	// The script's loop: poll until FINISHED or FAILED.
	var statuses []relution.JobStatus
	for !job.Done() {
		if len(statuses) == 5 {
			t.Fatalf("job not done after %d polls: %v", len(statuses), statuses)
		}
		if job, err = c.ImportJobs.Get(ctx, job.UUID); err != nil {
			t.Fatalf("Get after %v: %v", statuses, err)
		}
		statuses = append(statuses, job.Status)
	}
	if diff := cmp.Diff([]relution.JobStatus{relution.JobRunning, relution.JobFinished}, statuses); diff != "" {
		t.Errorf("polled statuses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantFinishedJob(), job); diff != "" {
		t.Errorf("finished job (-want +got):\n%s", diff)
	}

	if diff := cmp.Diff(docOutput, scriptOutput(t, ctx, c, job)); diff != "" {
		t.Errorf("output vs the doc's Output Example (-want +got):\n%s", diff)
	}
	checkAllUsed(t, name, ct)
}

// TestCassetteImportUsers replays the same cassette through ImportUsers, which checks the doc's
// CSV locally (it passes), uploads, starts and waits.
func TestCassetteImportUsers(t *testing.T) {
	t.Parallel()
	const name = "import-users"
	c, ct := replay(t, name, cassetteToken, nil)
	ctx := context.Background()

	var seen []relution.JobStatus
	wait := fastPoll
	wait.Progress = func(j *relution.ImportJob) { seen = append(seen, j.Status) }
	job, err := c.ImportJobs.ImportUsers(ctx, bytes.NewReader(fixtures.RelutionUsersCSV()), relution.ImportOptions{
		Role:      docRole,
		Separator: relution.Comma,
		Wait:      wait,
	})
	if err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	if diff := cmp.Diff(wantFinishedJob(), job); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]relution.JobStatus{relution.JobRunning, relution.JobFinished}, seen); diff != "" {
		t.Errorf("Progress saw (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(docOutput, scriptOutput(t, ctx, c, job)); diff != "" {
		t.Errorf("output vs the doc's Output Example (-want +got):\n%s", diff)
	}
	checkAllUsed(t, name, ct)
}

// outputShapedCSV is a file of the shape the doc's Output Example implies (the doc does not
// show it): line 3 has too few fields, line 4 is the existing user Test2. It is a
// reconstruction, not the doc's file.
const outputShapedCSV = `name,email,givenName,surName,password
user1,user1@company.com,Heinz,Ketchup,p4ssw0rd
user2,user2@company.com,Heinz
Test2,test2@company.com,Test,Two,p4ssw0rd
`

// TestCassetteImportUsersLineProblem replays the import cassette with a file like the one the
// doc's output came from: strict, ImportUsers refuses it locally (the server's line 3 failure)
// and sends nothing; by default it uploads it like the vendor's script, with the line as a
// warning.
func TestCassetteImportUsersLineProblem(t *testing.T) {
	t.Parallel()
	const name = "import-users"
	c, ct := replay(t, name, cassetteToken, nil)
	ctx := context.Background()
	opts := relution.ImportOptions{Role: docRole, Wait: fastPoll, Check: relution.CheckStrict}

	_, err := c.ImportJobs.ImportUsers(ctx, strings.NewReader(outputShapedCSV), opts)
	var ce *relution.CSVError
	if !errors.As(err, &ce) || !errors.Is(err, relution.ErrInvalidInput) {
		t.Fatalf("strict ImportUsers = %v, want a *CSVError matching ErrInvalidInput", err)
	}
	var lines []int
	for _, p := range ce.Problems {
		lines = append(lines, p.Line)
	}
	// The local check finds the line the server reports FAILED, and only that one.
	if diff := cmp.Diff([]int{3}, lines); diff != "" {
		t.Errorf("problem lines (-want +got):\n%s\n%v", diff, ce)
	}
	if n := ct.sends(); n != 0 {
		t.Fatalf("a refused file sent %d requests", n)
	}

	opts.Check = relution.CheckWholeFile
	job, err := c.ImportJobs.ImportUsers(ctx, strings.NewReader(outputShapedCSV), opts)
	if err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	if len(job.Warnings) != 1 || job.Warnings[0].Line != 3 {
		t.Errorf("warnings %v, want the one on line 3", job.Warnings)
	}
	job.Warnings = nil
	if diff := cmp.Diff(wantFinishedJob(), job); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(docOutput, scriptOutput(t, ctx, c, job)); diff != "" {
		t.Errorf("output vs the doc's Output Example (-want +got):\n%s", diff)
	}
	checkAllUsed(t, name, ct)
}

// scriptDeviceQuery is the JSON_BODY of the doc's script 6 as a Query. Its "offset": 0 is the
// default, which the client leaves out.
func scriptDeviceQuery() relution.Query {
	return relution.Query{
		Limit:            100,
		GetNonpagedCount: true,
		SortOrder:        relution.SortBy(relution.Desc("lastConnectionDate")),
		Filter: relution.And(
			relution.StringEnum("platform", relution.PlatformAndroid, relution.PlatformAndroidEnterprise, relution.PlatformIOS),
			relution.StringEnum("status", relution.StatusCompliant),
		),
	}
}

// wantDeviceNames is what the script's `jq '.results[].name'` prints for the cassette's reply.
var wantDeviceNames = []string{"iPhone 15 Anna", "Pixel 8 Ben", "Galaxy Tab Warehouse"}

// checkDevices checks the decoded devices of the query-devices reply.
func checkDevices(t *testing.T, devices []relution.Device) {
	t.Helper()
	var names []string
	for _, d := range devices {
		names = append(names, d.Name)
		if d.Status != relution.StatusCompliant {
			t.Errorf("%s: status %q, the filter asked for COMPLIANT", d.Name, d.Status)
		}
		if !slices.Contains([]relution.Platform{relution.PlatformAndroid, relution.PlatformAndroidEnterprise, relution.PlatformIOS}, d.Platform) {
			t.Errorf("%s: platform %q outside the filter", d.Name, d.Platform)
		}
		// Only values a source shows: CORPORATE (relution-policy-workbench) and PERSONAL.
		if d.Ownership != "CORPORATE" && d.Ownership != "PERSONAL" {
			t.Errorf("%s: ownership %q has no source", d.Name, d.Ownership)
		}
	}
	if diff := cmp.Diff(wantDeviceNames, names); diff != "" {
		t.Errorf("device names (-want +got):\n%s", diff)
	}
	for i := 1; i < len(devices); i++ {
		if devices[i].LastConnectionDate.After(devices[i-1].LastConnectionDate.Time) {
			t.Errorf("devices not sorted by lastConnectionDate descending at %d", i)
		}
	}
	if len(devices) == 0 {
		return
	}
	want := relution.Device{
		UUID:               uuid.MustParse("0197C1D2-8A3B-7E45-B6F1-0C2D3E4F5A61"),
		Name:               "iPhone 15 Anna",
		Status:             relution.StatusCompliant,
		Platform:           relution.PlatformIOS,
		UserUUID:           uuid.MustParse("0197C1D0-11A2-7B33-94C5-D6E7F8091A2B"),
		OrganizationUUID:   uuid.MustParse("01995C17-6BD0-7F84-87E9-21A1498B386F"),
		DeviceID:           "00008120-001A2B3C4D5E6F70",
		SerialNumber:       "F2LXK9QWN7",
		LastConnectionDate: relution.Time{Time: time.Date(2026, 3, 2, 8, 41, 17, 0, time.UTC)},
		Ownership:          "CORPORATE",
		PolicyStatus:       "APPLIED",
	}
	if diff := cmp.Diff(want, devices[0]); diff != "" {
		t.Errorf("first device (-want +got):\n%s", diff)
	}
}

// TestCassetteQueryDevices replays the doc's script 6 query with List and with All.
func TestCassetteQueryDevices(t *testing.T) {
	t.Parallel()
	const name = "query-devices"
	ctx := context.Background()

	t.Run("List", func(t *testing.T) {
		t.Parallel()
		c, ct := replay(t, name, cassetteToken, nil)
		page, err := c.Devices.List(ctx, scriptDeviceQuery())
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if page.Total != 3 {
			t.Errorf("Total = %d, want the reply's nonpagedCount 3", page.Total)
		}
		checkDevices(t, page.Items)
		checkAllUsed(t, name, ct)
	})

	// All sends the same body for its first page (offset 0, limit 100, getNonpagedCount) and
	// stops there: three devices, fewer than a page, and the count says there are no more.
	t.Run("All", func(t *testing.T) {
		t.Parallel()
		c, ct := replay(t, name, cassetteToken, nil)
		var devices []relution.Device
		for d, err := range c.Devices.All(ctx, scriptDeviceQuery()) {
			if err != nil {
				t.Fatalf("All: %v", err)
			}
			devices = append(devices, d)
		}
		checkDevices(t, devices)
		checkAllUsed(t, name, ct)
	})
}

// TestCassetteQueryDevicesRetry replays a 503 then a 200: the device query is a POST marked
// read-only, so the client resends it.
func TestCassetteQueryDevicesRetry(t *testing.T) {
	t.Parallel()
	const name = "query-devices-retry"
	ctx := context.Background()

	t.Run("retried", func(t *testing.T) {
		t.Parallel()
		c, ct := replay(t, name, cassetteToken, nil)
		page, err := c.Devices.List(ctx, scriptDeviceQuery())
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		checkDevices(t, page.Items)
		if ct.sends() != 2 {
			t.Errorf("sent %d times, want 2 (the 503, then the retry)", ct.sends())
		}
		checkAllUsed(t, name, ct)
	})

	// Without retries the same cassette fails on its 503: the retry is what made it pass.
	t.Run("no retries", func(t *testing.T) {
		t.Parallel()
		c, ct := replay(t, name, cassetteToken, func(cfg *relution.Config) { cfg.Retry.MaxAttempts = 1 })
		_, err := c.Devices.List(ctx, scriptDeviceQuery())
		var re *relution.Error
		if !errors.As(err, &re) || re.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("List = %v, want a *relution.Error with status 503", err)
		}
		if !errors.Is(err, relution.ErrUnavailable) {
			t.Errorf("errors.Is(%v, ErrUnavailable) = false", err)
		}
		if ct.sends() != 1 {
			t.Errorf("sent %d times, want 1", ct.sends())
		}
	})
}

// exampleApp is the app the error-422 cassette's request carries.
func exampleApp() relution.App {
	return relution.App{
		Type:         "NATIVE",
		Name:         relution.LocalizedString{"en": "Example App"},
		InternalName: "com.example.app",
		Platforms:    []string{string(relution.PlatformAndroid)},
		Versions:     []relution.AppVersion{{VersionName: "1.0.0", VersionCode: 1}},
	}
}

const versionExists = "Version already exists. Please delete the old one to upload the same version again."

// TestCassetteError422 replays the recorded 422 of the jenkins plugin on app creation: a
// *relution.Error with the code from under "exception", sent once (a write is not resent, and
// a 422 is an answer, not a lost reply).
func TestCassetteError422(t *testing.T) {
	t.Parallel()
	const name = "error-422"
	c, ct := replay(t, name, cassetteToken, nil)

	app, err := c.Apps.Create(context.Background(), exampleApp())
	if app != nil {
		t.Errorf("Create returned an app with its error: %+v", app)
	}
	var re *relution.Error
	if !errors.As(err, &re) {
		t.Fatalf("Create = %v, want a *relution.Error", err)
	}
	if re.StatusCode != http.StatusUnprocessableEntity || re.Code != "VERSION_ALREADY_EXISTS" || re.Message != versionExists {
		t.Errorf("error = status %d, code %q, message %q; want 422, VERSION_ALREADY_EXISTS, %q",
			re.StatusCode, re.Code, re.Message, versionExists)
	}
	for _, want := range []string{"com.mwaysolutions.relution.common.domain.RelutionException", "2047: " + versionExists} {
		if !strings.Contains(re.Detail, want) {
			t.Errorf("Detail %q lacks %q", re.Detail, want)
		}
	}
	if errors.Is(err, relution.ErrMaybeApplied) {
		t.Errorf("a 422 reply matched ErrMaybeApplied: %v", err)
	}
	if ct.sends() != 1 {
		t.Errorf("sent %d times, want 1", ct.sends())
	}
	checkAllUsed(t, name, ct)
}

// TestCassetteSecretsStayOut replays with a known token, through a successful call, a recorded
// error and a cassette miss whose body carries the token, and checks that the token shows in
// no error text and no log record.
func TestCassetteSecretsStayOut(t *testing.T) {
	t.Parallel()
	const secret = "rlt_S3cr3t-7f4e9a2b8c1d6e0f5a3b9c7d2e4f6a8b"
	ctx := context.Background()
	// The subtests run one after another, and the handler serializes its writes.
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	withLog := func(cfg *relution.Config) { cfg.Logger = logger }

	checkErr := func(t *testing.T, err error) {
		t.Helper()
		if err == nil {
			t.Fatal("want an error")
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if strings.Contains(text, secret) {
				t.Errorf("error text shows the token: %s", text)
			}
		}
		var re *relution.Error
		if errors.As(err, &re) {
			for _, text := range []string{re.URL, re.Message, re.Detail, string(re.Body)} {
				if strings.Contains(text, secret) {
					t.Errorf("*Error field shows the token: %s", text)
				}
			}
		}
	}

	// The cassette's header reads REDACTED and the live one carries the secret: they match.
	t.Run("replay", func(t *testing.T) {
		c, ct := replay(t, "query-devices", secret, withLog)
		if _, err := c.Devices.List(ctx, scriptDeviceQuery()); err != nil {
			t.Fatalf("List with a real-looking token: %v", err)
		}
		checkAllUsed(t, "query-devices", ct)
	})

	t.Run("recorded error", func(t *testing.T) {
		c, _ := replay(t, "error-422", secret, withLog)
		_, err := c.Apps.Create(ctx, exampleApp())
		var re *relution.Error
		if !errors.As(err, &re) || re.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("Create = %v, want the recorded 422", err)
		}
		checkErr(t, err)
	})

	// A request no interaction matches fails with the request as the matcher saw it: scrubbed.
	t.Run("cassette miss", func(t *testing.T) {
		c, ct := replay(t, "query-devices", secret, withLog)
		q := scriptDeviceQuery()
		q.Searches = []string{secret}
		_, err := c.Devices.List(ctx, q)
		if !errors.Is(err, cassette.ErrInteractionNotFound) {
			t.Fatalf("List = %v, want a cassette miss", err)
		}
		if !strings.Contains(err.Error(), `"searches":["REDACTED"]`) {
			t.Errorf("miss error does not show the scrubbed body: %v", err)
		}
		checkErr(t, err)
		if ct.sends() != 1 {
			t.Errorf("a cassette miss was sent %d times, want 1 (not retried)", ct.sends())
		}
	})

	if logs.Len() == 0 {
		t.Error("no log records: the log check checked nothing")
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("log records show the token:\n%s", logs.String())
	}
}

// Command relution-import-users imports users from a CSV file into Relution, like the
// vendor's uploadUserCSV.sh: same flags, same defaults, same calls, same output.
//
//	go run ./examples/relution-import-users -f users.csv -h https://relution.example.com -a TOKEN -u ORG-UUID
//
// -h and -a fall back to RELUTION_URL and RELUTION_TOKEN (or RELUTION_USERNAME and
// RELUTION_PASSWORD), -u to RELUTION_ORG. With no server at all it starts the in-memory fake
// (relutiontest) and imports the vendor doc's example CSV, so it runs anywhere.
//
// It makes the script's calls one by one (upload, start, poll, reports) to print the same
// lines; in your own code, ImportJobs.ImportUsers does all of them in one call. It checks the
// CSV locally first and sends nothing when the check fails. It exits 0 when
// the job finished (even if some lines failed: they are listed), 1 when the job failed or a
// call did, 2 on bad usage.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/fixtures"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// defaultRole is the script's default, in its URL-encoded form.
const defaultRole = "Organame%20Device%20User"

// pollInterval is the wait between job polls: a second, like the script. Tests shorten it.
var pollInterval = time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("relution-import-users", flag.ContinueOnError)
	// The flag package prints its error and then the whole usage; one line is enough here,
	// and -help still shows the usage.
	fs.SetOutput(io.Discard)
	file := fs.String("f", "", "path to the users CSV file")
	// The environment is read after parsing, not used as flag defaults: -help would print a
	// default token.
	host := fs.String("h", "", "Relution host, e.g. https://relution.io (default $RELUTION_URL; none: the in-memory fake)")
	token := fs.String("a", "", "API access token (default $RELUTION_TOKEN)")
	org := fs.String("u", "", "organization UUID (default $RELUTION_ORG)")
	role := fs.String("r", defaultRole, "role assigned to the users, URL-encoded like the script's")
	sep := fs.String("s", "COMMA", "separator: COMMA or SEMICOLON")
	overwrite := fs.String("w", "false", "overwrite existing users: true or false")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "relution-import-users: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: relution-import-users -f users.csv [-h host -a token -u org-uuid] [-r role] [-s COMMA|SEMICOLON] [-w true|false]")
			fs.PrintDefaults()
			return 2
		}
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	for _, f := range []struct {
		v   *string
		env string
	}{{host, "RELUTION_URL"}, {token, "RELUTION_TOKEN"}, {org, "RELUTION_ORG"}} {
		if *f.v == "" {
			*f.v = os.Getenv(f.env)
		}
	}
	// Like the script, an empty -w, -r or -s means the default.
	if *overwrite == "" {
		*overwrite = "false"
	}
	if *role == "" {
		*role = defaultRole
	}
	if *sep == "" {
		*sep = "COMMA"
	}
	over, err := strconv.ParseBool(*overwrite)
	if err != nil {
		return fail("-w must be true or false, got %q", *overwrite)
	}
	separator := relution.Separator(strings.ToUpper(*sep))
	if _, err := separator.Rune(); err != nil {
		return fail("-s must be COMMA or SEMICOLON, got %q", *sep)
	}
	roleName, err := url.QueryUnescape(*role)
	if err != nil || roleName == "" {
		return fail("-r %q is not a URL-encoded role name", *role)
	}

	cfg := relution.Config{BaseURL: *host, AccessToken: *token}
	var csv *bytes.Reader // the embedded sample, when no file is given
	if *host == "" {
		// No server given: run against the in-memory fake with the doc's example users.
		srv := relutiontest.NewServer()
		defer srv.Close()
		cfg = relution.Config{BaseURL: srv.URL, AccessToken: srv.Token}
		if *org == "" {
			*org = srv.OrgUUID
		}
		if *file == "" {
			csv = bytes.NewReader(fixtures.RelutionUsersCSV())
			*file = "users.csv" // the vendor doc's example, embedded
		}
	} else if *token == "" {
		cfg.Username, cfg.Password = os.Getenv("RELUTION_USERNAME"), os.Getenv("RELUTION_PASSWORD")
		if cfg.Username == "" {
			return fail("please specify an access token (-a or RELUTION_TOKEN)")
		}
	}
	if *org == "" {
		return fail("please specify an organization uuid (-u or RELUTION_ORG)")
	}
	orgID, err := uuid.Parse(*org)
	if err != nil {
		return fail("-u %q is not a UUID", *org)
	}
	cfg.Organization = orgID

	// The file: an io.ReaderAt of known size, so the check and the upload each read it
	// without holding it in memory.
	var (
		src  io.ReaderAt
		size int64
		name string
	)
	if csv != nil {
		src, size, name = csv, csv.Size(), "users.csv"
	} else {
		if *file == "" {
			return fail("please specify an existing csv file (-f)")
		}
		f, err := os.Open(*file)
		if err != nil {
			return fail("please specify an existing csv file (-f): %v", err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return fail("please specify an existing csv file (-f): %s is not a regular file", *file)
		}
		src, size, name = f, st.Size(), filepath.Base(*file)
	}
	// Find what the server would reject before sending anything.
	if err := relution.CheckCSV(io.NewSectionReader(src, 0, size), separator); err != nil {
		return fail("%s: %v", *file, err)
	}

	client, err := relution.NewClient(cfg)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stdout, "Will start importing users to '%s' on server '%s' as '%s'.\n", strings.ToUpper(orgID.String()), cfg.BaseURL, roleName)
	fmt.Fprintf(stdout, "Using '%s' with separator of type '%s'.\n", *file, separator)
	failed := func(err error) int {
		fmt.Fprintf(stderr, "relution-import-users: %v\n", err)
		return 1
	}

	fmt.Fprintln(stdout, "Next step: uploading file")
	upload, err := client.ImportJobs.Upload(ctx, name, src, size)
	if err != nil {
		return failed(err)
	}
	fmt.Fprintf(stdout, "Done uploading file: %s\n", strings.ToUpper(upload.UUID.String()))
	fmt.Fprintln(stdout, "============")
	fmt.Fprintln(stdout, "Next step: start import job")
	job, err := client.ImportJobs.Start(ctx, upload.UUID, relution.StartOptions{Overwrite: over, Role: roleName, Separator: separator})
	if err != nil {
		return failed(err)
	}
	fmt.Fprintf(stdout, "Job started: %s\n", strings.ToUpper(job.UUID.String()))
	job, err = client.ImportJobs.Wait(ctx, job.UUID, relution.WaitOptions{
		// A fixed rhythm, like the script's sleep 1.
		Interval: pollInterval, MaxInterval: pollInterval,
		Progress: func(j *relution.ImportJob) { fmt.Fprintf(stdout, "Job status: %s\n", j.Status) },
	})
	if err != nil && !errors.Is(err, relution.ErrJobFailed) {
		// Cancelled or a failed poll: the job may still be running, so there is no summary.
		return failed(err)
	}
	fmt.Fprintln(stdout, "============")
	fmt.Fprintf(stdout, "success: %d, skipped: %d, failed: %d\n", job.SuccessCount, job.SkippedCount, job.FailureCount)
	if job.FailureCount != 0 {
		for r, rerr := range client.ImportJobs.AllReports(ctx, job.UUID) {
			if rerr != nil {
				return failed(fmt.Errorf("reading reports: %w", rerr))
			}
			fmt.Fprintf(stdout, "%d: [%s] %s\n", r.Line, r.Status, r.Message)
		}
	}
	if err != nil {
		// The job ended FAILED: its counts and reports are above.
		return failed(err)
	}
	return 0
}

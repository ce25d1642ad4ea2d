// Command relution-import-users imports users from a CSV file into Relution, like the
// vendor's uploadUserCSV.sh (https://hub.relution.io/en/docs/settings/rest-api): same
// flags, same defaults, same calls, same output.
//
//	go run ./examples/relution-import-users -f users.csv -h https://relution.example.com -a TOKEN -u ORG-UUID
//
// -h and -a fall back to RELUTION_URL and RELUTION_TOKEN (or RELUTION_USERNAME and
// RELUTION_PASSWORD), -u to RELUTION_ORG. Like the script, it prints -u but does not send
// it: the token's owner decides the organization. With no server at all it says so on
// stderr, starts the in-memory fake (relutiontest) and imports the vendor doc's example
// CSV, so it runs anywhere; a file (-f), token or organization given without a server is
// refused, as the script refuses it.
//
// It checks the CSV locally first. A problem that would make the server fail the whole
// import (no header, a missing mandatory column, a duplicate column) stops it before
// anything is sent. A problem with a line (a wrong number of fields, an empty mandatory
// value) is printed on stderr as a warning, and the file is uploaded anyway, as the script
// would upload it: the server reports that line FAILED and imports the others. -strict
// refuses on any problem. -check only checks the file and never contacts a server.
//
// It makes the script's calls one by one (upload, start, poll, reports) to print the same
// lines; in your own code, ImportJobs.ImportUsers does all of them in one call. It exits 0
// when the job finished (even if some lines failed: they are listed), 1 when the file was
// refused, the job failed or a call did, 2 on bad usage. With -check it exits 0 when the
// file would be uploaded and 1 when it would be refused.
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
	org := fs.String("u", "", "organization UUID, printed like the script does (default $RELUTION_ORG)")
	role := fs.String("r", defaultRole, "role assigned to the users, URL-encoded like the script's")
	sep := fs.String("s", "COMMA", "separator: COMMA or SEMICOLON")
	overwrite := fs.String("w", "false", "overwrite existing users: true or false")
	strict := fs.Bool("strict", false, "refuse the file on any problem, not only on one the server fails as a whole")
	check := fs.Bool("check", false, "only check the file; never contact a server")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "relution-import-users: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: relution-import-users -f users.csv [-h host -a token -u org-uuid] [-r role] [-s COMMA|SEMICOLON] [-w true|false] [-strict] [-check]")
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
	// Given on the command line or in the environment: either way the user meant a server.
	explicit := *file != "" || *token != "" || *org != "" || os.Getenv("RELUTION_USERNAME") != ""
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

	// The script's checks, in its order: the server, the file, the organization.
	var cfg relution.Config
	if !*check {
		switch {
		case *host == "" && explicit:
			// The script's own words: a file, token or organization given without a server
			// is a forgotten -h, not a wish to import into a fake.
			return fail("Please specify a Host URL (-h)")
		case *host == "":
			// No server at all: the fake, with the doc's example file.
		case *token != "":
			cfg = relution.Config{BaseURL: *host, AccessToken: *token}
		default:
			cfg = relution.Config{BaseURL: *host, Username: os.Getenv("RELUTION_USERNAME"), Password: os.Getenv("RELUTION_PASSWORD")}
			if cfg.Username == "" {
				return fail("Please specify an access token (-a or RELUTION_TOKEN)")
			}
		}
	}

	// The file: an io.ReaderAt of known size, so the check and the upload each read it
	// without holding it in memory. Without -f, the vendor doc's example, embedded.
	var (
		src  io.ReaderAt
		size int64
		name string
	)
	if *file == "" && (*host == "" || *check) {
		csv := bytes.NewReader(fixtures.RelutionUsersCSV())
		src, size, name, *file = csv, csv.Size(), "users.csv", "users.csv"
	} else {
		if *file == "" {
			return fail("Please specify an existing csv file (-f)")
		}
		f, err := os.Open(*file)
		if err != nil {
			return fail("Please specify an existing csv file (-f): %v", err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return fail("Please specify an existing csv file (-f): %s is not a regular file", *file)
		}
		src, size, name = f, st.Size(), filepath.Base(*file)
	}
	if !*check && *host != "" {
		if *org == "" {
			return fail("Please specify an organization uuid (-u or RELUTION_ORG)")
		}
		if _, err := uuid.Parse(*org); err != nil {
			return fail("-u %q is not a UUID", *org)
		}
	}

	// Find what the server would fail as a whole before sending anything.
	if err := checkFile(io.NewSectionReader(src, 0, size), *file, separator, *strict, stdout, stderr, *check); err != nil {
		return 1
	}
	if *check {
		return 0
	}

	if *host == "" {
		srv := relutiontest.NewServer()
		defer srv.Close()
		fmt.Fprintln(stderr, "no -h or RELUTION_URL: importing into the in-memory fake")
		cfg = relution.Config{BaseURL: srv.URL, AccessToken: srv.Token}
		*host, *org = srv.URL, srv.OrgUUID
	}
	client, err := relution.NewClient(cfg)
	if err != nil {
		return fail("%v", err)
	}
	return importFile(ctx, client, stdout, stderr, script{
		host: *host, org: *org, role: *role, roleName: roleName, file: *file, sep: *sep,
		separator: separator, overwrite: over, name: name, src: src, size: size,
	})
}

// checkFile runs the local check and prints what it found: on stderr before an import
// (warnings, or the problems that stop it), on stdout for -check, with a verdict line. It
// returns nil when the file may be uploaded.
func checkFile(r io.Reader, file string, sep relution.Separator, strict bool, stdout, stderr io.Writer, checkOnly bool) error {
	err := relution.CheckCSV(r, sep)
	var ce *relution.CSVError
	if err != nil && !errors.As(err, &ce) {
		fmt.Fprintf(stderr, "relution-import-users: %s: %v\n", file, err)
		return err
	}
	refused := ce != nil && (strict || ce.WholeFile())
	out := stderr
	if checkOnly {
		out = stdout
	}
	if ce != nil {
		for _, p := range ce.Problems {
			kind := "warning"
			if p.WholeFile || strict {
				kind = "error"
			}
			fmt.Fprintf(out, "%s: %s\n", kind, p)
		}
		if ce.Omitted > 0 {
			fmt.Fprintf(out, "... and %d more\n", ce.Omitted)
		}
	}
	switch {
	case refused && checkOnly:
		fmt.Fprintf(stdout, "%s: would be refused\n", file)
	case refused:
		fmt.Fprintf(stderr, "relution-import-users: %s: not uploaded: %v\n", file, ce)
	case checkOnly && ce != nil:
		fmt.Fprintf(stdout, "%s: would be uploaded; the server reports the lines warned about\n", file)
	case checkOnly:
		fmt.Fprintf(stdout, "%s: would be uploaded; no problems found\n", file)
	}
	if refused {
		return ce
	}
	return nil
}

// script holds what the import prints and sends.
type script struct {
	host, org, role, roleName, file, sep string
	separator                            relution.Separator
	overwrite                            bool
	name                                 string
	src                                  io.ReaderAt
	size                                 int64
}

// importFile makes the script's calls and prints its lines.
func importFile(ctx context.Context, client *relution.Client, stdout, stderr io.Writer, s script) int {
	// The script's line, quotes and all: '${HOST} as '${ROLE//%20/ }'".
	fmt.Fprintf(stdout, "Will start importing users to '%s' on server '%s as '%s'.\n", s.org, s.host, strings.ReplaceAll(s.role, "%20", " "))
	fmt.Fprintf(stdout, "Using '%s' with separator of type '%s'.\n", s.file, s.sep)
	failed := func(err error) int {
		fmt.Fprintf(stderr, "relution-import-users: %v\n", err)
		return 1
	}

	fmt.Fprintln(stdout, "Next step: uploading file")
	upload, err := client.ImportJobs.Upload(ctx, s.name, s.src, s.size)
	if err != nil {
		return failed(err)
	}
	fmt.Fprintf(stdout, "Done uploading file: %s\n", strings.ToUpper(upload.UUID.String()))
	fmt.Fprintln(stdout, "============")
	fmt.Fprintln(stdout, "Next step: start import job")
	job, err := client.ImportJobs.Start(ctx, upload.UUID, relution.StartOptions{Overwrite: s.overwrite, Role: s.roleName, Separator: s.separator})
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

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/relution/relutiontest"
)

func init() { pollInterval = time.Millisecond }

// clearEnv keeps the developer's RELUTION_* variables out of the runs.
func clearEnv(t *testing.T) {
	for _, k := range []string{"RELUTION_URL", "RELUTION_TOKEN", "RELUTION_USERNAME", "RELUTION_PASSWORD", "RELUTION_ORG"} {
		t.Setenv(k, "")
	}
}

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultRunImportsDocExample(t *testing.T) {
	clearEnv(t)
	code, out, errOut := runMain(t)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"as 'Organame Device User'",
		"Next step: uploading file\nDone uploading file: ",
		"============\nNext step: start import job\nJob started: ",
		"Job status: RUNNING\n",
		"Job status: FINISHED\n",
		"============\nsuccess: 6, skipped: 0, failed: 0\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[SUCCESS]") {
		t.Errorf("report lines printed although nothing failed:\n%s", out)
	}
	if errOut != "no -h or RELUTION_URL: importing into the in-memory fake\n" {
		t.Errorf("stderr %q, want the fake announced", errOut)
	}
}

// A file, token or organization without a server is a forgotten -h: refused like the
// script refuses it, with nothing sent anywhere.
func TestExplicitInputWithoutServerRefused(t *testing.T) {
	clearEnv(t)
	csv := writeFile(t, "name,email,givenName,surName,password\nzoe,zoe@company.com,Zoe,Z,p4ssw0rd\n")
	for _, args := range [][]string{{"-f", csv}, {"-a", "tok"}, {"-u", "01995C17-6BD0-7F84-87E9-21A1498B386F"}} {
		code, out, errOut := runMain(t, args...)
		if code != 2 || errOut != "relution-import-users: Please specify a Host URL (-h)\n" || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and the script's message", args, code, out, errOut)
		}
	}
	t.Setenv("RELUTION_TOKEN", "env-token")
	if code, _, errOut := runMain(t); code != 2 || !strings.Contains(errOut, "Please specify a Host URL (-h)") {
		t.Errorf("RELUTION_TOKEN without RELUTION_URL: exit %d, stderr %q", code, errOut)
	}
}

// A whole-file problem stops the import before any request, with every problem listed.
func TestWholeFileProblemStopsBeforeAnyRequest(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	csv := writeFile(t, "userId;email;givenName;surName;password\n"+
		"a;a@x.com;A;B;pw\n"+
		"b;b@x.com;B\n")
	code, out, errOut := runMain(t, "-f", csv, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID, "-s", "SEMICOLON")
	want := "error: line 1: unknown column \"userId\" (renamed \"name\" in Relution 5.34): mandatory column \"name\" is missing\n" +
		"warning: line 3: 3 fields, header has 5\n" +
		"relution-import-users: " + csv + ": not uploaded: relution: users CSV: 2 problems: line 1: unknown column \"userId\" (renamed \"name\" in Relution 5.34): mandatory column \"name\" is missing; line 3: 3 fields, header has 5\n"
	if code != 1 || errOut != want || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr\n%s\nwant 1 and\n%s", code, out, errOut, want)
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Fatalf("%d requests sent for a file that failed the local check", n)
	}
}

// A line problem is a warning on stderr; the file goes up and the server reports the line,
// as with the script. -strict refuses the same file.
func TestLineProblemWarnsAndUploads(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	csv := writeFile(t, "name;email;givenName;surName;password\n"+
		"a;a@x.com;A;B;pw\n"+
		"b;b@x.com;B\n")
	args := []string{"-f", csv, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID, "-s", "SEMICOLON"}
	code, out, errOut := runMain(t, append(args, "-strict")...)
	if code != 1 || !strings.HasPrefix(errOut, "error: line 3: 3 fields, header has 5\nrelution-import-users: ") || out != "" {
		t.Fatalf("-strict: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Fatalf("-strict: %d requests sent", n)
	}

	code, out, errOut = runMain(t, args...)
	if code != 0 || errOut != "warning: line 3: 3 fields, header has 5\n" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.HasSuffix(out, "success: 1, skipped: 0, failed: 1\n2: [SUCCESS] User a successfully stored with version 1.\n3: [FAILED] Number of data fields does not match number of headers.\n") {
		t.Errorf("stdout:\n%s", out)
	}
}

// -check checks and never contacts a server, even with -h and -a: 0 when the file would
// be uploaded, 1 when it would be refused.
func TestCheckOnly(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer()
	defer srv.Close()
	good := writeFile(t, "name,email,givenName,surName,password\nzoe,zoe@company.com,Zoe,Z,p4ssw0rd\n")
	line := writeFile(t, "name,email,givenName,surName,password\nzoe,,Zoe,Z,p4ssw0rd\n")
	whole := writeFile(t, "name,email,givenName,surName\nzoe,zoe@company.com,Zoe,Z\n")
	server := []string{"-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"good file", []string{"-f", good}, 0, good + ": would be uploaded; no problems found\n"},
		{"good file, server given", append([]string{"-f", good}, server...), 0, good + ": would be uploaded; no problems found\n"},
		{"doc example", nil, 0, "users.csv: would be uploaded; no problems found\n"},
		{"line problem", append([]string{"-f", line}, server...), 0, "warning: line 2: mandatory field \"email\" is empty\n" + line + ": would be uploaded; the server reports the lines warned about\n"},
		{"line problem, strict", []string{"-f", line, "-strict"}, 1, "error: line 2: mandatory field \"email\" is empty\n" + line + ": would be refused\n"},
		{"whole-file problem", append([]string{"-f", whole}, server...), 1, "error: line 1: missing mandatory column \"password\"\n" + whole + ": would be refused\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, append(tt.args, "-check")...)
			if code != tt.code || out != tt.out || errOut != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q", code, out, errOut, tt.code, tt.out)
			}
		})
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("-check sent %d requests", n)
	}
	if code, _, errOut := runMain(t, "-check", "-s", "TAB"); code != 2 || !strings.Contains(errOut, "-s must be") {
		t.Errorf("-check with bad usage: exit %d, stderr %q; want 2", code, errOut)
	}
}

func TestSecondImportSkips(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	csv := writeFile(t, "name,email,givenName,surName,password,phone\n"+
		"user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345\n"+
		"user2,user2@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345\n")
	args := []string{"-f", csv, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID}
	if code, _, errOut := runMain(t, args...); code != 0 {
		t.Fatalf("first import: exit %d, %s", code, errOut)
	}
	code, out, errOut := runMain(t, args...)
	if code != 0 || !strings.Contains(out, "success: 0, skipped: 2, failed: 0\n") {
		t.Fatalf("second import: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	code, out, _ = runMain(t, append(args, "-w", "true")...)
	if code != 0 || !strings.Contains(out, "success: 2, skipped: 0, failed: 0\n") {
		t.Fatalf("overwrite import: exit %d, stdout:\n%s", code, out)
	}
}

// When anything failed, every reported line is printed as N: [STATUS] message.
func TestFailedJobPrintsReports(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0), relutiontest.WithImportFailure())
	defer srv.Close()
	csv := writeFile(t, "name,email,givenName,surName,password\nuser1,user1@company.com,Heinz,Ketchup,p4ssw0rd\n")
	code, out, errOut := runMain(t, "-f", csv, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a FAILED job", code)
	}
	if !strings.Contains(out, "failed: 1\n1: [FAILED] ") {
		t.Errorf("stdout lacks the report line:\n%s", out)
	}
	if !strings.Contains(errOut, "import job failed") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestServerErrorIsOneLineWithoutSecrets(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	csv := writeFile(t, "name,email,givenName,surName,password\nuser1,user1@company.com,Heinz,Ketchup,p4ssw0rd\n")
	code, _, errOut := runMain(t, "-f", csv, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID, "-r", "No%20Such%20Role")
	if code != 1 || !strings.Contains(errOut, "ROLE_NOT_FOUND") {
		t.Fatalf("exit %d, stderr %q; want 1 and the server's code", code, errOut)
	}
	if strings.Contains(errOut, srv.Token) {
		t.Errorf("stderr shows the token: %s", errOut)
	}
}

func TestHelpShowsNoSecret(t *testing.T) {
	clearEnv(t)
	t.Setenv("RELUTION_TOKEN", "env-secret-token-42")
	code, out, errOut := runMain(t, "-help")
	if code != 2 || !strings.Contains(errOut, "-a string") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut+out, "env-secret-token-42") {
		t.Errorf("-help shows the token from the environment:\n%s", errOut)
	}
}

// Empty -r, -w and -s mean the script's defaults, as its [[ -z ]] checks do.
func TestEmptyFlagsMeanDefaults(t *testing.T) {
	clearEnv(t)
	code, out, errOut := runMain(t, "-r", "", "-w", "", "-s", "")
	if code != 0 || !strings.Contains(out, "as 'Organame Device User'") || !strings.Contains(out, "separator of type 'COMMA'") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}

// The environment stands in for -h, -a and -u.
func TestEnvironmentFallback(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	t.Setenv("RELUTION_URL", srv.URL)
	t.Setenv("RELUTION_TOKEN", srv.Token)
	t.Setenv("RELUTION_ORG", srv.OrgUUID)
	csv := writeFile(t, "name,email,givenName,surName,password\nzoe,zoe@company.com,Zoe,Z,p4ssw0rd\n")
	code, out, errOut := runMain(t, "-f", csv)
	if code != 0 || !strings.Contains(out, "success: 1, skipped: 0, failed: 0") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	if _, ok := srv.User("zoe"); !ok {
		t.Error("zoe was not imported into the server named by RELUTION_URL")
	}
}

func TestBadUsage(t *testing.T) {
	clearEnv(t)
	const (
		host = "https://relution.example.com"
		org  = "01995C17-6BD0-7F84-87E9-21A1498B386F"
	)
	file := writeFile(t, "name,email,givenName,surName,password\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-x"}, "flag provided but not defined"},
		{"bad overwrite", []string{"-w", "maybe"}, "-w must be true or false"},
		{"bad separator", []string{"-s", "TAB"}, "-s must be COMMA or SEMICOLON"},
		{"missing file", []string{"-h", host, "-a", "t", "-f", "/no/such/users.csv"}, "Please specify an existing csv file"},
		{"host without file", []string{"-h", host, "-a", "t", "-u", org}, "Please specify an existing csv file"},
		{"host without token", []string{"-h", host, "-u", org, "-f", "x.csv"}, "Please specify an access token"},
		{"host without org", []string{"-h", host, "-a", "t", "-f", file}, "Please specify an organization uuid"},
		{"file without host", []string{"-f", file}, "Please specify a Host URL (-h)"},
		{"bad org", []string{"-h", host, "-a", "t", "-f", file, "-u", "nope"}, "is not a UUID"},
		{"bad role encoding", []string{"-r", "%zz"}, "is not a URL-encoded role name"},
		{"stray argument", []string{"extra"}, "unexpected argument"},
		{"directory as file", []string{"-h", host, "-a", "t", "-f", os.TempDir()}, "is not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
			if strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", errOut)
			}
			if strings.Contains(out, "Job status") {
				t.Errorf("work started despite bad usage: %s", out)
			}
		})
	}
}

// A wait cut short prints no summary: the job may still be running.
func TestCancelledWaitPrintsNoSummary(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(1 << 30))
	defer srv.Close()
	csv := writeFile(t, "name,email,givenName,surName,password\nzoe,zoe@company.com,Zoe,Z,p4ssw0rd\n")
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"-f", csv, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "context deadline exceeded") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	if strings.Contains(out.String(), "success:") {
		t.Errorf("printed a summary for an unfinished job:\n%s", out.String())
	}
}

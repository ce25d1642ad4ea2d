package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// The vendor's own script is the reference for the example: this test runs uploadUserCSV.sh
// from the vendor doc (https://hub.relution.io/en/docs/settings/rest-api, kept as
// ../shared/api/relution/doc.txt beside the repository; the script is extracted at test time,
// not copied into the project) and the example against the same relutiontest server, and
// compares what each printed and sent.

// vendorDoc is the vendor doc, relative to this package: ../shared beside the repository.
var vendorDoc = filepath.Join("..", "..", "..", "shared", "api", "relution", "doc.txt")

// vendorScript extracts uploadUserCSV.sh from the doc into a temporary file, or skips the
// test, naming what is missing, where the doc, bash, curl or jq is not there (a fresh clone
// running go test ./...). CI has ../shared, and .ci/run installs the tools.
func vendorScript(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile(vendorDoc)
	if err != nil {
		t.Skipf("the vendor doc is not here (%v): the comparison with uploadUserCSV.sh needs ../shared beside the repository", err)
	}
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the comparison with uploadUserCSV.sh needs bash, curl and jq (.ci/run installs them)", tool)
		}
	}
	// The script is section 4 of the doc: from its #!/bin/bash to the next section.
	_, rest, ok := bytes.Cut(doc, []byte("4. Bash Script: Upload Users via CSV\n"))
	script, _, ok2 := bytes.Cut(rest, []byte("\n5. Create a New Organization"))
	if !ok || !ok2 || !bytes.HasPrefix(script, []byte("#!/bin/bash\n")) || !bytes.Contains(script, []byte("csvImport/upload/users")) {
		t.Fatalf("uploadUserCSV.sh not found in %s: the doc's layout changed", vendorDoc)
	}
	p := filepath.Join(t.TempDir(), "uploadUserCSV.sh")
	if err := os.WriteFile(p, append(script, '\n'), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// The doc's example lines (doc.txt §1), for the scenarios.
const (
	docHeader = "name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2"
	docUser1  = "user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user1 position,user1 country,user1.id@company.com,43,Operations"
	docUser2  = "user2,user2@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user2 position,user2 country,user2.id@company.com,24,Marketing"
	docUser3  = "user3,user3@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user3 position,user3 country,user3.id@company.com,30,HR"
)

// scriptScenarios are the files both programs import. Each server is seeded with user2, so
// that a line is SKIPPED without -w and overwritten with -w true.
var scriptScenarios = []struct {
	name string
	csv  string
	args []string
}{
	{
		name: "malformed line",
		csv:  lines(docHeader, docUser1, "user4,user4@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user4 position,user4 country,32,Sales", docUser2, docUser3),
	},
	{
		name: "empty mandatory value",
		csv:  lines(docHeader, docUser1, "user5,,Heinz,Ketchup,p4ssw0rd,+49234346345,user5 position,user5 country,user5.id@company.com,45,Finance", docUser3),
	},
	{
		name: "semicolon separator",
		csv:  strings.ReplaceAll(lines(docHeader, docUser1, docUser2, "user6;user6@company.com;Heinz;Ketchup", docUser3), ",", ";"),
		args: []string{"-s", "SEMICOLON"},
	},
	{
		name: "overwrite",
		csv:  lines(docHeader, docUser1, docUser2, "user7,user7@company.com,Heinz,Ketchup,p4ssw0rd", docUser3),
		args: []string{"-w", "true"},
	},
}

func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

// TestSameAsVendorScript runs the vendor's script and the example on each scenario, each
// against a fresh relutiontest server seeded alike (the fake's UUIDs are the same in every
// run), and compares their stdout line by line and the requests each server received.
func TestSameAsVendorScript(t *testing.T) {
	script := vendorScript(t)
	clearEnv(t)
	for _, sc := range scriptScenarios {
		t.Run(sc.name, func(t *testing.T) {
			csv := writeFile(t, sc.csv)
			newServer := func() *relutiontest.Server {
				return relutiontest.NewServer(relutiontest.WithImportPolls(1),
					relutiontest.WithUsers(relutiontest.User{Name: "user2", Email: "user2@company.com", GivenName: "Heinz", Surname: "Ketchup"}))
			}

			scriptSrv := newServer()
			defer scriptSrv.Close()
			args := append([]string{"-f", csv, "-h", scriptSrv.URL, "-a", scriptSrv.Token, "-u", scriptSrv.OrgUUID}, sc.args...)
			cmd := exec.CommandContext(t.Context(), "bash", append([]string{script}, args...)...)
			var scriptOut, scriptErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &scriptOut, &scriptErr
			if err := cmd.Run(); err != nil {
				t.Fatalf("uploadUserCSV.sh: %v\nstderr: %s\nstdout: %s", err, scriptErr.String(), scriptOut.String())
			}

			exampleSrv := newServer()
			defer exampleSrv.Close()
			args = append([]string{"-f", csv, "-h", exampleSrv.URL, "-a", exampleSrv.Token, "-u", exampleSrv.OrgUUID}, sc.args...)
			code, exampleOut, exampleErr := runMain(t, args...)
			if code != 0 {
				t.Fatalf("example: exit %d, stderr %s", code, exampleErr)
			}
			if !strings.HasPrefix(exampleErr, "warning: line ") {
				t.Errorf("example's stderr %q, want the line problem as a warning", exampleErr)
			}

			// The servers differ only in their address.
			want := strings.Split(strings.ReplaceAll(scriptOut.String(), scriptSrv.URL, "HOST"), "\n")
			got := strings.Split(strings.ReplaceAll(exampleOut, exampleSrv.URL, "HOST"), "\n")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stdout, script (-) vs example (+):\n%s", diff)
			}
			if !strings.Contains(scriptOut.String(), "[FAILED]") {
				t.Errorf("the script reported no FAILED line: the scenario proves little\n%s", scriptOut.String())
			}

			wantReqs := requestLog(t, scriptSrv, false)
			gotReqs := requestLog(t, exampleSrv, true)
			if diff := cmp.Diff(wantReqs, gotReqs); diff != "" {
				t.Errorf("requests, script (-) vs example (+):\n%s", diff)
			}
			if !t.Failed() {
				t.Logf("%d requests and %d lines of stdout alike", len(gotReqs), len(got))
			}
		})
	}
}

// requestLog describes what srv received, one string per request: method, path, query,
// the headers both programs must send, and the body. Consecutive status polls collapse into
// one. For the example (paged), the three paging fields it may add to the report query
// (limit, offset, getNonpagedCount) are left out.
func requestLog(t *testing.T, srv *relutiontest.Server, paged bool) []string {
	t.Helper()
	var out []string
	for _, r := range srv.Kit().Requests() {
		s := fmt.Sprintf("%s %s?%s accept=%q token=%v", r.Method, r.Path, r.Query.Encode(),
			r.Header.Get("Accept"), r.Header.Get("X-User-Access-Token") == srv.Token)
		media, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch {
		case media == "multipart/form-data":
			s += " " + describeMultipart(t, r.Body, params["boundary"])
		case media == "application/json":
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("%s %s: body %q: %v", r.Method, r.Path, r.Body, err)
			}
			if paged {
				delete(body, "limit")
				delete(body, "offset")
				delete(body, "getNonpagedCount")
			}
			b, _ := json.Marshal(body) // sorted keys
			s += " json " + string(b)
		case r.BodySize > 0:
			s += fmt.Sprintf(" %s body %q", media, r.Body)
		}
		if r.Method == http.MethodGet && len(out) > 0 && out[len(out)-1] == s {
			continue
		}
		out = append(out, s)
	}
	return out
}

// describeMultipart lists a multipart body's parts: name, file name, type and content.
func describeMultipart(t *testing.T, body []byte, boundary string) string {
	t.Helper()
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart body: %v", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("part %q file %q type %q: %q", p.FormName(), p.FileName(), p.Header.Get("Content-Type"), data))
	}
	return strings.Join(parts, "; ")
}

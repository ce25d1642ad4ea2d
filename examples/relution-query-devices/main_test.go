package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relution/relutiontest"
)

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

func TestPrintsScript6Names(t *testing.T) {
	clearEnv(t)
	code, out, errOut := runMain(t)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := "Done. Parsing ouput...\n\n\"Pixel 8\"\n\"iPhone 15\"\n\"Moto G\"\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("output:\n%s\nwant it to end with:\n%s", out, want)
	}
	if errOut != "no -h or RELUTION_URL: querying the in-memory fake\n" {
		t.Errorf("stderr %q, want the fake announced", errOut)
	}
}

// The flags reach the server, and every page is read.
func TestFlagsAndPaging(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer()
	defer srv.Close()
	code, out, errOut := runMain(t, "-h", srv.URL, "-a", srv.Token, "-u", srv.OrgUUID,
		"-platform", "ios, android", "-status", "COMPLIANT,noncompliant", "-limit", "1")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := "Done. Parsing ouput...\n\n\"iPhone 15\"\n\"iPad Air\"\n\"Moto G\"\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("output:\n%s\nwant it to end with:\n%s", out, want)
	}
	reqs := srv.Kit().Requests()
	if len(reqs) < 3 {
		t.Fatalf("%d requests for 3 devices a page of 1", len(reqs))
	}
	for _, r := range reqs {
		if r.Query.Get("tenantOrganizationUuid") != srv.OrgUUID {
			t.Errorf("request without the organization: %v", r.Query)
		}
		if !strings.Contains(string(r.Body), `"values":["IOS","ANDROID"]`) || !strings.Contains(string(r.Body), `"values":["COMPLIANT","NONCOMPLIANT"]`) {
			t.Errorf("body lacks the flags' filter: %s", r.Body)
		}
	}
}

func TestEnvironmentFallback(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer()
	defer srv.Close()
	t.Setenv("RELUTION_URL", srv.URL)
	t.Setenv("RELUTION_TOKEN", srv.Token)
	t.Setenv("RELUTION_ORG", srv.OrgUUID)
	code, _, errOut := runMain(t)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if n := len(srv.Kit().Requests()); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
}

func TestBadUsage(t *testing.T) {
	clearEnv(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-x"}, "flag provided but not defined"},
		{[]string{"-a", "token"}, "Please specify a Host URL (-h)"},
		{[]string{"-u", "01995C17-6BD0-7F84-87E9-21A1498B386F"}, "Please specify a Host URL (-h)"},
		{[]string{"-h", "https://relution.example.com"}, "Please specify an access token"},
		{[]string{"-h", "https://relution.example.com", "-a", "token", "-u", "nope"}, "is not a UUID"},
		{[]string{"-status", ","}, "need at least one value"},
		{[]string{"-limit", "0"}, "-limit must be at least 1"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		code, out, errOut := runMain(t, tt.args...)
		if code != 2 || !strings.Contains(errOut, tt.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
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

func TestCreatesOnTheServer(t *testing.T) {
	clearEnv(t)
	srv := relutiontest.NewServer()
	defer srv.Close()
	code, out, errOut := runMain(t, "-h", srv.URL, "-a", srv.Token, "-name", "Acme", "-unique", "acme")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	_, reply, ok := strings.Cut(out, "Done. Server replied:\n")
	if !ok {
		t.Fatalf("output:\n%s", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(reply), &got); err != nil {
		t.Fatalf("reply is not JSON: %v\n%s", err, reply)
	}
	if got["name"] != "Acme" || got["uniqueName"] != "acme" || got["uuid"] == "" {
		t.Errorf("reply = %v", got)
	}
	reqs := srv.Kit().Requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/v1/security/organizations/creationWizardRequests" {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestFakeAnnounced(t *testing.T) {
	clearEnv(t)
	code, out, errOut := runMain(t)
	if code != 0 || errOut != "no -h or RELUTION_URL: creating the organization in the in-memory fake\n" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, `Creating organization "Example Org"`) {
		t.Errorf("stdout:\n%s", out)
	}
}

func TestBadUsage(t *testing.T) {
	clearEnv(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-x"}, "flag provided but not defined"},
		{[]string{"-name", "Acme"}, "Please specify a Host URL (-h)"},
		{[]string{"-a", "token"}, "Please specify a Host URL (-h)"},
		{[]string{"-h", "https://relution.example.com"}, "Please specify an access token"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		code, out, errOut := runMain(t, tt.args...)
		if code != 2 || !strings.Contains(errOut, tt.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

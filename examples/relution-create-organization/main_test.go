package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func TestCreatesOnTheFake(t *testing.T) {
	srv := relutiontest.NewServer()
	defer srv.Close()
	t.Setenv("RELUTION_URL", srv.URL)
	t.Setenv("RELUTION_TOKEN", srv.Token)
	var out bytes.Buffer
	if err := run(t.Context(), &out, relution.Organization{Name: "Acme", UniqueName: "acme"}); err != nil {
		t.Fatal(err)
	}
	_, reply, ok := strings.Cut(out.String(), "Done. Server replied:\n")
	if !ok {
		t.Fatalf("output:\n%s", out.String())
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

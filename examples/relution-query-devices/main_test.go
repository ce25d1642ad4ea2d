package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relution/relutiontest"
)

func TestPrintsScript6Names(t *testing.T) {
	t.Setenv("RELUTION_URL", "")
	t.Setenv("RELUTION_TOKEN", "")
	t.Setenv("RELUTION_ORG", "")
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatal(err)
	}
	want := "Done. Parsing ouput...\n\n\"Pixel 8\"\n\"iPhone 15\"\n\"Moto G\"\n"
	if !strings.HasSuffix(out.String(), want) {
		t.Errorf("output:\n%s\nwant it to end with:\n%s", out.String(), want)
	}
}

func TestUsesTheServerFromTheEnvironment(t *testing.T) {
	srv := relutiontest.NewServer()
	defer srv.Close()
	t.Setenv("RELUTION_URL", srv.URL)
	t.Setenv("RELUTION_TOKEN", srv.Token)
	t.Setenv("RELUTION_ORG", "not-a-uuid")
	var out bytes.Buffer
	if err := run(t.Context(), &out); err == nil || !strings.Contains(err.Error(), "not a UUID") {
		t.Fatalf("err = %v, want the bad RELUTION_ORG named", err)
	}
	t.Setenv("RELUTION_ORG", srv.OrgUUID)
	if err := run(t.Context(), &out); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Kit().Requests()); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
	if q := srv.Kit().Requests()[0].Query.Get("tenantOrganizationUuid"); q != srv.OrgUUID {
		t.Errorf("tenantOrganizationUuid = %q", q)
	}
}

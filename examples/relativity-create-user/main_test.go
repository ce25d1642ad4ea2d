package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity/relativitytest"
)

func defaults() options {
	return options{email: "jane.doe@example.com", first: "Jane", last: "Doe", userType: "Internal", client: relativitytest.ClientID}
}

// Run twice against one server, the example creates the user once and finds it the second
// time, calling only required rows.
func TestCreatesOnceThenFinds(t *testing.T) {
	srv := relativitytest.NewServer()
	defer srv.Close()
	t.Setenv("RELATIVITY_URL", srv.URL)
	t.Setenv("RELATIVITY_USERNAME", srv.Username)
	t.Setenv("RELATIVITY_PASSWORD", srv.Password)
	t.Setenv("RELATIVITY_CLIENT_ID", "")
	t.Setenv("RELATIVITY_CLIENT_SECRET", "")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, defaults()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Created jane.doe@example.com") {
		t.Errorf("first run:\n%s", out.String())
	}
	out.Reset()
	if err := run(t.Context(), &out, &errOut, defaults()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Found jane.doe@example.com") || !strings.Contains(out.String(), "type Internal, client Relativity") {
		t.Errorf("second run:\n%s", out.String())
	}
	creates := 0
	for _, r := range srv.Kit().Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/users") {
			creates++
		}
	}
	if creates != 1 {
		t.Errorf("%d creates, want 1", creates)
	}
	checkRequiredOnly(t, srv)
	if errOut.Len() != 0 {
		t.Errorf("stderr with a server: %q", errOut.String())
	}
}

func TestFakeAnnouncedAndExplicitNeedsServer(t *testing.T) {
	t.Setenv("RELATIVITY_URL", "")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, defaults()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "in-memory fake") {
		t.Errorf("stderr = %q", errOut.String())
	}
	o := defaults()
	o.explicit = true
	if err := run(t.Context(), &out, &errOut, o); err == nil || !strings.Contains(err.Error(), "RELATIVITY_URL") {
		t.Errorf("explicit user without server: %v", err)
	}
}

// With RELATIVITY_CLIENT_ID and RELATIVITY_CLIENT_SECRET the example authenticates with an
// OAuth2 token and calls nothing else.
func TestOAuth2(t *testing.T) {
	srv := relativitytest.NewServer()
	defer srv.Close()
	t.Setenv("RELATIVITY_URL", srv.URL)
	t.Setenv("RELATIVITY_USERNAME", "")
	t.Setenv("RELATIVITY_PASSWORD", "")
	t.Setenv("RELATIVITY_CLIENT_ID", srv.ClientID)
	t.Setenv("RELATIVITY_CLIENT_SECRET", srv.ClientSecret)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, defaults()); err != nil {
		t.Fatal(err)
	}
	if srv.TokensIssued() != 1 || !strings.Contains(out.String(), "Created jane.doe@example.com") {
		t.Errorf("tokens %d, output:\n%s", srv.TokensIssued(), out.String())
	}
	checkRequiredOnly(t, srv)
}

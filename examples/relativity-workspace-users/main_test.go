package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity/relativitytest"
)

func TestListsAndQueries(t *testing.T) {
	srv := relativitytest.NewServer()
	defer srv.Close()
	t.Setenv("RELATIVITY_URL", srv.URL)
	t.Setenv("RELATIVITY_USERNAME", srv.Username)
	t.Setenv("RELATIVITY_PASSWORD", srv.Password)
	t.Setenv("RELATIVITY_CLIENT_ID", "")
	t.Setenv("RELATIVITY_CLIENT_SECRET", "")
	var out, errOut bytes.Buffer
	// Page size 1: the query walks three pages for the two internal users and stops.
	if err := run(t.Context(), &out, &errOut, options{workspace: -1, userType: "Internal", pageSize: 1, explicit: true}); err != nil {
		t.Fatal(err)
	}
	want := `Workspace -1 has 3 users (you are user 9):
  1017952	1, 1
  9	Allen, Rob
  777	Sidney, Robin
Users where 'User Type' IN ['Internal']:
  9	Allen, Rob	rob.allen@example.com
  777	Sidney, Robin	robin.sidney@example.com
2 users of type Internal.
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	queries := 0
	for _, r := range srv.Kit().Requests() {
		if strings.HasSuffix(r.Path, "/query-users") {
			queries++
		}
	}
	if queries != 2 {
		t.Errorf("%d query pages, want 2 (the total stops the walk)", queries)
	}
	checkRequiredOnly(t, srv)
}

func TestUnknownWorkspace(t *testing.T) {
	srv := relativitytest.NewServer()
	defer srv.Close()
	t.Setenv("RELATIVITY_URL", srv.URL)
	t.Setenv("RELATIVITY_USERNAME", srv.Username)
	t.Setenv("RELATIVITY_PASSWORD", srv.Password)
	var out, errOut bytes.Buffer
	err := run(t.Context(), &out, &errOut, options{workspace: 1234567, userType: "Internal", pageSize: 25, explicit: true})
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v", err)
	}
	t.Setenv("RELATIVITY_URL", "")
	if err := run(t.Context(), &out, &errOut, options{workspace: 5, explicit: true}); err == nil || !strings.Contains(err.Error(), "RELATIVITY_URL") {
		t.Errorf("explicit workspace without server: %v", err)
	}
}

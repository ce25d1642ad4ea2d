package main

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity/relativitytest"
)

// checkRequiredOnly fails the test for any request the example sent that is not one of the
// catalogue's required rows, or the OAuth2 token call: servers differ in which extended
// services they expose.
func checkRequiredOnly(t *testing.T, srv *relativitytest.Server) {
	t.Helper()
	f, err := os.Open("../../fixtures/relativity/endpoints.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var allowed []*regexp.Regexp
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || strings.HasPrefix(cols[0], "#") || (cols[2] != "required" && !strings.HasSuffix(cols[1], "/connect/token")) {
			continue
		}
		pat := regexp.MustCompile(`\\\{[^}]*\\\}`).ReplaceAllString(regexp.QuoteMeta(cols[1]), `[^/]+`)
		allowed = append(allowed, regexp.MustCompile("^"+cols[0]+" "+pat+"$"))
	}
	if len(allowed) != 14 {
		t.Fatalf("%d allowed rows, want 13 required plus the token call", len(allowed))
	}
	for _, r := range srv.Kit().Requests() {
		call := r.Method + " " + r.Path
		ok := false
		for _, a := range allowed {
			ok = ok || a.MatchString(call)
		}
		if !ok {
			t.Errorf("the example called %s, which is not a required row", call)
		}
	}
}

package main

import (
	"testing"

	"github.com/rosterhq/roster/fixtures"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

// checkRequiredOnly fails the test for any request the example sent that is not one of the
// catalogue's required rows, or the OAuth2 token call: servers differ in which extended
// services they expose.
func checkRequiredOnly(t *testing.T, srv *relativitytest.Server) {
	t.Helper()
	for _, r := range srv.Kit().Requests() {
		ok, err := fixtures.CallsRequired("relativity", r.Method, r.Path, r.Query, "/connect/token")
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Errorf("the example called %s %s, which is not a required row", r.Method, r.Path)
		}
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rosterhq/roster/reltio/reltiotest"
)

// useFake points the environment at srv.
func useFake(t *testing.T, srv *reltiotest.Server) {
	t.Setenv("RELTIO_AUTH_URL", srv.URL)
	t.Setenv("RELTIO_CUSTOMER", srv.Customer)
	t.Setenv("RELTIO_CLIENT_ID", srv.ClientID)
	t.Setenv("RELTIO_CLIENT_SECRET", srv.ClientSecret)
	t.Setenv("RELTIO_TOKEN", "")
	t.Setenv("RELTIO_USERNAME", "")
	t.Setenv("RELTIO_PASSWORD", "")
}

func writes(srv *reltiotest.Server) []string {
	var out []string
	for _, r := range srv.Kit().Requests() {
		if r.Method != "GET" && r.Path != "/oauth/token" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestCreatesThenGrantsThenDoesNothing(t *testing.T) {
	srv := reltiotest.NewServer() // a customer with no users yet
	defer srv.Close()
	useFake(t, srv)

	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, nil); err != nil {
		t.Fatal(err)
	}
	want := "user testdemouser@reltio.com not found: creating it from Reltio's \"Create Users\" sample\n" +
		"granted ROLE_USER on t1 to testdemouser@reltio.com\n"
	if out.String() != want {
		t.Errorf("first run:\n%s\nwant:\n%s", out.String(), want)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr: %s", errOut.String())
	}
	u, ok := srv.User("testdemouser@reltio.com")
	if !ok || len(u.Roles) != 1 || len(u.Roles["ROLE_USER"]) != 1 || u.Roles["ROLE_USER"][0] != "t1" || u.Password != "" {
		t.Errorf("stored user %+v", u)
	}
	if w := writes(srv); strings.Join(w, ",") != "POST /oauth/users,PUT /oauth/users/testdemouser@reltio.com" {
		t.Errorf("writes %v", w)
	}

	srv.Kit().ResetRequests()
	out.Reset()
	if err := run(t.Context(), &out, &errOut, nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != "testdemouser@reltio.com already has ROLE_USER on t1: nothing changed\n" {
		t.Errorf("second run: %s", out.String())
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("second run wrote %v", w)
	}
}

func TestGrantsToAnExistingUserKeepingTheRest(t *testing.T) {
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{
		Username: "jane@example.com", Email: "jane@example.com", Locale: "de",
		Roles: map[string][]string{"ROLE_API": {"t2"}}, Groups: []string{"Config_Admin"},
	}))
	defer srv.Close()
	useFake(t, srv)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, []string{"-user", "jane@example.com", "-role", "ROLE_API", "-tenant", "t3"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "granted ROLE_API on t3 to jane@example.com\n" {
		t.Errorf("output %s", out.String())
	}
	u, _ := srv.User("jane@example.com")
	if strings.Join(u.Roles["ROLE_API"], " ") != "t2 t3" || len(u.Groups) != 1 || u.Locale != "de" {
		t.Errorf("stored user %+v", u)
	}
}

func TestWithoutServer(t *testing.T) {
	t.Setenv("RELTIO_AUTH_URL", "")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "in-memory fake") {
		t.Errorf("stderr does not announce the fake: %q", errOut.String())
	}
	errOut.Reset()
	err := run(t.Context(), &out, &errOut, []string{"-user", "jane@example.com"})
	if err == nil || !strings.Contains(err.Error(), "RELTIO_AUTH_URL") {
		t.Errorf("explicit -user without a server: %v", err)
	}
}

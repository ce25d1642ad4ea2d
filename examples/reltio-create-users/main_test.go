package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

func useFake(t *testing.T, srv *reltiotest.Server) {
	t.Setenv("RELTIO_AUTH_URL", srv.URL)
	t.Setenv("RELTIO_CUSTOMER", srv.Customer)
	t.Setenv("RELTIO_CLIENT_ID", srv.ClientID)
	t.Setenv("RELTIO_CLIENT_SECRET", srv.ClientSecret)
	t.Setenv("RELTIO_TOKEN", "")
	t.Setenv("RELTIO_USERNAME", "")
	t.Setenv("RELTIO_PASSWORD", "")
}

func posts(srv *reltiotest.Server) int {
	n := 0
	for _, r := range srv.Kit().Requests() {
		if r.Method == "POST" && r.Path == "/oauth/users" {
			n++
		}
	}
	return n
}

func TestSampleUsersTwice(t *testing.T) {
	srv := reltiotest.NewServer() // a customer with no users yet
	defer srv.Close()
	useFake(t, srv)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, nil); err != nil {
		t.Fatal(err)
	}
	want := "created: jane.sample@example.com\ncreated: john.sample@example.com\ncreated 2, existing 0\n"
	if out.String() != want {
		t.Errorf("first run:\n%s", out.String())
	}
	u, ok := srv.User("jane.sample@example.com")
	if !ok || strings.Join(u.Roles["ROLE_USER"], ",") != "t1" || u.Password != "" {
		t.Errorf("stored %+v", u)
	}
	out.Reset()
	if err := run(t.Context(), &out, &errOut, nil); err != nil {
		t.Fatal(err)
	}
	want = "exists:  jane.sample@example.com\nexists:  john.sample@example.com\ncreated 0, existing 2\n"
	if out.String() != want {
		t.Errorf("second run:\n%s", out.String())
	}
	if n := posts(srv); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

func TestCSVCreatesOnlyTheMissing(t *testing.T) {
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{Username: "old@example.com", Email: "old@example.com"}))
	defer srv.Close()
	useFake(t, srv)
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "users.csv")
	data := "username,email,password,roles,groups\n" +
		"old@example.com,old@example.com,,ROLE_USER=t1,\n" +
		"new@example.com,new@example.com,S3cret!pass,ROLE_API=t1 t2;ROLE_USER=t3,Config_Admin\n"
	if err := os.WriteFile(csvFile, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, []string{"-f", csvFile}); err != nil {
		t.Fatal(err)
	}
	if want := "exists:  old@example.com\ncreated: new@example.com\ncreated 1, existing 1\n"; out.String() != want {
		t.Errorf("output:\n%s", out.String())
	}
	if strings.Contains(out.String()+errOut.String(), "S3cret") {
		t.Error("a password was printed")
	}
	u, _ := srv.User("new@example.com")
	want := map[string][]string{"ROLE_API": {"t1", "t2"}, "ROLE_USER": {"t3"}}
	if diff := cmp.Diff(want, u.Roles); diff != "" || u.Password != "S3cret!pass" || u.Groups[0] != "Config_Admin" {
		t.Errorf("stored %+v %s", u, diff)
	}
}

func TestJSONFile(t *testing.T) {
	srv := reltiotest.NewServer()
	defer srv.Close()
	useFake(t, srv)
	f := filepath.Join(t.TempDir(), "users.json")
	data := `[{"username":"a@example.com","email":"a@example.com","roles":{"ROLE_USER":["t2"]},"locale":"de"}]`
	if err := os.WriteFile(f, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, []string{"-f", f}); err != nil {
		t.Fatal(err)
	}
	if u, ok := srv.User("a@example.com"); !ok || u.Locale != "de" || u.Roles["ROLE_USER"][0] != "t2" {
		t.Errorf("stored %+v", u)
	}
}

func TestBadInput(t *testing.T) {
	srv := reltiotest.NewServer()
	defer srv.Close()
	useFake(t, srv)
	dir := t.TempDir()
	for name, data := range map[string]string{
		"no-email.csv":  "username\na@example.com\n",
		"bad-roles.csv": "username,email,roles\na@example.com,a@example.com,ROLE_USER\n",
		"unknown.csv":   "username,email,nickname\na@example.com,a@example.com,x\n",
		"empty.json":    "[]",
		"unknown.json":  `[{"username":"a@example.com","email":"a@example.com","tenants":["t1"]}]`,
	} {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		if err := run(t.Context(), &out, &errOut, []string{"-f", f}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}

func TestWithoutServer(t *testing.T) {
	t.Setenv("RELTIO_AUTH_URL", "")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "in-memory fake") || !strings.Contains(out.String(), "created 2, existing 0") {
		t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
	}
	f := filepath.Join(t.TempDir(), "u.csv")
	_ = os.WriteFile(f, []byte("username,email\na@example.com,a@example.com\n"), 0o600)
	if err := run(t.Context(), &out, &errOut, []string{"-f", f}); err == nil || !strings.Contains(err.Error(), "RELTIO_AUTH_URL") {
		t.Errorf("-f without a server: %v", err)
	}
}

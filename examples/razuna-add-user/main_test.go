package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rosterhq/roster/razuna/razunatest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestTwiceOnTheSameServer(t *testing.T) {
	srv := razunatest.NewServer()
	defer srv.Close()
	e := env(map[string]string{"RAZUNA_URL": srv.URL, "RAZUNA_HOST_ID": "1",
		"RAZUNA_USERNAME": srv.Username, "RAZUNA_PASSWORD": srv.Password})
	var outs []string
	for i := range 2 {
		var out, errs bytes.Buffer
		if code := run(t.Context(), nil, e, &out, &errs); code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", i+1, code, out.String(), errs.String())
		}
		outs = append(outs, out.String())
	}
	if !strings.Contains(outs[0], "Added jdoe: id ") || strings.Contains(outs[0], "already exists") {
		t.Errorf("first run:\n%s", outs[0])
	}
	if !strings.Contains(outs[1], "User already exists: jdoe (id ") || !strings.Contains(outs[1], "Read back as jdoe") {
		t.Errorf("second run:\n%s", outs[1])
	}
	if n := len(srv.Users()); n != 2 {
		t.Errorf("%d users, want admin and jdoe", n)
	}
	u, _ := srv.User("jdoe")
	if u.Email != "john.doe@example.com" || len(u.Groups) != 1 || u.Groups[0] != razunatest.GroupAdministrator {
		t.Errorf("stored user %+v", u)
	}
	// Only the catalogue's required v1 rows, all POSTed.
	for _, r := range srv.Kit().Requests() {
		m := r.Query.Get("method")
		ok := r.Method == "POST" && (r.Path == "/global/api/authentication.cfc" && m == "login" ||
			r.Path == "/global/api/user.cfc" && (m == "add" || m == "getuser" || m == "update"))
		if !ok {
			t.Errorf("unexpected call %s %s?method=%s", r.Method, r.Path, m)
		}
	}
}

func TestNoServerUsesTheFake(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(t.Context(), nil, env(nil), &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(errs.String(), "in-memory fake") {
		t.Errorf("stderr does not announce the fake: %q", errs.String())
	}
	if !strings.Contains(out.String(), "Updated the email of jdoe to john.doe@example.com") {
		t.Errorf("stdout:\n%s", out.String())
	}
}

func TestFlagWithoutServerIsRefused(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(t.Context(), []string{"-login", "jane"}, env(nil), &out, &errs); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "RAZUNA_URL is not set") || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out.String(), errs.String())
	}
}

func TestGroupZeroSkipsTheReadBack(t *testing.T) {
	srv := razunatest.NewServer()
	defer srv.Close()
	e := env(map[string]string{"RAZUNA_URL": srv.URL, "RAZUNA_USERNAME": srv.Username, "RAZUNA_PASSWORD": srv.Password})
	var out, errs bytes.Buffer
	if code := run(t.Context(), []string{"-group", "0", "-login", "nogroup", "-email", "ng@example.com"}, e, &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "Not reading the user back") {
		t.Errorf("stdout:\n%s", out.String())
	}
	if u, ok := srv.User("nogroup"); !ok || len(u.Groups) != 0 {
		t.Errorf("stored user %+v, %v", u, ok)
	}
}

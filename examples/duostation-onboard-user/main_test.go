package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

var defaults = options{group: `Customers\Company Inc`, tag: "Onboarded", name: "New User", email: "new.user@example.com"}

// TestRunTwice runs the example twice against one fake given as the server: the second run
// creates nothing and links nothing.
func TestRunTwice(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	t.Setenv("DUOSTATION_URL", srv.URL)
	t.Setenv("DUOSTATION_USERNAME", srv.Username)
	t.Setenv("DUOSTATION_PASSWORD", srv.Password)
	var outs []string
	for range 2 {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), &out, &errOut, defaults); err != nil {
			t.Fatal(err)
		}
		if errOut.Len() != 0 {
			t.Errorf("stderr: %s", errOut.String())
		}
		outs = append(outs, out.String())
	}
	want := []string{
		"Group Customers\\Company Inc: id 2\nUser new.user@example.com: created, id 2\nTag Onboarded: created, id 1\nTag Onboarded on user 2: linked\nDevices of user 2: 0\n",
		"Group Customers\\Company Inc: id 2\nUser new.user@example.com: found, id 2\nTag Onboarded: found, id 1\nTag Onboarded on user 2: already linked\nDevices of user 2: 0\n",
	}
	for i := range want {
		if outs[i] != want[i] {
			t.Errorf("run %d:\n%s\nwant:\n%s", i+1, outs[i], want[i])
		}
	}
	writes := map[string]int{}
	for _, r := range srv.Kit().Requests() {
		if r.Method != "GET" {
			writes[r.Method+" "+r.Path]++
		}
	}
	if len(writes) != 3 || writes["POST /api/users"] != 1 || writes["POST /api/tags"] != 1 || writes["POST /api/usertags"] != 1 {
		t.Errorf("writes = %v, want one user, one tag, one link", writes)
	}
	if u := srv.Users(); len(u) != 2 || u[1].GroupID != duostationtest.CompanyGroupID || u[1].Name != "New User" {
		t.Errorf("users = %+v", u)
	}
}

// TestSeedUserWithDevice onboards the doc's own user, who exists and has a device.
func TestSeedUserWithDevice(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	t.Setenv("DUOSTATION_URL", srv.URL)
	t.Setenv("DUOSTATION_USERNAME", srv.Username)
	t.Setenv("DUOSTATION_PASSWORD", srv.Password)
	o := defaults
	o.email, o.group = duostationtest.SeedUserEmail, "Customers/Company Inc"
	var out bytes.Buffer
	if err := run(t.Context(), &out, &out, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "User stefan@programduon.se: found, id 1\n") ||
		!strings.Contains(out.String(), "Devices of user 1: 1\n  "+duostationtest.SeedDeviceID+" SN123456ABC\n") {
		t.Errorf("output:\n%s", out.String())
	}
	if tags := srv.UserTags(); len(tags) != 1 || tags[0].UserID != 1 {
		t.Errorf("user tags = %+v", tags)
	}
}

// TestNoServer uses the fake and says so; an explicit input without a server is an error.
func TestNoServer(t *testing.T) {
	t.Setenv("DUOSTATION_URL", "")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, defaults); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "in-memory fake") || !strings.Contains(out.String(), "created") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
	o := defaults
	o.explicit = []string{"-email"}
	if err := run(t.Context(), &out, &errOut, o); err == nil || !strings.Contains(err.Error(), "DUOSTATION_URL") {
		t.Errorf("err = %v, want one naming DUOSTATION_URL", err)
	}
}

// TestUnknownGroup fails with the path in the error.
func TestUnknownGroup(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	t.Setenv("DUOSTATION_URL", srv.URL)
	t.Setenv("DUOSTATION_USERNAME", srv.Username)
	t.Setenv("DUOSTATION_PASSWORD", srv.Password)
	o := defaults
	o.group = `Customers\Nobody`
	var out bytes.Buffer
	err := run(t.Context(), &out, &out, o)
	if !errors.Is(err, duostation.ErrNotFound) || !strings.Contains(err.Error(), `Customers\Nobody`) {
		t.Errorf("err = %v", err)
	}
	if len(srv.Users()) != 1 {
		t.Errorf("a user was created")
	}
}

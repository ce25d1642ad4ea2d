package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

var defaults = options{serial: "SN123456ABC", message: "Lost. Call IT."}

func useServer(t *testing.T, srv *duostationtest.Server) {
	t.Setenv("DUOSTATION_URL", srv.URL)
	t.Setenv("DUOSTATION_USERNAME", srv.Username)
	t.Setenv("DUOSTATION_PASSWORD", srv.Password)
}

func names(cmds []duostationtest.Command) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Name)
	}
	return out
}

func TestLockAndMessage(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	useServer(t, srv)
	var out bytes.Buffer
	if err := run(t.Context(), &out, &out, defaults); err != nil {
		t.Fatal(err)
	}
	want := "Device SN123456ABC: id " + duostationtest.SeedDeviceID + ", user 1\nLocked.\nMessage sent.\nNot wiped (run with -wipe to erase it).\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	cmds := srv.Commands(duostationtest.SeedDeviceID)
	if got := strings.Join(names(cmds), ","); got != "lockdevice,sendmessage" || cmds[1].Message != "Lost. Call IT." {
		t.Errorf("commands = %+v", cmds)
	}
}

func TestWipe(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	useServer(t, srv)
	o := defaults
	o.wipe = true
	var out bytes.Buffer
	if err := run(t.Context(), &out, &out, o); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(srv.Commands("")), ","); got != "lockdevice,sendmessage,wipedevice" || !strings.HasSuffix(out.String(), "Wipe sent.\n") {
		t.Errorf("commands %s, output:\n%s", got, out.String())
	}
}

// TestWipeLostReply: the wipe goes through but its reply is lost; the example says so, and
// the device got exactly one wipe.
func TestWipeLostReply(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	useServer(t, srv)
	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/{id}/wipedevice", DropAfterApply: true})
	o := defaults
	o.wipe = true
	var out bytes.Buffer
	err := run(t.Context(), &out, &out, o)
	if !errors.Is(err, duostation.ErrMaybeApplied) || !strings.Contains(err.Error(), "may have been sent") {
		t.Fatalf("err = %v", err)
	}
	wipes := 0
	for _, c := range srv.Commands(duostationtest.SeedDeviceID) {
		if c.Name == duostationtest.CommandWipe {
			wipes++
		}
	}
	if wipes != 1 {
		t.Errorf("%d wipes, want 1", wipes)
	}
}

func TestUnknownSerial(t *testing.T) {
	srv := duostationtest.NewServer()
	defer srv.Close()
	useServer(t, srv)
	o := defaults
	o.serial = "NOPE"
	var out bytes.Buffer
	if err := run(t.Context(), &out, &out, o); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("err = %v", err)
	}
	if len(srv.Commands("")) != 0 {
		t.Errorf("commands sent: %+v", srv.Commands(""))
	}
}

func TestTwoDevicesOneSerial(t *testing.T) {
	srv := duostationtest.NewServer(duostationtest.WithDevices(duostation.Device{SerialNumber: "SN123456ABC", UserID: 1}))
	defer srv.Close()
	useServer(t, srv)
	var out bytes.Buffer
	if err := run(t.Context(), &out, &out, defaults); err == nil || !strings.Contains(err.Error(), "2 devices") {
		t.Errorf("err = %v", err)
	}
	if len(srv.Commands("")) != 0 {
		t.Errorf("commands sent: %+v", srv.Commands(""))
	}
}

func TestNoServer(t *testing.T) {
	t.Setenv("DUOSTATION_URL", "")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), &out, &errOut, defaults); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "in-memory fake") || !strings.Contains(out.String(), "Locked.") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
	o := defaults
	o.explicit = []string{"-serial"}
	if err := run(t.Context(), &out, &errOut, o); err == nil || !strings.Contains(err.Error(), "DUOSTATION_URL") {
		t.Errorf("err = %v, want one naming DUOSTATION_URL", err)
	}
}

func TestMissingCredentials(t *testing.T) {
	t.Setenv("DUOSTATION_URL", "https://mdm.example.com")
	t.Setenv("DUOSTATION_USERNAME", "")
	t.Setenv("DUOSTATION_PASSWORD", "")
	var out bytes.Buffer
	err := run(t.Context(), &out, &out, defaults)
	if !errors.Is(err, duostation.ErrInvalidInput) || !strings.Contains(err.Error(), "DUOSTATION_USERNAME") {
		t.Errorf("err = %v", err)
	}
}

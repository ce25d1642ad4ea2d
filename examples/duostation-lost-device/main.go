// Command duostation-lost-device handles a lost device in DuoSTATION MDM: it finds the device
// by serial number, locks its screen and shows a message on it. It wipes the device only when
// asked to with -wipe.
//
//	DUOSTATION_URL=https://mdm.example.com DUOSTATION_USERNAME=admin DUOSTATION_PASSWORD=... \
//		go run ./examples/duostation-lost-device -serial C02XK1ZZJGH5
//
// Flags: -serial (default SN123456ABC, the serial number of the API document's example),
// -message (the text shown on the device), -wipe. A wipe is never sent twice: when its reply
// is lost, the example says the wipe may have gone through and stops, and the console shows
// whether it did. With no DUOSTATION_URL it runs against the in-memory fake (duostationtest)
// and says so on stderr; naming a serial number or a message without a server is an error,
// since the fake would only pretend to reach the device.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

type options struct {
	serial, message string
	wipe            bool
	explicit        []string // the input flags given on the command line
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var o options
	flag.StringVar(&o.serial, "serial", "SN123456ABC", "the device's serial number")
	flag.StringVar(&o.message, "message", "This device has been reported lost. Please return it to IT.", "the message to show on the device")
	flag.BoolVar(&o.wipe, "wipe", false, "also wipe the device (erase all data; cannot be undone)")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "wipe" {
			o.explicit = append(o.explicit, "-"+f.Name)
		}
	})
	err := run(ctx, os.Stdout, os.Stderr, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "duostation-lost-device:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout, stderr io.Writer, o options) error {
	cfg := duostation.Config{
		BaseURL:  os.Getenv("DUOSTATION_URL"),
		Username: os.Getenv("DUOSTATION_USERNAME"),
		Password: os.Getenv("DUOSTATION_PASSWORD"),
	}
	if cfg.BaseURL == "" {
		if len(o.explicit) > 0 {
			return fmt.Errorf("%s given but DUOSTATION_URL is not set: set DUOSTATION_URL, DUOSTATION_USERNAME and DUOSTATION_PASSWORD", o.explicit[0])
		}
		srv := duostationtest.NewServer()
		defer srv.Close()
		cfg.BaseURL, cfg.Username, cfg.Password = srv.URL, srv.Username, srv.Password
		fmt.Fprintln(stderr, "duostation-lost-device: DUOSTATION_URL is not set; using the in-memory fake")
	}
	client, err := duostation.NewClient(cfg)
	if err != nil {
		return fmt.Errorf("%w (from DUOSTATION_URL, DUOSTATION_USERNAME and DUOSTATION_PASSWORD)", err)
	}

	devices, err := client.Devices.List(ctx, &duostation.DeviceSearch{SerialNumber: o.serial})
	if err != nil {
		return fmt.Errorf("find device %s: %w", o.serial, err)
	}
	switch len(devices) {
	case 0:
		return fmt.Errorf("no device has serial number %s", o.serial)
	case 1:
	default:
		// Locking or wiping several devices on one serial number is not a guess to make.
		return fmt.Errorf("%d devices have serial number %s; handle them in the console", len(devices), o.serial)
	}
	d := devices[0]
	fmt.Fprintf(stdout, "Device %s: id %s, user %d\n", o.serial, d.ID, d.UserID)

	if err := client.Devices.Lock(ctx, d.ID); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	fmt.Fprintln(stdout, "Locked.")
	if err := client.Devices.SendMessage(ctx, d.ID, o.message); err != nil {
		return fmt.Errorf("send message: %w", err)
	}
	fmt.Fprintln(stdout, "Message sent.")

	if !o.wipe {
		fmt.Fprintln(stdout, "Not wiped (run with -wipe to erase it).")
		return nil
	}
	err = client.Devices.Wipe(ctx, d.ID)
	if errors.Is(err, duostation.ErrMaybeApplied) {
		return fmt.Errorf("wipe: the reply was lost, so the wipe may have been sent; check the device in the console before trying again: %w", err)
	}
	if err != nil {
		return fmt.Errorf("wipe: %w", err)
	}
	fmt.Fprintln(stdout, "Wipe sent.")
	return nil
}

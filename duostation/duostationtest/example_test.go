package duostationtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

// A test starts the fake, plans a lost reply to the wipe, and checks that the device was
// wiped exactly once and that the client said the wipe may have gone through.
func Example() {
	srv := duostationtest.NewServer()
	defer srv.Close()
	client, err := duostation.NewClient(srv.Config())
	if err != nil {
		log.Fatal(err)
	}

	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/{id}/wipedevice", DropAfterApply: true})
	err = client.Devices.Wipe(context.Background(), duostationtest.SeedDeviceID)
	fmt.Println("maybe applied:", errors.Is(err, duostation.ErrMaybeApplied))
	for _, c := range srv.Commands(duostationtest.SeedDeviceID) {
		fmt.Println(c.Name)
	}
	fmt.Println(len(srv.Kit().Requests()), "request")
	// Output:
	// maybe applied: true
	// wipedevice
	// 1 request
}

// WithDevices seeds more devices; their group follows their user's.
func ExampleWithDevices() {
	srv := duostationtest.NewServer(duostationtest.WithDevices(
		duostation.Device{SerialNumber: "SN2", UserID: duostationtest.SeedUserID},
	))
	defer srv.Close()
	client, err := duostation.NewClient(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	devices, err := client.Devices.List(context.Background(), &duostation.DeviceSearch{GroupID: duostation.Ptr(duostationtest.CompanyGroupID)})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range devices {
		fmt.Println(d.SerialNumber, d.UserID)
	}
	// Output:
	// SN2 1
	// SN123456ABC 1
}

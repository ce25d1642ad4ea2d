package duostation_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

// newExampleClient starts the fake and returns a client for it.
func newExampleClient() (*duostation.Client, *duostationtest.Server) {
	srv := duostationtest.NewServer()
	client, err := duostation.NewClient(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	return client, srv
}

func ExampleGroupsService_GetByPath() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	group, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(`Customers\Company Inc`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.ID, group.Name, "under", group.ParentID)

	_, err = client.Groups.GetByPath(ctx, duostation.GroupPath{"Customers", "Nobody Ltd"})
	fmt.Println(errors.Is(err, duostation.ErrNotFound))
	// Output:
	// 2 Company Inc under 1
	// true
}

func ExampleUsersService_Create() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	// Look the user up by email first, so that running this twice creates one user.
	email := "ann@example.com"
	users, err := client.Users.List(ctx, &duostation.UserSearch{Email: email})
	if err != nil {
		log.Fatal(err)
	}
	if len(users) == 0 {
		id, err := client.Users.Create(ctx, duostation.UserCreate{
			Name:    "Ann Example",
			Email:   &email,
			GroupID: duostation.Ptr(duostationtest.CompanyGroupID),
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created user", id)
	}
	if err := client.Users.Update(ctx, 2, duostation.UserUpdate{Position: duostation.Ptr("Sales")}); err != nil {
		log.Fatal(err)
	}
	u, err := client.Users.Get(ctx, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Name, u.Email, u.GroupID, u.Position)
	// Output:
	// created user 2
	// Ann Example ann@example.com 2 Sales
}

func ExampleDevicesService_Lock() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	devices, err := client.Devices.List(ctx, &duostation.DeviceSearch{SerialNumber: "SN123456ABC"})
	if err != nil || len(devices) != 1 {
		log.Fatal(devices, err)
	}
	d := devices[0]
	if err := client.Devices.Lock(ctx, d.ID); err != nil {
		log.Fatal(err)
	}
	if err := client.Devices.SendMessage(ctx, d.ID, "Please return this device to IT."); err != nil {
		log.Fatal(err)
	}
	for _, c := range srv.Commands(d.ID) {
		fmt.Printf("%s %q\n", c.Name, c.Message)
	}
	// Output:
	// lockdevice ""
	// sendmessage "Please return this device to IT."
}

func ExampleDevicesService_Wipe() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	// The reply to the wipe is lost: the wipe was applied, but the client cannot know.
	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/{id}/wipedevice", DropAfterApply: true})
	err := client.Devices.Wipe(ctx, duostationtest.SeedDeviceID)
	fmt.Println(errors.Is(err, duostation.ErrMaybeApplied))
	fmt.Println(len(srv.Commands(duostationtest.SeedDeviceID)), "wipe")
	// Output:
	// true
	// 1 wipe
}

func ExampleTagsService_Create() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	id, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "Onboarded", Description: duostation.Ptr("Set up by HR")})
	if err != nil {
		log.Fatal(err)
	}
	tags, err := client.Tags.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags {
		fmt.Println(t.ID == id, t.Name, t.Description)
	}
	// Output:
	// true Onboarded Set up by HR
}

func ExampleUserTagsService_Link() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	tagID, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "VPN"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.UserTags.Link(ctx, duostationtest.SeedUserID, tagID); err != nil {
		log.Fatal(err)
	}
	links, err := client.UserTags.List(ctx, &duostation.UserTagSearch{Email: "stefan@programduon.se"})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links {
		fmt.Println(l.UserName, l.TagID == tagID)
	}
	// Output:
	// Stefan Johansson true
}

func ExampleDeviceTagsService_Link() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	tagID, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "Lost"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.DeviceTags.Link(ctx, duostationtest.SeedDeviceID, tagID); err != nil {
		log.Fatal(err)
	}
	links, err := client.DeviceTags.List(ctx, &duostation.DeviceTagSearch{SerialNumber: "SN123456ABC"})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links {
		fmt.Println(l.SerialNumber, l.TagID == tagID)
	}
	// Output:
	// SN123456ABC true
}

func ExampleGroupTagsService_Link() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	tagID, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "Wi-Fi"})
	if err != nil {
		log.Fatal(err)
	}
	// RootGroupID links the tag to "All".
	if _, err := client.GroupTags.Link(ctx, duostation.RootGroupID, tagID); err != nil {
		log.Fatal(err)
	}
	links, err := client.GroupTags.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links {
		fmt.Println(l.GroupID, l.TagID == tagID)
	}
	// Output:
	// 0 true
}

func ExampleAppsService_AddOrUpdate() {
	client, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	app := duostation.AppInput{
		Name:        "Example",
		Company:     "Example Inc",
		PackageID:   "com.example.app",
		VersionText: "1.0",
		Platform:    duostation.PlatformAndroid,
		Size:        1 << 20,
		Store:       duostation.StorePlay,
		StoreID:     "com.example.app",
		ImageURL:    "https://example.com/icon.png",
	}
	first, err := client.Apps.AddOrUpdate(ctx, app)
	if err != nil {
		log.Fatal(err)
	}
	// The same package, platform and store: an update of the same app.
	app.VersionText = "1.1"
	second, err := client.Apps.AddOrUpdate(ctx, app)
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Apps.Get(ctx, second)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first == second, got.Platform, got.Store, got.VersionText)
	// Output:
	// true Android Play 1.1
}

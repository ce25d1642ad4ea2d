package relution_test

import (
	"context"
	"fmt"
	"log"

	"github.com/google/uuid"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// Query compliant Android and iOS devices, newest connection first: the body of script 6
// of the vendor's REST API guide.
func ExampleDevicesService_List() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Devices.List(context.Background(), relution.Query{
		Limit:            100,
		GetNonpagedCount: true,
		SortOrder:        relution.SortBy(relution.Desc("lastConnectionDate")),
		Filter: relution.And(
			relution.StringEnum("platform", relution.PlatformAndroid, relution.PlatformAndroidEnterprise, relution.PlatformIOS),
			relution.StringEnum("status", relution.StatusCompliant),
		),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Total, "devices")
	for _, d := range page.Items {
		fmt.Println(d.Name, d.Platform)
	}
	// Output:
	// 3 devices
	// Pixel 8 ANDROID_ENTERPRISE
	// iPhone 15 IOS
	// Moto G ANDROID
}

// Walk every device of a large fleet, a page at a time.
func ExampleDevicesService_All() {
	srv := relutiontest.NewServer(relutiontest.WithDevices(1200))
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	perPlatform := map[relution.Platform]int{}
	for d, err := range client.Devices.All(context.Background(), relution.Query{Limit: 500}) {
		if err != nil {
			log.Fatal(err)
		}
		perPlatform[d.Platform]++
	}
	total := 0
	for _, n := range perPlatform {
		total += n
	}
	fmt.Println(total, "devices")
	// Output:
	// 1206 devices
}

// List what is installed on a device and the actions queued for it.
func ExampleDevicesService_ListInstalledApps() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	pixel := uuid.MustParse(relutiontest.PixelUUID)
	apps, err := client.Devices.ListInstalledApps(ctx, pixel, relution.InstalledAppListOptions{Locale: "en"})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range apps.Items {
		fmt.Println("installed:", a.Name, a.VersionName)
	}
	actions, err := client.Devices.ListActions(ctx, pixel, relution.ActionListOptions{SortOrder: relution.SortBy(relution.Desc("creationDate"))})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range actions.Items {
		fmt.Println("action:", a.Type, a.State)
	}
	// Output:
	// installed: Slack 24.01.10
	// installed: Company Portal 3.1.0
	// installed: Chrome 120.0
	// action: DEPLOY_CLASSIC_APP PENDING
	// action: DEPLOY_CLASSIC_APP EXECUTED
}

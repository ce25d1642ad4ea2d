package relution_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func ExampleAppsService_List() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.Apps.List(context.Background(), relution.AppListOptions{
		ExtendVersions: true,
		Locale:         "en",
		SortOrder:      relution.SortBy(relution.Asc("name")),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, app := range page.Items {
		for _, v := range app.Versions {
			if v.ReleaseStatus == relution.ReleaseRelease {
				fmt.Printf("%s (%s) released %s\n", app.Name, app.InternalName, v.VersionName)
			}
		}
	}
	// Output:
	// 7-Zip (7zip.7zip) released 24.08
	// Company Portal (com.organame.portal) released 3.2.0
	// Slack (com.Slack) released 24.01.10
}

func ExampleAppsService_Icon() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	icon, err := client.Apps.Icon(ctx, uuid.MustParse(relutiontest.SlackAppUUID))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(icon.ContentType, bytes.HasPrefix(icon.Data, []byte("\x89PNG")))

	// Relution answers 404 for an app without an icon.
	_, err = client.Apps.Icon(ctx, uuid.MustParse(relutiontest.PortalAppUUID))
	fmt.Println("no icon:", errors.Is(err, relution.ErrNotFound))
	// Output:
	// image/png true
	// no icon: true
}

// This example is the upload flow of the web console: upload the package in chunks, let the
// server read it, name the app, and create it.
func ExampleAppsService_UploadFile() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	pkg := bytes.NewReader([]byte("the bytes of an MSI package")) // an *os.File in real use
	resource, err := client.Apps.UploadFile(ctx, "Tool-1.2.3.msi", pkg, pkg.Size())
	if err != nil {
		log.Fatal(err)
	}
	apps, err := client.Apps.ParseFile(ctx, resource)
	if err != nil || len(apps) == 0 {
		log.Fatalf("the server made no app of the file: %v", err)
	}
	app := apps[0]
	app.Name = relution.LocalizedString{"en": "Tool", "de": "Werkzeug"}
	created, err := client.Apps.Create(ctx, app)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Name.In("de"), created.InternalName, created.SubType)
	for _, v := range created.Versions {
		fmt.Println(v.VersionName, v.ReleaseStatus)
	}
	// Output:
	// Werkzeug tool WINDOWS_MSI
	// 1.2.3 DEVELOPMENT
}

func ExampleAppsService_Deploy() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	// Install Slack's released version on Max's iPhone. The server queues a device action.
	ok, err := client.Apps.Deploy(context.Background(),
		uuid.MustParse(relutiontest.SlackAppUUID),
		uuid.MustParse(relutiontest.SlackReleaseUUID),
		uuid.MustParse(relutiontest.IPhoneUUID))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accepted:", ok)
	// Output:
	// accepted: true
}

package relutiontest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// countCompliant is code under test: a service function built on the SDK.
func countCompliant(ctx context.Context, c *relution.Client) (int, error) {
	n := 0
	for _, err := range c.Devices.All(ctx, relution.Query{Filter: relution.StringEq("status", relution.StatusCompliant)}) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// A test of your own code: a ready client, a device seeded with the SDK's own types, and
// the request log filtered by method and path.
func Example() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client := srv.NewClient()

	srv.SeedDevice(relution.Device{
		Name:               "Kiosk 1",
		Status:             relution.StatusCompliant,
		Platform:           relution.PlatformAndroidEnterprise,
		UserUUID:           relutiontest.MaxID,
		LastConnectionDate: relution.Time{Time: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
	})
	n, err := countCompliant(context.Background(), client)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("compliant devices:", n)
	fmt.Println("queries sent:", len(srv.Requests("POST", "/api/v2/devices/baseInfo/query")))
	// Output:
	// compliant devices: 5
	// queries sent: 1
}

// The CSV import as the vendor's uploadUserCSV.sh runs it, through the SDK: two polls, one
// of them RUNNING, and a report per line.
func ExampleWithImportPolls() {
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(1))
	defer srv.Close()
	client := srv.NewClient()
	ctx := context.Background()

	csv := "name,email,givenName,surName,password,phone\n" +
		"user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345\n" +
		"user2,user2@company.com,Heinz,Ketchup,p4ssw0rd\n" +
		"admin,admin@company.com,Ada,Admin,p4ssw0rd,\n"
	job, err := client.ImportJobs.ImportUsers(ctx, strings.NewReader(csv), relution.ImportOptions{
		Role: "Organame Device User",
		Wait: relution.WaitOptions{
			Interval: time.Millisecond,
			Progress: func(j *relution.ImportJob) { fmt.Println("Job status:", j.Status) },
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range job.Warnings {
		fmt.Println("warning:", w)
	}
	fmt.Printf("success: %d, skipped: %d, failed: %d\n", job.SuccessCount, job.SkippedCount, job.FailureCount)
	for r, err := range client.ImportJobs.AllReports(ctx, job.UUID) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d: [%s] %s\n", r.Line, r.Status, r.Message)
	}
	// Output:
	// Job status: RUNNING
	// Job status: FINISHED
	// warning: line 3: 5 fields, header has 6
	// success: 1, skipped: 1, failed: 1
	// 2: [SUCCESS] User user1 successfully stored with version 1.
	// 3: [FAILED] Number of data fields does not match number of headers.
	// 4: [SKIPPED] User admin should not be overwritten.
}

// Kit plans faults: here one 503 on the group list, which the client's retry absorbs, and a
// 404 that it does not.
func ExampleKit() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client := srv.NewClient()
	ctx := context.Background()

	var kit *relutiontest.Kit = srv.Kit()
	kit.Inject(relutiontest.Fault{Method: "GET", Path: "/api/v1/security/groups", Status: 503, Count: 1})
	page, err := client.Groups.List(ctx, relution.Query{})
	fmt.Println(len(page.Items), err)
	fmt.Println("requests:", len(srv.Requests("GET", "/api/v1/security/groups")))

	kit.Inject(relutiontest.Fault{Method: "GET", Path: "/api/v1/security/groups", Status: 404, Count: 1})
	_, err = client.Groups.List(ctx, relution.Query{})
	fmt.Println(errors.Is(err, relution.ErrNotFound))
	// Output:
	// 4 <nil>
	// requests: 2
	// true
}

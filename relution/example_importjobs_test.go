package relution_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// Import users from CSV records, wait for the job, and print what happened to each line.
func ExampleImportJobsService_ImportUsers() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	var csv strings.Builder
	w, _ := relution.NewCSVWriter(&csv, relution.CSVWriterOptions{Separator: relution.Semicolon})
	for _, name := range []string{"anna", "ben"} {
		if err := w.Write(relution.UserRecord{
			Name: name, Email: name + "@company.com", GivenName: strings.ToUpper(name[:1]) + name[1:],
			SurName: "Example", Password: "p4ssw0rd!", Phone: "+4912345678",
		}); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	job, err := client.ImportJobs.ImportUsers(ctx, strings.NewReader(csv.String()), relution.ImportOptions{
		Role: "Organame Device User", Separator: relution.Semicolon,
		Wait: relution.WaitOptions{Interval: 10 * time.Millisecond},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: success %d, skipped %d, failed %d\n", job.Status, job.SuccessCount, job.SkippedCount, job.FailureCount)
	for r, err := range client.ImportJobs.AllReports(ctx, job.UUID) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d: [%s] %s\n", r.Line, r.Status, r.Message)
	}
	// Output:
	// FINISHED: success 2, skipped 0, failed 0
	// 2: [SUCCESS] User anna successfully stored with version 1.
	// 3: [SUCCESS] User ben successfully stored with version 1.
}

// CheckCSV sorts what it finds: whole-file problems, for which the server would fail the
// whole import (ImportUsers refuses such a file), and line problems, which the server
// reports on their line while it imports the others (ImportUsers uploads the file and
// returns them as warnings).
func ExampleCheckCSV() {
	csv := "userId,email,givenName,surName,password,phone\n" +
		"user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345\n" +
		"user2,user2@company.com,Heinz,Ketchup,p4ssw0rd\n" +
		"user3,,Heinz,Ketchup,p4ssw0rd,0049 234\n"
	err := relution.CheckCSV(strings.NewReader(csv), relution.Comma)
	var problems *relution.CSVError
	if errors.As(err, &problems) {
		for _, p := range problems.Problems {
			kind := "line problem"
			if p.WholeFile {
				kind = "whole file"
			}
			fmt.Printf("%s: %s\n", kind, p)
		}
		fmt.Println("refused:", problems.WholeFile())
	}
	// Output:
	// whole file: line 1: unknown column "userId" (renamed "name" in Relution 5.34): mandatory column "name" is missing
	// line problem: line 3: 5 fields, header has 6
	// line problem: line 4: mandatory field "email" is empty
	// line problem: line 4: phone number is not in international format: + and 4 to 15 digits, such as +4912345
	// refused: true
}

// Create users from records in one call, and see what happened to each.
func ExampleImportJobsService_ImportRecords() {
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	users := []relution.UserRecord{
		{Name: "anna", Email: "anna@company.com", GivenName: "Anna", SurName: "Example", Password: "p4ssw0rd!"},
		{Name: "admin", Email: "admin@company.com", GivenName: "Ada", SurName: "Admin", Password: "p4ssw0rd!"},
	}
	job, results, err := client.ImportJobs.ImportRecords(context.Background(), users, relution.ImportOptions{Role: "Organame Device User"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Status)
	for _, r := range results {
		fmt.Printf("%s (line %d): [%s] %s\n", r.Record.Name, r.Line, r.Status, r.Message)
	}
	// Output:
	// FINISHED
	// anna (line 2): [SUCCESS] User anna successfully stored with version 1.
	// admin (line 3): [SKIPPED] User admin should not be overwritten.
}

package relativitytest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

// A test starts the fake, points a client at it, and reads what the client sent.
func ExampleNewServer() {
	srv := relativitytest.NewServer()
	defer srv.Close()
	client, err := relativity.NewClient(relativity.Config{
		BaseURL: srv.URL, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.WorkspaceUsers.Me(ctx, relativitytest.AdminWorkspace); err != nil {
		log.Fatal(err)
	}
	// Tokens expire; the client fetches a new one once and sends the call again.
	srv.ExpireTokens()
	me, err := client.WorkspaceUsers.Me(ctx, relativitytest.AdminWorkspace)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Name, "tokens issued:", srv.TokensIssued())
	for _, r := range srv.Kit().Requests() {
		fmt.Println(r.Method, r.Path)
	}
	// Output:
	// Allen, Rob tokens issued: 2
	// POST /Relativity/Identity/connect/token
	// GET /Relativity.REST/api/Relativity-Identity/v1/workspaces/-1/users/me
	// GET /Relativity.REST/api/Relativity-Identity/v1/workspaces/-1/users/me
	// POST /Relativity/Identity/connect/token
	// GET /Relativity.REST/api/Relativity-Identity/v1/workspaces/-1/users/me
}

// Faults make the fake misbehave: here a 503 on the next read, which the client retries.
func ExampleServer_Kit() {
	srv := relativitytest.NewServer()
	defer srv.Close()
	client, err := relativity.NewClient(relativity.Config{
		BaseURL: srv.URL, Username: srv.Username, Password: srv.Password,
		Retry: relativity.RetryPolicy{MinWait: 1, MaxWait: 1}})
	if err != nil {
		log.Fatal(err)
	}
	srv.Kit().Inject(relativitytest.Fault{Method: "GET", Path: "/Relativity.REST/api/Relativity-Identity/v1/users/{userID}", Status: 503})
	u, err := client.Users.Get(context.Background(), relativitytest.SampleUserID, nil)
	fmt.Println(u.EmailAddress, err, len(srv.Kit().Requests()))

	// A write is not retried after a 5xx: it may have been applied.
	srv.Kit().Inject(relativitytest.Fault{Method: "DELETE", Path: "/Relativity.REST/api/Relativity-Identity/v1/users/*", Status: 503})
	err = client.Users.Delete(context.Background(), relativitytest.SidneyID)
	fmt.Println(errors.Is(err, relativity.ErrMaybeApplied), errors.Is(err, relativity.ErrUnavailable))
	// Output:
	// test@t.com <nil> 2
	// true true
}

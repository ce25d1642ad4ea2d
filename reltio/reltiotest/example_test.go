package reltiotest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

func ExampleNewServer() {
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{
		Username: "jane@example.com",
		Email:    "jane@example.com",
		Roles:    map[string][]string{"ROLE_USER": {"t1"}},
	}))
	defer srv.Close()
	client, err := reltio.NewClient(reltio.Config{
		AuthURL:      srv.URL,
		Customer:     srv.Customer,
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
		Retry:        reltio.RetryPolicy{MaxAttempts: 2},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// The token endpoint answers 429 twice: the client's two attempts are used up.
	srv.Kit().Inject(reltiotest.Fault{Method: "POST", Path: "/oauth/token", Status: 429, RetryAfter: "0", Count: 2})
	_, err = client.Users.Get(ctx, "jane@example.com")
	fmt.Println(errors.Is(err, reltio.ErrRateLimited))

	// Then it answers; a token expiring mid-run is replaced once.
	u, err := client.Users.Get(ctx, "jane@example.com")
	if err != nil {
		log.Fatal(err)
	}
	srv.ExpireTokens()
	if _, err := client.Users.List(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Username, u.Permissions.Roles, srv.TokenRequests())
	// Output:
	// true
	// jane@example.com map[ROLE_USER:[t1]] 4
}

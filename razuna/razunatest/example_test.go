package razunatest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/razuna"
	"github.com/rosterhq/roster/razuna/razunatest"
)

// A test of code that adds users: check what the server stored, and what happens when the
// session times out in between.
func Example() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client, err := razuna.NewClient(razuna.Config{
		BaseURL: srv.URL, HostID: srv.HostID, Username: srv.Username, Password: srv.Password,
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	if _, err := client.Users.Get(ctx); err != nil {
		log.Fatal(err)
	}
	srv.ExpireSessions() // the client logs in again by itself
	_, err = client.Users.Add(ctx, razuna.NewUser{
		FirstName: "John", LastName: "Doe", Email: "john@doe.com", LoginName: "jdoe",
		Password: "john1doe", Active: true, GroupID: razuna.GroupAdministrator,
	})
	if err != nil {
		log.Fatal(err)
	}
	u, _ := srv.User("jdoe")
	fmt.Println(u.Email, u.Active, u.Groups, u.PasswordHash)

	logins := 0
	for _, r := range srv.Kit().Requests() {
		if r.Query.Get("method") == "login" {
			logins++
		}
	}
	fmt.Println("logins:", logins)

	_, err = client.Users.Add(ctx, razuna.NewUser{
		FirstName: "J", LastName: "D", Email: "other@doe.com", LoginName: "JDOE",
		Password: "secret1", Active: true, GroupID: razuna.NoGroup,
	})
	fmt.Println(errors.Is(err, razuna.ErrConflict))
	// Output:
	// john@doe.com T [2] EF7F12722A4346218275BFC52A66811F
	// logins: 2
	// true
}

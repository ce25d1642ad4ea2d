package razuna_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/razuna"
	"github.com/rosterhq/roster/razuna/razunatest"
)

// The examples run against razunatest, the in-memory fake, seeded like a new Razuna server.
// Against a real server, set BaseURL, HostID, Username and Password from RAZUNA_URL,
// RAZUNA_HOST_ID, RAZUNA_USERNAME and RAZUNA_PASSWORD.

func newClient(srv *razunatest.Server) *razuna.Client {
	client, err := razuna.NewClient(razuna.Config{
		BaseURL:  srv.URL,
		HostID:   srv.HostID,
		Username: srv.Username,
		Password: srv.Password,
	})
	if err != nil {
		log.Fatal(err)
	}
	return client
}

func ExampleUsersService_Add() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	jdoe := razuna.NewUser{
		FirstName: "John", LastName: "Doe", Email: "john@doe.com",
		LoginName: "jdoe", Password: "john1doe", Active: true,
		GroupID: razuna.GroupAdministrator,
	}
	id, err := client.Users.Add(ctx, jdoe)
	if err != nil {
		log.Fatal(err)
	}
	// A second add of the same login name is a conflict that names the existing user.
	again, err := client.Users.Add(ctx, jdoe)
	fmt.Println(errors.Is(err, razuna.ErrConflict), again == id)
	// Output:
	// true true
}

func ExampleUsersService_Get() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	u, err := client.Users.Get(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.ID, u.LoginName, u.Email, u.FirstName, u.LastName)
	// Output:
	// 1 admin admin@example.com System Administrator
}

func ExampleUsersService_Update() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	_, err := client.Users.Add(ctx, razuna.NewUser{
		FirstName: "Jane", LastName: "Roe", Email: "jane@doe.com",
		LoginName: "jroe", Password: "jane1doe", Active: true, GroupID: razuna.NoGroup,
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Users.Update(ctx, razuna.UserByLoginName("jroe"), razuna.UserData{
		Email:    razuna.Ptr("jane.roe@doe.com"),
		Password: razuna.Ptr("n3wSecret"),
		GroupIDs: []string{razuna.GroupAdministrator},
	})
	if err != nil {
		log.Fatal(err)
	}
	u, _ := srv.User("jroe")
	fmt.Println(u.Email, u.Groups, u.PasswordHash)
	// Output:
	// jane.roe@doe.com [2] EB5404CC57873876D54FB2FA62319CBB
}

func ExampleUsersService_Delete() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	_, err := client.Users.Add(ctx, razuna.NewUser{
		FirstName: "Jane", LastName: "Roe", Email: "jane@doe.com",
		LoginName: "jroe", Password: "jane1doe", Active: true, GroupID: razuna.NoGroup,
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Users.Delete(ctx, razuna.UserByEmail("JANE@doe.com")); err != nil {
		log.Fatal(err)
	}
	_, err = client.Users.Delete(ctx, razuna.UserByEmail("jane@doe.com"))
	fmt.Println(errors.Is(err, razuna.ErrNotFound))
	// Output:
	// true
}

func ExampleAuthenticationService_LoginHost() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	s, err := client.Authentication.LoginHost(context.Background(), razunatest.HostName, srv.Username, srv.Password)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("host", s.HostID, "token of", len(s.Token), "hex digits")
	// Output:
	// host 1 token of 32 hex digits
}

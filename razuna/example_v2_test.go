package razuna_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rosterhq/roster/razuna"
	"github.com/rosterhq/roster/razuna/razunatest"
)

func ExampleUsersV2Service_Add() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, APIKey: srv.APIKey})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	added, err := client.UsersV2.Add(ctx, razuna.NewUser{
		FirstName: "Jane", LastName: "Roe", Email: "jane@doe.com", LoginName: "jroe",
		Password: "jane1doe", Active: true, GroupID: razuna.GroupAdministrator,
	})
	if err != nil {
		log.Fatal(err)
	}
	// An Administrator gets an API key of her own.
	jane, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, APIKey: added.APIKey})
	if err != nil {
		log.Fatal(err)
	}
	me, err := jane.UsersV2.Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.ID == added.ID, me.LoginName, me.Email)
	// Output:
	// true jroe jane@doe.com
}

func ExampleGroupsV2Service_Users() {
	srv := razunatest.NewServer()
	defer srv.Close()
	client, err := razuna.NewClient(razuna.Config{BaseURL: srv.URL, APIKey: srv.APIKey})
	if err != nil {
		log.Fatal(err)
	}

	members, err := client.GroupsV2.Users(context.Background(), razuna.GroupSystemAdmin)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members {
		fmt.Println(m.ID, m.FirstName, m.LastName, m.Email)
	}
	// Output:
	// 1 System Administrator admin@example.com
}

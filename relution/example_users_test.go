package relution_test

import (
	"context"
	"fmt"
	"log"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// The examples run against relutiontest, the in-memory fake, and its seeded organization.
// Against a real server, set BaseURL and AccessToken from RELUTION_URL and RELUTION_TOKEN.

func ExampleUsersService_Get() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	u, err := client.Users.Get(context.Background(), uuid.MustParse(relutiontest.MaxUUID))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Name, u.GivenName, u.Surname, u.Email)
	fmt.Println("created", u.CreatedDate.Format("2006-01-02"), "version", u.Version)
	// Output:
	// max Max Mustermann max@organame.example
	// created 2026-01-16 version 1
}

func ExampleUsersService_All() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	// Every user whose names or email contain "muster", two a page.
	q := relution.Query{Searches: []string{"muster"}, Limit: 2, SortOrder: relution.SortBy(relution.Asc("surname"))}
	for u, err := range client.Users.All(context.Background(), q) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Surname, u.GivenName, u.Email)
	}
	// Output:
	// Musterfrau Eva eva@organame.example
	// Mustermann Max max@organame.example
}

func ExampleUsersService_Update() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	// Only the fields set are sent; the others keep their values.
	apple := "eva.musterfrau@appleid.example"
	u, err := client.Users.Update(context.Background(), uuid.MustParse(relutiontest.EvaUUID),
		relution.UserUpdate{ManagedAppleID: &apple})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Name, u.ManagedAppleID, u.Position, "version", u.Version)
	// Output:
	// eva eva.musterfrau@appleid.example Sales Berlin version 2
}

func ExampleUsersService_SetGroups() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	maxID := uuid.MustParse(relutiontest.MaxUUID)

	if _, err := client.Users.SetGroups(ctx, maxID, uuid.MustParse(relutiontest.SalesBerlinGroupUUID)); err != nil {
		log.Fatal(err)
	}
	groups, err := client.Users.ListGroups(ctx, maxID)
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range groups {
		fmt.Println(g.Name)
	}
	// Output:
	// Sales Berlin
}

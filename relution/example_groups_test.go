package relution_test

import (
	"context"
	"fmt"
	"log"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func ExampleGroupsService_List() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.Groups.List(context.Background(), relution.Query{
		GetNonpagedCount: true,
		SortOrder:        relution.SortBy(relution.Asc("name")),
		Filter:           relution.Like("name", "Sales%"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Total, "groups")
	for _, g := range page.Items {
		fmt.Printf("%s: %s\n", g.Name, g.Description)
	}
	// Output:
	// 2 groups
	// Sales: Sales department
	// Sales Berlin: Sales office Berlin
}

func ExampleGroupsService_AllMembers() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}

	// Recursive also lists the members of nested groups.
	sales := uuid.MustParse(relutiontest.SalesGroupUUID)
	for m, err := range client.Groups.AllMembers(context.Background(), sales, relution.MemberListOptions{Recursive: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Type, m.Name)
	}
	// Output:
	// USER max
	// GROUP Sales Berlin
	// USER eva
}

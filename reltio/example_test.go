package reltio_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

func ExampleTokensService_Token() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	// The client gets its token itself; Token hands it out for Reltio's tenant data APIs,
	// which take the same Bearer token. The cached token is reused.
	first, err := client.Tokens.Token(ctx)
	if err != nil {
		log.Fatal(err)
	}
	second, err := client.Tokens.Token(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first.TokenType, first.AccessToken == second.AccessToken, srv.TokenRequests())
	// Output:
	// bearer true 1
}

func ExampleGroupsService_Create() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	_, err := client.Groups.Create(ctx, []reltio.Group{{
		GroupID:   "SALES_GROUP",
		GroupName: "Sales",
		Roles:     reltio.Roles{"ROLE_API": {"t1"}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	groups, err := client.Groups.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range groups {
		fmt.Println(g.GroupID, g.Roles)
	}
	// Output:
	// Config_Admin map[ROLE_ADMIN_TENANT:[t1]]
	// SALES_GROUP map[ROLE_API:[t1]]
}

func ExampleRolesService_Add() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	customer, err := client.Roles.Add(context.Background(), "ROLE_EXPORT")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(customer.ID, customer.CustomerSpecificRoles)
	// Output:
	// TestCustomer [ROLE_EXPORT]
}

func ExamplePermissionsService_System() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	p, err := client.Permissions.System(context.Background(), "ROLE_DATALOADER")
	if err != nil {
		log.Fatal(err)
	}
	for _, sp := range p.ServicePermissions {
		fmt.Println(sp.ID, sp.AllowedPrivileges, len(sp.ResourcePermissions))
	}
	// Output:
	// scheduler [READ DELETE CREATE UPDATE] 0
	// dataloader [READ EXECUTE DELETE CREATE UPDATE] 0
	// MDM [] 2
}

func ExamplePasswordPolicyService_Set() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	_, err := client.PasswordPolicy.Set(ctx, reltio.PasswordPolicy{
		ExpirePeriodInDays:          reltio.Ptr(90),
		InactivePeriodInDays:        reltio.Ptr(30),
		NumberOfFailedLoginAttempts: reltio.Ptr(5),
		PasswordRules: []reltio.PasswordRule{
			{Type: ".HistoryPRule", LastPasswordVerifyCount: reltio.Ptr(4)},
			{Type: ".UppercaseCharacterPRule", NumCharacters: reltio.Ptr(1)},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	p, err := client.PasswordPolicy.Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*p.ExpirePeriodInDays, len(p.PasswordRules), p.PasswordRules[0].Type)
	// Output:
	// 90 2 .HistoryPRule
}

func ExampleCustomersService_Get() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	c, err := client.Customers.Get(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID, c.Tenants)
	// Output:
	// TestCustomer [t1 t2 t3]
}

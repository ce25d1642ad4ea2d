package reltio_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/reltio"
	"github.com/rosterhq/roster/reltio/reltiotest"
)

// The examples run against reltiotest, the in-memory fake, and its seeded customer. Against
// Reltio, leave AuthURL empty and set Customer, ClientID and ClientSecret from
// RELTIO_CUSTOMER, RELTIO_CLIENT_ID and RELTIO_CLIENT_SECRET.

func newClient(srv *reltiotest.Server) *reltio.Client {
	client, err := reltio.NewClient(reltio.Config{
		AuthURL:      srv.URL,
		Customer:     srv.Customer,
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
	})
	if err != nil {
		log.Fatal(err)
	}
	return client
}

func ExampleUsersService_Create() {
	srv := reltiotest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	users := []reltio.User{{
		Username:    "jane.doe@example.com",
		Email:       "jane.doe@example.com",
		Password:    "Welcome1!!",
		Enabled:     reltio.Ptr(true),
		Locale:      "en",
		Timezone:    "UTC",
		Permissions: reltio.UserPermissions{Roles: reltio.Roles{"ROLE_API": {"t1", "t2"}, "ROLE_USER": {"t3"}}},
	}}
	created, err := client.Users.Create(ctx, users)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range created {
		fmt.Println(u.Username, u.Customer, u.Permissions.Roles["ROLE_API"], *u.Enabled)
	}

	// Reltio refuses the whole array when one username is taken, with a 500 that means
	// "conflict": nothing was created.
	_, err = client.Users.Create(ctx, users)
	fmt.Println(errors.Is(err, reltio.ErrConflict), errors.Is(err, reltio.ErrMaybeApplied))
	// Output:
	// jane.doe@example.com TestCustomer [t1 t2] true
	// true false
}

func ExampleUsersService_Modify() {
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{
		Username: "jane.doe@example.com",
		Email:    "jane.doe@example.com",
		Roles:    map[string][]string{"ROLE_USER": {"t1"}},
		Groups:   []string{"Config_Admin"},
	}))
	defer srv.Close()
	client := newClient(srv)

	// Modify reads the user, applies the change and writes the whole user back, so the
	// groups and every other field keep their values.
	u, err := client.Users.Modify(context.Background(), "jane.doe@example.com", func(u *reltio.User) error {
		u.Permissions.Roles.Grant("ROLE_API", "t2")
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Permissions.Roles["ROLE_API"], u.Permissions.Roles["ROLE_USER"], u.Groups)
	// Output:
	// [t2] [t1] [Config_Admin]
}

func ExampleUsersService_Get() {
	srv := reltiotest.NewServer(reltiotest.WithUsers(reltiotest.User{
		Username: "jane.doe@example.com",
		Email:    "jane.doe@example.com",
		Roles:    map[string][]string{"ROLE_USER": {"t1"}},
		Groups:   []string{"Config_Admin"},
	}))
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	// By default a user's roles are its own; ResolveGroups adds those of its groups.
	own, err := client.Users.Get(ctx, "jane.doe@example.com")
	if err != nil {
		log.Fatal(err)
	}
	all, err := client.Users.Get(ctx, "jane.doe@example.com", reltio.GetOptions{ResolveGroups: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(own.Permissions.Roles), len(all.Permissions.Roles), all.Permissions.Roles["ROLE_ADMIN_TENANT"])

	_, err = client.Users.Get(ctx, "nobody@example.com")
	fmt.Println(errors.Is(err, reltio.ErrNotFound))
	// Output:
	// 1 2 [t1]
	// true
}

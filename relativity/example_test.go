package relativity_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rosterhq/roster/relativity"
	"github.com/rosterhq/roster/relativity/relativitytest"
)

// The examples run against relativitytest, the in-memory fake, seeded with the vendor doc's
// sample data. Against a real server, set BaseURL and the credentials from RELATIVITY_URL,
// RELATIVITY_USERNAME and RELATIVITY_PASSWORD.

func fakeClient() (*relativitytest.Server, *relativity.Client) {
	srv := relativitytest.NewServer()
	client, err := relativity.NewClient(relativity.Config{BaseURL: srv.URL, Username: srv.Username, Password: srv.Password})
	if err != nil {
		log.Fatal(err)
	}
	return srv, client
}

func ExampleUsersService_Create() {
	srv, client := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	types, err := client.Users.AvailableTypes(ctx)
	if err != nil {
		log.Fatal(err)
	}
	internal, _ := relativity.TypeByName(types, "Internal")
	u, err := client.Users.Create(ctx, relativity.UserRequest{
		Client:             relativity.ClientRef(1015644),
		EmailAddress:       "jane.doe@example.com",
		FirstName:          "Jane",
		LastName:           "Doe",
		ItemListPageLength: 50,
		RelativityAccess:   true,
		Type:               relativity.ArtifactRef{ArtifactID: internal.ArtifactID},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.FirstName, u.LastName, u.Type.Name, u.Client.Value.Name, u.EmailPreference)
	// Output:
	// Jane Doe Internal Relativity Default
}

func ExampleUsersService_Get() {
	srv, client := fakeClient()
	defer srv.Close()

	u, err := client.Users.Get(context.Background(), 1017952, nil)
	if err != nil {
		log.Fatal(err)
	}
	created, _ := u.CreatedOn.Time()
	fmt.Println(u.EmailAddress, u.Type.Name, u.DocumentViewerProperties.DefaultSelectedFileType)
	fmt.Println("created", created.Format("2006-01-02 15:04:05.000 MST"))
	fmt.Println("last modified", u.LastModifiedOn)
	// Output:
	// test@t.com External Viewer
	// created 2021-05-07 13:45:59.610 UTC
	// last modified 2021-05-07T13:45:59.61
}

func ExampleUsersService_Modify() {
	srv, client := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	// Modify reads the user and writes the change back with the read's LastModifiedOn.
	u, err := client.Users.Modify(ctx, 777, func(r *relativity.UserRequest) error {
		r.Notes = "On leave until March"
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.LastName+", "+u.FirstName, "-", u.Notes)

	// An update based on an old read is refused: someone else changed the user since.
	stale, _ := relativity.ParseDate("2020-04-29T20:04:24.617")
	req := u.Request()
	req.LastModifiedOn = stale
	_, err = client.Users.Update(ctx, 777, req)
	fmt.Println(errors.Is(err, relativity.ErrConflict))
	// Output:
	// Sidney, Robin - On leave until March
	// true
}

func ExampleWorkspaceUsersService_QueryAll() {
	srv, client := fakeClient()
	defer srv.Close()

	q := relativity.UserQuery{
		Condition: relativity.Field("User Type").In("Internal"),
		Sort:      []relativity.Sort{relativity.SortBy("FullName", relativity.Ascending)},
		Length:    25,
	}
	for u, err := range client.WorkspaceUsers.QueryAll(context.Background(), relativity.AdminWorkspace, q) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ArtifactID, u.FullName, u.Email)
	}
	// Output:
	// 9 Allen, Rob rob.allen@example.com
	// 777 Sidney, Robin robin.sidney@example.com
}

func ExampleWorkspaceUsersService_ActiveUsers() {
	srv, client := fakeClient()
	defer srv.Close()

	list, err := client.WorkspaceUsers.ActiveUsers(context.Background(), relativity.AdminWorkspace,
		relativity.ActiveUsersOptions{IncludeCurrentUser: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in as", list.LoggedInUserID)
	for _, u := range list.Users {
		fmt.Println(u.ArtifactID, u.Name)
	}
	// Output:
	// logged in as 9
	// 1017952 1, 1
	// 9 Allen, Rob
	// 777 Sidney, Robin
}

func ExampleUsersService_QueryEligibleGroups() {
	srv, client := fakeClient()
	defer srv.Close()

	res, err := client.Users.QueryEligibleGroups(context.Background(), relativity.EligibleGroupsQuery{
		Users:     []int{9},
		Condition: relativity.Field("Name").StartsWith("Level"),
		Sorts:     []relativity.Sort{relativity.SortBy("Name", relativity.Ascending)},
		Fields:    []relativity.FieldIdentifier{{Name: "Name"}},
		Length:    25,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.TotalCount, res.ObjectType.Name)
	for _, g := range res.Objects {
		fmt.Println(g.ArtifactID, g.Values[0])
	}
	// Output:
	// 3 Group
	// 1015028 Level 1
	// 1015029 Level 2
	// 1015030 Level 3
}

func ExampleSettingsService_Update() {
	srv, client := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	s, err := client.Settings.Get(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	req := s.Request()
	req.ItemListPageLength = 100
	s, err = client.Settings.Update(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.FirstName, s.LastName, s.ItemListPageLength)
	// Output:
	// Rob Allen 100
}

func ExampleGroupsService_AddMembers() {
	srv, client := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	g, err := client.Groups.Create(ctx, relativity.GroupRequest{Name: "Reviewers", Client: relativity.ClientRef(1015644)})
	if err != nil {
		log.Fatal(err)
	}
	if err := client.Groups.AddMembers(ctx, g.ArtifactID, 9, 777); err != nil {
		log.Fatal(err)
	}
	res, err := client.Legacy.QueryGroupsByUser(ctx, 777, relativity.GroupsQuery{
		Fields: []relativity.FieldIdentifier{{Name: "Name"}}, Length: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range res.Objects {
		fmt.Println(o.Values[0])
	}
	// Output:
	// Reviewers
}

func ExampleField() {
	c := relativity.And(
		relativity.Field("Email Address").Eq("o'brien@example.com"),
		relativity.Field("User Type").In("Internal", "External"),
	)
	fmt.Println(c)
	// Output:
	// ('Email Address' == 'o\'brien@example.com') AND ('User Type' IN ['Internal', 'External'])
}

func ExampleDate() {
	d, err := relativity.ParseDate("2021-05-07T13:45:59.61")
	if err != nil {
		log.Fatal(err)
	}
	t, _ := d.Time()
	fmt.Println(t)
	fmt.Println(d) // sent back exactly as read
	// Output:
	// 2021-05-07 13:45:59.61 +0000 UTC
	// 2021-05-07T13:45:59.61
}

func ExampleClientsService_Create() {
	srv, client := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	statuses, err := client.Clients.EligibleStatuses(ctx)
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Clients.Create(ctx, relativity.ClientRequest{
		Name: "Acme Legal", Number: "ACME-1", Status: relativity.ArtifactRef{ArtifactID: statuses[0].ArtifactID}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name, c.Number, c.Status.Name)
	// Output:
	// Acme Legal ACME-1 Active
}

func ExampleLoginProfilesService_SetPassword() {
	srv, client := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	// Password login must be enabled before a password can be set.
	if err := client.LoginProfiles.EnablePassword(ctx, 777, relativity.PasswordOptions{MustResetPasswordOnNextLogin: true}); err != nil {
		log.Fatal(err)
	}
	if err := client.LoginProfiles.SetPassword(ctx, 777, "Initial-Passw0rd"); err != nil {
		log.Fatal(err)
	}
	err := client.LoginProfiles.SetPassword(ctx, 777, "Initial-Passw0rd")
	var e *relativity.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Message)
	}
	// Output:
	// 400 Cannot reuse a previous password.
}

func ExampleLegacyService_RetrieveUsersBy() {
	srv, client := fakeClient()
	defer srv.Close()

	// The legacy service counts Start from 1.
	res, err := client.Legacy.RetrieveUsersBy(context.Background(), relativity.LegacyUserQuery{
		Condition: relativity.Field("Email").Eq("test@t.com"), Start: 1, Length: 100})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range res.DataResults {
		fmt.Println(u.ArtifactID, u.Email)
	}
	// Output:
	// 1017952 test@t.com
}

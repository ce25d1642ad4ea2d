package relativity_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rosterhq/roster/relativity"
)

// Bad input is a *ValidationError naming the field, and nothing reaches the server.
func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	edit := func(f func(*relativity.UserRequest)) relativity.UserRequest {
		r := newUser("new@example.com")
		f(&r)
		return r
	}
	for _, tt := range []struct {
		name  string
		call  func(context.Context) error
		field string
	}{
		{"missing email", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.EmailAddress = "" }))
			return err
		}, "UserRequest.EmailAddress"},
		{"missing first name", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.FirstName = " " }))
			return err
		}, "UserRequest.FirstName"},
		{"missing last name", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.LastName = "" }))
			return err
		}, "UserRequest.LastName"},
		{"missing type", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.Type = relativity.ArtifactRef{} }))
			return err
		}, "UserRequest.Type"},
		{"missing client", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.Client = relativity.SecuredRef{} }))
			return err
		}, "UserRequest.Client"},
		{"zero page length", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.ItemListPageLength = 0 }))
			return err
		}, "UserRequest.ItemListPageLength"},
		{"unknown enum", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.EmailPreference = "Sometimes" }))
			return err
		}, "UserRequest.EmailPreference"},
		{"LastModifiedOn on create", func(ctx context.Context) error {
			d, _ := relativity.ParseDate("2021-05-07T13:45:59.61")
			_, err := client.Users.Create(ctx, edit(func(r *relativity.UserRequest) { r.LastModifiedOn = d }))
			return err
		}, "UserRequest.LastModifiedOn"},
		{"zero user id get", func(ctx context.Context) error { _, err := client.Users.Get(ctx, 0, nil); return err }, "userID"},
		{"zero user id update", func(ctx context.Context) error {
			_, err := client.Users.Update(ctx, 0, newUser("a@b.c"))
			return err
		}, "userID"},
		{"negative user id delete", func(ctx context.Context) error { return client.Users.Delete(ctx, -5) }, "userID"},
		{"nil modify", func(ctx context.Context) error { _, err := client.Users.Modify(ctx, 9, nil); return err }, "change"},
		{"zero workspace", func(ctx context.Context) error {
			_, err := client.WorkspaceUsers.AllUsers(ctx, 0, false)
			return err
		}, "workspaceID"},
		{"workspace -2", func(ctx context.Context) error { _, err := client.WorkspaceUsers.Me(ctx, -2); return err }, "workspaceID"},
		{"length 0", func(ctx context.Context) error {
			_, err := client.WorkspaceUsers.Query(ctx, -1, relativity.UserQuery{})
			return err
		}, "Length"},
		{"negative start", func(ctx context.Context) error {
			_, err := client.WorkspaceUsers.Query(ctx, -1, relativity.UserQuery{Start: -1, Length: 5})
			return err
		}, "Start"},
		{"bad sort", func(ctx context.Context) error {
			_, err := client.WorkspaceUsers.Query(ctx, -1, relativity.UserQuery{Length: 5,
				Sort: []relativity.Sort{relativity.SortBy("FullName", "Sideways")}})
			return err
		}, "UserQuery.Sort[0]"},
		{"eligible groups without users", func(ctx context.Context) error {
			_, err := client.Users.QueryEligibleGroups(ctx, relativity.EligibleGroupsQuery{Length: 25})
			return err
		}, "EligibleGroupsQuery.Users"},
		{"eligible groups length 0", func(ctx context.Context) error {
			_, err := client.Users.QueryEligibleGroups(ctx, relativity.EligibleGroupsQuery{Users: []int{9}})
			return err
		}, "Length"},
		{"settings without names", func(ctx context.Context) error {
			_, err := client.Settings.Update(ctx, relativity.UserSettingRequest{EmailAddress: "a@b.c", ItemListPageLength: 5})
			return err
		}, "UserSettingRequest.FirstName"},
		{"group without name", func(ctx context.Context) error {
			_, err := client.Groups.Create(ctx, relativity.GroupRequest{Client: relativity.ClientRef(1)})
			return err
		}, "GroupRequest.Name"},
		{"members without users", func(ctx context.Context) error { return client.Groups.AddMembers(ctx, 5) }, "userIDs"},
		{"member id 0", func(ctx context.Context) error { return client.Groups.RemoveMembers(ctx, 5, 9, 0) }, "userIDs[1]"},
		{"client without status", func(ctx context.Context) error {
			_, err := client.Clients.Create(ctx, relativity.ClientRequest{Name: "Acme"})
			return err
		}, "ClientRequest.Status"},
		{"short password", func(ctx context.Context) error { return client.LoginProfiles.SetPassword(ctx, 9, "abc") }, "password"},
		{"legacy start 0", func(ctx context.Context) error {
			_, err := client.Legacy.RetrieveUsersBy(ctx, relativity.LegacyUserQuery{Length: 10})
			return err
		}, "LegacyUserQuery.Start"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(ctx)
			var ve *relativity.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("err = %v, want a *ValidationError for %s", err, tt.field)
			}
			if !errors.Is(err, relativity.ErrInvalidInput) || !strings.HasPrefix(err.Error(), "relativity: invalid ") {
				t.Errorf("error reads %q", err)
			}
		})
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// The iterators refuse bad input once, before sending anything.
func TestIteratorsRefuseBadInput(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	n := 0
	for _, err := range client.WorkspaceUsers.QueryAll(t.Context(), -1, relativity.UserQuery{Length: 0}) {
		n++
		if !errors.Is(err, relativity.ErrInvalidInput) {
			t.Errorf("err = %v", err)
		}
	}
	for _, err := range client.Users.QueryEligibleGroupsAll(t.Context(), relativity.EligibleGroupsQuery{Length: 5}) {
		n++
		if !errors.Is(err, relativity.ErrInvalidInput) {
			t.Errorf("err = %v", err)
		}
	}
	if n != 2 || len(srv.Kit().Requests()) != 0 {
		t.Errorf("%d yields, %d requests", n, len(srv.Kit().Requests()))
	}
}

package relutiontest_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// What a user's test needs: the SDK's types in, the SDK's types out.
func TestUserFacingHelpers(t *testing.T) {
	t.Parallel()
	srv := relutiontest.NewServer()
	defer srv.Close()
	client := srv.NewClient()
	ctx := t.Context()

	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	id := uuid.New()
	u := srv.SeedUser(relution.User{UUID: id, Name: "zoe", Email: "zoe@x.example", CreatedDate: relution.Time{Time: created}})
	if u.UUID != id || u.OrganizationUUID != relutiontest.OrgID || u.Version != 1 || !u.CreatedDate.Equal(created) || !u.ModifiedDate.Equal(created) {
		t.Errorf("SeedUser = %+v", u)
	}
	got, err := client.Users.Get(ctx, id)
	if err != nil || got.Name != "zoe" || !got.CreatedDate.Equal(created) {
		t.Fatalf("Users.Get = %+v, %v", got, err)
	}
	if _, ok := srv.User(id.String()); !ok {
		t.Error("the server does not know the seeded user by its lower-case UUID")
	}

	d := srv.SeedDevice(relution.Device{Name: "Kiosk", Status: relution.StatusInactive, Platform: relution.PlatformWindows})
	if d.UUID == uuid.Nil || d.OrganizationUUID != relutiontest.OrgID {
		t.Errorf("SeedDevice = %+v", d)
	}
	if stored, ok := srv.Device(d.UUID.String()); !ok || stored.Status != "INACTIVE" || stored.UserUUID != "" {
		t.Errorf("stored device %+v, %v", stored, ok)
	}

	if _, err := client.Devices.GetAction(ctx, relutiontest.PixelID, relutiontest.ExecutedActionID); err != nil {
		t.Errorf("the seeded ids as uuid.UUID: %v", err)
	}
	if _, err := client.Users.Get(ctx, relutiontest.AdminID); err != nil {
		t.Error(err)
	}

	all := srv.Requests("", "")
	gets := srv.Requests("GET", "/API/v1/security/users/*")
	actions := srv.Requests("get", "/api/management/v1/devices/"+relutiontest.PixelUUID+"/actions/"+relutiontest.ExecutedActionUUID)
	if len(all) != 3 || len(gets) != 2 || len(actions) != 1 || len(srv.Requests("POST", "")) != 0 {
		t.Errorf("requests: %d in all, %d user GETs, %d action GETs", len(all), len(gets), len(actions))
	}
}

package duostation_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/vcr"
)

// The cassettes of fixtures/duostation are handwritten from the vendor document's requests,
// with synthesized replies (each says so in its "# source:" lines). These tests replay them
// through the real client, with the recorder as the transport under the retry loop, so every
// attempt of a call is one interaction. Together they call all 41 endpoints.

const (
	cassetteDir      = "../fixtures/duostation/"
	cassetteURL      = "https://mdm.example.com"
	cassettePassword = "Xq7-vT2m-LN9p" // made up; the cassettes hold Authorization: REDACTED
)

type counter struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// replay opens fixtures/duostation/<name>.yaml and returns a client that replays it, and a
// check that every one of its want interactions was used.
func replay(t *testing.T, name string, want int) *duostation.Client {
	t.Helper()
	hc := vcr.Open(t, cassetteDir+name, vcr.ReplayOnly(), vcr.WithSecrets(cassettePassword))
	c := &counter{next: hc.Transport}
	client, err := duostation.NewClient(duostation.Config{
		BaseURL: cassetteURL, Username: "admin", Password: cassettePassword,
		HTTPClient: &http.Client{Transport: c}, Retry: fastRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if got := int(c.n.Load()); got != want && !t.Failed() {
			t.Errorf("%s: %d requests, want the cassette's %d", name, got, want)
		}
	})
	return client
}

// must(call())(t) returns call's value, failing t on its error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCassetteGroups(t *testing.T) {
	t.Parallel()
	c := replay(t, "groups", 6)
	ctx := t.Context()
	groups := must(c.Groups.List(ctx))(t)
	want := []duostation.Group{{ID: 1, Name: "Customers"}, {ID: 2, Name: "Company Inc", ParentID: 1}}
	if diff := cmp.Diff(want, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if g := must(c.Groups.Get(ctx, 2))(t); *g != want[1] {
		t.Errorf("group 2 = %+v", g)
	}
	if g := must(c.Groups.GetByPath(ctx, duostation.ParseGroupPath(`Customers\Company Inc`)))(t); g.ID != 2 {
		t.Errorf("by path = %+v", g)
	}
	id := must(c.Groups.Create(ctx, duostation.GroupCreate{Name: "Partners", ParentID: duostation.Ptr(1)}))(t)
	if id != 3 {
		t.Errorf("new group %d", id)
	}
	check(t, c.Groups.Rename(ctx, 3, "Partners Inc"))
	check(t, c.Groups.Delete(ctx, 3))
}

func TestCassetteUsers(t *testing.T) {
	t.Parallel()
	c := replay(t, "users", 6)
	ctx := t.Context()
	seed := duostation.User{ID: 1, Name: "Stefan Johansson", Email: "stefan@programduon.se", GroupID: 2}
	if diff := cmp.Diff([]duostation.User{seed}, must(c.Users.List(ctx, nil))(t)); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]duostation.User{seed}, must(c.Users.List(ctx, &duostation.UserSearch{Email: "stefan@programduon.se"}))(t)); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	if u := must(c.Users.Get(ctx, 1))(t); *u != seed {
		t.Errorf("user 1 = %+v", u)
	}
	id := must(c.Users.Create(ctx, duostation.UserCreate{
		Name: "Ann Example", Email: duostation.Ptr("ann@example.com"), AccountGroup: duostation.Ptr("Staff"),
		AccountName: duostation.Ptr("ann"), GroupID: duostation.Ptr(2),
	}))(t)
	if id != 2 {
		t.Errorf("new user %d", id)
	}
	check(t, c.Users.Update(ctx, 2, duostation.UserUpdate{PhoneNumber: duostation.Ptr("+46317096066"), GroupID: duostation.Ptr(1)}))
	check(t, c.Users.Delete(ctx, 2))
}

func TestCassetteDevices(t *testing.T) {
	t.Parallel()
	c := replay(t, "devices", 4)
	ctx := t.Context()
	want := duostation.Device{ID: seedDevice, SerialNumber: "SN123456ABC", UserID: 1, GroupID: 2}
	if diff := cmp.Diff([]duostation.Device{want}, must(c.Devices.List(ctx, nil))(t)); diff != "" {
		t.Errorf("devices (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]duostation.Device{want}, must(c.Devices.List(ctx, &duostation.DeviceSearch{SerialNumber: "SN123456ABC"}))(t)); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	if d := must(c.Devices.Get(ctx, seedDevice))(t); *d != want {
		t.Errorf("device = %+v", d)
	}
	check(t, c.Devices.SetUser(ctx, seedDevice, 1))
}

func TestCassetteTags(t *testing.T) {
	t.Parallel()
	c := replay(t, "tags", 5)
	ctx := t.Context()
	want := duostation.Tag{ID: 1, Name: "Onboarded", Description: "Set up by HR"}
	if diff := cmp.Diff([]duostation.Tag{want}, must(c.Tags.List(ctx))(t)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if tg := must(c.Tags.Get(ctx, 1))(t); *tg != want {
		t.Errorf("tag = %+v", tg)
	}
	id := must(c.Tags.Create(ctx, duostation.TagCreate{Name: "Lost", Description: duostation.Ptr("Reported lost")}))(t)
	if id != 2 {
		t.Errorf("new tag %d", id)
	}
	check(t, c.Tags.Update(ctx, 2, duostation.TagUpdate{GroupID: duostation.Ptr(2)}))
	check(t, c.Tags.Delete(ctx, 2))
}

func TestCassetteDeviceTags(t *testing.T) {
	t.Parallel()
	c := replay(t, "devicetags", 5)
	ctx := t.Context()
	want := duostation.DeviceTag{ID: 1, DeviceID: seedDevice, TagID: 1, SerialNumber: "SN123456ABC"}
	if diff := cmp.Diff([]duostation.DeviceTag{want}, must(c.DeviceTags.List(ctx, nil))(t)); diff != "" {
		t.Errorf("device tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]duostation.DeviceTag{want}, must(c.DeviceTags.List(ctx, &duostation.DeviceTagSearch{SerialNumber: "SN123456ABC"}))(t)); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	if dt := must(c.DeviceTags.Get(ctx, 1))(t); *dt != want {
		t.Errorf("device tag = %+v", dt)
	}
	if id := must(c.DeviceTags.Link(ctx, seedDevice, 1))(t); id != 1 {
		t.Errorf("new device tag %d", id)
	}
	check(t, c.DeviceTags.Unlink(ctx, 1))
}

func TestCassetteUserTags(t *testing.T) {
	t.Parallel()
	c := replay(t, "usertags", 5)
	ctx := t.Context()
	want := duostation.UserTag{ID: 1, UserID: 1, TagID: 1, UserName: "Stefan Johansson"}
	if diff := cmp.Diff([]duostation.UserTag{want}, must(c.UserTags.List(ctx, nil))(t)); diff != "" {
		t.Errorf("user tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]duostation.UserTag{want}, must(c.UserTags.List(ctx, &duostation.UserTagSearch{Email: "stefan@programduon.se"}))(t)); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	if ut := must(c.UserTags.Get(ctx, 1))(t); *ut != want {
		t.Errorf("user tag = %+v", ut)
	}
	if id := must(c.UserTags.Link(ctx, 1, 1))(t); id != 1 {
		t.Errorf("new user tag %d", id)
	}
	check(t, c.UserTags.Unlink(ctx, 1))
}

func TestCassetteGroupTags(t *testing.T) {
	t.Parallel()
	c := replay(t, "grouptags", 4)
	ctx := t.Context()
	want := duostation.GroupTag{ID: 1, GroupID: 0, TagID: 1}
	if diff := cmp.Diff([]duostation.GroupTag{want}, must(c.GroupTags.List(ctx))(t)); diff != "" {
		t.Errorf("group tags (-want +got):\n%s", diff)
	}
	if gt := must(c.GroupTags.Get(ctx, 1))(t); *gt != want {
		t.Errorf("group tag = %+v", gt)
	}
	if id := must(c.GroupTags.Link(ctx, duostation.RootGroupID, 1))(t); id != 1 {
		t.Errorf("new group tag %d", id)
	}
	check(t, c.GroupTags.Unlink(ctx, 1))
}

func TestCassetteApps(t *testing.T) {
	t.Parallel()
	c := replay(t, "apps", 3)
	ctx := t.Context()
	want := duostation.App{ID: 1, Name: "Example", Company: "Example Inc", PackageID: "com.example.app", VersionText: "1.0",
		VersionNumber: 1, Platform: duostation.PlatformAndroid, Size: 1 << 20, Store: duostation.StorePlay,
		StoreID: "com.example.app", ImageURL: "https://example.com/icon.png"}
	if diff := cmp.Diff([]duostation.App{want}, must(c.Apps.List(ctx))(t)); diff != "" {
		t.Errorf("apps (-want +got):\n%s", diff)
	}
	if a := must(c.Apps.Get(ctx, 1))(t); *a != want {
		t.Errorf("app = %+v", a)
	}
	id := must(c.Apps.AddOrUpdate(ctx, duostation.AppInput{
		Name: "Example", Company: "Example Inc", PackageID: "com.example.app", VersionText: "1.0",
		VersionNumber: duostation.Ptr(1), Platform: duostation.PlatformAndroid, Size: 1 << 20,
		Store: duostation.StorePlay, StoreID: "com.example.app", ImageURL: "https://example.com/icon.png",
	}))(t)
	if id != 1 {
		t.Errorf("app id %d", id)
	}
}

func TestCassetteCommands(t *testing.T) {
	t.Parallel()
	c := replay(t, "commands", 7)
	ctx := t.Context()
	check(t, c.Devices.Inventory(ctx, seedDevice))
	check(t, c.Devices.InstallApp(ctx, seedDevice, duostation.AppInstall{AppID: 1, VPP: duostation.Ptr(true)}))
	check(t, c.Devices.RemoveApp(ctx, seedDevice, "com.example.app"))
	check(t, c.Devices.Lock(ctx, seedDevice))
	check(t, c.Devices.Wipe(ctx, seedDevice))
	check(t, c.Devices.ClearPasscode(ctx, seedDevice))
	check(t, c.Devices.SendMessage(ctx, seedDevice, "This device has been reported lost."))
}

// TestCassetteErrors: a 503 on a read is retried; a 404 carries the body's Message; a 500 to
// a wipe is not resent and may have been applied.
func TestCassetteErrors(t *testing.T) {
	t.Parallel()
	c := replay(t, "errors", 4)
	ctx := t.Context()
	if g := must(c.Groups.GetByPath(ctx, duostation.GroupPath{"Customers", "Company Inc"}))(t); g.ID != 2 {
		t.Errorf("group = %+v", g)
	}
	_, err := c.Users.Get(ctx, 99)
	var e *duostation.Error
	if !errors.As(err, &e) || !errors.Is(err, duostation.ErrNotFound) || e.Message != "User 99 not found." {
		t.Errorf("err = %v", err)
	}
	err = c.Devices.Wipe(ctx, seedDevice)
	if !errors.Is(err, duostation.ErrMaybeApplied) || !errors.As(err, &e) || e.StatusCode != 500 || e.Message != "An error has occurred." {
		t.Errorf("wipe err = %v", err)
	}
}

package duostation_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/rosterhq/roster/duostation"
)

// TestValidation checks every input rule: the call fails with a *ValidationError naming the
// field, matching ErrInvalidInput, and nothing reaches the server.
func TestValidation(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	good := duostation.AppInput{
		Name: "Ex", Company: "Ex Inc", PackageID: "com.ex", VersionText: "1.0", Platform: duostation.PlatformAndroid,
		Size: 10, Store: duostation.StorePlay, StoreID: "com.ex", ImageURL: "https://example.com/i.png",
	}
	app := func(edit func(a *duostation.AppInput)) duostation.AppInput {
		a := good
		edit(&a)
		return a
	}
	addApp := func(a duostation.AppInput) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, err := client.Apps.AddOrUpdate(ctx, a); return err }
	}
	tests := []struct {
		name  string
		call  func(ctx context.Context) error
		field string
	}{
		{"negative group id", func(ctx context.Context) error { _, err := client.Groups.Get(ctx, -1); return err }, "id"},
		{"group id over 32 bits", func(ctx context.Context) error { _, err := client.Groups.Get(ctx, math.MaxInt32+1); return err }, "id"},
		{"empty path", func(ctx context.Context) error { _, err := client.Groups.GetByPath(ctx, nil); return err }, "path"},
		{"empty path string", func(ctx context.Context) error {
			_, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(""))
			return err
		}, "path"},
		{"empty path element", func(ctx context.Context) error {
			_, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(`Customers\\Company Inc`))
			return err
		}, "path"},
		{"leading separator", func(ctx context.Context) error {
			_, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(`/Customers`))
			return err
		}, "path"},
		{"separator in element", func(ctx context.Context) error {
			_, err := client.Groups.GetByPath(ctx, duostation.GroupPath{"Customers", `Company\Inc`})
			return err
		}, "path"},
		{"slash in element", func(ctx context.Context) error {
			_, err := client.Groups.GetByPath(ctx, duostation.GroupPath{"Customers/Company Inc"})
			return err
		}, "path"},
		{"group without name", func(ctx context.Context) error {
			_, err := client.Groups.Create(ctx, duostation.GroupCreate{Name: " "})
			return err
		}, "Name"},
		{"group negative parent", func(ctx context.Context) error {
			_, err := client.Groups.Create(ctx, duostation.GroupCreate{Name: "x", ParentID: duostation.Ptr(-2)})
			return err
		}, "ParentID"},
		{"rename to nothing", func(ctx context.Context) error { return client.Groups.Rename(ctx, 1, "") }, "name"},
		{"delete group -1", func(ctx context.Context) error { return client.Groups.Delete(ctx, -1) }, "id"},
		{"user without name", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, duostation.UserCreate{})
			return err
		}, "Name"},
		{"user negative group", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, duostation.UserCreate{Name: "a", GroupID: duostation.Ptr(-1)})
			return err
		}, "GroupID"},
		{"empty user update", func(ctx context.Context) error { return client.Users.Update(ctx, 1, duostation.UserUpdate{}) }, "UserUpdate"},
		{"user update blank name", func(ctx context.Context) error {
			return client.Users.Update(ctx, 1, duostation.UserUpdate{Name: duostation.Ptr("")})
		}, "Name"},
		{"blank email search", func(ctx context.Context) error {
			_, err := client.Users.List(ctx, &duostation.UserSearch{Email: "  "})
			return err
		}, "Email"},
		{"negative tag search", func(ctx context.Context) error {
			_, err := client.Users.List(ctx, &duostation.UserSearch{TagID: duostation.Ptr(-1)})
			return err
		}, "TagID"},
		{"user get -5", func(ctx context.Context) error { _, err := client.Users.Get(ctx, -5); return err }, "id"},
		{"user delete -5", func(ctx context.Context) error { return client.Users.Delete(ctx, -5) }, "id"},
		{"device GUID with braces", func(ctx context.Context) error {
			_, err := client.Devices.Get(ctx, "{6f9619ff-8b86-d011-b42d-00cf4fc964ff}")
			return err
		}, "id"},
		{"device id not a GUID", func(ctx context.Context) error { _, err := client.Devices.Get(ctx, "SN123456ABC"); return err }, "id"},
		{"device id empty", func(ctx context.Context) error { return client.Devices.Lock(ctx, "") }, "id"},
		{"device id with a path", func(ctx context.Context) error { return client.Devices.Wipe(ctx, "../users/1") }, "id"},
		{"device search blank serial", func(ctx context.Context) error {
			_, err := client.Devices.List(ctx, &duostation.DeviceSearch{SerialNumber: "\t"})
			return err
		}, "SerialNumber"},
		{"device search negative user", func(ctx context.Context) error {
			_, err := client.Devices.List(ctx, &duostation.DeviceSearch{UserID: duostation.Ptr(-1)})
			return err
		}, "UserID"},
		{"device set user -1", func(ctx context.Context) error { return client.Devices.SetUser(ctx, seedDevice, -1) }, "userID"},
		{"tag without name", func(ctx context.Context) error { _, err := client.Tags.Create(ctx, duostation.TagCreate{}); return err }, "Name"},
		{"empty tag update", func(ctx context.Context) error { return client.Tags.Update(ctx, 1, duostation.TagUpdate{}) }, "TagUpdate"},
		{"tag update negative group", func(ctx context.Context) error {
			return client.Tags.Update(ctx, 1, duostation.TagUpdate{GroupID: duostation.Ptr(-1)})
		}, "GroupID"},
		{"device tag bad device", func(ctx context.Context) error { _, err := client.DeviceTags.Link(ctx, "x", 1); return err }, "deviceID"},
		{"device tag bad tag", func(ctx context.Context) error { _, err := client.DeviceTags.Link(ctx, seedDevice, -1); return err }, "tagID"},
		{"device tag search bad device", func(ctx context.Context) error {
			_, err := client.DeviceTags.List(ctx, &duostation.DeviceTagSearch{DeviceID: "{" + seedDevice + "}"})
			return err
		}, "DeviceID"},
		{"user tag bad user", func(ctx context.Context) error { _, err := client.UserTags.Link(ctx, -1, 1); return err }, "userID"},
		{"user tag search blank email", func(ctx context.Context) error {
			_, err := client.UserTags.List(ctx, &duostation.UserTagSearch{Email: " "})
			return err
		}, "Email"},
		{"group tag bad group", func(ctx context.Context) error { _, err := client.GroupTags.Link(ctx, -1, 1); return err }, "groupID"},
		{"group tag unlink -1", func(ctx context.Context) error { return client.GroupTags.Unlink(ctx, -1) }, "id"},
		{"install app -1", func(ctx context.Context) error {
			return client.Devices.InstallApp(ctx, seedDevice, duostation.AppInstall{AppID: -1})
		}, "AppID"},
		{"remove app without identifier", func(ctx context.Context) error { return client.Devices.RemoveApp(ctx, seedDevice, "") }, "identifier"},
		{"remove app with space", func(ctx context.Context) error { return client.Devices.RemoveApp(ctx, seedDevice, "com.x y") }, "identifier"},
		{"empty message", func(ctx context.Context) error { return client.Devices.SendMessage(ctx, seedDevice, " ") }, "message"},
		{"app without name", addApp(app(func(a *duostation.AppInput) { a.Name = "" })), "Name"},
		{"app without company", addApp(app(func(a *duostation.AppInput) { a.Company = "" })), "Company"},
		{"app without package", addApp(app(func(a *duostation.AppInput) { a.PackageID = "" })), "PackageID"},
		{"app without version", addApp(app(func(a *duostation.AppInput) { a.VersionText = "" })), "VersionText"},
		{"app without store id", addApp(app(func(a *duostation.AppInput) { a.StoreID = "" })), "StoreID"},
		{"app without size", addApp(app(func(a *duostation.AppInput) { a.Size = 0 })), "Size"},
		{"app negative version number", addApp(app(func(a *duostation.AppInput) { a.VersionNumber = duostation.Ptr(-1) })), "VersionNumber"},
		{"app platform out of range", addApp(app(func(a *duostation.AppInput) { a.Platform = 4 })), "Platform"},
		{"app platform negative", addApp(app(func(a *duostation.AppInput) { a.Platform = -1 })), "Platform"},
		{"app store out of range", addApp(app(func(a *duostation.AppInput) { a.Store = 3 })), "Store"},
		{"app both images", addApp(app(func(a *duostation.AppInput) { a.ImageData = png })), "ImageData"},
		{"app no image", addApp(app(func(a *duostation.AppInput) { a.ImageURL = "" })), "ImageData"},
		{"app image not PNG", addApp(app(func(a *duostation.AppInput) { a.ImageURL, a.ImageData = "", []byte("GIF89a") })), "ImageData"},
		{"app image URL not http", addApp(app(func(a *duostation.AppInput) { a.ImageURL = "file:///etc/passwd" })), "ImageURL"},
		{"Play store id differs from package", addApp(app(func(a *duostation.AppInput) { a.StoreID = "com.other" })), "StoreID"},
		{"App Store id not numeric", addApp(app(func(a *duostation.AppInput) {
			a.Platform, a.Store, a.StoreID = duostation.PlatformIOS, duostation.StoreAppStore, "com.ex"
		})), "StoreID"},
		{"in-house macOS without URL", addApp(app(func(a *duostation.AppInput) {
			a.Platform, a.Store, a.StoreID = duostation.PlatformMacOS, duostation.StoreInHouse, "com.ex"
		})), "StoreID"},
		{"in-house macOS URL not pkg or zip", addApp(app(func(a *duostation.AppInput) {
			a.Platform, a.Store, a.StoreID = duostation.PlatformMacOS, duostation.StoreInHouse, "https://example.com/app.dmg"
		})), "StoreID"},
	}
	for _, tt := range tests {
		err := tt.call(t.Context())
		var ve *duostation.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, duostation.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want a *ValidationError", tt.name, err)
			continue
		}
		if ve.Field != tt.field {
			t.Errorf("%s: field %q, want %q (%v)", tt.name, ve.Field, tt.field, err)
		}
		if !strings.HasPrefix(err.Error(), "duostation: ") {
			t.Errorf("%s: %q lacks the package prefix", tt.name, err)
		}
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests reached the server, want none", n)
	}
}

// TestAppRulesAccept checks that the store rules accept what the document allows.
func TestAppRulesAccept(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	for _, a := range []duostation.AppInput{
		{Name: "A", Company: "C", PackageID: "com.a", VersionText: "1", Platform: duostation.PlatformIOS, Size: 1,
			Store: duostation.StoreAppStore, StoreID: "284882215", ImageData: png},
		{Name: "M", Company: "C", PackageID: "com.m", VersionText: "1", Platform: duostation.PlatformMacOS, Size: 1,
			Store: duostation.StoreInHouse, StoreID: "https://example.com/dl/M.ZIP?sig=1", ImageURL: "http://example.com/m.png"},
		{Name: "T", Company: "C", PackageID: "com.t", VersionText: "1", Platform: duostation.PlatformTvOS, Size: 1,
			Store: duostation.StoreInHouse, StoreID: "anything", ImageURL: "https://example.com/t.png"},
	} {
		if _, err := client.Apps.AddOrUpdate(t.Context(), a); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
	}
	if got := len(srv.Apps()); got != 3 {
		t.Errorf("%d apps stored, want 3", got)
	}
}

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   duostation.Config
		field string
	}{
		{"no base URL", duostation.Config{Username: "u", Password: "p"}, "BaseURL"},
		{"ftp", duostation.Config{BaseURL: "ftp://h", Username: "u", Password: "p"}, "BaseURL"},
		{"credentials in URL", duostation.Config{BaseURL: "https://u:p@h", Username: "u", Password: "p"}, "BaseURL"},
		{"no user", duostation.Config{BaseURL: "https://h", Password: "p"}, "Username"},
		{"colon in user", duostation.Config{BaseURL: "https://h", Username: "a:b", Password: "p"}, "Username"},
		{"control in user", duostation.Config{BaseURL: "https://h", Username: "a\nb", Password: "p"}, "Username"},
		{"no password", duostation.Config{BaseURL: "https://h", Username: "u"}, "Password"},
		{"control in password", duostation.Config{BaseURL: "https://h", Username: "u", Password: "pass\r"}, "Password"},
		{"short password", duostation.Config{BaseURL: "https://h", Username: "u", Password: "abc"}, "Password"},
	}
	for _, tt := range tests {
		_, err := duostation.NewClient(tt.cfg)
		var ve *duostation.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: err = %v, want a *ValidationError for %s", tt.name, err, tt.field)
		}
		if err != nil && strings.Contains(err.Error(), "pass\r") {
			t.Errorf("%s: the error shows the password", tt.name)
		}
	}
	if _, err := duostation.NewClient(duostation.Config{BaseURL: "https://mdm.example.com/prefix", Username: "u", Password: "pass"}); err != nil {
		t.Error(err)
	}
}

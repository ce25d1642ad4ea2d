package duostation_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

// TestWipeLostReply: the fake applies the wipe and drops the connection. The client must not
// resend it (one wipe in the device's command log) and must say the wipe may have happened.
func TestWipeLostReply(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/{id}/wipedevice", DropAfterApply: true})
	err := client.Devices.Wipe(t.Context(), seedDevice)
	if !errors.Is(err, duostation.ErrMaybeApplied) {
		t.Fatalf("err = %v, want ErrMaybeApplied", err)
	}
	var e *duostation.Error
	if !errors.As(err, &e) || e.Method != "POST" || !strings.Contains(err.Error(), "may have been applied") {
		t.Errorf("err = %v, want an *Error that says the wipe may have been applied", err)
	}
	cmds := srv.Commands(seedDevice)
	if len(cmds) != 1 || cmds[0].Name != duostationtest.CommandWipe {
		t.Errorf("commands = %+v, want exactly one wipe", cmds)
	}
	if n := len(srv.Kit().Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestCommandsNeverResentOn5xx: a 503 to a command does not prove it was refused.
func TestCommandsNeverResentOn5xx(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/" + seedDevice + "/lockdevice", Status: 503, Count: 3})
	err := client.Devices.Lock(t.Context(), seedDevice)
	if !errors.Is(err, duostation.ErrMaybeApplied) || !errors.Is(err, duostation.ErrUnavailable) {
		t.Errorf("err = %v, want ErrUnavailable and ErrMaybeApplied", err)
	}
	if n := len(srv.Kit().Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestGetRetried503: a 503 on a read is retried, and the read succeeds.
func TestGetRetried503(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	srv.Kit().Inject(duostationtest.Fault{Method: "GET", Path: "/api/devices", Status: 503, Count: 2})
	devices, err := client.Devices.List(t.Context(), &duostation.DeviceSearch{SerialNumber: "SN123456ABC"})
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 1 || devices[0].ID != seedDevice || devices[0].UserID != duostationtest.SeedUserID {
		t.Errorf("devices = %+v", devices)
	}
	if n := len(srv.Kit().Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

// TestCreateIDForms: each of the three forms of a created id is read.
func TestCreateIDForms(t *testing.T) {
	t.Parallel()
	for _, form := range []duostationtest.IDForm{duostationtest.IDNumber, duostationtest.IDString, duostationtest.IDObject} {
		client, srv := setup(t, duostationtest.WithIDForm(form))
		id, err := client.Groups.Create(t.Context(), duostation.GroupCreate{Name: "New", ParentID: duostation.Ptr(duostationtest.CompanyGroupID)})
		if err != nil {
			t.Fatalf("form %d: %v", form, err)
		}
		g, err := client.Groups.Get(t.Context(), id)
		if err != nil || g.Name != "New" || g.ParentID != duostationtest.CompanyGroupID {
			t.Errorf("form %d: group %d = %+v, %v", form, id, g, err)
		}
		if len(srv.Groups()) != 3 {
			t.Errorf("form %d: %d groups", form, len(srv.Groups()))
		}
	}
}

// TestErrorMessage: the fake's {"Message": ...} body becomes the error's Message, and the
// status its sentinel.
func TestErrorMessage(t *testing.T) {
	t.Parallel()
	client, _ := setup(t)
	_, err := client.Users.Get(t.Context(), 99)
	var e *duostation.Error
	if !errors.As(err, &e) || !errors.Is(err, duostation.ErrNotFound) {
		t.Fatalf("err = %v, want a 404 *Error", err)
	}
	if e.Message != `User "99" not found.` || e.StatusCode != 404 || !strings.Contains(string(e.Body), "Message") {
		t.Errorf("error = %+v", e)
	}
}

func TestWrongPassword(t *testing.T) {
	t.Parallel()
	srv := duostationtest.NewServer()
	defer srv.Close()
	client, err := duostation.NewClient(duostation.Config{BaseURL: srv.URL, Username: srv.Username, Password: "wrong-password"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Groups.List(t.Context())
	if !errors.Is(err, duostation.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("the error shows the password: %v", err)
	}
}

// TestRules checks the document's rules as the fake keeps them, through the client.
func TestRules(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	ctx := t.Context()

	// A group with subgroups cannot be deleted; one with a user neither.
	if err := client.Groups.Delete(ctx, duostationtest.CustomersGroupID); !errors.Is(err, duostation.ErrConflict) {
		t.Errorf("delete Customers: %v, want ErrConflict", err)
	}
	if err := client.Groups.Delete(ctx, duostationtest.CompanyGroupID); !errors.Is(err, duostation.ErrConflict) {
		t.Errorf("delete Company Inc: %v, want ErrConflict", err)
	}
	// A user with devices cannot be deleted.
	if err := client.Users.Delete(ctx, duostationtest.SeedUserID); !errors.Is(err, duostation.ErrConflict) {
		t.Errorf("delete user: %v, want ErrConflict", err)
	}
	// A linked tag cannot be deleted; unlinked, it can.
	tagID, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "T"})
	if err != nil {
		t.Fatal(err)
	}
	linkID, err := client.DeviceTags.Link(ctx, strings.ToUpper(seedDevice), tagID)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Tags.Delete(ctx, tagID); !errors.Is(err, duostation.ErrConflict) {
		t.Errorf("delete linked tag: %v, want ErrConflict", err)
	}
	if err := client.DeviceTags.Unlink(ctx, linkID); err != nil {
		t.Fatal(err)
	}
	if err := client.Tags.Delete(ctx, tagID); err != nil {
		t.Errorf("delete unlinked tag: %v", err)
	}
	// Changing a user's group moves the user's devices.
	other, err := client.Groups.Create(ctx, duostation.GroupCreate{Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Users.Update(ctx, duostationtest.SeedUserID, duostation.UserUpdate{GroupID: &other}); err != nil {
		t.Fatal(err)
	}
	devices, err := client.Devices.List(ctx, &duostation.DeviceSearch{GroupID: &other})
	if err != nil || len(devices) != 1 || devices[0].ID != seedDevice {
		t.Errorf("devices in the new group = %+v, %v", devices, err)
	}
	// Two groups with the same path: the lookup is a conflict.
	if _, err := client.Groups.Create(ctx, duostation.GroupCreate{Name: "Company Inc", ParentID: duostation.Ptr(duostationtest.CustomersGroupID)}); err != nil {
		t.Fatal(err)
	}
	_, err = client.Groups.GetByPath(ctx, duostation.ParseGroupPath("Customers/Company Inc"))
	if !errors.Is(err, duostation.ErrConflict) {
		t.Errorf("duplicate path: %v, want ErrConflict", err)
	}
	if len(srv.Groups()) != 4 {
		t.Errorf("groups = %+v", srv.Groups())
	}
}

// TestGetByPathReplies: a server that answers the path lookup with an array is read too: one
// group is the group, several are a conflict, none is not found.
func TestGetByPathReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want error
		id   int
	}{
		{`{"Id":2,"Name":"Company Inc","ParentId":1}`, nil, 2},
		{`[{"Id":2,"Name":"Company Inc","ParentId":1}]`, nil, 2},
		{`[{"Id":2},{"Id":5}]`, duostation.ErrConflict, 0},
		{`[]`, duostation.ErrNotFound, 0},
	}
	for _, tt := range tests {
		client := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.RawQuery != "path=Customers%5CCompany%20Inc" {
				t.Errorf("query %q", r.URL.RawQuery)
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(tt.body))
		})
		g, err := client.Groups.GetByPath(t.Context(), duostation.GroupPath{"Customers", "Company Inc"})
		if tt.want != nil {
			if !errors.Is(err, tt.want) {
				t.Errorf("%s: err = %v, want %v", tt.body, err, tt.want)
			}
			continue
		}
		if err != nil || g.ID != tt.id {
			t.Errorf("%s: %+v, %v", tt.body, g, err)
		}
	}
}

// TestGetByPathErrors: the document promises "an error" for a path that matches several
// groups; the replies a server could plausibly send for it match ErrConflict, others do not.
func TestGetByPathErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		body     string
		conflict bool
	}{
		{400, `{"Message":"More than one group matches the path."}`, true},
		{500, `{"Message":"An error has occurred.","ExceptionMessage":"Sequence contains more than one element"}`, true},
		{409, `{"message":"conflict"}`, true},
		{400, `{"Message":"The request is invalid."}`, false},
		{404, `{"Message":"More than one way to fail"}`, false},
	}
	for _, tt := range tests {
		client := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		})
		_, err := client.Groups.GetByPath(t.Context(), duostation.GroupPath{"Customers", "Company Inc"})
		var e *duostation.Error
		if !errors.As(err, &e) || e.StatusCode != tt.status {
			t.Fatalf("%d %s: err = %v", tt.status, tt.body, err)
		}
		if errors.Is(err, duostation.ErrConflict) != tt.conflict {
			t.Errorf("%d %s: ErrConflict = %v, want %v", tt.status, tt.body, !tt.conflict, tt.conflict)
		}
	}
}

// TestCreateWithoutID: a 2xx to a create that holds no id is an error that says the create
// may have been applied: the server acknowledged it.
func TestCreateWithoutID(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `{"name":"x"}`, `"abc"`, `[3]`} {
		client := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(body))
		})
		_, err := client.Tags.Create(t.Context(), duostation.TagCreate{Name: "x"})
		var e *duostation.Error
		if !errors.As(err, &e) || !errors.Is(err, duostation.ErrMaybeApplied) {
			t.Errorf("%q: err = %v, want an *Error matching ErrMaybeApplied", body, err)
		}
	}
}

// TestGetNeedsAnObject: a 200 without an object is an error, not a zero value with id 0.
func TestGetNeedsAnObject(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `null`, `[]`, `"x"`, `{"Id":"not a number"}`} {
		client := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(body))
		})
		g, err := client.Tags.Get(t.Context(), 1)
		var e *duostation.Error
		if !errors.As(err, &e) || errors.Is(err, duostation.ErrMaybeApplied) {
			t.Errorf("%q: %+v, %v; want an *Error", body, g, err)
		}
	}
}

// TestListsKeepOrder: lists come back as the server sent them, keys in any case.
func TestListsKeepOrder(t *testing.T) {
	t.Parallel()
	client := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`[{"id":3,"name":"c"},{"Id":1,"NAME":"a","Extra":true},{"ID":2,"Name":"b"}]`))
	})
	tags, err := client.Tags.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range tags {
		got = append(got, tg.Name)
	}
	if !slices.Equal(got, []string{"c", "a", "b"}) || tags[1].ID != 1 {
		t.Errorf("tags = %+v", tags)
	}
}

// TestMoreRules: a device follows its new user's group; a deleted user's tags go with the
// user; linking twice makes two links (so callers must look first); apps match on package,
// platform and store together.
func TestMoreRules(t *testing.T) {
	t.Parallel()
	client, srv := setup(t)
	ctx := t.Context()

	other := must(client.Groups.Create(ctx, duostation.GroupCreate{Name: "Other"}))(t)
	ann := must(client.Users.Create(ctx, duostation.UserCreate{Name: "Ann", GroupID: &other}))(t)
	check(t, client.Devices.SetUser(ctx, seedDevice, ann))
	d := must(client.Devices.Get(ctx, seedDevice))(t)
	if d.UserID != ann || d.GroupID != other {
		t.Errorf("device = %+v, want user %d in group %d", d, ann, other)
	}

	tag := must(client.Tags.Create(ctx, duostation.TagCreate{Name: "T"}))(t)
	first := must(client.UserTags.Link(ctx, ann, tag))(t)
	second := must(client.UserTags.Link(ctx, ann, tag))(t)
	if first == second || len(must(client.UserTags.List(ctx, &duostation.UserTagSearch{UserID: &ann}))(t)) != 2 {
		t.Errorf("linking twice: ids %d and %d", first, second)
	}
	check(t, client.Devices.SetUser(ctx, seedDevice, duostationtest.SeedUserID))
	check(t, client.Users.Delete(ctx, ann))
	if links := srv.UserTags(); len(links) != 0 {
		t.Errorf("user tags of a deleted user: %+v", links)
	}
	check(t, client.Tags.Delete(ctx, tag))

	app := duostation.AppInput{Name: "A", Company: "C", PackageID: "com.a", VersionText: "1", Platform: duostation.PlatformIOS,
		Size: 1, Store: duostation.StoreAppStore, StoreID: "1", ImageURL: "https://example.com/a.png"}
	a1 := must(client.Apps.AddOrUpdate(ctx, app))(t)
	app.Platform = duostation.PlatformTvOS
	a2 := must(client.Apps.AddOrUpdate(ctx, app))(t)
	app.Store, app.StoreID = duostation.StoreInHouse, "internal"
	a3 := must(client.Apps.AddOrUpdate(ctx, app))(t)
	app.VersionText = "2"
	a4 := must(client.Apps.AddOrUpdate(ctx, app))(t)
	if a1 == a2 || a2 == a3 || a3 != a4 || len(srv.Apps()) != 3 {
		t.Errorf("app ids %d %d %d %d, apps %+v", a1, a2, a3, a4, srv.Apps())
	}
	if got := must(client.Apps.Get(ctx, a4))(t); got.VersionText != "2" || got.Store != duostation.StoreInHouse {
		t.Errorf("app = %+v", got)
	}
}

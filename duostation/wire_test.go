package duostation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/duostation/duostationtest"
)

const seedDevice = duostationtest.SeedDeviceID

// png is the smallest prefix the PNG checks accept.
var png = []byte("\x89PNG\r\n\x1a\nIHDR")

// TestWire calls every endpoint once against the fake, in an order where each finds what it
// needs, and checks the request exactly as it went out: method, escaped path and query, and
// body (camelCase keys, ids as numbers, optional fields absent rather than null).
func TestWire(t *testing.T) {
	client, srv, sent := setupCapture(t)
	steps := []struct {
		name   string
		call   func(ctx context.Context) error
		method string
		uri    string // escaped path and query
		body   string // exact JSON, "" for none
	}{
		{"groups list", func(ctx context.Context) error { _, err := client.Groups.List(ctx); return err },
			"GET", "/api/groups", ""},
		{"group get", func(ctx context.Context) error { _, err := client.Groups.Get(ctx, 2); return err },
			"GET", "/api/groups/2", ""},
		{"group by path (the doc's example)", func(ctx context.Context) error {
			_, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(`Customers\Company Inc`))
			return err
		}, "GET", "/api/groups?path=Customers%5CCompany%20Inc", ""},
		{"group create at the root", func(ctx context.Context) error {
			_, err := client.Groups.Create(ctx, duostation.GroupCreate{Name: "Partners"})
			return err
		}, "POST", "/api/groups", `{"name":"Partners"}`},
		{"group create with parent 0", func(ctx context.Context) error {
			_, err := client.Groups.Create(ctx, duostation.GroupCreate{Name: "Vendors", ParentID: duostation.Ptr(0)})
			return err
		}, "POST", "/api/groups", `{"name":"Vendors","parentId":0}`},
		{"group rename", func(ctx context.Context) error { return client.Groups.Rename(ctx, 3, "Partners & Co") },
			"PUT", "/api/groups/3", `{"name":"Partners & Co"}`},
		{"group delete", func(ctx context.Context) error { return client.Groups.Delete(ctx, 4) },
			"DELETE", "/api/groups/4", ""},

		{"users list", func(ctx context.Context) error { _, err := client.Users.List(ctx, nil); return err },
			"GET", "/api/users", ""},
		{"users search (the doc's example)", func(ctx context.Context) error {
			_, err := client.Users.List(ctx, &duostation.UserSearch{Email: "stefan@programduon.se"})
			return err
		}, "GET", "/api/users?email=stefan%40programduon.se", ""},
		{"users search combined", func(ctx context.Context) error {
			_, err := client.Users.List(ctx, &duostation.UserSearch{PhoneNumber: "+46 31 7096066", Account: "a b", GroupID: duostation.Ptr(0), TagID: duostation.Ptr(1)})
			return err
		}, "GET", "/api/users?account=a%20b&groupId=0&phoneNumber=%2B46%2031%207096066&tagId=1", ""},
		{"user get", func(ctx context.Context) error { _, err := client.Users.Get(ctx, 1); return err },
			"GET", "/api/users/1", ""},
		{"user create", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, duostation.UserCreate{
				Name: "Ann", Email: duostation.Ptr("ann@example.com"), PhoneNumber: duostation.Ptr("123"),
				AccountGroup: duostation.Ptr("AG"), AccountName: duostation.Ptr("ann"), GroupID: duostation.Ptr(2),
				Company: duostation.Ptr("C"), Office: duostation.Ptr("O"), Department: duostation.Ptr("D"), Position: duostation.Ptr("P"),
			})
			return err
		}, "POST", "/api/users", `{"name":"Ann","email":"ann@example.com","phoneNumber":"123","accountGroup":"AG","accountName":"ann","groupId":2,"company":"C","office":"O","department":"D","position":"P"}`},
		{"user create, name only", func(ctx context.Context) error {
			_, err := client.Users.Create(ctx, duostation.UserCreate{Name: "Bo"})
			return err
		}, "POST", "/api/users", `{"name":"Bo"}`},
		{"user update", func(ctx context.Context) error {
			return client.Users.Update(ctx, 2, duostation.UserUpdate{Email: duostation.Ptr(""), GroupID: duostation.Ptr(0)})
		}, "PUT", "/api/users/2", `{"email":"","groupId":0}`},
		{"user delete", func(ctx context.Context) error { return client.Users.Delete(ctx, 3) },
			"DELETE", "/api/users/3", ""},

		{"devices list", func(ctx context.Context) error {
			_, err := client.Devices.List(ctx, &duostation.DeviceSearch{})
			return err
		},
			"GET", "/api/devices", ""},
		{"devices search", func(ctx context.Context) error {
			_, err := client.Devices.List(ctx, &duostation.DeviceSearch{SerialNumber: "SN123456ABC", GroupID: duostation.Ptr(2), UserID: duostation.Ptr(1), AccountName: "x/y"})
			return err
		}, "GET", "/api/devices?accountName=x%2Fy&groupId=2&serialNumber=SN123456ABC&userId=1", ""},
		{"device get", func(ctx context.Context) error { _, err := client.Devices.Get(ctx, seedDevice); return err },
			"GET", "/api/devices/" + seedDevice, ""},
		{"device set user", func(ctx context.Context) error { return client.Devices.SetUser(ctx, seedDevice, 1) },
			"PUT", "/api/devices/" + seedDevice, `{"userId":1}`},

		{"tag create", func(ctx context.Context) error {
			_, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "Onboarded", Description: duostation.Ptr("d"), GroupID: duostation.Ptr(0)})
			return err
		}, "POST", "/api/tags", `{"name":"Onboarded","description":"d","groupId":0}`},
		{"tag create 2", func(ctx context.Context) error {
			_, err := client.Tags.Create(ctx, duostation.TagCreate{Name: "Spare"})
			return err
		}, "POST", "/api/tags", `{"name":"Spare"}`},
		{"tags list", func(ctx context.Context) error { _, err := client.Tags.List(ctx); return err },
			"GET", "/api/tags", ""},
		{"tag get", func(ctx context.Context) error { _, err := client.Tags.Get(ctx, 1); return err },
			"GET", "/api/tags/1", ""},
		{"tag update", func(ctx context.Context) error {
			return client.Tags.Update(ctx, 1, duostation.TagUpdate{GroupID: duostation.Ptr(2)})
		}, "PUT", "/api/tags/1", `{"groupId":2}`},
		{"tag delete", func(ctx context.Context) error { return client.Tags.Delete(ctx, 2) },
			"DELETE", "/api/tags/2", ""},

		{"device tag link", func(ctx context.Context) error { _, err := client.DeviceTags.Link(ctx, seedDevice, 1); return err },
			"POST", "/api/devicetags", `{"deviceId":"` + seedDevice + `","tagId":1}`},
		{"device tags list", func(ctx context.Context) error { _, err := client.DeviceTags.List(ctx, nil); return err },
			"GET", "/api/devicetags", ""},
		{"device tags search (the doc's example)", func(ctx context.Context) error {
			_, err := client.DeviceTags.List(ctx, &duostation.DeviceTagSearch{SerialNumber: "SN123456ABC"})
			return err
		}, "GET", "/api/devicetags?serialNumber=SN123456ABC", ""},
		{"device tags search by device", func(ctx context.Context) error {
			_, err := client.DeviceTags.List(ctx, &duostation.DeviceTagSearch{DeviceID: seedDevice})
			return err
		}, "GET", "/api/devicetags?deviceId=" + seedDevice, ""},
		{"device tag get", func(ctx context.Context) error { _, err := client.DeviceTags.Get(ctx, 1); return err },
			"GET", "/api/devicetags/1", ""},
		{"device tag unlink", func(ctx context.Context) error { return client.DeviceTags.Unlink(ctx, 1) },
			"DELETE", "/api/devicetags/1", ""},

		{"user tag link", func(ctx context.Context) error { _, err := client.UserTags.Link(ctx, 1, 1); return err },
			"POST", "/api/usertags", `{"userId":1,"tagId":1}`},
		{"user tags list", func(ctx context.Context) error { _, err := client.UserTags.List(ctx, nil); return err },
			"GET", "/api/usertags", ""},
		{"user tags search (the doc's example)", func(ctx context.Context) error {
			_, err := client.UserTags.List(ctx, &duostation.UserTagSearch{Email: "stefan@programduon.se"})
			return err
		}, "GET", "/api/usertags?email=stefan%40programduon.se", ""},
		{"user tags search by user", func(ctx context.Context) error {
			_, err := client.UserTags.List(ctx, &duostation.UserTagSearch{UserID: duostation.Ptr(1)})
			return err
		}, "GET", "/api/usertags?userId=1", ""},
		{"user tag get", func(ctx context.Context) error { _, err := client.UserTags.Get(ctx, 1); return err },
			"GET", "/api/usertags/1", ""},
		{"user tag unlink", func(ctx context.Context) error { return client.UserTags.Unlink(ctx, 1) },
			"DELETE", "/api/usertags/1", ""},

		{"group tag link to All", func(ctx context.Context) error {
			_, err := client.GroupTags.Link(ctx, duostation.RootGroupID, 1)
			return err
		},
			"POST", "/api/grouptags", `{"groupId":0,"tagId":1}`},
		{"group tags list", func(ctx context.Context) error { _, err := client.GroupTags.List(ctx); return err },
			"GET", "/api/grouptags", ""},
		{"group tag get", func(ctx context.Context) error { _, err := client.GroupTags.Get(ctx, 1); return err },
			"GET", "/api/grouptags/1", ""},
		{"group tag unlink", func(ctx context.Context) error { return client.GroupTags.Unlink(ctx, 1) },
			"DELETE", "/api/grouptags/1", ""},

		{"app add", func(ctx context.Context) error {
			_, err := client.Apps.AddOrUpdate(ctx, duostation.AppInput{
				Name: "Ex", Description: duostation.Ptr("d"), Company: "Ex Inc", PackageID: "com.ex", VersionText: "1.0",
				VersionNumber: duostation.Ptr(3), Platform: duostation.PlatformIOS, Size: 10, Store: duostation.StoreAppStore,
				StoreID: "284882215", ImageData: png,
			})
			return err
		}, "POST", "/api/apps", `{"name":"Ex","description":"d","company":"Ex Inc","packageId":"com.ex","versionText":"1.0","versionNumber":3,"platform":0,"size":10,"store":0,"storeId":"284882215","imageData":"iVBORw0KGgpJSERS"}`},
		{"apps list", func(ctx context.Context) error { _, err := client.Apps.List(ctx); return err },
			"GET", "/api/apps", ""},
		{"app get", func(ctx context.Context) error { _, err := client.Apps.Get(ctx, 1); return err },
			"GET", "/api/apps/1", ""},

		{"inventory", func(ctx context.Context) error { return client.Devices.Inventory(ctx, seedDevice) },
			"POST", "/api/devices/" + seedDevice + "/inventorydevice", ""},
		{"install app", func(ctx context.Context) error {
			return client.Devices.InstallApp(ctx, seedDevice, duostation.AppInstall{AppID: 1, VPP: duostation.Ptr(false)})
		}, "POST", "/api/devices/" + seedDevice + "/installapp", `{"appId":1,"vpp":false}`},
		{"install app, vpp unset", func(ctx context.Context) error {
			return client.Devices.InstallApp(ctx, seedDevice, duostation.AppInstall{AppID: 1})
		}, "POST", "/api/devices/" + seedDevice + "/installapp", `{"appId":1}`},
		{"remove app", func(ctx context.Context) error { return client.Devices.RemoveApp(ctx, seedDevice, "com.ex") },
			"POST", "/api/devices/" + seedDevice + "/removeapp", `{"identifier":"com.ex"}`},
		{"lock", func(ctx context.Context) error { return client.Devices.Lock(ctx, seedDevice) },
			"POST", "/api/devices/" + seedDevice + "/lockdevice", ""},
		{"clear passcode", func(ctx context.Context) error { return client.Devices.ClearPasscode(ctx, seedDevice) },
			"POST", "/api/devices/" + seedDevice + "/clearpasscode", ""},
		{"send message", func(ctx context.Context) error { return client.Devices.SendMessage(ctx, seedDevice, "Call IT") },
			"POST", "/api/devices/" + seedDevice + "/sendmessage", `{"message":"Call IT"}`},
		{"wipe", func(ctx context.Context) error { return client.Devices.Wipe(ctx, seedDevice) },
			"POST", "/api/devices/" + seedDevice + "/wipedevice", ""},
	}
	for _, st := range steps {
		srv.Kit().ResetRequests()
		sent.reset()
		if err := st.call(t.Context()); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		reqs := srv.Kit().Requests()
		if len(reqs) != 1 {
			t.Fatalf("%s: %d requests, want 1", st.name, len(reqs))
		}
		r := reqs[0]
		if uris := sent.uris(); len(uris) != 1 || uris[0] != st.uri {
			t.Errorf("%s: sent %q, want %q", st.name, uris, st.uri)
		}
		if r.Method != st.method {
			t.Errorf("%s: method %s, want %s", st.name, r.Method, st.method)
		}
		if got := string(r.Body); got != st.body {
			t.Errorf("%s: body\n got %s\nwant %s", st.name, got, st.body)
		}
		if ct := r.Header.Get("Content-Type"); (st.body != "") != (ct != "") || (ct != "" && ct != "application/json") {
			t.Errorf("%s: Content-Type %q with body %q", st.name, ct, st.body)
		}
		if user, _, ok := basicAuth(r.Header); !ok || user != srv.Username {
			t.Errorf("%s: no Basic credentials", st.name)
		}
	}
	if got := len(srv.Commands(seedDevice)); got != 8 {
		t.Errorf("%d commands logged, want 8", got)
	}
}

func basicAuth(h http.Header) (string, string, bool) {
	r := &http.Request{Header: h}
	return r.BasicAuth()
}

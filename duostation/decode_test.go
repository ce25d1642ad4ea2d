package duostation

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want int
		ok   bool
	}{
		{"5", 5, true},
		{" 42\n", 42, true},
		{`"7"`, 7, true},
		{`" 7 "`, 7, true},
		{`{"id":3}`, 3, true},
		{`{"Id":3}`, 3, true},
		{`{"ID":"12"}`, 12, true},
		{`{"Id":9,"Name":"Customers","ParentId":0}`, 9, true},
		{"0", 0, true},
		{"2147483647", math.MaxInt32, true},
		{"2147483648", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"1e3", 0, false},
		{`"abc"`, 0, false},
		{`""`, 0, false},
		{"", 0, false},
		{"null", 0, false},
		{`{"name":"x"}`, 0, false},
		{`{"id":null}`, 0, false},
		{`{"id":{"id":1}}`, 0, false},
		{`[1]`, 0, false},
		{`true`, 0, false},
	}
	for _, tt := range tests {
		got, err := decodeID([]byte(tt.body))
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("decodeID(%q) = %d, %v; want %d, ok %v", tt.body, got, err, tt.want, tt.ok)
		}
	}
}

func TestMessageOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, want string }{
		{`{"message":"Group not found."}`, "Group not found."},
		{`{"Message":"An error has occurred.","ExceptionMessage":"x"}`, "An error has occurred."},
		{`{"MESSAGE":"loud"}`, "loud"},
		{`{"Message":"first","message":"exact"}`, "exact"},
		{`{"Message":"first","MESSAGE":"second"}`, "first"},
		{`{"message":42,"Message":"text"}`, "text"},
		{`{"messages":"no"}`, ""},
		{`["message"]`, ""},
		{`<html>Bad gateway</html>`, ""},
		{`The request is invalid.`, ""},
		{``, ""},
		{`{"message":"cut`, ""},
	}
	for _, tt := range tests {
		if got := messageOf([]byte(tt.body)); got != tt.want {
			t.Errorf("messageOf(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

// TestRepliesAnyCase decodes every reply type from PascalCase, camelCase and upper-case keys.
func TestRepliesAnyCase(t *testing.T) {
	t.Parallel()
	camel := `{"id":7,"name":"N","parentId":1,"email":"e@x","phoneNumber":"1","accountGroup":"ag",` +
		`"accountName":"an","groupId":2,"company":"c","office":"o","department":"d","position":"p",` +
		`"serialNumber":"SN","userId":3,"deviceId":"0f8fad5b-d9cb-469f-a165-70867728950e","tagId":4,` +
		`"userName":"U","description":"D","packageId":"com.x","versionText":"1.0","versionNumber":5,` +
		`"platform":1,"size":99,"store":2,"storeId":"s","imageUrl":"https://x/i.png"}`
	pascalKeys := func(s string, f func(string) string) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		out := map[string]json.RawMessage{}
		for k, v := range m {
			out[f(k)] = v
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	bodies := map[string]string{
		"camel":  camel,
		"pascal": pascalKeys(camel, func(k string) string { return strings.ToUpper(k[:1]) + k[1:] }),
		"upper":  pascalKeys(camel, strings.ToUpper),
	}
	for name, body := range bodies {
		var g Group
		var u User
		var tg Tag
		var dt DeviceTag
		var ut UserTag
		var gt GroupTag
		var a App
		for _, out := range []any{&g, &u, &tg, &dt, &ut, &gt, &a} {
			if err := json.Unmarshal([]byte(body), out); err != nil {
				t.Fatalf("%s: %T: %v", name, out, err)
			}
		}
		if diff := cmp.Diff(Group{ID: 7, Name: "N", ParentID: 1}, g); diff != "" {
			t.Errorf("%s: group (-want +got):\n%s", name, diff)
		}
		wantUser := User{ID: 7, Name: "N", Email: "e@x", PhoneNumber: "1", AccountGroup: "ag", AccountName: "an",
			GroupID: 2, Company: "c", Office: "o", Department: "d", Position: "p"}
		if diff := cmp.Diff(wantUser, u); diff != "" {
			t.Errorf("%s: user (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(Tag{ID: 7, Name: "N", Description: "D", GroupID: 2}, tg); diff != "" {
			t.Errorf("%s: tag (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(DeviceTag{ID: 7, DeviceID: "0f8fad5b-d9cb-469f-a165-70867728950e", TagID: 4, SerialNumber: "SN"}, dt); diff != "" {
			t.Errorf("%s: device tag (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(UserTag{ID: 7, UserID: 3, TagID: 4, UserName: "U"}, ut); diff != "" {
			t.Errorf("%s: user tag (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(GroupTag{ID: 7, GroupID: 2, TagID: 4}, gt); diff != "" {
			t.Errorf("%s: group tag (-want +got):\n%s", name, diff)
		}
		wantApp := App{ID: 7, Name: "N", Description: "D", Company: "c", PackageID: "com.x", VersionText: "1.0",
			VersionNumber: 5, Platform: PlatformAndroid, Size: 99, Store: StoreInHouse, StoreID: "s", ImageURL: "https://x/i.png"}
		if diff := cmp.Diff(wantApp, a); diff != "" {
			t.Errorf("%s: app (-want +got):\n%s", name, diff)
		}
	}
}

// TestDeviceAnyCase decodes a device (whose id is a GUID string) from keys in any case, as
// the public client reads "Id".
func TestDeviceAnyCase(t *testing.T) {
	t.Parallel()
	want := Device{ID: "0f8fad5b-d9cb-469f-a165-70867728950e", SerialNumber: "SN123456ABC", UserID: 3, GroupID: 2, AccountName: "an"}
	for _, body := range []string{
		`{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","serialNumber":"SN123456ABC","userId":3,"groupId":2,"accountName":"an"}`,
		`{"Id":"0f8fad5b-d9cb-469f-a165-70867728950e","SerialNumber":"SN123456ABC","UserId":3,"GroupId":2,"AccountName":"an","Model":"iPad"}`,
		`{"ID":"0f8fad5b-d9cb-469f-a165-70867728950e","SERIALNUMBER":"SN123456ABC","USERID":3,"GROUPID":2,"ACCOUNTNAME":"an"}`,
	} {
		var d Device
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("%s (-want +got):\n%s", body, diff)
		}
	}
}

func TestEnumsFromReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body     string
		platform Platform
		store    Store
		ok       bool
	}{
		{`{"platform":2,"store":0}`, PlatformMacOS, StoreAppStore, true},
		{`{"Platform":"3","Store":"1"}`, PlatformTvOS, StorePlay, true},
		{`{"Platform":"iOS","Store":"In house"}`, PlatformIOS, StoreInHouse, true},
		{`{"Platform":"ANDROID","Store":"appstore"}`, PlatformAndroid, StoreAppStore, true},
		{`{"Platform":"Windows"}`, 0, 0, false},
		{`{"Platform":true}`, 0, 0, false},
	}
	for _, tt := range tests {
		var a App
		err := json.Unmarshal([]byte(tt.body), &a)
		if (err == nil) != tt.ok || (tt.ok && (a.Platform != tt.platform || a.Store != tt.store)) {
			t.Errorf("%s: platform %v store %v err %v", tt.body, a.Platform, a.Store, err)
		}
	}
	if PlatformMacOS.String() != "macOS" || Platform(9).String() != "9" || StoreInHouse.String() != "InHouse" {
		t.Errorf("String: %v %v %v", PlatformMacOS, Platform(9), StoreInHouse)
	}
}

// FuzzDecodeReplies feeds arbitrary bodies to the decoders of replies: the created-id reader,
// the error-message reader and every reply type. None may panic; an id they accept is a
// non-negative 32-bit integer that the body really holds.
func FuzzDecodeReplies(f *testing.F) {
	for _, seed := range []string{
		"5", `"5"`, `{"Id":5}`, `{"id":"5"}`, `{"ID":5,"Name":"x"}`, `{"message":"m"}`, `{"Message":"m"}`,
		`[{"Id":"0f8fad5b-d9cb-469f-a165-70867728950e","SerialNumber":"SN123456ABC"}]`,
		`{"Platform":"iOS","Store":2}`, "", "null", "-1", "1e9", `{"id":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if id, err := decodeID(body); err == nil {
			if id < 0 || id > math.MaxInt32 {
				t.Fatalf("decodeID(%q) = %d, out of range", body, id)
			}
			if !strings.Contains(string(body), strconv.Itoa(id)) && !strings.Contains(string(body), `\u00`) {
				t.Fatalf("decodeID(%q) = %d, which the body does not hold", body, id)
			}
		}
		if m := messageOf(body); m != "" && !utf8.ValidString(m) {
			t.Fatalf("messageOf(%q) = %q, not UTF-8", body, m)
		}
		for _, out := range []any{&[]Group{}, &User{}, &[]Device{}, &Tag{}, &[]DeviceTag{}, &UserTag{}, &GroupTag{}, &[]App{}, &App{}} {
			_ = json.Unmarshal(body, out)
		}
		if objs, err := objects(body); err == nil {
			for _, o := range objs {
				var g Group
				_ = decodeJSON(o, &g)
			}
		}
	})
}

// FuzzCreatedID writes an id in each of the three forms a create's reply may take, with the
// key in any case, and checks that decodeID reads it back.
func FuzzCreatedID(f *testing.F) {
	f.Add(uint32(5), uint8(0), uint8(0), " ")
	f.Add(uint32(0), uint8(1), uint8(1), "")
	f.Add(uint32(math.MaxInt32), uint8(2), uint8(2), "\n")
	f.Add(uint32(123), uint8(3), uint8(3), "\t")
	f.Fuzz(func(t *testing.T, n uint32, form, keyCase uint8, space string) {
		if strings.Trim(space, " \t\r\n") != "" {
			return
		}
		id := int(n % (math.MaxInt32 + 1))
		key := []string{"id", "Id", "iD", "ID"}[keyCase%4]
		var body string
		switch form % 4 {
		case 0:
			body = strconv.Itoa(id)
		case 1:
			body = `"` + strconv.Itoa(id) + `"`
		case 2:
			body = `{"` + key + `":` + space + strconv.Itoa(id) + `}`
		default:
			body = `{"Name":"x","` + key + `":"` + strconv.Itoa(id) + `","ParentId":0}`
		}
		got, err := decodeID([]byte(space + body + space))
		if err != nil || got != id {
			t.Fatalf("decodeID(%q) = %d, %v; want %d", body, got, err, id)
		}
	})
}

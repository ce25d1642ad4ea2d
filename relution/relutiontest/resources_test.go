package relutiontest

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUserGetAndUpdate(t *testing.T) {
	t.Parallel()
	clock := time.UnixMilli(1800000000000)
	srv := start(t, WithClock(func() time.Time { return clock }))
	got := decode[User](t, ok(t, srv, 200, req{method: "GET", path: "/api/v1/security/users/" + strings.ToLower(MaxUUID)}))
	want, _ := srv.User("max")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET user (-want +got):\n%s", diff)
	}

	b := ok(t, srv, 200, req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID, body: `{"managedAppleId":"max@appleid.example","locked":true,"phone":""}`})
	got = decode[User](t, b)
	want.ManagedAppleID, want.Locked, want.Phone, want.Version, want.ModifiedDate = "max@appleid.example", true, "", 2, clock.UnixMilli()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PUT user (-want +got):\n%s", diff)
	}
	if stored, _ := srv.User(MaxUUID); stored.Version != 2 || stored.Email != "max@organame.example" {
		t.Errorf("stored %+v", stored)
	}

	fails(t, srv, 400, "INVALID_PHONE_NUMBER", req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID, body: `{"phone":"0171 123"}`})
	fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID, body: `{"name":"maximilian"}`})
	fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID, body: `{"locked":"yes"}`})
	fails(t, srv, 404, "USER_NOT_FOUND", req{method: "PUT", path: "/api/v1/security/users/nobody", body: `{"locked":true}`})
	if stored, _ := srv.User(MaxUUID); stored.Version != 2 {
		t.Errorf("a refused update changed the user: %+v", stored)
	}
}

func TestUserGroups(t *testing.T) {
	t.Parallel()
	srv := start(t)
	get := func(id string) groupsBody {
		return decode[groupsBody](t, ok(t, srv, 200, req{method: "GET", path: "/api/management/v1/security/users/" + id + "/groups"}))
	}
	want := groupsBody{Groups: []GroupRef{{DeviceUserGroupUUID, "Organame Device User"}, {SalesGroupUUID, "Sales"}}}
	if diff := cmp.Diff(want, get(MaxUUID)); diff != "" {
		t.Errorf("max's groups (-want +got):\n%s", diff)
	}
	body := `["` + strings.ToLower(AdministratorsGroupUUID) + `","` + SalesBerlinGroupUUID + `","` + AdministratorsGroupUUID + `"]`
	got := decode[groupsBody](t, ok(t, srv, 200, req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID + "/groups", body: body}))
	want = groupsBody{Groups: []GroupRef{{AdministratorsGroupUUID, "Administrators"}, {SalesBerlinGroupUUID, "Sales Berlin"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PUT reply (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, get(MaxUUID)); diff != "" {
		t.Errorf("groups after PUT (-want +got):\n%s", diff)
	}
	// An empty array leaves the user in no group.
	ok(t, srv, 200, req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID + "/groups", body: `[]`})
	if diff := cmp.Diff(groupsBody{Groups: []GroupRef{}}, get(MaxUUID)); diff != "" {
		t.Errorf("groups after empty PUT (-want +got):\n%s", diff)
	}
	fails(t, srv, 400, "GROUP_NOT_FOUND", req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID + "/groups", body: `["nope"]`})
	fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID + "/groups", body: `{"groups":[]}`})
	fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "PUT", path: "/api/v1/security/users/" + MaxUUID + "/groups", body: `null`})
	fails(t, srv, 404, "USER_NOT_FOUND", req{method: "GET", path: "/api/management/v1/security/users/nobody/groups"})
}

func TestGroupMembers(t *testing.T) {
	t.Parallel()
	srv := start(t)
	members := func(query string) items[Member] {
		return decode[items[Member]](t, ok(t, srv, 200, req{method: "GET", path: "/api/management/v1/security/groups/" + SalesGroupUUID + "/members" + query}))
	}
	max := Member{MaxUUID, "USER", "max"}
	berlin := Member{SalesBerlinGroupUUID, "GROUP", "Sales Berlin"}
	eva := Member{EvaUUID, "USER", "eva"}
	tests := []struct {
		query string
		want  []Member
	}{
		{"", []Member{max, berlin}},
		{"?recursive=false", []Member{max, berlin}},
		{"?recursive=true&getItems=true", []Member{max, berlin, eva}},
		{"?recursive=true&limit=1&offset=2", []Member{eva}},
		{"?recursive=true&filter=" + `%7B%22type%22%3A%22string%22%2C%22fieldName%22%3A%22type%22%2C%22value%22%3A%22USER%22%7D`, []Member{max, eva}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, members(tt.query).Items); diff != "" {
			t.Errorf("members%s (-want +got):\n%s", tt.query, diff)
		}
	}
	if n := members("?recursive=true&getNonpagedCount=true&limit=1").NonpagedCount; n == nil || *n != 3 {
		t.Errorf("nonpagedCount %v, want 3", n)
	}
	fails(t, srv, 404, "GROUP_NOT_FOUND", req{method: "GET", path: "/api/management/v1/security/groups/nope/members"})
	fails(t, srv, 400, "INVALID_QUERY", req{method: "GET", path: "/api/management/v1/security/groups/" + SalesGroupUUID + "/members?recursive=1"})
	fails(t, srv, 400, "INVALID_PARAMETER", req{method: "GET", path: "/api/management/v1/security/groups/" + SalesGroupUUID + "/members?sortOrder=name"})
}

func TestInstalledApps(t *testing.T) {
	t.Parallel()
	srv := start(t)
	base := "/api/management/v1/devices/" + PixelUUID + "/installedApps"
	e := results[InstalledApp](t, ok(t, srv, 200, req{method: "GET", path: base + "?getItems=true&getNonpagedCount=true&locale=en&limit=2&offset=0"}))
	if len(e.Results) != 2 || *e.NonpagedCount != 3 || e.Results[0].Identifier != "com.Slack" || e.Results[0].AppUUID != SlackAppUUID {
		t.Errorf("GET installed apps: %+v", e)
	}
	q := "/api/management/v2/devices/" + strings.ToLower(PixelUUID) + "/installedApps/baseInfo/query"
	e = results[InstalledApp](t, ok(t, srv, 200, req{method: "POST", path: q, body: `{"getItems":true,"getNonpagedCount":true,"limit":100,"offset":0,"filter":{"type":"boolean","fieldName":"hasUpdateAvailable","value":true}}`}))
	if len(e.Results) != 1 || e.Results[0].Name != "Company Portal" || *e.NonpagedCount != 1 {
		t.Errorf("query installed apps: %+v", e)
	}
	e = results[InstalledApp](t, ok(t, srv, 200, req{method: "POST", path: q, body: `{"filter":{"type":"null","fieldName":"appUuid","isNull":true}}`}))
	if len(e.Results) != 1 || e.Results[0].Name != "Chrome" {
		t.Errorf("unmanaged apps: %+v", e)
	}
	if n := len(results[InstalledApp](t, ok(t, srv, 200, req{method: "POST", path: "/api/management/v2/devices/" + MotoUUID + "/installedApps/baseInfo/query", body: `{}`})).Results); n != 0 {
		t.Errorf("Moto has %d apps, want none", n)
	}
	fails(t, srv, 404, "DEVICE_NOT_FOUND", req{method: "GET", path: "/api/management/v1/devices/nope/installedApps"})
	fails(t, srv, 404, "DEVICE_NOT_FOUND", req{method: "POST", path: "/api/management/v2/devices/nope/installedApps/baseInfo/query", body: `{}`})
	fails(t, srv, 400, "INVALID_PARAMETER", req{method: "GET", path: base + "?filter=%7B%7D"})
	fails(t, srv, 400, "INVALID_FILTER", req{method: "POST", path: q, body: `{"filter":{"type":"string","fieldName":"uuid","value":"x"}}`})
}

func TestDeviceActions(t *testing.T) {
	t.Parallel()
	srv := start(t)
	base := "/api/management/v1/devices/" + PixelUUID + "/actions"
	e := results[DeviceAction](t, ok(t, srv, 200, req{method: "GET", path: base + "?limit=10&offset=0&sortOrder=-creationDate&getItems=true&getNonpagedCount=true&getPings=false"}))
	if len(e.Results) != 2 || e.Results[0].UUID != PendingActionUUID || e.Results[1].UUID != ExecutedActionUUID || *e.NonpagedCount != 2 {
		t.Errorf("actions: %+v", e)
	}
	one := results[DeviceAction](t, ok(t, srv, 200, req{method: "GET", path: base + "/" + strings.ToLower(ExecutedActionUUID)}))
	want := DeviceAction{UUID: ExecutedActionUUID, DeviceUUID: PixelUUID, State: "EXECUTED", Type: "DEPLOY_CLASSIC_APP", CreationDate: seedTime - 48*3600000,
		Details: ActionDetails{AppUUID: SlackAppUUID, VersionUUID: SlackReleaseUUID, AppInternalName: "com.Slack"}}
	if diff := cmp.Diff([]DeviceAction{want}, one.Results); diff != "" {
		t.Errorf("action (-want +got):\n%s", diff)
	}
	fails(t, srv, 404, "ACTION_NOT_FOUND", req{method: "GET", path: base + "/nope"})
	fails(t, srv, 404, "DEVICE_NOT_FOUND", req{method: "GET", path: "/api/management/v1/devices/nope/actions"})
	fails(t, srv, 400, "INVALID_PARAMETER", req{method: "GET", path: base + "?filter=%7B%7D"})
}

func TestAppsList(t *testing.T) {
	t.Parallel()
	srv := start(t)
	const path = "/api/management/v1/content/apps/baseInfo"
	e := results[appInfo](t, ok(t, srv, 200, req{method: "GET", path: path + "?extend=versions&locale=en&getItems=true&getNonpagedCount=true&limit=2&offset=0"}))
	icon := "/api/management/v1/content/apps/" + SlackAppUUID + "/icon"
	want := []appInfo{
		{UUID: SlackAppUUID, OrganizationUUID: OrgUUID, Type: "NATIVE", SubType: "PLAY_STORE", Name: "Slack", DefaultName: "Slack", InternalName: "com.Slack",
			Description: "Team chat", Platforms: []string{"ANDROID_ENTERPRISE", "IOS"}, Icon: &icon, Categories: []string{"Communication"},
			Versions: map[string]versionInfo{"RELEASE": {SlackReleaseUUID, "24.01.10"}, "DEVELOPMENT": {SlackDevelopmentUUID, "24.02.01"}}},
		{UUID: PortalAppUUID, OrganizationUUID: OrgUUID, Type: "NATIVE", SubType: "ENTERPRISE", Name: "Company Portal", DefaultName: "Company Portal", InternalName: "com.organame.portal",
			Description: "In-house portal", Platforms: []string{"ANDROID", "IOS"}, Categories: []string{"Business"},
			Versions: map[string]versionInfo{"RELEASE": {PortalReleaseUUID, "3.2.0"}}},
	}
	if diff := cmp.Diff(want, e.Results); diff != "" || *e.NonpagedCount != 3 {
		t.Errorf("apps (-want +got):\n%s", diff)
	}
	// Without extend there is no "versions" key; the icon is null without an icon.
	b := ok(t, srv, 200, req{method: "GET", path: path + "?limit=1&offset=1"})
	if strings.Contains(string(b), `"versions"`) || !strings.Contains(string(b), `"icon":null`) {
		t.Errorf("apps without extend: %s", b)
	}
	// A list field matches when any element does.
	e = results[appInfo](t, ok(t, srv, 200, req{method: "GET", path: path + "?sortOrder=-name&filter=" + `%7B%22type%22%3A%22stringEnum%22%2C%22fieldName%22%3A%22platforms%22%2C%22values%22%3A%5B%22IOS%22%5D%7D`}))
	if len(e.Results) != 2 || e.Results[0].Name != "Slack" {
		t.Errorf("iOS apps: %+v", e.Results)
	}
	fails(t, srv, 400, "INVALID_PARAMETER", req{method: "GET", path: path + "?extend=permissions"})
	fails(t, srv, 400, "INVALID_PARAMETER", req{method: "GET", path: path + "?search=slack"})
}

func TestAppPermissionsAndIcon(t *testing.T) {
	t.Parallel()
	srv := start(t)
	e := results[Permission](t, ok(t, srv, 200, req{method: "GET", path: "/api/management/v1/content/apps/" + SlackAppUUID + "/permissions/RELEASE"}))
	want := []Permission{{true, UserGroupInfo{DeviceUserGroupUUID, "GROUP"}}, {true, UserGroupInfo{AdminUUID, "USER"}}}
	if diff := cmp.Diff(want, e.Results); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	fails(t, srv, 404, "APP_NOT_FOUND", req{method: "GET", path: "/api/management/v1/content/apps/nope/permissions/RELEASE"})
	fails(t, srv, 404, "NOT_FOUND", req{method: "GET", path: "/api/management/v1/content/apps/" + SlackAppUUID + "/permissions/DEVELOPMENT"})

	got := send(t, srv, req{method: "GET", path: "/api/management/v1/content/apps/" + strings.ToLower(SlackAppUUID) + "/icon"})
	if got.status != 200 || got.header.Get("Content-Type") != "image/png" {
		t.Fatalf("icon: %d %s", got.status, got.header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader(got.body))
	if err != nil || img.Bounds().Dx() != 2 {
		t.Errorf("icon does not decode: %v", err)
	}
	fails(t, srv, 404, "ICON_NOT_FOUND", req{method: "GET", path: "/api/management/v1/content/apps/" + PortalAppUUID + "/icon"})
	fails(t, srv, 404, "APP_NOT_FOUND", req{method: "GET", path: "/api/management/v1/content/apps/nope/icon"})
}

func TestDeployment(t *testing.T) {
	t.Parallel()
	clock := time.UnixMilli(1800000000000)
	srv := start(t, WithDevices(10), WithClock(func() time.Time { return clock }))
	path := func(app, version string) string {
		return "/api/management/v1/content/apps/" + app + "/versions/" + version + "/deployments"
	}
	body := func(app, version, device string) string {
		return fmt.Sprintf(`{"appUuid":%q,"versionUuid":%q,"deviceUuid":%q}`, app, version, device)
	}
	synth := synthUUID(3)
	b := ok(t, srv, 200, req{method: "POST", path: path(PortalAppUUID, PortalReleaseUUID), body: body(strings.ToLower(PortalAppUUID), PortalReleaseUUID, strings.ToLower(synth))})
	if diff := cmp.Diff([]successBody{{true}}, results[successBody](t, b).Results); diff != "" {
		t.Errorf("deployment reply (-want +got):\n%s", diff)
	}
	acts := srv.DeviceActions(synth)
	if len(acts) != 1 {
		t.Fatalf("actions on the device: %+v", acts)
	}
	want := DeviceAction{UUID: acts[0].UUID, DeviceUUID: synth, State: "PENDING", Type: "DEPLOY_CLASSIC_APP", CreationDate: clock.UnixMilli(),
		Details: ActionDetails{AppUUID: PortalAppUUID, VersionUUID: PortalReleaseUUID, AppInternalName: "com.organame.portal"}}
	if diff := cmp.Diff(want, acts[0]); diff != "" {
		t.Errorf("action (-want +got):\n%s", diff)
	}
	// The new action is served by the actions endpoints.
	e := results[DeviceAction](t, ok(t, srv, 200, req{method: "GET", path: "/api/management/v1/devices/" + synth + "/actions/" + want.UUID}))
	if diff := cmp.Diff([]DeviceAction{want}, e.Results); diff != "" {
		t.Errorf("GET action (-want +got):\n%s", diff)
	}

	tests := []struct {
		name       string
		path, body string
		status     int
		code       string
	}{
		{"app differs from path", path(PortalAppUUID, PortalReleaseUUID), body(SlackAppUUID, PortalReleaseUUID, PixelUUID), 400, "INVALID_REQUEST_BODY"},
		{"version differs from path", path(PortalAppUUID, PortalReleaseUUID), body(PortalAppUUID, SlackReleaseUUID, PixelUUID), 400, "INVALID_REQUEST_BODY"},
		{"no device", path(PortalAppUUID, PortalReleaseUUID), `{"appUuid":"` + PortalAppUUID + `","versionUuid":"` + PortalReleaseUUID + `"}`, 400, "INVALID_REQUEST_BODY"},
		{"extra key", path(PortalAppUUID, PortalReleaseUUID), `{"appUuid":"` + PortalAppUUID + `","versionUuid":"` + PortalReleaseUUID + `","deviceUuid":"` + PixelUUID + `","force":true}`, 400, "INVALID_REQUEST_BODY"},
		{"unknown device", path(PortalAppUUID, PortalReleaseUUID), body(PortalAppUUID, PortalReleaseUUID, synthUUID(10)), 404, "DEVICE_NOT_FOUND"},
		{"version of another app", path(PortalAppUUID, SlackReleaseUUID), body(PortalAppUUID, SlackReleaseUUID, PixelUUID), 404, "VERSION_NOT_FOUND"},
		{"unknown app", path("X", "Y"), body("X", "Y", PixelUUID), 404, "APP_NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fails(t, srv, tt.status, tt.code, req{method: "POST", path: tt.path, body: tt.body})
		})
	}
}

func TestChunkedUploadAndCreateApp(t *testing.T) {
	t.Parallel()
	srv := start(t, WithChunkSize(10))
	const startPath = "/api/management/v1/content/apps/versions/file/upload"
	content := strings.Repeat("0123456789", 2) + "abcde" // 25 bytes: chunks of 10, 10, 5
	st := decode[uploadStateBody](t, ok(t, srv, 200, req{method: "POST", path: startPath, body: `{"name":"Fancy Tool-2.1.0.msi","size":25,"contentType":"application/octet-stream"}`}))
	if st.ResourceUUID == "" || st.ChunkSize != 10 || st.ChunkOffset != 0 {
		t.Fatalf("start: %+v", st)
	}
	chunk := func(off, size int, data string) reply {
		body, ct := multipartBody(t, part{name: "chunkOffset", content: fmt.Sprint(off)}, part{name: "chunkSize", content: fmt.Sprint(size)},
			part{name: "file", filename: "blob", contentType: "application/octet-stream", content: data})
		return send(t, srv, req{method: "POST", path: startPath + "/" + st.ResourceUUID, raw: body, contentType: ct})
	}
	fromFile := "/api/management/v1/content/apps/fromFile/" + st.ResourceUUID
	var replies []chunkReplyBody
	for off := 0; off < len(content); off += 10 {
		end := min(off+10, len(content))
		r := chunk(off, end-off, content[off:end])
		if r.status != 200 {
			t.Fatalf("chunk at %d: %d %s", off, r.status, r.body)
		}
		replies = append(replies, decode[chunkReplyBody](t, r.body))
		if off == 0 {
			// Out of order, repeated and oversized chunks are refused.
			for _, bad := range []struct {
				off, size int
				data      string
			}{{0, 10, content[:10]}, {20, 5, "abcde"}, {10, 11, content[10:21]}, {10, 10, "short"}} {
				if r := chunk(bad.off, bad.size, bad.data); r.status != 400 {
					t.Errorf("bad chunk %+v: %d %s", bad, r.status, r.body)
				}
			}
			fails(t, srv, 400, "UPLOAD_INCOMPLETE", req{method: "POST", path: fromFile})
		}
	}
	if diff := cmp.Diff([]chunkReplyBody{{10, 10}, {20, 5}, {-1, 0}}, replies); diff != "" {
		t.Errorf("chunk replies (-want +got):\n%s", diff)
	}

	drafts := results[appDraft](t, ok(t, srv, 200, req{method: "POST", path: fromFile}))
	want := appDraft{Type: "NATIVE", SubType: "WINDOWS_MSI", Name: localized{text: "Fancy Tool"}, DefaultName: "Fancy Tool", InternalName: "fancy.tool",
		Platforms: []string{"WINDOWS"}, Categories: []string{}, Versions: []versionDraft{{ReleaseStatus: "DEVELOPMENT", VersionName: "2.1.0", VersionCode: 1}}}
	if diff := cmp.Diff([]appDraft{want}, drafts.Results, cmp.AllowUnexported(localized{})); diff != "" {
		t.Errorf("fromFile (-want +got):\n%s", diff)
	}

	// The draft, with a localized name as 0xweb01 sends it, creates the app.
	body := strings.Replace(jsonString(t, drafts.Results[0]), `"name":"Fancy Tool"`, `"name":{"en":"Fancy Tool","de":"Schickes Werkzeug"}`, 1)
	created := results[appDraft](t, ok(t, srv, 201, req{method: "POST", path: "/api/management/v1/content/apps", body: body}))
	if len(created.Results) != 1 {
		t.Fatalf("create: %+v", created)
	}
	app := created.Results[0]
	if app.UUID == "" || app.OrganizationUUID != OrgUUID || app.Versions[0].UUID == "" || app.Versions[0].AppUUID != app.UUID || app.Versions[0].ReleaseStatus != "DEVELOPMENT" {
		t.Errorf("created app: %+v", app)
	}
	list := results[appInfo](t, ok(t, srv, 200, req{method: "GET", path: "/api/management/v1/content/apps/baseInfo?extend=versions&filter=" +
		`%7B%22type%22%3A%22string%22%2C%22fieldName%22%3A%22internalName%22%2C%22value%22%3A%22fancy.tool%22%7D`}))
	if len(list.Results) != 1 || list.Results[0].Name != "Fancy Tool" || list.Results[0].Versions["DEVELOPMENT"].VersionName != "2.1.0" {
		t.Errorf("listed: %+v", list.Results)
	}
	// The same version again is the vendor's recorded 422.
	fails(t, srv, 422, "VERSION_ALREADY_EXISTS", req{method: "POST", path: "/api/management/v1/content/apps", body: body})

	for _, bad := range []string{`{"name":"","internalName":"x","versions":[{"versionName":"1"}]}`, `{"name":"x","versions":[{"versionName":"1"}]}`,
		`{"name":"x","internalName":"x","versions":[]}`, `{"name":7,"internalName":"x","versions":[{"versionName":"1"}]}`, `{"name":"x","internalName":"x","versions":[{"versionName":"1","bogus":1}]}`} {
		fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "POST", path: "/api/management/v1/content/apps", body: bad})
	}
	for _, bad := range []string{`{"name":"a.msi","size":0,"contentType":"x"}`, `{"name":"a.msi","contentType":"x"}`, `{"name":"../a.msi","size":1,"contentType":"x"}`, `{"name":"a.msi","size":1}`} {
		fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "POST", path: startPath, body: bad})
	}
	fails(t, srv, 404, "RESOURCE_NOT_FOUND", req{method: "POST", path: "/api/management/v1/content/apps/fromFile/nope"})

	// Parts in another order work too; a missing or unknown part does not.
	other := decode[uploadStateBody](t, ok(t, srv, 200, req{method: "POST", path: startPath, body: `{"name":"x.apk","size":3,"contentType":"application/vnd.android.package-archive"}`}))
	send3 := func(parts ...part) reply {
		body, ct := multipartBody(t, parts...)
		return send(t, srv, req{method: "POST", path: startPath + "/" + other.ResourceUUID, raw: body, contentType: ct})
	}
	if r := send3(part{name: "chunkSize", content: "3"}, part{name: "file", filename: "b", content: "abc"}); r.status != 400 {
		t.Errorf("missing chunkOffset: %d %s", r.status, r.body)
	}
	if r := send3(part{name: "chunkOffset", content: "0"}, part{name: "chunkSize", content: "3"}, part{name: "file", filename: "b", content: "abc"}, part{name: "md5", content: "x"}); r.status != 400 {
		t.Errorf("unknown part: %d %s", r.status, r.body)
	}
	r := send3(part{name: "file", filename: "b", content: "abc"}, part{name: "chunkSize", content: "3"}, part{name: "chunkOffset", content: "0"})
	if r.status != 200 || decode[chunkReplyBody](t, r.body) != (chunkReplyBody{-1, 0}) {
		t.Errorf("file part first: %d %s", r.status, r.body)
	}
	apk := results[appDraft](t, ok(t, srv, 200, req{method: "POST", path: "/api/management/v1/content/apps/fromFile/" + strings.ToLower(other.ResourceUUID)}))
	if diff := cmp.Diff([]string{"ANDROID"}, apk.Results[0].Platforms); diff != "" || apk.Results[0].Versions[0].VersionName != "1.0.0" {
		t.Errorf("apk draft: %+v", apk.Results[0])
	}
	body2, ct := multipartBody(t, part{name: "file", content: "x"})
	fails(t, srv, 404, "RESOURCE_NOT_FOUND", req{method: "POST", path: startPath + "/nope", raw: body2, contentType: ct})
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	srv := start(t, WithDevices(2000), WithImportPolls(0))
	t.Run("group", func(t *testing.T) {
		for i := range 12 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				switch i % 4 {
				case 0:
					importCSV(t, srv, fmt.Sprintf("name,email,givenName,surName,password\nc%d,c@x,C,C,p\n", i), false, "COMMA")
				case 1:
					ok(t, srv, 200, req{method: "POST", path: devicesPath, body: fmt.Sprintf(`{"limit":50,"offset":%d,"sortOrder":{"sortFields":[{"name":"name"}]}}`, i*10)})
				case 2:
					ok(t, srv, 200, req{method: "PUT", path: "/api/v1/security/users/" + EvaUUID, body: `{"position":"x"}`})
				case 3:
					srv.AddDevice(Device{Name: fmt.Sprint("added", i)})
					_ = srv.Users()
					_ = srv.Kit().Requests()
				}
			})
		}
	})
	if u, _ := srv.User(EvaUUID); u.Version != 4 {
		t.Errorf("eva version %d, want 4", u.Version)
	}
	if n := srv.DeviceCount(); n != 2009 {
		t.Errorf("DeviceCount %d, want 2009", n)
	}
	if n := len(srv.Users()); n != 6 {
		t.Errorf("%d users, want 6", n)
	}
}

package relutiontest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	devicesPath = "/api/v2/devices/baseInfo/query"
	usersPath   = "/api/management/v1/security/users/baseInfo/query"
)

// script6 is the body of the vendor's device query example (script 6).
const script6 = `{
"limit": 100,
"offset": 0,
"getNonpagedCount": true,
"sortOrder": {"sortFields": [{"name": "lastConnectionDate", "ascending": false}]},
"filter": {"type": "logOp", "operation": "AND", "filters": [
  {"type": "stringEnum", "fieldName": "platform", "values": ["ANDROID", "ANDROID_ENTERPRISE", "IOS"]},
  {"type": "stringEnum", "fieldName": "status", "values": ["COMPLIANT"]}
]}
}`

func TestDeviceQueryScript6(t *testing.T) {
	t.Parallel()
	srv := start(t)
	e := results[Device](t, ok(t, srv, 200, req{method: "POST", path: devicesPath, body: script6}))
	var names []string
	for _, d := range e.Results {
		names = append(names, d.Name)
	}
	if diff := cmp.Diff([]string{"Pixel 8", "iPhone 15", "Moto G"}, names); diff != "" {
		t.Errorf("devices (-want +got):\n%s", diff)
	}
	if e.NonpagedCount == nil || *e.NonpagedCount != 3 || e.Total != 3 {
		t.Errorf("total %d, nonpagedCount %v", e.Total, e.NonpagedCount)
	}
	want, _ := srv.Device(PixelUUID)
	if diff := cmp.Diff(want, e.Results[0]); diff != "" {
		t.Errorf("first device (-want +got):\n%s", diff)
	}
	// No getNonpagedCount, no nonpagedCount key.
	b := ok(t, srv, 200, req{method: "POST", path: devicesPath, body: `{"limit":1}`})
	if strings.Contains(string(b), "nonpagedCount") {
		t.Errorf("nonpagedCount without asking: %s", b)
	}
}

// names runs a query and returns the names of what it found, in order.
func names(t *testing.T, srv *Server, path, body string) []string {
	t.Helper()
	b := ok(t, srv, 200, req{method: "POST", path: path, body: body})
	var out []string
	if path == usersPath {
		for _, u := range results[User](t, b).Results {
			out = append(out, u.Name)
		}
		return out
	}
	for _, d := range results[Device](t, b).Results {
		out = append(out, d.Name)
	}
	return out
}

func TestFilters(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.AddUser(User{Name: "locked", GivenName: "Lou", Surname: "Locked", Email: "lou@x.example", Locked: true, Version: 7, CreatedDate: 100})
	f := func(filter string) string { return `{"filter":` + filter + `}` }
	tests := []struct {
		name   string
		path   string
		filter string
		want   []string
	}{
		{"string ignores case", devicesPath, `{"type":"string","fieldName":"name","value":"moto g"}`, []string{"Moto G"}},
		{"string is exact", devicesPath, `{"type":"string","fieldName":"name","value":"Moto"}`, nil},
		{"string on uuid of other case", devicesPath, `{"type":"string","fieldName":"uuid","value":"` + strings.ToLower(IPadUUID) + `"}`, []string{"iPad Air"}},
		{"containsString", devicesPath, `{"type":"containsString","fieldName":"name","contains":"PA"}`, []string{"iPad Air"}},
		{"like percent", devicesPath, `{"type":"like","fieldName":"name","like":"i%"}`, []string{"iPhone 15", "iPad Air"}},
		{"like underscore", devicesPath, `{"type":"like","fieldName":"serialNumber","like":"R52GT9000_"}`, []string{"Galaxy Tab S9"}},
		{"like quotes regexp characters", devicesPath, `{"type":"like","fieldName":"name","like":"Moto.G"}`, nil},
		{"stringEnum", devicesPath, `{"type":"stringEnum","fieldName":"status","values":["INACTIVE","NONCOMPLIANT"]}`, []string{"Galaxy Tab S9", "iPad Air"}},
		{"stringRange", devicesPath, `{"type":"stringRange","fieldName":"name","min":"G","max":"iPhone 15"}`, []string{"iPhone 15", "Galaxy Tab S9", "iPad Air"}},
		{"stringRange open max", devicesPath, `{"type":"stringRange","fieldName":"name","min":"s"}`, []string{"Surface Pro"}},
		{"dateRange", devicesPath, `{"type":"dateRange","fieldName":"lastConnectionDate","min":1768456800000,"max":1768460400000}`, []string{"iPhone 15", "iPad Air"}},
		{"dateRange open min", devicesPath, `{"type":"dateRange","fieldName":"lastConnectionDate","max":1768000000000}`, []string{"Galaxy Tab S9"}},
		{"longRange on date", devicesPath, `{"type":"longRange","fieldName":"lastConnectionDate","min":1768460000000}`, []string{"Pixel 8", "iPhone 15"}},
		{"doubleRange", devicesPath, `{"type":"doubleRange","fieldName":"lastConnectionDate","min":1.7684636e12}`, []string{"Pixel 8"}},
		{"null is not null by default", devicesPath, `{"type":"null","fieldName":"userUuid"}`, []string{"Pixel 8", "iPhone 15", "Galaxy Tab S9", "iPad Air", "Surface Pro"}},
		{"null", devicesPath, `{"type":"null","fieldName":"userUuid","isNull":true}`, []string{"Moto G"}},
		{"AND", devicesPath, `{"type":"logOp","operation":"AND","filters":[{"type":"string","fieldName":"platform","value":"IOS"},{"type":"string","fieldName":"status","value":"COMPLIANT"}]}`, []string{"iPhone 15"}},
		{"or lower case", devicesPath, `{"type":"logOp","operation":"or","filters":[{"type":"string","fieldName":"platform","value":"WINDOWS"},{"type":"string","fieldName":"status","value":"INACTIVE"}]}`, []string{"Galaxy Tab S9", "Surface Pro"}},
		{"NAND", devicesPath, `{"type":"logOp","operation":"NAND","filters":[{"type":"string","fieldName":"status","value":"COMPLIANT"},{"type":"string","fieldName":"ownership","value":"CORPORATE"}]}`, []string{"Galaxy Tab S9", "iPad Air"}},
		{"NOR", devicesPath, `{"type":"logOp","operation":"NOR","filters":[{"type":"string","fieldName":"status","value":"COMPLIANT"},{"type":"string","fieldName":"platform","value":"ANDROID"}]}`, []string{"iPad Air"}},
		{"nested", devicesPath, `{"type":"logOp","operation":"AND","filters":[{"type":"string","fieldName":"userUuid","value":"` + MaxUUID + `"},{"type":"logOp","operation":"OR","filters":[{"type":"string","fieldName":"platform","value":"WINDOWS"},null]}]}`, []string{"Surface Pro"}},
		{"empty logOp", devicesPath, `{"type":"logOp","operation":"OR","filters":[]}`, []string{"Pixel 8", "iPhone 15", "Galaxy Tab S9", "iPad Air", "Surface Pro", "Moto G"}},
		{"boolean", usersPath, `{"type":"boolean","fieldName":"locked","value":true}`, []string{"locked"}},
		{"long", usersPath, `{"type":"long","fieldName":"version","value":7}`, []string{"locked"}},
		{"longEnum", usersPath, `{"type":"longEnum","fieldName":"version","values":[2,7]}`, []string{"locked"}},
		{"longRange", usersPath, `{"type":"longRange","fieldName":"version","max":1}`, []string{"admin", "eva", "max"}},
		{"stringMap key and value", usersPath, `{"type":"stringMap","fieldName":"customProperties","key":"custom2","value":"berlin"}`, []string{"eva"}},
		{"stringMap key only", usersPath, `{"type":"stringMap","fieldName":"customProperties","key":"custom1"}`, []string{"eva"}},
		{"stringMap neither", usersPath, `{"type":"stringMap","fieldName":"customProperties"}`, []string{"eva"}},
		{"null on map", usersPath, `{"type":"null","fieldName":"customProperties","isNull":false}`, []string{"eva"}},
		{"null on phone", usersPath, `{"type":"null","fieldName":"phone","isNull":false}`, []string{"max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := names(t, srv, tt.path, f(tt.filter))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("filter %s (-want +got):\n%s", tt.filter, diff)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	srv := start(t)
	tests := []struct {
		name, filter, msg string
	}{
		{"unknown type", `{"type":"regex","fieldName":"name","value":"a"}`, `unknown filter type "regex"`},
		{"no type", `{"fieldName":"name","value":"a"}`, `missing or invalid "type"`},
		{"unknown field", `{"type":"string","fieldName":"color","value":"red"}`, `unknown field "color"`},
		{"field of other case", `{"type":"string","fieldName":"Name","value":"a"}`, `unknown field "Name"`},
		{"unknown key", `{"type":"string","fieldName":"name","value":"a","comparator":"CONTAINS"}`, `unknown key "comparator"`},
		{"key of another type", `{"type":"containsString","fieldName":"name","value":"a"}`, `unknown key "value"`},
		{"missing value", `{"type":"string","fieldName":"name"}`, `needs "value"`},
		{"null value", `{"type":"string","fieldName":"name","value":null}`, `needs "value"`},
		{"wrong value type", `{"type":"string","fieldName":"name","value":1}`, "value: wrong type"},
		{"string filter on date", `{"type":"string","fieldName":"lastConnectionDate","value":"1"}`, `does not apply to field "lastConnectionDate"`},
		{"dateRange on string", `{"type":"dateRange","fieldName":"name","min":1}`, `does not apply`},
		{"boolean on string", `{"type":"boolean","fieldName":"name","value":true}`, `does not apply`},
		{"stringMap on string", `{"type":"stringMap","fieldName":"name","key":"a"}`, `does not apply`},
		{"fractional long", `{"type":"longEnum","fieldName":"lastConnectionDate","values":[1.5]}`, "wrong type"},
		{"bad operation", `{"type":"logOp","operation":"XOR","filters":[]}`, `unknown logOp operation "XOR"`},
		{"nested error names its place", `{"type":"logOp","operation":"AND","filters":[{"type":"string","fieldName":"name","value":"a"},{"type":"string","fieldName":"nope","value":"a"}]}`, `filter.filters[1]: unknown field "nope"`},
		{"filter not an object", `"name=a"`, "must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := fails(t, srv, 400, "INVALID_FILTER", req{method: "POST", path: devicesPath, body: `{"filter":` + tt.filter + `}`})
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not contain %q", msg, tt.msg)
			}
		})
	}
}

func TestSortAndPage(t *testing.T) {
	t.Parallel()
	srv := start(t)
	tests := []struct {
		name string
		body string
		want []string
		all  int // nonpagedCount
	}{
		{"natural order", `{}`, []string{"Pixel 8", "iPhone 15", "Galaxy Tab S9", "iPad Air", "Surface Pro", "Moto G"}, 6},
		{"by name, case ignored", `{"sortOrder":{"sortFields":[{"name":"name"}]}}`, []string{"Galaxy Tab S9", "iPad Air", "iPhone 15", "Moto G", "Pixel 8", "Surface Pro"}, 6},
		{"two keys", `{"sortOrder":{"sortFields":[{"name":"platform","ascending":false},{"name":"name","ascending":true}]}}`, []string{"Surface Pro", "iPad Air", "iPhone 15", "Pixel 8", "Galaxy Tab S9", "Moto G"}, 6},
		{"limit", `{"limit":2,"getNonpagedCount":true}`, []string{"Pixel 8", "iPhone 15"}, 6},
		{"offset", `{"limit":2,"offset":4,"getNonpagedCount":true}`, []string{"Surface Pro", "Moto G"}, 6},
		{"last partial page", `{"limit":4,"offset":4,"getNonpagedCount":true}`, []string{"Surface Pro", "Moto G"}, 6},
		{"offset past the end", `{"limit":2,"offset":10,"getNonpagedCount":true}`, nil, 6},
		{"limit 0 is no limit", `{"limit":0,"offset":5,"getNonpagedCount":true}`, []string{"Moto G"}, 6},
		{"filtered count", `{"limit":1,"getNonpagedCount":true,"filter":{"type":"string","fieldName":"platform","value":"IOS"}}`, []string{"iPhone 15"}, 2},
		{"searches", `{"searches":["ipad"],"getNonpagedCount":true}`, []string{"iPad Air"}, 1},
		{"getItems accepted", `{"getItems":true,"limit":1,"getNonpagedCount":true}`, []string{"Pixel 8"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := results[Device](t, ok(t, srv, 200, req{method: "POST", path: devicesPath, body: tt.body}))
			var got []string
			for _, d := range e.Results {
				got = append(got, d.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if e.NonpagedCount != nil && *e.NonpagedCount != tt.all {
				t.Errorf("nonpagedCount %d, want %d", *e.NonpagedCount, tt.all)
			}
		})
	}
	fails(t, srv, 400, "INVALID_SORT_ORDER", req{method: "POST", path: devicesPath, body: `{"sortOrder":{"sortFields":[{"name":"color"}]}}`})
	fails(t, srv, 400, "INVALID_SORT_ORDER", req{method: "POST", path: usersPath, body: `{"sortOrder":{"sortFields":[{"name":"customProperties"}]}}`})
	fails(t, srv, 400, "INVALID_QUERY", req{method: "POST", path: "/api/management/v1/csvImport/job/X/entityStates/query", body: `{"offset":-2}`})
}

// TestManyDevices pages through a fleet of synthetic devices and checks the
// pages against a count made here from the same rule.
func TestManyDevices(t *testing.T) {
	t.Parallel()
	const n = 100_000
	srv := start(t, WithDevices(n))
	if got := srv.DeviceCount(); got != n+6 {
		t.Fatalf("DeviceCount = %d", got)
	}
	// Independent count: platform IOS is k%4 == 2, COMPLIANT is (k/4)%3 == 0.
	want := 0
	for k := range n {
		if k%4 == 2 && (k/4)%3 == 0 {
			want++
		}
	}
	want += 1 // the seeded iPhone
	filter := `{"type":"logOp","operation":"AND","filters":[{"type":"stringEnum","fieldName":"platform","values":["IOS"]},{"type":"string","fieldName":"status","value":"COMPLIANT"}]}`
	var seen []Device
	for offset := 0; ; offset += 500 {
		body := fmt.Sprintf(`{"limit":500,"offset":%d,"getNonpagedCount":true,"sortOrder":{"sortFields":[{"name":"lastConnectionDate","ascending":false}]},"filter":%s}`, offset, filter)
		e := results[Device](t, ok(t, srv, 200, req{method: "POST", path: devicesPath, body: body}))
		if *e.NonpagedCount != want {
			t.Fatalf("nonpagedCount %d, want %d", *e.NonpagedCount, want)
		}
		seen = append(seen, e.Results...)
		if len(e.Results) < 500 {
			break
		}
	}
	if len(seen) != want {
		t.Fatalf("paged %d devices, want %d", len(seen), want)
	}
	uuids := map[string]bool{}
	for i, d := range seen {
		if d.Platform != "IOS" || d.Status != "COMPLIANT" || uuids[d.UUID] {
			t.Fatalf("device %d: %+v (dup %v)", i, d, uuids[d.UUID])
		}
		uuids[d.UUID] = true
		if i > 0 && d.LastConnectionDate > seen[i-1].LastConnectionDate {
			t.Fatalf("device %d out of order", i)
		}
	}
	// A synthetic device is found by UUID, in any case.
	last := seen[len(seen)-1]
	if got, found := srv.Device(strings.ToLower(last.UUID)); !found || got != last {
		t.Errorf("Device(%s) = %+v, %v", last.UUID, got, found)
	}
	// Adding a device changes what the same query returns.
	srv.AddDevice(Device{Name: "New iPhone", Platform: "IOS", Status: "COMPLIANT", LastConnectionDate: 1})
	e := results[Device](t, ok(t, srv, 200, req{method: "POST", path: devicesPath, body: `{"limit":1,"getNonpagedCount":true,"filter":` + filter + `}`}))
	if *e.NonpagedCount != want+1 {
		t.Errorf("after AddDevice: nonpagedCount %d, want %d", *e.NonpagedCount, want+1)
	}
}

func BenchmarkDevicePages(b *testing.B) {
	srv := NewServer(WithDevices(100_000))
	defer srv.Close()
	st := srv.st
	c := &call{}
	q, err := parseQueryBody([]byte(`{"limit":500,"sortOrder":{"sortFields":[{"name":"name"}]}}`))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for off := 0; off < 100_000; off += 500 {
			q.offset = off
			srv.mu.Lock()
			refs, err := st.selectDevices(c, q)
			srv.mu.Unlock()
			if err != nil || len(page(refs, q)) != 500 {
				b.Fatal(err)
			}
		}
		st.devices.cache = nil // each iteration pays for one full sort
	}
}

func TestGetListParams(t *testing.T) {
	t.Parallel()
	srv := start(t)
	groups := func(query string) []string {
		b := ok(t, srv, 200, req{method: "GET", path: "/api/v1/security/groups" + query})
		var out []string
		for _, g := range decode[items[Group]](t, b).Items {
			out = append(out, g.Name)
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Administrators", "Organame Device User", "Sales", "Sales Berlin"}},
		{"?sortOrder=-name", []string{"Sales Berlin", "Sales", "Organame Device User", "Administrators"}},
		{"?sortOrder=%2Bname", []string{"Administrators", "Organame Device User", "Sales", "Sales Berlin"}},
		{"?sortOrder=+description", []string{"Administrators", "Organame Device User", "Sales", "Sales Berlin"}}, // "+" arrives as a space
		{"?sortOrder=-type,name&limit=2&offset=1", []string{"Organame Device User", "Sales"}},
		{"?filter=" + url.QueryEscape(`{"type":"containsString","fieldName":"name","contains":"sales"}`), []string{"Sales", "Sales Berlin"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, groups(tt.query)); diff != "" {
			t.Errorf("groups%s (-want +got):\n%s", tt.query, diff)
		}
	}
	b := ok(t, srv, 200, req{method: "GET", path: "/api/v1/security/groups?limit=1&getNonpagedCount=true&getItems=true"})
	if g := decode[items[Group]](t, b); len(g.Items) != 1 || g.NonpagedCount == nil || *g.NonpagedCount != 4 {
		t.Errorf("paged groups: %s", b)
	}
	fails(t, srv, 400, "INVALID_FILTER", req{method: "GET", path: "/api/v1/security/groups?filter=" + url.QueryEscape(`{"type":"string","fieldName":"name","value":"a","value":"b"}`)})
	fails(t, srv, 400, "INVALID_FILTER", req{method: "GET", path: "/api/v1/security/groups?filter=" + url.QueryEscape(`{"type":"string","fieldName":"members","value":"a"}`)})
	fails(t, srv, 400, "INVALID_SORT_ORDER", req{method: "GET", path: "/api/v1/security/groups?sortOrder=-"})
	fails(t, srv, 400, "INVALID_SORT_ORDER", req{method: "GET", path: "/api/v1/security/groups?sortOrder=colour"})
}

func TestUsersQuery(t *testing.T) {
	t.Parallel()
	srv := start(t)
	tests := []struct {
		body string
		want []string
	}{
		{`{}`, []string{"admin", "eva", "max"}},
		{`{"searches":["muster"]}`, []string{"eva", "max"}},
		{`{"searches":["MUSTER","eva@"]}`, []string{"eva"}},
		{`{"searches":["ada"]}`, []string{"admin"}},
		{`{"searches":["nobody"]}`, nil},
		{`{"searches":[" "]}`, []string{"admin", "eva", "max"}},
		{`{"sortOrder":{"sortFields":[{"name":"createdDate","ascending":false}]},"limit":1}`, []string{"eva"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, names(t, srv, usersPath, tt.body)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.body, diff)
		}
	}
	e := results[User](t, ok(t, srv, 200, req{method: "POST", path: usersPath, body: `{"filter":{"type":"string","fieldName":"name","value":"max"}}`}))
	want, _ := srv.User(MaxUUID)
	want.CustomProperties = nil
	if diff := cmp.Diff([]User{want}, e.Results); diff != "" {
		t.Errorf("max (-want +got):\n%s", diff)
	}
}

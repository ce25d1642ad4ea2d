package relutiontest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rosterhq/roster/internal/fake"
)

const userPath = "/api/v1/security/users/" + AdminUUID

func TestAuth(t *testing.T) {
	t.Parallel()
	srv := start(t)
	custom := start(t, WithToken("tok-2"), WithBasicAuth("ops", "pw-2"))
	noBasic := start(t, WithBasicAuth("", ""))
	tests := []struct {
		name string
		srv  *Server
		r    req
		want int
	}{
		{"token", srv, req{}, 200},
		{"no credentials", srv, req{noAuth: true}, 401},
		{"wrong token", srv, req{noAuth: true, header: map[string]string{"X-User-Access-Token": "nope"}}, 401},
		{"basic", srv, req{basic: [2]string{DefaultUsername, DefaultPassword}}, 200},
		{"wrong basic password", srv, req{basic: [2]string{DefaultUsername, "nope"}}, 401},
		{"wrong token beats right basic", srv, req{basic: [2]string{DefaultUsername, DefaultPassword}, header: map[string]string{"X-User-Access-Token": "nope"}}, 401},
		{"bearer", srv, req{noAuth: true, header: map[string]string{"Authorization": "Bearer " + DefaultToken}}, 401},
		{"custom token", custom, req{}, 200},
		{"default token on custom server", custom, req{noAuth: true, header: map[string]string{"X-User-Access-Token": DefaultToken}}, 401},
		{"custom basic", custom, req{basic: [2]string{"ops", "pw-2"}}, 200},
		{"basic turned off", noBasic, req{noAuth: true, header: map[string]string{"Authorization": "Basic Og=="}}, 401}, // ":"
		{"token still on", noBasic, req{}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.r.method, tt.r.path = "GET", userPath
			if tt.want == 401 {
				fails(t, tt.srv, 401, "UNAUTHORIZED", tt.r)
				return
			}
			ok(t, tt.srv, tt.want, tt.r)
		})
	}
	if srv.Token != DefaultToken || custom.Token != "tok-2" || custom.Username != "ops" || srv.OrgUUID != OrgUUID {
		t.Errorf("credentials: %+v / %+v", srv, custom)
	}
}

func TestErrorBodyShape(t *testing.T) {
	t.Parallel()
	srv := start(t)
	got := send(t, srv, req{method: "GET", path: "/api/v1/security/users/nobody"})
	want := `{"status":"-1","message":"User nobody not found","errors":{},"exception":{"className":"com.mwaysolutions.relution.common.domain.RelutionException","cause":null,"errorCode":"USER_NOT_FOUND","httpStatus":404,"message":"User nobody not found"},"total":0,"results":[]}`
	if got.status != 404 || string(got.body) != want {
		t.Errorf("got %d %s\nwant %s", got.status, got.body, want)
	}
	if ct := got.header.Get("Content-Type"); ct != "application/json; charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestStrictRequests(t *testing.T) {
	t.Parallel()
	srv := start(t)
	const q = "/api/v2/devices/baseInfo/query"
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{"unknown path", req{method: "GET", path: "/api/v1/security/roles"}, 404, "NOT_FOUND"},
		{"trailing slash", req{method: "GET", path: userPath + "/"}, 404, "NOT_FOUND"},
		{"management prefix not served", req{method: "POST", path: "/api/management/v2/devices/baseInfo/query", body: "{}"}, 404, "NOT_FOUND"},
		{"wrong method", req{method: "GET", path: q}, 405, "METHOD_NOT_ALLOWED"},
		{"delete user", req{method: "DELETE", path: userPath}, 405, "METHOD_NOT_ALLOWED"},
		{"unknown parameter", req{method: "GET", path: userPath + "?expand=all"}, 400, "INVALID_PARAMETER"},
		{"repeated parameter", req{method: "GET", path: "/api/v1/security/groups?limit=1&limit=2"}, 400, "INVALID_PARAMETER"},
		{"malformed query string", req{method: "GET", path: "/api/v1/security/groups?limit=%zz"}, 400, "INVALID_PARAMETER"},
		{"bad limit", req{method: "GET", path: "/api/v1/security/groups?limit=ten"}, 400, "INVALID_QUERY"},
		{"negative offset", req{method: "GET", path: "/api/v1/security/groups?offset=-1"}, 400, "INVALID_QUERY"},
		{"bad boolean", req{method: "GET", path: "/api/v1/security/groups?getNonpagedCount=yes"}, 400, "INVALID_QUERY"},
		{"unknown organization", req{method: "GET", path: userPath + "?tenantOrganizationUuid=00000000-0000-0000-0000-000000000000"}, 404, "ORGANIZATION_NOT_FOUND"},
		{"body on GET", req{method: "GET", path: userPath, body: "{}"}, 400, "INVALID_REQUEST_BODY"},
		{"text body", req{method: "POST", path: q, body: "{}", contentType: "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"form body", req{method: "PUT", path: userPath, body: "email=x", contentType: "application/x-www-form-urlencoded"}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"unknown key", req{method: "POST", path: q, body: `{"limit":1,"page":2}`}, 400, "INVALID_REQUEST_BODY"},
		{"key of other case", req{method: "POST", path: q, body: `{"Limit":1}`}, 400, "INVALID_REQUEST_BODY"},
		{"duplicate key", req{method: "POST", path: q, body: `{"limit":1,"limit":2}`}, 400, "INVALID_REQUEST_BODY"},
		{"nested duplicate key", req{method: "POST", path: q, body: `{"filter":{"type":"string","fieldName":"name","value":"a","value":"b"}}`}, 400, "INVALID_REQUEST_BODY"},
		{"wrong type", req{method: "POST", path: q, body: `{"limit":"10"}`}, 400, "INVALID_REQUEST_BODY"},
		{"trailing data", req{method: "POST", path: q, body: `{"limit":1}{}`}, 400, "INVALID_REQUEST_BODY"},
		{"negative limit", req{method: "POST", path: q, body: `{"limit":-1}`}, 400, "INVALID_QUERY"},
		{"unknown sort key", req{method: "POST", path: q, body: `{"sortOrder":{"sortFields":[{"name":"name","ascending":true,"nulls":"first"}]}}`}, 400, "INVALID_REQUEST_BODY"},
		{"empty PUT body", req{method: "PUT", path: userPath, contentType: "application/json"}, 400, "INVALID_REQUEST_BODY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := fails(t, srv, tt.status, tt.code, tt.r)
			if tt.status == 405 && !strings.Contains(msg, tt.r.method) {
				t.Errorf("message %q does not name the method", msg)
			}
		})
	}
	t.Run("405 lists allowed methods", func(t *testing.T) {
		t.Parallel()
		got := send(t, srv, req{method: "DELETE", path: userPath})
		if a := got.header.Get("Allow"); a != "GET, PUT" {
			t.Errorf("Allow = %q, want GET, PUT", a)
		}
	})
	t.Run("tenant scope is case-insensitive", func(t *testing.T) {
		t.Parallel()
		ok(t, srv, 200, req{method: "GET", path: userPath + "?tenantOrganizationUuid=" + strings.ToLower(OrgUUID)})
	})
	t.Run("charset on content type", func(t *testing.T) {
		t.Parallel()
		ok(t, srv, 200, req{method: "POST", path: q, body: "{}", contentType: "application/json; charset=UTF-8"})
	})
}

func TestKitFaultsAndLog(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.Kit().Inject(fake.Fault{Method: "GET", Path: "/api/management/v1/csvImport/job/*", Status: 503, RetryAfter: "1"})
	got := send(t, srv, req{method: "GET", path: "/api/management/v1/csvImport/job/X"})
	if got.status != 503 || got.header.Get("Retry-After") != "1" {
		t.Errorf("fault: %d %s", got.status, got.body)
	}
	fails(t, srv, 404, "IMPORT_JOB_NOT_FOUND", req{method: "GET", path: "/api/management/v1/csvImport/job/X"})
	reqs := srv.Kit().Requests()
	if len(reqs) != 2 || reqs[0].Header.Get("X-User-Access-Token") != srv.Token || reqs[1].Path != "/api/management/v1/csvImport/job/X" {
		t.Errorf("log: %+v", reqs)
	}
}

func TestOrganizationWizard(t *testing.T) {
	t.Parallel()
	srv := start(t)
	const path = "/api/v1/security/organizations/creationWizardRequests"
	b := ok(t, srv, 200, req{method: "POST", path: path, body: `{"name":"Neworg","uniqueName":"neworg","address":{"city":"Ulm"},"defaultRoles":[]}`})
	got := decode[map[string]any](t, b)
	id, _ := got["uuid"].(string)
	want := map[string]any{"uuid": id, "name": "Neworg", "uniqueName": "neworg", "address": map[string]any{"city": "Ulm"}, "defaultRoles": []any{}}
	if diff := cmp.Diff(want, got); diff != "" || id == "" || id != strings.ToUpper(id) {
		t.Errorf("echo (-want +got):\n%s", diff)
	}
	if srv.Organizations()[id] != "Neworg" {
		t.Errorf("organizations: %v", srv.Organizations())
	}
	// The new organization scopes requests; it holds none of the seed.
	e := results[Device](t, ok(t, srv, 200, req{method: "POST", path: "/api/v2/devices/baseInfo/query?tenantOrganizationUuid=" + id, body: "{}"}))
	if len(e.Results) != 0 {
		t.Errorf("new organization sees %d devices", len(e.Results))
	}
	fails(t, srv, 404, "USER_NOT_FOUND", req{method: "GET", path: userPath + "?tenantOrganizationUuid=" + id})
	for _, body := range []string{`[]`, `null`, `"org"`, `{"name":"a","name":"b"}`} {
		fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "POST", path: path, body: body})
	}
}

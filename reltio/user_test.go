package reltio

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// docRequest is the request body of Reltio's "Create Users" sample.
const docRequest = `[  {
        "customer": "TestCustomer",
        "username": "testdemouser@reltio.com",
        "password":"Welcome1!!",
        "email": "testdemouser@reltio.com",
        "entity": null,
        "externalTokens": [],
        "enabled": true,
        "accountNonExpired": true,
        "credentialsNonExpired": true,
        "accountNonLocked": true,
        "externalUser": false,
        "locale": "en",
        "timezone": "UTC",
        "userPermissions":{
        "roles": {
                    "ROLE_API":["t1", "t2"],
                    "ROLE_ADMIN_TENANT":["t1"],
                    "ROLE_USER": ["t3"]
                }
        },
        "groups": ["Config_Admin"]
    }
 ]`

// docResponse is the response of the same sample.
const docResponse = `[
    {
        "customer": "SYSTEM",
        "username": "testdemouser@reltio.com",
        "email": "testdemouser@reltio.com",
        "entity": null,
        "externalTokens": [],
        "tenants": [],
        "enabled": true,
        "accountNonExpired": true,
        "credentialsNonExpired": true,
        "accountNonLocked": true,
        "roles": [],
        "externalUser": false,
        "locale": "en",
        "timezone": "UTC",
        "userPermissions": {
            "roles": {
                "ROLE_API": ["t1", "t2"],
                "ROLE_ADMIN_TENANT": ["t1"],
                "ROLE_USER": ["t3"]
            },
            "permissions": {},
            "permissionsByService": {}
        },
        "groups": ["Config_Admin"]
    }
]`

// specUser is the ReltioUser example of Reltio's OpenAPI export (getUserByEmailorUserName).
const specUser = `{"customer": "CustomerId", "username": "user@reltio.com", "email": "user@reltio.com", "enabled": true, "accountNonExpired": true, "credentialsNonExpired": true, "accountNonLocked": true, "externalUser": false, "locale": "en", "timezone": "UTC", "userPermissions": {"roles": {"ROLE_API": ["devtenantId", "testTenantId"], "ROLE_USER": ["devtenantId", "testTenantId"]}, "permissions": {}, "permissionsByService": {}}, "groups": ["SALES_GROUP"], "encrypted": true, "passwordChangedDate": 1587020925382, "lastLoginDate": 1613715826703, "numberFailedLoginAttempts": 0}`

// DocSampleUser is the user of the doc's create sample, as a User.
func docSampleUser() User {
	return User{
		Customer:              "TestCustomer",
		Username:              "testdemouser@reltio.com",
		Password:              "Welcome1!!",
		Email:                 "testdemouser@reltio.com",
		Entity:                json.RawMessage("null"),
		ExternalTokens:        []json.RawMessage{},
		Enabled:               Ptr(true),
		AccountNonExpired:     Ptr(true),
		CredentialsNonExpired: Ptr(true),
		AccountNonLocked:      Ptr(true),
		ExternalUser:          Ptr(false),
		Locale:                "en",
		Timezone:              "UTC",
		Permissions:           UserPermissions{Roles: Roles{"ROLE_API": {"t1", "t2"}, "ROLE_ADMIN_TENANT": {"t1"}, "ROLE_USER": {"t3"}}},
		Groups:                []string{"Config_Admin"},
	}
}

// canonical re-encodes JSON so that two documents compare equal when their values do.
func canonical(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func TestCreateWireIsTheDocSample(t *testing.T) {
	t.Parallel()
	u := docSampleUser()
	got, err := json.Marshal([]userCreateWire{u.createWire()})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(canonical(t, []byte(docRequest)), canonical(t, got)); diff != "" {
		t.Errorf("create body differs from the doc's sample (-doc +ours):\n%s", diff)
	}
}

func TestUserMarshalNeverSendsSecretsOrReadOnly(t *testing.T) {
	t.Parallel()
	u := docSampleUser()
	u.LegacyRoles = []string{"ROLE_OLD"}
	u.LegacyTenants = []string{"t9"}
	u.LastLoginDate = Time{time.UnixMilli(1613715826703)}
	u.DBUserID = 42
	got, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(got, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"password", "roles", "tenants", "lastLoginDate", "passwordChangedDate", "dbUserId", "numberFailedLoginAttempts", "firstLogin"} {
		if _, ok := keys[k]; ok {
			t.Errorf("marshalled user has %q: %s", k, got)
		}
	}
	if bytes.Contains(got, []byte("Welcome1")) {
		t.Errorf("password in %s", got)
	}
}

func TestDecodeDocResponse(t *testing.T) {
	t.Parallel()
	users, err := decodeUsers([]byte(docResponse))
	if err != nil {
		t.Fatal(err)
	}
	want := docSampleUser()
	want.Password = ""
	want.Customer = "SYSTEM" // as the doc's response says
	want.Entity = nil        // null is not kept
	want.Permissions.Permissions = map[string]json.RawMessage{}
	want.Permissions.PermissionsByService = map[string]json.RawMessage{}
	want.LegacyRoles, want.LegacyTenants = []string{}, []string{}
	if diff := cmp.Diff([]User{want}, users); diff != "" {
		t.Errorf("decoded doc response (-want +got):\n%s", diff)
	}
}

func TestDecodeSingleObject(t *testing.T) {
	t.Parallel()
	users, err := decodeUsers([]byte(specUser))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 {
		t.Fatalf("got %d users", len(users))
	}
	u := users[0]
	if u.Username != "user@reltio.com" || !*u.Encrypted || u.Groups[0] != "SALES_GROUP" {
		t.Errorf("user %+v", u)
	}
	if got := u.PasswordChangedDate.UnixMilli(); got != 1587020925382 {
		t.Errorf("passwordChangedDate %d", got)
	}
	if got := u.LastLoginDate.Format(time.RFC3339); got != "2021-02-19T06:23:46Z" {
		t.Errorf("lastLoginDate %s", got)
	}
	for _, empty := range []string{"", " ", "null"} {
		if users, err := decodeUsers([]byte(empty)); users != nil || err != nil {
			t.Errorf("decodeUsers(%q) = %v, %v", empty, users, err)
		}
	}
	if _, err := decodeUsers([]byte(`"x"`)); err == nil {
		t.Error("a string decoded as users")
	}
}

func TestUserLenientFields(t *testing.T) {
	t.Parallel()
	var u User
	in := `{"username":"a@b.c","password":"leak","passwordChangedDate":"2024-05-01T10:00:00Z","lastLoginDate":"1613715826703",
		"numberFailedLoginAttempts":"3","dbUserId":7.0,"roles":[{"x":1}],"tenants":"t1","firstLogin":true}`
	if err := json.Unmarshal([]byte(in), &u); err != nil {
		t.Fatal(err)
	}
	if u.Password != "" {
		t.Error("a read filled Password")
	}
	if u.PasswordChangedDate.Format(time.RFC3339) != "2024-05-01T10:00:00Z" || u.LastLoginDate.UnixMilli() != 1613715826703 {
		t.Errorf("dates %v %v", u.PasswordChangedDate, u.LastLoginDate)
	}
	if u.NumberFailedLoginAttempts != 3 || u.DBUserID != 7 || !u.FirstLogin {
		t.Errorf("counts %+v", u)
	}
	if u.LegacyRoles != nil || u.LegacyTenants != nil {
		t.Errorf("legacy arrays of odd shape read as %v %v", u.LegacyRoles, u.LegacyTenants)
	}
}

func TestRolesHelpers(t *testing.T) {
	t.Parallel()
	var r Roles
	r.Grant("ROLE_USER", "t1")
	r.Grant("ROLE_USER", "t1")
	r.Grant("ROLE_USER", "t2")
	if diff := cmp.Diff(Roles{"ROLE_USER": {"t1", "t2"}}, r); diff != "" {
		t.Error(diff)
	}
	r.Revoke("ROLE_USER", "t1")
	r.Revoke("ROLE_USER", "t2")
	if len(r) != 0 {
		t.Errorf("after revokes: %v", r)
	}
}

// FuzzUserDecode: any reply decodes without panicking; a decoded user never holds a
// password, and what it writes back reads again as the same writable fields.
func FuzzUserDecode(f *testing.F) {
	f.Add([]byte(docResponse))
	f.Add([]byte(specUser))
	f.Add([]byte(docRequest))
	f.Add([]byte(`{"username":"a","roles":["ROLE_X"],"tenants":["t"],"lastLoginDate":"2024-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"userPermissions":{"roles":{"R":["t"]},"permissions":{"k":{"a":["b"]}}},"externalTokens":[{"t":1}],"entity":{"uri":"e/1"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		users, err := decodeUsers(data)
		if err != nil {
			return
		}
		for _, u := range users {
			if u.Password != "" {
				t.Fatalf("decoded a password from %q", data)
			}
			out, err := json.Marshal(u)
			if err != nil {
				t.Fatalf("marshal %+v: %v", u, err)
			}
			var back User
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("re-read %s: %v", out, err)
			}
			again, _ := json.Marshal(back)
			if !bytes.Equal(out, again) {
				t.Fatalf("write-back is not stable:\n%s\n%s", out, again)
			}
		}
	})
}

package reltio

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// User is a Reltio user, the ReltioUser object of the Auth service. Username, Email and
// Customer are required.
//
// Roles live in Permissions.Roles, a map of role to the tenants it applies to: Reltio's
// "new format" ("Create Users": "The roles and tenants must be specified in the new format
// under the userPermissions property"). The top-level roles and tenants arrays of the old
// format are read into LegacyRoles and LegacyTenants and never sent.
//
// A PUT replaces the whole user, so change users with UsersService.Modify, which reads the
// user, applies your change and writes every field back.
type User struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	// Customer is the customer id; Create and Update fill it from Config.Customer when empty.
	Customer string `json:"customer"`
	// Password is the new user's password. It is sent only by Create: no read fills it, and
	// Update refuses a user that carries one (no source shows a way to change a password
	// through the user endpoints).
	Password string `json:"-"`

	// Enabled, AccountNonExpired, AccountNonLocked and CredentialsNonExpired are the account
	// flags; nil leaves them out of the request, to the server's default. Reads fill them.
	Enabled               *bool `json:"enabled,omitempty"`
	AccountNonExpired     *bool `json:"accountNonExpired,omitempty"`
	CredentialsNonExpired *bool `json:"credentialsNonExpired,omitempty"`
	AccountNonLocked      *bool `json:"accountNonLocked,omitempty"`
	// ExternalUser is true for a user who signs in through SSO, false for a native user.
	ExternalUser *bool `json:"externalUser,omitempty"`
	// Locale and Timezone, e.g. "en" and "UTC".
	Locale   string `json:"locale,omitempty"`
	Timezone string `json:"timezone,omitempty"`
	// Permissions holds the user's roles per tenant.
	Permissions UserPermissions `json:"userPermissions"`
	// Groups are the ids of the customer groups the user belongs to, e.g. "SALES_GROUP"; the
	// user gets their roles too.
	Groups []string `json:"groups,omitempty"`
	// Encrypted is a flag of Reltio's schema whose meaning is not documented.
	Encrypted *bool `json:"encrypted,omitempty"`
	// Entity and ExternalTokens are kept as the server sent them and sent back when set; the
	// doc's create sample sends json.RawMessage("null") and an empty, non-nil slice ([]).
	// A nil Entity or ExternalTokens leaves the key out.
	Entity         json.RawMessage   `json:"entity,omitempty"`
	ExternalTokens []json.RawMessage `json:"externalTokens,omitempty"`

	// Read-only fields: filled by reads, never sent.

	// PasswordChangedDate and LastLoginDate are zero when the server did not send them.
	PasswordChangedDate       Time  `json:"-"`
	LastLoginDate             Time  `json:"-"`
	NumberFailedLoginAttempts int   `json:"-"`
	FirstLogin                bool  `json:"-"`
	DBUserID                  int64 `json:"-"`
	// LegacyRoles and LegacyTenants are the old format's top-level arrays, which Reltio
	// still returns (as [] in its examples). They are never sent.
	LegacyRoles   []string `json:"-"`
	LegacyTenants []string `json:"-"`
}

// UserPermissions is the userPermissions object of a user.
type UserPermissions struct {
	// Roles maps a role (ROLE_API, ROLE_USER, ROLE_ADMIN_TENANT, ...) to the ids of the
	// tenants it applies to.
	Roles Roles `json:"roles,omitempty"`
	// Permissions and PermissionsByService are maps whose values Reltio does not document;
	// they are kept as the server sent them, so a Modify writes them back unchanged.
	Permissions          map[string]json.RawMessage `json:"permissions,omitempty"`
	PermissionsByService map[string]json.RawMessage `json:"permissionsByService,omitempty"`
}

// MarshalJSON leaves out a nil map and sends an empty one as {}, so that a user read with
// "permissions": {} is written back with it, and one built from scratch sends only roles.
func (p UserPermissions) MarshalJSON() ([]byte, error) {
	var w struct {
		Roles                json.RawMessage `json:"roles,omitempty"`
		Permissions          json.RawMessage `json:"permissions,omitempty"`
		PermissionsByService json.RawMessage `json:"permissionsByService,omitempty"`
	}
	var err error
	if p.Roles != nil {
		if w.Roles, err = json.Marshal(map[string][]string(p.Roles)); err != nil {
			return nil, err
		}
	}
	if p.Permissions != nil {
		if w.Permissions, err = json.Marshal(p.Permissions); err != nil {
			return nil, err
		}
	}
	if p.PermissionsByService != nil {
		if w.PermissionsByService, err = json.Marshal(p.PermissionsByService); err != nil {
			return nil, err
		}
	}
	return json.Marshal(w)
}

// Role names Reltio's documentation and samples use. A customer may define its own roles
// (RolesService); any name is accepted.
const (
	RoleAPI           = "ROLE_API"
	RoleUser          = "ROLE_USER"
	RoleAdminTenant   = "ROLE_ADMIN_TENANT"
	RoleAdminCustomer = "ROLE_ADMIN_CUSTOMER"
	// RoleReadOnly and RoleReviewer are named in the docstrings of Reltio's MCP server
	// (https://github.com/reltio-ai/reltio-mcp-server, src/tools/user.py).
	RoleReadOnly = "ROLE_READONLY"
	RoleReviewer = "ROLE_REVIEWER"
)

// Roles maps a role name to the tenant ids it applies to:
// reltio.Roles{"ROLE_API": {"t1", "t2"}, "ROLE_USER": {"t3"}}.
type Roles map[string][]string

// Grant adds tenant to role, once, making the map when it is nil.
func (r *Roles) Grant(role, tenant string) {
	if *r == nil {
		*r = Roles{}
	}
	if r.Has(role, tenant) {
		return
	}
	(*r)[role] = append((*r)[role], tenant)
}

// Revoke removes tenant from role, and the role when no tenant is left.
func (r Roles) Revoke(role, tenant string) {
	tenants := r[role]
	for i, t := range tenants {
		if t == tenant {
			tenants = append(tenants[:i:i], tenants[i+1:]...)
			break
		}
	}
	if len(tenants) == 0 {
		delete(r, role)
		return
	}
	r[role] = tenants
}

// Has reports whether role applies to tenant.
func (r Roles) Has(role, tenant string) bool {
	for _, t := range r[role] {
		if t == tenant {
			return true
		}
	}
	return false
}

// userWire is what is sent: the writable fields of User. The password goes only into create
// requests (userCreateWire).
type userWire struct {
	Customer              string          `json:"customer"`
	Username              string          `json:"username"`
	Email                 string          `json:"email"`
	Entity                json.RawMessage `json:"entity,omitempty"`
	ExternalTokens        json.RawMessage `json:"externalTokens,omitempty"`
	Enabled               *bool           `json:"enabled,omitempty"`
	AccountNonExpired     *bool           `json:"accountNonExpired,omitempty"`
	CredentialsNonExpired *bool           `json:"credentialsNonExpired,omitempty"`
	AccountNonLocked      *bool           `json:"accountNonLocked,omitempty"`
	ExternalUser          *bool           `json:"externalUser,omitempty"`
	Locale                string          `json:"locale,omitempty"`
	Timezone              string          `json:"timezone,omitempty"`
	UserPermissions       UserPermissions `json:"userPermissions"`
	Groups                []string        `json:"groups,omitempty"`
	Encrypted             *bool           `json:"encrypted,omitempty"`
}

type userCreateWire struct {
	Customer string `json:"customer"`
	Username string `json:"username"`
	Password string `json:"password,omitempty"`
	userWire
}

// tokensJSON writes externalTokens: nil leaves the key out, an empty slice sends [] (as the
// doc's create sample does).
func tokensJSON(t []json.RawMessage) json.RawMessage {
	if t == nil {
		return nil
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil
	}
	return b
}

func (u *User) wire() userWire {
	return userWire{
		Customer:              u.Customer,
		Username:              u.Username,
		Email:                 u.Email,
		Entity:                u.Entity,
		ExternalTokens:        tokensJSON(u.ExternalTokens),
		Enabled:               u.Enabled,
		AccountNonExpired:     u.AccountNonExpired,
		CredentialsNonExpired: u.CredentialsNonExpired,
		AccountNonLocked:      u.AccountNonLocked,
		ExternalUser:          u.ExternalUser,
		Locale:                u.Locale,
		Timezone:              u.Timezone,
		UserPermissions:       u.Permissions,
		Groups:                u.Groups,
		Encrypted:             u.Encrypted,
	}
}

// createWire puts the password after the user name, as the doc's create sample does. The
// embedded userWire's customer and username are shadowed by the outer ones.
func (u *User) createWire() userCreateWire {
	return userCreateWire{Customer: u.Customer, Username: u.Username, Password: u.Password, userWire: u.wire()}
}

// MarshalJSON writes the writable fields, never the password, the read-only fields or the
// legacy roles and tenants.
func (u User) MarshalJSON() ([]byte, error) { return json.Marshal(u.wire()) }

// userRead is what is read: every field of the ReltioUser schema, loosely typed where
// sources disagree.
type userRead struct {
	userWire
	PasswordChangedDate       Time            `json:"passwordChangedDate"`
	LastLoginDate             Time            `json:"lastLoginDate"`
	NumberFailedLoginAttempts looseInt        `json:"numberFailedLoginAttempts"`
	FirstLogin                *bool           `json:"firstLogin"`
	DBUserID                  looseInt        `json:"dbUserId"`
	Roles                     json.RawMessage `json:"roles"`
	Tenants                   json.RawMessage `json:"tenants"`
}

// UnmarshalJSON reads a user as the server returns it. It never fills Password, and reads
// the legacy roles and tenants arrays when they hold strings.
func (u *User) UnmarshalJSON(data []byte) error {
	var r userRead
	if err := json.Unmarshal(data, &r); err != nil {
		return err
	}
	w := r.userWire
	*u = User{
		Username:                  w.Username,
		Email:                     w.Email,
		Customer:                  w.Customer,
		Enabled:                   w.Enabled,
		AccountNonExpired:         w.AccountNonExpired,
		CredentialsNonExpired:     w.CredentialsNonExpired,
		AccountNonLocked:          w.AccountNonLocked,
		ExternalUser:              w.ExternalUser,
		Locale:                    w.Locale,
		Timezone:                  w.Timezone,
		Permissions:               w.UserPermissions,
		Groups:                    w.Groups,
		Encrypted:                 w.Encrypted,
		Entity:                    nullToNil(w.Entity),
		ExternalTokens:            rawList(w.ExternalTokens),
		PasswordChangedDate:       r.PasswordChangedDate,
		LastLoginDate:             r.LastLoginDate,
		NumberFailedLoginAttempts: int(r.NumberFailedLoginAttempts),
		FirstLogin:                r.FirstLogin != nil && *r.FirstLogin,
		DBUserID:                  int64(r.DBUserID),
		LegacyRoles:               stringList(r.Roles),
		LegacyTenants:             stringList(r.Tenants),
	}
	return nil
}

// rawList reads an array as its elements; anything else (null, a missing key) gives nil.
func rawList(raw json.RawMessage) []json.RawMessage {
	var out []json.RawMessage
	if json.Unmarshal(raw, &out) != nil {
		return nil
	}
	return out
}

// nullToNil drops a JSON null, so that a user read back writes no "entity": null it was not
// asked to.
func nullToNil(raw json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return nil
	}
	return raw
}

// stringList reads an array of strings, and gives nil for anything else: the legacy arrays are
// informational, and a shape nobody has seen must not break reading a user.
func stringList(raw json.RawMessage) []string {
	var out []string
	if json.Unmarshal(raw, &out) != nil {
		return nil
	}
	return out
}

// looseInt reads a number or a numeric string; anything else reads as 0.
type looseInt int64

func (n *looseInt) UnmarshalJSON(data []byte) error {
	s := strings.Trim(strings.TrimSpace(string(data)), `"`)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = looseInt(v)
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= -9e18 && f <= 9e18 {
		*n = looseInt(f)
		return nil
	}
	*n = 0
	return nil
}

// Time is a time Reltio sends as epoch milliseconds (its spec and examples), or as an
// RFC 3339 string (as some clients' test data do). Anything else reads as the zero Time.
type Time struct{ time.Time }

// UnmarshalJSON reads epoch milliseconds, a numeric string or an RFC 3339 string.
func (t *Time) UnmarshalJSON(data []byte) error {
	t.Time = time.Time{}
	s := strings.TrimSpace(string(data))
	if s == "null" || s == "" {
		return nil
	}
	if unq, err := strconv.Unquote(s); err == nil {
		if tm, err := time.Parse(time.RFC3339Nano, unq); err == nil {
			t.Time = tm.UTC()
			return nil
		}
		s = unq
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 && ms < 1<<53 {
		t.Time = time.UnixMilli(ms).UTC()
	}
	return nil
}

// MarshalJSON writes epoch milliseconds, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, t.UnixMilli(), 10), nil
}

package reltiotest

import (
	"encoding/json"
	"maps"
	"slices"
)

// The types below are the fake's own copy of the wire contract. They do not come from package
// reltio on purpose: the fake is an independent check of the client, so a field the client
// spells wrong fails a test instead of being shared silently.

// User is a stored user.
type User struct {
	Customer string
	Username string
	Email    string
	// Password is the user's password, for the password grant; never returned.
	Password              string
	Enabled               bool
	AccountNonExpired     bool
	CredentialsNonExpired bool
	AccountNonLocked      bool
	ExternalUser          bool
	Locale                string
	Timezone              string
	// Roles maps a role to its tenant ids (userPermissions.roles).
	Roles  map[string][]string
	Groups []string
	// Encrypted is the schema's undocumented flag.
	Encrypted bool
	// PasswordChangedDate and LastLoginDate are epoch milliseconds.
	PasswordChangedDate int64
	LastLoginDate       int64
	DBUserID            int64
}

func (u *User) clone() User {
	out := *u
	out.Roles = cloneRoles(u.Roles)
	out.Groups = slices.Clone(u.Groups)
	return out
}

func cloneRoles(r map[string][]string) map[string][]string {
	if r == nil {
		return nil
	}
	out := make(map[string][]string, len(r))
	for k, v := range r {
		out[k] = slices.Clone(v)
	}
	return out
}

// userOut is a user as the API returns it: the shape of the "Create Users" response,
// legacy roles and tenants (always empty) included.
type userOut struct {
	Customer              string          `json:"customer"`
	Username              string          `json:"username"`
	Email                 string          `json:"email"`
	Entity                json.RawMessage `json:"entity"`
	ExternalTokens        []string        `json:"externalTokens"`
	Tenants               []string        `json:"tenants"`
	Enabled               bool            `json:"enabled"`
	AccountNonExpired     bool            `json:"accountNonExpired"`
	CredentialsNonExpired bool            `json:"credentialsNonExpired"`
	AccountNonLocked      bool            `json:"accountNonLocked"`
	Roles                 []string        `json:"roles"`
	ExternalUser          bool            `json:"externalUser"`
	Locale                string          `json:"locale,omitempty"`
	Timezone              string          `json:"timezone,omitempty"`
	UserPermissions       permissionsOut  `json:"userPermissions"`
	Groups                []string        `json:"groups"`
	Encrypted             bool            `json:"encrypted"`
	PasswordChangedDate   int64           `json:"passwordChangedDate,omitempty"`
	LastLoginDate         int64           `json:"lastLoginDate,omitempty"`
	NumberFailedLogins    int             `json:"numberFailedLoginAttempts"`
	DBUserID              int64           `json:"dbUserId,omitempty"`
}

type permissionsOut struct {
	Roles                map[string][]string `json:"roles"`
	Permissions          map[string]any      `json:"permissions"`
	PermissionsByService map[string]any      `json:"permissionsByService"`
}

func (u *User) out(roles map[string][]string) userOut {
	if roles == nil {
		roles = u.Roles
	}
	if roles == nil {
		roles = map[string][]string{}
	}
	groups := u.Groups
	if groups == nil {
		groups = []string{}
	}
	return userOut{
		Customer:              u.Customer,
		Username:              u.Username,
		Email:                 u.Email,
		Entity:                json.RawMessage("null"),
		ExternalTokens:        []string{},
		Tenants:               []string{},
		Enabled:               u.Enabled,
		AccountNonExpired:     u.AccountNonExpired,
		CredentialsNonExpired: u.CredentialsNonExpired,
		AccountNonLocked:      u.AccountNonLocked,
		Roles:                 []string{},
		ExternalUser:          u.ExternalUser,
		Locale:                u.Locale,
		Timezone:              u.Timezone,
		UserPermissions: permissionsOut{
			Roles:                roles,
			Permissions:          map[string]any{},
			PermissionsByService: map[string]any{},
		},
		Groups:              groups,
		Encrypted:           u.Encrypted,
		PasswordChangedDate: u.PasswordChangedDate,
		LastLoginDate:       u.LastLoginDate,
		DBUserID:            u.DBUserID,
	}
}

// userIn is a user as a create or update request may carry it: the fields of Reltio's
// "Create Users" sample and of the ReltioUser schema's writable fields, nothing else. Pointers
// tell an absent field from a zero one.
type userIn struct {
	Customer              *string           `json:"customer"`
	Username              *string           `json:"username"`
	Password              *string           `json:"password"`
	Email                 *string           `json:"email"`
	Entity                json.RawMessage   `json:"entity"`
	ExternalTokens        []json.RawMessage `json:"externalTokens"`
	Enabled               *bool             `json:"enabled"`
	AccountNonExpired     *bool             `json:"accountNonExpired"`
	CredentialsNonExpired *bool             `json:"credentialsNonExpired"`
	AccountNonLocked      *bool             `json:"accountNonLocked"`
	ExternalUser          *bool             `json:"externalUser"`
	Locale                *string           `json:"locale"`
	Timezone              *string           `json:"timezone"`
	UserPermissions       *permissionsIn    `json:"userPermissions"`
	Groups                []string          `json:"groups"`
	Encrypted             *bool             `json:"encrypted"`
}

type permissionsIn struct {
	Roles                map[string][]string        `json:"roles"`
	Permissions          map[string]json.RawMessage `json:"permissions"`
	PermissionsByService map[string]json.RawMessage `json:"permissionsByService"`
}

// Group is a customer group.
type Group struct {
	GroupID     string              `json:"groupId"`
	GroupName   string              `json:"groupName,omitempty"`
	Description string              `json:"description,omitempty"`
	Roles       map[string][]string `json:"roles,omitempty"`
}

func (g *Group) clone() Group {
	out := *g
	out.Roles = cloneRoles(g.Roles)
	return out
}

// RolePermissions is what a role may do (Reltio's RolesPermissions schema).
type RolePermissions struct {
	RoleName           string       `json:"roleName"`
	ServicePermissions []Permission `json:"servicePermissions"`
}

// Permission is a service's or resource's permission, nested.
type Permission struct {
	ID                  string       `json:"id"`
	AllowedPrivileges   []string     `json:"allowedPrivileges,omitempty"`
	ResourcePermissions []Permission `json:"resourcePermissions,omitempty"`
}

// PasswordPolicy is the customer's password policy; rules are kept as sent.
type PasswordPolicy struct {
	PasswordRules                  []json.RawMessage `json:"passwordRules,omitempty"`
	ExpirePeriodInDays             *int              `json:"expirePeriodInDays,omitempty"`
	InactivePeriodInDays           *int              `json:"inactivePeriodInDays,omitempty"`
	NumberOfFailedLoginAttempts    *int              `json:"numberOfFailedLoginAttempts,omitempty"`
	UserSessionTimeoutSeconds      *int              `json:"userSessionTimeoutSeconds,omitempty"`
	NumberOfFailedMFALoginAttempts *int              `json:"numberOfFailedMFALoginAttempts,omitempty"`
}

// customerOut is the customer as GET /customers/{customerId} returns it (the fields of
// Reltio's getCustomerById example the fake has values for).
type customerOut struct {
	ID                        string          `json:"id"`
	Tenants                   []string        `json:"tenants"`
	Description               string          `json:"description"`
	PasswordPolicy            *PasswordPolicy `json:"passwordPolicy,omitempty"`
	CaseSensitiveLoginEnabled bool            `json:"caseSensitiveLoginEnabled"`
	ApplicationClients        []string        `json:"applicationClients"`
	CustomerSpecificRoles     []string        `json:"customerSpecificRoles"`
	ExternalProviderConfig    []any           `json:"externalProviderConfig"`
}

// systemPermissions are the permissions of the system roles GET /roles/permissions/{roleName}
// knows: ROLE_DATALOADER, from the getSystemRolePermissionsByRole example of Reltio's
// "Configuration" OpenAPI export.
func systemPermissions() map[string]RolePermissions {
	rw := []string{"CREATE", "UPDATE"}
	return map[string]RolePermissions{
		"ROLE_DATALOADER": {RoleName: "ROLE_DATALOADER", ServicePermissions: []Permission{
			{ID: "scheduler", AllowedPrivileges: []string{"READ", "DELETE", "CREATE", "UPDATE"}},
			{ID: "dataloader", AllowedPrivileges: []string{"READ", "EXECUTE", "DELETE", "CREATE", "UPDATE"}},
			{ID: "MDM", ResourcePermissions: []Permission{
				{ID: "data", ResourcePermissions: []Permission{
					{ID: "entities", ResourcePermissions: []Permission{{ID: "profile", AllowedPrivileges: rw}}},
					{ID: "relations", AllowedPrivileges: rw},
				}},
				{ID: "tasks", ResourcePermissions: []Permission{{ID: "periodic", AllowedPrivileges: []string{"READ", "EXECUTE", "UPDATE"}}}},
			}},
		}},
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

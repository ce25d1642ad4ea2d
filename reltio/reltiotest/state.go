package reltiotest

import "strings"

// state is everything the server knows. Callers hold Server.mu.
type state struct {
	users    map[string]*User // by lower-case username
	groups   map[string]*Group
	tenants  []string
	roles    []string // the customer's role list: system roles, then its own
	custom   []string // customer-specific roles
	sysPerms map[string]RolePermissions
	perms    map[string]RolePermissions // customer role permissions, by role
	policy   *PasswordPolicy
	nextDBID int64

	broken bool // every issued token is refused, yet re-issued
}

func newState(cfg config) *state {
	st := &state{
		users:    map[string]*User{},
		groups:   map[string]*Group{},
		tenants:  append([]string(nil), Tenants...),
		roles:    append([]string(nil), SystemRoles...),
		sysPerms: systemPermissions(),
		perms:    map[string]RolePermissions{},
		nextDBID: 1,
	}
	// The group of the "Create Users" sample, so that the sample creates as it is.
	st.groups["Config_Admin"] = &Group{GroupID: "Config_Admin", GroupName: "Config Admin",
		Roles: map[string][]string{"ROLE_ADMIN_TENANT": {"t1"}}}
	for _, u := range cfg.users {
		u := u.clone()
		if u.Customer == "" {
			u.Customer = Customer
		}
		if !u.Enabled && !u.AccountNonExpired && !u.AccountNonLocked && !u.CredentialsNonExpired {
			u.Enabled, u.AccountNonExpired, u.AccountNonLocked, u.CredentialsNonExpired = true, true, true, true
		}
		st.put(&u)
	}
	return st
}

func (st *state) put(u *User) {
	if u.DBUserID == 0 {
		u.DBUserID = st.nextDBID
		st.nextDBID++
	}
	st.users[strings.ToLower(u.Username)] = u
}

// user finds a user by username or email, ignoring case (Reltio's path parameter takes
// either).
func (st *state) user(nameOrEmail string) *User {
	key := strings.ToLower(nameOrEmail)
	if u, ok := st.users[key]; ok {
		return u
	}
	for _, u := range st.users {
		if strings.EqualFold(u.Email, nameOrEmail) {
			return u
		}
	}
	return nil
}

// inUse reports whether a username or email is taken by a user other than except.
func (st *state) inUse(value string, except *User) bool {
	for _, u := range st.users {
		if u != except && (strings.EqualFold(u.Username, value) || strings.EqualFold(u.Email, value)) {
			return true
		}
	}
	return false
}

// effectiveRoles merges the user's roles with those of its groups.
func (st *state) effectiveRoles(u *User) map[string][]string {
	out := cloneRoles(u.Roles)
	if out == nil {
		out = map[string][]string{}
	}
	for _, g := range u.Groups {
		grp, ok := st.groups[g]
		if !ok {
			continue
		}
		for role, tenants := range grp.Roles {
			for _, t := range tenants {
				if !contains(out[role], t) {
					out[role] = append(out[role], t)
				}
			}
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

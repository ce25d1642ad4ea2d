package reltiotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// routes is the wire contract: every row of Reltio's endpoint catalogue, under Prefix.
func (s *Server) routes() []fake.Route {
	p := Prefix
	return []fake.Route{
		{Method: "POST", Path: p + "/token", Body: fake.BodyAny, Public: true, Handle: s.tokens.Handle},
		{Method: "POST", Path: p + "/revoke?token={token}", Handle: s.postRevoke},
		{Method: "GET", Path: p + "/users", Handle: s.listUsers},
		{Method: "POST", Path: p + "/users", Body: fake.BodyJSON, Handle: s.createUsers},
		{Method: "GET", Path: p + "/users/{username}", Query: []string{"resolveGroups"}, Handle: s.getUser},
		{Method: "PUT", Path: p + "/users/{username}", Query: []string{"skipTokenRevocation"}, Body: fake.BodyJSON, Handle: s.updateUser},
		{Method: "DELETE", Path: p + "/users/{username}", Handle: s.deleteUser},
		{Method: "GET", Path: p + "/users/{username}/groups", Handle: s.getUserGroups},
		{Method: "PUT", Path: p + "/users/{username}/groups", Query: []string{"skipTokenRevocation"}, Body: fake.BodyJSON, Handle: s.setUserGroups},
		{Method: "PUT", Path: p + "/users/{username}/revoketokens", Handle: s.revokeTokens},
		{Method: "GET", Path: p + "/users/groups/{groupId}", Handle: s.usersByGroup},
		{Method: "GET", Path: p + "/users/tenants/{tenantId}", Handle: s.usersByTenant},
		{Method: "GET", Path: p + "/customers/{customerId}/passwordPolicy", Handle: s.getPolicy},
		{Method: "PUT", Path: p + "/customers/{customerId}/passwordPolicy", Body: fake.BodyJSON, Handle: s.setPolicy},
		{Method: "GET", Path: p + "/customers/{customerId}", Handle: s.getCustomer},
		{Method: "GET", Path: p + "/customers/{customerId}/groups", Handle: s.listGroups},
		{Method: "POST", Path: p + "/customers/{customerId}/groups", Body: fake.BodyJSON, Handle: s.createGroups},
		{Method: "GET", Path: p + "/customers/{customerId}/groups/{groupId}", Handle: s.getGroup},
		{Method: "PUT", Path: p + "/customers/{customerId}/groups/{groupId}", Body: fake.BodyJSON, Handle: s.updateGroup},
		{Method: "GET", Path: p + "/customers/{customerId}/roles", Query: []string{"for"}, Handle: s.listRoles},
		{Method: "POST", Path: p + "/customers/{customerId}/roles", Body: fake.BodyJSON, Handle: s.addRoles},
		{Method: "PUT", Path: p + "/customers/{customerId}/roles", Body: fake.BodyJSON, Handle: s.replaceRoles},
		{Method: "GET", Path: p + "/roles/permissions/{roleName}", Handle: s.getSystemPermissions},
		{Method: "GET", Path: p + "/customers/{customerId}/roles/permissions", Handle: s.listPermissions},
		{Method: "POST", Path: p + "/customers/{customerId}/roles/permissions", Body: fake.BodyJSON, Handle: s.createPermissions},
		{Method: "GET", Path: p + "/customers/{customerId}/roles/permissions/{roleName}", Handle: s.getPermissions},
		{Method: "PUT", Path: p + "/customers/{customerId}/roles/permissions/{roleName}", Body: fake.BodyJSON, Handle: s.updatePermissions},
		{Method: "DELETE", Path: p + "/customers/{customerId}/roles/permissions/{roleName}", Handle: s.deletePermissions},
	}
}

func badRequest(c *fake.Call, msg string) { c.Error(http.StatusBadRequest, "", msg) }

func notFound(c *fake.Call, username string) {
	c.Error(http.StatusNotFound, "", "User "+username+" is not found")
}

// boolParam reads an optional true/false query parameter.
func boolParam(c *fake.Call, name string) (bool, bool) {
	v, ok := c.Query[name]
	if !ok {
		return false, true
	}
	switch v[0] {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	badRequest(c, fmt.Sprintf("query parameter %q must be true or false, not %q", name, v[0]))
	return false, false
}

func (s *Server) listUsers(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []userOut{}
	for _, k := range sortedKeys(s.st.users) {
		out = append(out, s.st.users[k].out(nil))
	}
	c.JSON(http.StatusOK, out)
}

// legacyMessage is what the "Create Users" page says about the old format.
const legacyMessage = "The roles and tenants must be specified in the new format under the userPermissions property"

// decodeUser decodes one user strictly, refusing the legacy top-level roles and tenants with
// the doc's own words before the generic unknown-key check would.
func decodeUser(c *fake.Call, raw []byte, where string) (*userIn, bool) {
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) == nil {
		for _, k := range []string{"roles", "tenants"} {
			if _, ok := keys[k]; ok {
				badRequest(c, where+": \""+k+"\" is the old format. "+legacyMessage)
				return nil, false
			}
		}
	}
	var in userIn
	if err := fake.DecodeJSON(raw, &in); err != nil {
		badRequest(c, where+": "+err.Error())
		return nil, false
	}
	return &in, true
}

// checkUserIn checks what every user body needs; it returns the refusal's status and message.
func (s *Server) checkUserIn(in *userIn) (int, string) {
	switch {
	case in.Username == nil || strings.TrimSpace(*in.Username) == "":
		return http.StatusBadRequest, "username is required"
	case in.Email == nil || !strings.Contains(*in.Email, "@"):
		return http.StatusBadRequest, "a valid email is required"
	case in.Customer == nil || *in.Customer == "":
		return http.StatusBadRequest, "customer is required"
	case *in.Customer != Customer:
		return http.StatusForbidden, fmt.Sprintf("%s cannot modify %s because they belong to different customers", s.ClientID, *in.Username)
	}
	if in.UserPermissions != nil {
		for role, tenants := range in.UserPermissions.Roles {
			if role == "" || len(tenants) == 0 {
				return http.StatusBadRequest, fmt.Sprintf("role %q must name at least one tenant", role)
			}
			seen := map[string]bool{}
			for _, t := range tenants {
				if t == "" || seen[t] {
					return http.StatusBadRequest, fmt.Sprintf("role %q: tenant ids must be unique and not empty", role)
				}
				seen[t] = true
			}
		}
	}
	for _, g := range in.Groups {
		if _, ok := s.st.groups[g]; !ok {
			return http.StatusBadRequest, fmt.Sprintf("Group '%s' doesn't exist under customer %s", g, Customer)
		}
	}
	return 0, ""
}

// apply copies the fields of in onto u: absent flags keep u's values (create starts from
// true, as Reltio's replies show new users).
func (in *userIn) apply(u *User) {
	u.Customer, u.Username, u.Email = *in.Customer, *in.Username, *in.Email
	set := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	set(&u.Enabled, in.Enabled)
	set(&u.AccountNonExpired, in.AccountNonExpired)
	set(&u.CredentialsNonExpired, in.CredentialsNonExpired)
	set(&u.AccountNonLocked, in.AccountNonLocked)
	set(&u.ExternalUser, in.ExternalUser)
	set(&u.Encrypted, in.Encrypted)
	u.Locale, u.Timezone = "", ""
	if in.Locale != nil {
		u.Locale = *in.Locale
	}
	if in.Timezone != nil {
		u.Timezone = *in.Timezone
	}
	u.Roles = nil
	if in.UserPermissions != nil {
		u.Roles = cloneRoles(in.UserPermissions.Roles)
	}
	u.Groups = slices.Clone(in.Groups)
}

// createUsers answers POST /users: an array of users, all created or none. A taken username
// or email is Reltio's 500 "Username ... is already in use".
func (s *Server) createUsers(c *fake.Call) {
	if t := bytes.TrimSpace(c.Body); len(t) == 0 || t[0] != '[' {
		badRequest(c, "Request body must be an array with Reltio user object")
		return
	}
	if err := fake.CheckDuplicateKeys(c.Body); err != nil {
		badRequest(c, err.Error())
		return
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(c.Body, &raws); err != nil || len(raws) == 0 {
		badRequest(c, "Request body must be a non-empty array with Reltio user object")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var created []*User
	taken := map[string]bool{}
	for i, raw := range raws {
		in, ok := decodeUser(c, raw, fmt.Sprintf("[%d]", i))
		if !ok {
			return
		}
		if status, msg := s.checkUserIn(in); status != 0 {
			c.Error(status, "", msg)
			return
		}
		for _, v := range []string{*in.Username, *in.Email} {
			if s.st.inUse(v, nil) || taken[strings.ToLower(v)] {
				c.JSON(http.StatusInternalServerError, map[string]any{
					"errorCode":    500,
					"errorMessage": "Username " + v + " is already in use",
					"innerErrorData": map[string]any{
						"exception": "com.reltio.auth.exception.AuthServiceException:Username " + v + " is already in use",
					},
				})
				return
			}
		}
		taken[strings.ToLower(*in.Username)] = true
		taken[strings.ToLower(*in.Email)] = true
		u := &User{Enabled: true, AccountNonExpired: true, CredentialsNonExpired: true, AccountNonLocked: true}
		in.apply(u)
		if in.Password != nil {
			u.Password = *in.Password
			u.PasswordChangedDate = s.now().UnixMilli()
		}
		created = append(created, u)
	}
	out := make([]userOut, 0, len(created))
	for _, u := range created {
		s.st.put(u)
		out = append(out, u.out(nil))
	}
	c.JSON(http.StatusCreated, out)
}

func (s *Server) getUser(c *fake.Call) {
	resolve, ok := boolParam(c, "resolveGroups")
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(c.Var("username"))
	if u == nil {
		notFound(c, c.Var("username"))
		return
	}
	var roles map[string][]string
	if resolve {
		roles = s.st.effectiveRoles(u)
	}
	c.JSON(http.StatusOK, u.out(roles))
}

// updateUser answers PUT /users/{username}: the body replaces the user. A password is
// refused (no source shows one changed this way), and so is a new username (the fake's
// rule: the path names the user being replaced). Unless skipTokenRevocation=true the user's
// tokens are revoked.
func (s *Server) updateUser(c *fake.Call) {
	skip, ok := boolParam(c, "skipTokenRevocation")
	if !ok {
		return
	}
	in, ok := decodeUser(c, c.Body, "user")
	if !ok {
		return
	}
	if in.Password != nil {
		badRequest(c, "password cannot be changed by a user update")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(c.Var("username"))
	if u == nil {
		notFound(c, c.Var("username"))
		return
	}
	if status, msg := s.checkUserIn(in); status != 0 {
		c.Error(status, "", msg)
		return
	}
	if !strings.EqualFold(*in.Username, u.Username) {
		badRequest(c, "username "+*in.Username+" does not match the user "+u.Username)
		return
	}
	if s.st.inUse(*in.Email, u) {
		c.Error(http.StatusInternalServerError, "", "Email "+*in.Email+" is already in use")
		return
	}
	in.apply(u)
	if !skip {
		s.tokens.RevokeUser(u.Username)
	}
	c.JSON(http.StatusOK, u.out(nil))
}

func (s *Server) deleteUser(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(c.Var("username"))
	if u == nil {
		notFound(c, c.Var("username"))
		return
	}
	s.tokens.RevokeUser(u.Username)
	delete(s.st.users, strings.ToLower(u.Username))
	c.JSON(http.StatusOK, map[string]string{"status": "success"})
}

func (s *Server) getUserGroups(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(c.Var("username"))
	if u == nil {
		notFound(c, c.Var("username"))
		return
	}
	out := slices.Clone(u.Groups)
	if out == nil {
		out = []string{}
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) setUserGroups(c *fake.Call) {
	skip, ok := boolParam(c, "skipTokenRevocation")
	if !ok {
		return
	}
	var body struct {
		Groups []string `json:"groups"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if body.Groups == nil {
		badRequest(c, "groups is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(c.Var("username"))
	if u == nil {
		notFound(c, c.Var("username"))
		return
	}
	for _, g := range body.Groups {
		if _, ok := s.st.groups[g]; !ok {
			badRequest(c, fmt.Sprintf("Group '%s' doesn't exist under customer %s", g, Customer))
			return
		}
	}
	u.Groups = slices.Clone(body.Groups)
	if !skip {
		s.tokens.RevokeUser(u.Username)
	}
	c.JSON(http.StatusOK, map[string][]string{"groups": slices.Clone(u.Groups)})
}

func (s *Server) revokeTokens(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(c.Var("username"))
	if u == nil {
		notFound(c, c.Var("username"))
		return
	}
	s.tokens.RevokeUser(u.Username)
	c.JSON(http.StatusOK, map[string]string{"status": "success"})
}

func (s *Server) usersByGroup(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := c.Var("groupId")
	if _, ok := s.st.groups[g]; !ok {
		c.Error(http.StatusNotFound, "", "Group "+g+" is not found")
		return
	}
	out := []userOut{}
	for _, k := range sortedKeys(s.st.users) {
		if u := s.st.users[k]; slices.Contains(u.Groups, g) {
			out = append(out, u.out(nil))
		}
	}
	c.JSON(http.StatusOK, out)
}

// usersByTenant answers GET /users/tenants/{tenantId}: everyone with a role on the tenant,
// directly or through a group.
func (s *Server) usersByTenant(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := c.Var("tenantId")
	if !slices.Contains(s.st.tenants, t) {
		c.Error(http.StatusNotFound, "", "Tenant "+t+" is not found")
		return
	}
	type ref struct {
		Username string `json:"username"`
		Email    string `json:"email"`
	}
	out := []ref{}
	for _, k := range sortedKeys(s.st.users) {
		u := s.st.users[k]
		for _, tenants := range s.st.effectiveRoles(u) {
			if slices.Contains(tenants, t) {
				out = append(out, ref{u.Username, u.Email})
				break
			}
		}
	}
	c.JSON(http.StatusOK, out)
}

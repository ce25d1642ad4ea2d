package reltiotest

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/rosterhq/roster/internal/fake"
)

// customer checks the path's customer; it answers Reltio's 404 for any other.
func (s *Server) customer(c *fake.Call) bool {
	if id := c.Var("customerId"); id != Customer {
		c.Error(http.StatusNotFound, "", "Customer with id:'"+id+"' doesn't exist")
		return false
	}
	return true
}

func (s *Server) customerOutLocked() customerOut {
	return customerOut{
		ID:                        Customer,
		Tenants:                   slices.Clone(s.st.tenants),
		Description:               "Reltio's sample customer (roster fake)",
		PasswordPolicy:            s.st.policy,
		CaseSensitiveLoginEnabled: false,
		ApplicationClients:        []string{s.cfg.clientID},
		CustomerSpecificRoles:     append([]string{}, s.st.custom...),
		ExternalProviderConfig:    []any{},
	}
}

func (s *Server) getCustomer(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.JSON(http.StatusOK, s.customerOutLocked())
}

func (s *Server) getPolicy(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.policy
	if p == nil {
		p = &PasswordPolicy{}
	}
	c.JSON(http.StatusOK, p)
}

// setPolicy answers PUT .../passwordPolicy with the policy as stored. Each rule must carry a
// "type" (the fake keeps rules as sent).
func (s *Server) setPolicy(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	var p PasswordPolicy
	if !c.DecodeJSON(&p) {
		return
	}
	for _, r := range p.PasswordRules {
		var rule struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(r, &rule) != nil || rule.Type == "" {
			badRequest(c, "every password rule needs a type")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.policy = &p
	c.JSON(http.StatusOK, p)
}

func (s *Server) listGroups(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Group{}
	for _, k := range sortedKeys(s.st.groups) {
		out = append(out, s.st.groups[k].clone())
	}
	c.JSON(http.StatusOK, out)
}

func checkGroupIn(c *fake.Call, g *Group) bool {
	if g.GroupID == "" {
		badRequest(c, "groupId is required")
		return false
	}
	for role, tenants := range g.Roles {
		if role == "" || len(tenants) == 0 {
			badRequest(c, "group "+g.GroupID+": every role must name at least one tenant")
			return false
		}
	}
	return true
}

// createGroups answers POST .../groups: an array of new groups, all or none.
func (s *Server) createGroups(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	var in []Group
	if !c.DecodeJSON(&in) {
		return
	}
	if len(in) == 0 {
		badRequest(c, "no groups")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for i := range in {
		if !checkGroupIn(c, &in[i]) {
			return
		}
		if _, ok := s.st.groups[in[i].GroupID]; ok || seen[in[i].GroupID] {
			badRequest(c, "Group '"+in[i].GroupID+"' already exists under customer "+Customer)
			return
		}
		seen[in[i].GroupID] = true
	}
	for i := range in {
		g := in[i].clone()
		s.st.groups[g.GroupID] = &g
	}
	c.JSON(http.StatusOK, in)
}

func (s *Server) getGroup(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.st.groups[c.Var("groupId")]
	if !ok {
		c.Error(http.StatusNotFound, "", "Group '"+c.Var("groupId")+"' doesn't exist under customer "+Customer)
		return
	}
	c.JSON(http.StatusOK, g.clone())
}

func (s *Server) updateGroup(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	var in Group
	if !c.DecodeJSON(&in) || !checkGroupIn(c, &in) {
		return
	}
	if in.GroupID != c.Var("groupId") {
		badRequest(c, "groupId "+in.GroupID+" does not match the path's "+c.Var("groupId"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.groups[in.GroupID]; !ok {
		c.Error(http.StatusNotFound, "", "Group '"+in.GroupID+"' doesn't exist under customer "+Customer)
		return
	}
	g := in.clone()
	s.st.groups[g.GroupID] = &g
	c.JSON(http.StatusOK, in)
}

// listRoles answers GET .../roles. for=clients (the one value Reltio's spec allows) lists the
// same roles: no source says how the lists differ.
func (s *Server) listRoles(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	if f, ok := c.Query["for"]; ok && f[0] != "clients" {
		badRequest(c, "for must be clients")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.JSON(http.StatusOK, append(slices.Clone(s.st.roles), s.st.custom...))
}

func (s *Server) decodeRoles(c *fake.Call) ([]string, bool) {
	var in []string
	if !c.DecodeJSON(&in) {
		return nil, false
	}
	for _, r := range in {
		if r == "" {
			badRequest(c, "empty role name")
			return nil, false
		}
	}
	return in, true
}

func (s *Server) addRoles(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	in, ok := s.decodeRoles(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range in {
		if !slices.Contains(s.st.custom, r) && !slices.Contains(s.st.roles, r) {
			s.st.custom = append(s.st.custom, r)
		}
	}
	c.JSON(http.StatusOK, s.customerOutLocked())
}

func (s *Server) replaceRoles(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	in, ok := s.decodeRoles(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.custom = nil
	for _, r := range in {
		if !slices.Contains(s.st.custom, r) && !slices.Contains(s.st.roles, r) {
			s.st.custom = append(s.st.custom, r)
		}
	}
	c.JSON(http.StatusOK, s.customerOutLocked())
}

func (s *Server) getSystemPermissions(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.st.sysPerms[c.Var("roleName")]
	if !ok {
		c.Error(http.StatusNotFound, "", "No permissions found for role "+c.Var("roleName"))
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) listPermissions(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []RolePermissions{}
	for _, k := range sortedKeys(s.st.perms) {
		out = append(out, s.st.perms[k])
	}
	c.JSON(http.StatusOK, out)
}

func checkPermsIn(c *fake.Call, p *RolePermissions) bool {
	if p.RoleName == "" {
		badRequest(c, "roleName is required")
		return false
	}
	if p.ServicePermissions == nil {
		badRequest(c, "servicePermissions is required")
		return false
	}
	return true
}

// createPermissions answers POST .../roles/permissions with 200 and the stored array, as
// Reltio's spec shows (not 201).
func (s *Server) createPermissions(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	var in []RolePermissions
	if !c.DecodeJSON(&in) {
		return
	}
	if len(in) == 0 {
		badRequest(c, "no role permissions")
		return
	}
	for i := range in {
		if !checkPermsIn(c, &in[i]) {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range in {
		s.st.perms[p.RoleName] = p
	}
	c.JSON(http.StatusOK, in)
}

func (s *Server) getPermissions(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.st.perms[c.Var("roleName")]
	if !ok {
		c.Error(http.StatusNotFound, "", "No permissions found for role "+c.Var("roleName"))
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) updatePermissions(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	var in RolePermissions
	if !c.DecodeJSON(&in) || !checkPermsIn(c, &in) {
		return
	}
	if in.RoleName != c.Var("roleName") {
		badRequest(c, "roleName "+in.RoleName+" does not match the path's "+c.Var("roleName"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.perms[in.RoleName]; !ok {
		c.Error(http.StatusNotFound, "", "No permissions found for role "+in.RoleName)
		return
	}
	s.st.perms[in.RoleName] = in
	c.JSON(http.StatusOK, in)
}

func (s *Server) deletePermissions(c *fake.Call) {
	if !s.customer(c) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.perms[c.Var("roleName")]; !ok {
		c.Error(http.StatusNotFound, "", "No permissions found for role "+c.Var("roleName"))
		return
	}
	delete(s.st.perms, c.Var("roleName"))
	c.JSON(http.StatusOK, map[string]string{"status": "success"})
}

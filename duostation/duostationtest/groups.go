package duostationtest

import (
	"net/http"
	"strings"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

func (s *Server) listGroups(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeObjects(c, sortedValues(s.st.groups))
}

func (s *Server) getGroup(c *fake.Call) {
	getByID(s, c, "Group", func(st *state) map[int]*duostation.Group { return st.groups })
}

// groupByPath finds the groups whose full path, split at \ or /, equals the parameter's. More
// than one match is the error the document promises.
func (s *Server) groupByPath(c *fake.Call) {
	want := strings.FieldsFunc(c.Var("path"), func(r rune) bool { return r == '\\' || r == '/' })
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []duostation.Group
	for _, g := range sortedValues(s.st.groups) {
		got := s.st.groupPath(&g)
		if len(got) == len(want) && equalFoldAll(got, want) {
			found = append(found, g)
		}
	}
	switch len(found) {
	case 0:
		notFound(c, "Group", c.Var("path"))
	case 1:
		c.JSON(http.StatusOK, pascal(found[0]))
	default:
		conflict(c, "More than one group matches the path "+c.Var("path")+".")
	}
}

func equalFoldAll(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

type groupBody struct {
	Name     *string `json:"name"`
	ParentID *int    `json:"parentId"`
}

func (s *Server) createGroup(c *fake.Call) {
	var in groupBody
	if !decode(c, &in) {
		return
	}
	if blank(in.Name) {
		badRequest(c, "The name is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := duostation.Group{Name: *in.Name}
	if in.ParentID != nil {
		if !s.st.groupExists(*in.ParentID) {
			badRequest(c, "The parent group does not exist.")
			return
		}
		g.ParentID = *in.ParentID
	}
	g.ID = s.st.newID("groups")
	s.st.groups[g.ID] = &g
	s.writeID(c, g.ID)
}

func (s *Server) renameGroup(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	var in struct {
		Name *string `json:"name"`
	}
	if !decode(c, &in) {
		return
	}
	if blank(in.Name) {
		badRequest(c, "The name is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.st.groups[id]
	if !ok {
		notFound(c, "Group", id)
		return
	}
	g.Name = *in.Name
	writeOK(c)
}

// deleteGroup refuses a group with subgroups or with objects linked to it, as the document
// says.
func (s *Server) deleteGroup(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.groups[id]; !ok {
		notFound(c, "Group", id)
		return
	}
	for _, g := range s.st.groups {
		if g.ParentID == id {
			conflict(c, "The group has subgroups and cannot be deleted.")
			return
		}
	}
	linked := false
	for _, u := range s.st.users {
		linked = linked || u.GroupID == id
	}
	for _, d := range s.st.devices {
		linked = linked || d.GroupID == id
	}
	for _, t := range s.st.tags {
		linked = linked || t.GroupID == id
	}
	for _, t := range s.st.groupTags {
		linked = linked || t.GroupID == id
	}
	if linked {
		conflict(c, "Other objects are linked to the group; it cannot be deleted.")
		return
	}
	delete(s.st.groups, id)
	writeOK(c)
}

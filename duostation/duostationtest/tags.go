package duostationtest

import (
	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

func (s *Server) listTags(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeObjects(c, sortedValues(s.st.tags))
}

func (s *Server) getTag(c *fake.Call) {
	getByID(s, c, "Tag", func(st *state) map[int]*duostation.Tag { return st.tags })
}

type tagBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	GroupID     *int    `json:"groupId"`
}

func (s *Server) createTag(c *fake.Call) {
	var in tagBody
	if !decode(c, &in) {
		return
	}
	if blank(in.Name) {
		badRequest(c, "The name is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.GroupID != nil && !s.st.groupExists(*in.GroupID) {
		badRequest(c, "The group does not exist.")
		return
	}
	t := duostation.Tag{Name: *in.Name}
	set(&t.Description, in.Description)
	if in.GroupID != nil {
		t.GroupID = *in.GroupID
	}
	t.ID = s.st.newID("tags")
	s.st.tags[t.ID] = &t
	s.writeID(c, t.ID)
}

func (s *Server) updateTag(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	var in tagBody
	if !decode(c, &in) {
		return
	}
	if in == (tagBody{}) {
		badRequest(c, "Nothing to update.")
		return
	}
	if in.Name != nil && blank(in.Name) {
		badRequest(c, "The name cannot be empty.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.tags[id]
	if !ok {
		notFound(c, "Tag", id)
		return
	}
	if in.GroupID != nil && !s.st.groupExists(*in.GroupID) {
		badRequest(c, "The group does not exist.")
		return
	}
	set(&t.Name, in.Name)
	set(&t.Description, in.Description)
	if in.GroupID != nil {
		t.GroupID = *in.GroupID
	}
	writeOK(c)
}

// deleteTag refuses a tag that is linked to a device, a user or a group. The document says
// "linked configurations", which the API does not show; its links are what the fake has.
func (s *Server) deleteTag(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.tags[id]; !ok {
		notFound(c, "Tag", id)
		return
	}
	linked := false
	for _, t := range s.st.deviceTags {
		linked = linked || t.TagID == id
	}
	for _, t := range s.st.userTags {
		linked = linked || t.TagID == id
	}
	for _, t := range s.st.groupTags {
		linked = linked || t.TagID == id
	}
	if linked {
		conflict(c, "The tag is linked and cannot be deleted.")
		return
	}
	delete(s.st.tags, id)
	writeOK(c)
}

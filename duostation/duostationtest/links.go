package duostationtest

import (
	"net/http"
	"strings"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

// The links of tags to devices, users and groups. Linking a tag twice makes a second link:
// the document does not say the server refuses it, so clients must look first.

func (s *Server) listDeviceTags(c *fake.Call) {
	q := newSearch(c)
	if !q.ok {
		return
	}
	if id, set := q.strs["deviceId"]; set && !guidPattern.MatchString(id) {
		c.Error(http.StatusBadRequest, fake.CodeInvalidParameter, "The deviceId is not a GUID.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []duostation.DeviceTag
	for _, t := range sortedValues(s.st.deviceTags) {
		t = s.st.deviceTag(t)
		if q.text("deviceId", t.DeviceID) && q.text("serialNumber", t.SerialNumber) {
			out = append(out, t)
		}
	}
	writeObjects(c, out)
}

func (s *Server) getDeviceTag(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.deviceTags[id]
	if !ok {
		notFound(c, "Device tag", id)
		return
	}
	c.JSON(http.StatusOK, pascal(s.st.deviceTag(*t)))
}

func (s *Server) linkDeviceTag(c *fake.Call) {
	var in struct {
		DeviceID *string `json:"deviceId"`
		TagID    *int    `json:"tagId"`
	}
	if !decode(c, &in) {
		return
	}
	if in.DeviceID == nil || in.TagID == nil {
		badRequest(c, "The deviceId and tagId are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.devices[strings.ToLower(*in.DeviceID)]
	if !ok || !guidPattern.MatchString(*in.DeviceID) {
		badRequest(c, "The device does not exist.")
		return
	}
	if _, ok := s.st.tags[*in.TagID]; !ok {
		badRequest(c, "The tag does not exist.")
		return
	}
	t := duostation.DeviceTag{ID: s.st.newID("devicetags"), DeviceID: d.ID, TagID: *in.TagID}
	s.st.deviceTags[t.ID] = &t
	s.writeID(c, t.ID)
}

func (s *Server) unlinkDeviceTag(c *fake.Call) { unlinkFrom(s, c, "Device tag", s.st.deviceTags) }

func (s *Server) listUserTags(c *fake.Call) {
	q := newSearch(c, "userId")
	if !q.ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []duostation.UserTag
	for _, t := range sortedValues(s.st.userTags) {
		email := ""
		if u, ok := s.st.users[t.UserID]; ok {
			email = u.Email
		}
		if q.num("userId", func(id int) bool { return t.UserID == id }) && q.text("email", email) {
			out = append(out, s.st.userTag(t))
		}
	}
	writeObjects(c, out)
}

func (s *Server) getUserTag(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.userTags[id]
	if !ok {
		notFound(c, "User tag", id)
		return
	}
	c.JSON(http.StatusOK, pascal(s.st.userTag(*t)))
}

func (s *Server) linkUserTag(c *fake.Call) {
	var in struct {
		UserID *int `json:"userId"`
		TagID  *int `json:"tagId"`
	}
	if !decode(c, &in) {
		return
	}
	if in.UserID == nil || in.TagID == nil {
		badRequest(c, "The userId and tagId are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.users[*in.UserID]; !ok {
		badRequest(c, "The user does not exist.")
		return
	}
	if _, ok := s.st.tags[*in.TagID]; !ok {
		badRequest(c, "The tag does not exist.")
		return
	}
	t := duostation.UserTag{ID: s.st.newID("usertags"), UserID: *in.UserID, TagID: *in.TagID}
	s.st.userTags[t.ID] = &t
	s.writeID(c, t.ID)
}

func (s *Server) unlinkUserTag(c *fake.Call) { unlinkFrom(s, c, "User tag", s.st.userTags) }

func (s *Server) listGroupTags(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeObjects(c, sortedValues(s.st.groupTags))
}

func (s *Server) getGroupTag(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.groupTags[id]
	if !ok {
		notFound(c, "Group tag", id)
		return
	}
	c.JSON(http.StatusOK, pascal(t))
}

// linkGroupTag requires groupId, 0 meaning "All".
func (s *Server) linkGroupTag(c *fake.Call) {
	var in struct {
		GroupID *int `json:"groupId"`
		TagID   *int `json:"tagId"`
	}
	if !decode(c, &in) {
		return
	}
	if in.GroupID == nil || in.TagID == nil {
		badRequest(c, "The groupId and tagId are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.groupExists(*in.GroupID) {
		badRequest(c, "The group does not exist.")
		return
	}
	if _, ok := s.st.tags[*in.TagID]; !ok {
		badRequest(c, "The tag does not exist.")
		return
	}
	t := duostation.GroupTag{ID: s.st.newID("grouptags"), GroupID: *in.GroupID, TagID: *in.TagID}
	s.st.groupTags[t.ID] = &t
	s.writeID(c, t.ID)
}

func (s *Server) unlinkGroupTag(c *fake.Call) { unlinkFrom(s, c, "Group tag", s.st.groupTags) }

// unlinkFrom deletes the link {id} from links, under s.mu.
func unlinkFrom[T any](s *Server, c *fake.Call, what string, links map[int]*T) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := links[id]; !ok {
		notFound(c, what, id)
		return
	}
	delete(links, id)
	writeOK(c)
}

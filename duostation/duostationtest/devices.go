package duostationtest

import (
	"net/http"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

func (s *Server) listDevices(c *fake.Call) {
	q := newSearch(c, "groupId", "userId", "tagId")
	if !q.ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []duostation.Device
	for _, d := range sortedValues(s.st.devices) {
		if q.text("serialNumber", d.SerialNumber) && q.text("accountName", d.AccountName) &&
			q.num("groupId", func(id int) bool { return d.GroupID == id }) &&
			q.num("userId", func(id int) bool { return d.UserID == id }) &&
			q.num("tagId", func(id int) bool { return s.st.deviceHasTag(d.ID, id) }) {
			out = append(out, d)
		}
	}
	writeObjects(c, out)
}

func (st *state) deviceHasTag(deviceID string, tagID int) bool {
	for _, t := range st.deviceTags {
		if t.DeviceID == deviceID && t.TagID == tagID {
			return true
		}
	}
	return false
}

func (s *Server) getDevice(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deviceVar(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, pascal(d))
}

// setDeviceUser links the device to another user; the device joins the user's group.
func (s *Server) setDeviceUser(c *fake.Call) {
	var in struct {
		UserID *int `json:"userId"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deviceVar(c)
	if !ok || !decode(c, &in) {
		return
	}
	if in.UserID == nil {
		badRequest(c, "The userId is required.")
		return
	}
	u, ok := s.st.users[*in.UserID]
	if !ok {
		badRequest(c, "The user does not exist.")
		return
	}
	d.UserID, d.GroupID, d.AccountName = u.ID, u.GroupID, u.AccountName
	writeOK(c)
}

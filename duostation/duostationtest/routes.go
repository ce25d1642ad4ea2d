package duostationtest

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

// routes are the 41 rows of the catalogue, with the search parameters the document lists.
func (s *Server) routes() []fake.Route {
	j := fake.BodyJSON
	return []fake.Route{
		{Method: "GET", Path: "/api/groups", Handle: s.listGroups},
		{Method: "GET", Path: "/api/groups/{id}", Handle: s.getGroup},
		{Method: "GET", Path: "/api/groups?path={path}", Handle: s.groupByPath},
		{Method: "PUT", Path: "/api/groups/{id}", Body: j, Handle: s.renameGroup},
		{Method: "POST", Path: "/api/groups", Body: j, Handle: s.createGroup},
		{Method: "DELETE", Path: "/api/groups/{id}", Handle: s.deleteGroup},

		{Method: "GET", Path: "/api/users", Query: []string{"email", "phoneNumber", "account", "groupId", "tagId"}, Handle: s.listUsers},
		{Method: "GET", Path: "/api/users/{id}", Handle: s.getUser},
		{Method: "PUT", Path: "/api/users/{id}", Body: j, Handle: s.updateUser},
		{Method: "POST", Path: "/api/users", Body: j, Handle: s.createUser},
		{Method: "DELETE", Path: "/api/users/{id}", Handle: s.deleteUser},

		{Method: "GET", Path: "/api/devices", Query: []string{"serialNumber", "groupId", "userId", "accountName", "tagId"}, Handle: s.listDevices},
		{Method: "GET", Path: "/api/devices/{id}", Handle: s.getDevice},
		{Method: "PUT", Path: "/api/devices/{id}", Body: j, Handle: s.setDeviceUser},

		{Method: "GET", Path: "/api/tags", Handle: s.listTags},
		{Method: "GET", Path: "/api/tags/{id}", Handle: s.getTag},
		{Method: "PUT", Path: "/api/tags/{id}", Body: j, Handle: s.updateTag},
		{Method: "POST", Path: "/api/tags", Body: j, Handle: s.createTag},
		{Method: "DELETE", Path: "/api/tags/{id}", Handle: s.deleteTag},

		{Method: "GET", Path: "/api/devicetags", Query: []string{"deviceId", "serialNumber"}, Handle: s.listDeviceTags},
		{Method: "GET", Path: "/api/devicetags/{id}", Handle: s.getDeviceTag},
		{Method: "POST", Path: "/api/devicetags", Body: j, Handle: s.linkDeviceTag},
		{Method: "DELETE", Path: "/api/devicetags/{id}", Handle: s.unlinkDeviceTag},

		{Method: "GET", Path: "/api/usertags", Query: []string{"userId", "email"}, Handle: s.listUserTags},
		{Method: "GET", Path: "/api/usertags/{id}", Handle: s.getUserTag},
		{Method: "POST", Path: "/api/usertags", Body: j, Handle: s.linkUserTag},
		{Method: "DELETE", Path: "/api/usertags/{id}", Handle: s.unlinkUserTag},

		{Method: "GET", Path: "/api/grouptags", Handle: s.listGroupTags},
		{Method: "GET", Path: "/api/grouptags/{id}", Handle: s.getGroupTag},
		{Method: "POST", Path: "/api/grouptags", Body: j, Handle: s.linkGroupTag},
		{Method: "DELETE", Path: "/api/grouptags/{id}", Handle: s.unlinkGroupTag},

		{Method: "GET", Path: "/api/apps", Handle: s.listApps},
		{Method: "GET", Path: "/api/apps/{id}", Handle: s.getApp},
		{Method: "POST", Path: "/api/apps", Body: j, Handle: s.addOrUpdateApp},

		{Method: "POST", Path: "/api/devices/{id}/inventorydevice", Handle: s.command(CommandInventory)},
		{Method: "POST", Path: "/api/devices/{id}/installapp", Body: j, Handle: s.command(CommandInstallApp)},
		{Method: "POST", Path: "/api/devices/{id}/removeapp", Body: j, Handle: s.command(CommandRemoveApp)},
		{Method: "POST", Path: "/api/devices/{id}/lockdevice", Handle: s.command(CommandLock)},
		{Method: "POST", Path: "/api/devices/{id}/wipedevice", Handle: s.command(CommandWipe)},
		{Method: "POST", Path: "/api/devices/{id}/clearpasscode", Handle: s.command(CommandClearPasscode)},
		{Method: "POST", Path: "/api/devices/{id}/sendmessage", Body: j, Handle: s.command(CommandSendMessage)},
	}
}

func badRequest(c *fake.Call, message string) {
	c.Error(http.StatusBadRequest, fake.CodeInvalidBody, message)
}

func notFound(c *fake.Call, what string, id any) {
	c.Error(http.StatusNotFound, "", what+" "+strconv.Quote(toString(id))+" not found.")
}

func conflict(c *fake.Call, message string) {
	c.Error(http.StatusConflict, "", message)
}

func toString(v any) string {
	switch t := v.(type) {
	case int:
		return strconv.Itoa(t)
	case string:
		return t
	}
	return ""
}

// parseID reads an integer id: digits only, at most a 32-bit int.
func parseID(s string) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}

// idVar reads the {id} of the path as an integer, answering 400 when it is not one.
func idVar(c *fake.Call) (int, bool) {
	id, ok := parseID(c.Var("id"))
	if !ok {
		c.Error(http.StatusBadRequest, fake.CodeInvalidParameter, "The id "+strconv.Quote(c.Var("id"))+" is not an integer.")
	}
	return id, ok
}

var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// deviceVar reads the {id} of the path as a device GUID; the caller holds s.mu.
func (s *Server) deviceVar(c *fake.Call) (*duostation.Device, bool) {
	id := c.Var("id")
	if !guidPattern.MatchString(id) {
		c.Error(http.StatusBadRequest, fake.CodeInvalidParameter, "The id "+strconv.Quote(id)+" is not a GUID.")
		return nil, false
	}
	d, ok := s.st.devices[strings.ToLower(id)]
	if !ok {
		notFound(c, "Device", id)
	}
	return d, ok
}

// search reads the request's search parameters: each at most once (the router checks) and
// never empty, the integer ones as integers.
type search struct {
	c    *fake.Call
	ok   bool
	strs map[string]string
	ints map[string]int
}

func newSearch(c *fake.Call, intNames ...string) *search {
	q := &search{c: c, ok: true, strs: map[string]string{}, ints: map[string]int{}}
	for name, vals := range c.Query {
		v := vals[0]
		if strings.TrimSpace(v) == "" {
			c.Error(http.StatusBadRequest, fake.CodeInvalidParameter, "The parameter "+strconv.Quote(name)+" is empty.")
			q.ok = false
			return q
		}
		q.strs[name] = v
	}
	for _, name := range intNames {
		v, set := q.strs[name]
		if !set {
			continue
		}
		n, ok := parseID(v)
		if !ok {
			c.Error(http.StatusBadRequest, fake.CodeInvalidParameter, "The parameter "+strconv.Quote(name)+" is not an integer.")
			q.ok = false
			return q
		}
		q.ints[name] = n
	}
	return q
}

// text reports whether the search has no value for name, or one equal to v ignoring case
// (SQL Server compares without case by default).
func (q *search) text(name, v string) bool {
	want, set := q.strs[name]
	return !set || strings.EqualFold(want, v)
}

// num reports whether the search has no value for name, or one for which match is true.
func (q *search) num(name string, match func(int) bool) bool {
	want, set := q.ints[name]
	return !set || match(want)
}

// decode decodes a JSON object body strictly: the keys of v exactly (case matters), no
// duplicates, no null values (the fields are optional by being absent).
func decode(c *fake.Call, v any) bool {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(c.Body, &top); err == nil {
		for k, raw := range top {
			if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
				badRequest(c, "The field "+strconv.Quote(k)+" is null.")
				return false
			}
		}
	}
	return c.DecodeJSON(v)
}

func blank(p *string) bool { return p == nil || strings.TrimSpace(*p) == "" }

func set(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

package duostationtest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rosterhq/roster/duostation"
)

// Command is one command a device received, in the document's words: Name is the last
// segment of the command's path ("lockdevice", "wipedevice", ...). The other fields hold the
// command's body, where it has one.
type Command struct {
	DeviceID   string
	Name       string
	AppID      int   // installapp
	VPP        *bool // installapp, when sent
	Identifier string
	Message    string
}

// The command names, as the paths spell them.
const (
	CommandInventory     = "inventorydevice"
	CommandInstallApp    = "installapp"
	CommandRemoveApp     = "removeapp"
	CommandLock          = "lockdevice"
	CommandWipe          = "wipedevice"
	CommandClearPasscode = "clearpasscode"
	CommandSendMessage   = "sendmessage"
)

// state is the server's data. Every method must be called with Server.mu held.
type state struct {
	next       map[string]int // last id handed out, per table
	groups     map[int]*duostation.Group
	users      map[int]*duostation.User
	devices    map[string]*duostation.Device // by lower-case GUID
	tags       map[int]*duostation.Tag
	deviceTags map[int]*duostation.DeviceTag
	userTags   map[int]*duostation.UserTag
	groupTags  map[int]*duostation.GroupTag
	apps       map[int]*duostation.App
	commands   []Command
	deviceSeq  int
}

func newState() *state {
	st := &state{
		next:       map[string]int{},
		groups:     map[int]*duostation.Group{},
		users:      map[int]*duostation.User{},
		devices:    map[string]*duostation.Device{},
		tags:       map[int]*duostation.Tag{},
		deviceTags: map[int]*duostation.DeviceTag{},
		userTags:   map[int]*duostation.UserTag{},
		groupTags:  map[int]*duostation.GroupTag{},
		apps:       map[int]*duostation.App{},
	}
	st.groups[st.newID("groups")] = &duostation.Group{ID: CustomersGroupID, Name: "Customers"}
	st.groups[st.newID("groups")] = &duostation.Group{ID: CompanyGroupID, Name: "Company Inc", ParentID: CustomersGroupID}
	st.users[st.newID("users")] = &duostation.User{ID: SeedUserID, Name: "Stefan Johansson", Email: SeedUserEmail, GroupID: CompanyGroupID}
	st.addDevice(duostation.Device{ID: SeedDeviceID, SerialNumber: SeedSerialNumber, UserID: SeedUserID})
	return st
}

func (st *state) newID(table string) int {
	st.next[table]++
	return st.next[table]
}

// addDevice stores d, giving it a GUID when it has none and the group and account name of
// its user.
func (st *state) addDevice(d duostation.Device) duostation.Device {
	if d.ID == "" {
		st.deviceSeq++
		d.ID = fmt.Sprintf("0d5e0000-0000-4000-8000-%012x", st.deviceSeq)
	}
	d.ID = strings.ToLower(d.ID)
	if u, ok := st.users[d.UserID]; ok {
		d.GroupID, d.AccountName = u.GroupID, u.AccountName
	}
	st.devices[d.ID] = &d
	return d
}

// groupPath returns the names from the top down to g.
func (st *state) groupPath(g *duostation.Group) []string {
	var names []string
	for seen := 0; g != nil && seen <= len(st.groups); seen++ {
		names = append(names, g.Name)
		g = st.groups[g.ParentID]
	}
	slices.Reverse(names)
	return names
}

// groupExists reports whether id is a group or the root (0).
func (st *state) groupExists(id int) bool {
	_, ok := st.groups[id]
	return id == 0 || ok
}

func sortedValues[K cmp.Ordered, V any](m map[K]*V) []V {
	out := make([]V, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// userTag returns t with the user's name, as version 4.8.46 answers.
func (st *state) userTag(t duostation.UserTag) duostation.UserTag {
	if u, ok := st.users[t.UserID]; ok {
		t.UserName = u.Name
	}
	return t
}

// deviceTag returns t with the device's serial number, as version 4.8.46 answers.
func (st *state) deviceTag(t duostation.DeviceTag) duostation.DeviceTag {
	if d, ok := st.devices[t.DeviceID]; ok {
		t.SerialNumber = d.SerialNumber
	}
	return t
}

// The accessors below let a test look at or change the server's state without going
// through the API. Each returns copies, in id order.

// Groups returns every group.
func (s *Server) Groups() []duostation.Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedValues(s.st.groups)
}

// Users returns every user.
func (s *Server) Users() []duostation.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedValues(s.st.users)
}

// Devices returns every device, in GUID order.
func (s *Server) Devices() []duostation.Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedValues(s.st.devices)
}

// AddDevice stores d, as an enrolment would, and returns it as stored: a missing GUID is
// made up, and the group and account name follow the device's user.
func (s *Server) AddDevice(d duostation.Device) duostation.Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addDevice(d)
}

// Tags returns every tag.
func (s *Server) Tags() []duostation.Tag {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedValues(s.st.tags)
}

// DeviceTags returns every device tag.
func (s *Server) DeviceTags() []duostation.DeviceTag {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []duostation.DeviceTag
	for _, t := range sortedValues(s.st.deviceTags) {
		out = append(out, s.st.deviceTag(t))
	}
	return out
}

// UserTags returns every user tag.
func (s *Server) UserTags() []duostation.UserTag {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []duostation.UserTag
	for _, t := range sortedValues(s.st.userTags) {
		out = append(out, s.st.userTag(t))
	}
	return out
}

// GroupTags returns every group tag.
func (s *Server) GroupTags() []duostation.GroupTag {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedValues(s.st.groupTags)
}

// Apps returns every app.
func (s *Server) Apps() []duostation.App {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedValues(s.st.apps)
}

// Commands returns the commands the device with the given GUID (any case) received, oldest
// first; an empty id returns every device's commands.
func (s *Server) Commands(deviceID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Command
	for _, c := range s.st.commands {
		if deviceID == "" || strings.EqualFold(c.DeviceID, deviceID) {
			out = append(out, c)
		}
	}
	return out
}

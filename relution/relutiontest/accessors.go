package relutiontest

import (
	"maps"
	"slices"
	"strings"
)

// The accessors below let a test look at or change the server's state
// without going through the API. Each returns copies.

func cloneUser(u *User) User {
	out := *u
	out.CustomProperties = maps.Clone(u.CustomProperties)
	return out
}

// Users returns every user, by login name.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, u := range s.st.sortedUsers(nil) {
		out = append(out, cloneUser(u))
	}
	return out
}

// User returns the user with the given UUID (any case) or login name
// (ignoring case).
func (s *Server) User(uuidOrName string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.st.users[upper(uuidOrName)]; ok {
		return cloneUser(u), true
	}
	if id, ok := s.st.userByName[strings.ToLower(uuidOrName)]; ok {
		return cloneUser(s.st.users[id]), true
	}
	return User{}, false
}

// AddUser stores u, replacing a user with the same UUID, and returns it as
// stored: a missing UUID, organization, version or date is filled in.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UUID == "" {
		u.UUID = s.st.newUUID()
	}
	u.UUID = upper(u.UUID)
	if u.OrganizationUUID == "" {
		u.OrganizationUUID = OrgUUID
	}
	if u.Version == 0 {
		u.Version = 1
	}
	if u.CreatedDate == 0 {
		u.CreatedDate = s.now()
	}
	if u.ModifiedDate == 0 {
		u.ModifiedDate = u.CreatedDate
	}
	stored := cloneUser(&u)
	s.st.putUser(&stored)
	return cloneUser(&stored)
}

// Groups returns every group in creation order.
func (s *Server) Groups() []Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Group
	for _, g := range s.st.groups {
		out = append(out, g.Group)
	}
	return out
}

// GroupMembers returns a group's direct members, or nil for an unknown group.
func (s *Server) GroupMembers(groupUUID string) []Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.st.groupByUUID[upper(groupUUID)]
	if !ok {
		return nil
	}
	out := []Member{}
	for _, m := range g.members {
		name := ""
		if m.typ == "USER" {
			if u, ok := s.st.users[m.uuid]; ok {
				name = u.Name
			}
		} else if sub, ok := s.st.groupByUUID[m.uuid]; ok {
			name = sub.Name
		}
		out = append(out, Member{UUID: m.uuid, Type: m.typ, Name: name})
	}
	return out
}

// UserGroups returns the groups that hold the user directly, by name.
func (s *Server) UserGroups(userUUID string) []GroupRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.groupsOf(upper(userUUID))
}

// DeviceCount returns how many devices there are, synthetic ones included.
func (s *Server) DeviceCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.devices.len()
}

// Device returns the device with the given UUID (any case).
func (s *Server) Device(uuid string) (Device, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.devices.find(uuid)
	if !ok {
		return Device{}, false
	}
	return s.st.devices.at(i), true
}

// Devices returns every device in natural order (seeded, synthetic,
// added). With many synthetic devices this builds them all; prefer
// DeviceCount and Device.
func (s *Server) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Device, s.st.devices.len())
	for i := range out {
		out[i] = s.st.devices.at(i)
	}
	return out
}

// AddDevice stores d after all other devices and returns it as stored: a
// missing UUID or organization is filled in. A device with the UUID of a
// seeded or added device replaces it in place.
func (s *Server) AddDevice(d Device) Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.st.devices
	if d.UUID == "" {
		d.UUID = s.st.newUUID()
	}
	d.UUID = upper(d.UUID)
	if d.OrganizationUUID == "" {
		d.OrganizationUUID = OrgUUID
	}
	st.gen++
	if i, ok := st.byUUID[d.UUID]; ok {
		*st.explicit(i) = d
		return d
	}
	st.added = append(st.added, d)
	st.index()
	return d
}

// DeviceActions returns a device's actions, oldest first.
func (s *Server) DeviceActions(deviceUUID string) []DeviceAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []DeviceAction
	for _, a := range s.st.actions[upper(deviceUUID)] {
		out = append(out, *a)
	}
	return out
}

// SetInstalledApps replaces a device's inventory.
func (s *Server) SetInstalledApps(deviceUUID string, apps []InstalledApp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.inv[upper(deviceUUID)] = slices.Clone(apps)
}

// Apps returns every app in creation order.
func (s *Server) Apps() []App {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []App
	for _, a := range s.st.apps {
		c := *a
		c.Platforms = slices.Clone(a.Platforms)
		c.Categories = slices.Clone(a.Categories)
		c.Versions = slices.Clone(a.Versions)
		c.Icon = slices.Clone(a.Icon)
		c.Permissions = slices.Clone(a.Permissions)
		out = append(out, c)
	}
	return out
}

// ImportJob returns an import job, including the outcome a poll has not
// shown yet.
func (s *Server) ImportJob(uuid string) (ImportJob, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.st.jobs[upper(uuid)]
	if !ok {
		return ImportJob{}, false
	}
	out := *j
	out.Reports = slices.Clone(j.Reports)
	return out, true
}

// ImportJobs returns every import job in the order they were started, so a
// test can find a job whose start reply the client never saw.
func (s *Server) ImportJobs() []ImportJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ImportJob, 0, len(s.st.jobList))
	for _, j := range s.st.jobList {
		c := *j
		c.Reports = slices.Clone(j.Reports)
		out = append(out, c)
	}
	return out
}

// UploadedFile returns an uploaded users file's name and content.
func (s *Server) UploadedFile(uuid string) (name string, data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.files[upper(uuid)]
	if !ok {
		return "", nil, false
	}
	return f.name, slices.Clone(f.data), true
}

// Organizations returns the known organizations, UUID to name: the seeded
// one and those the creation wizard made.
func (s *Server) Organizations() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.st.orgs)
}

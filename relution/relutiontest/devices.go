package relutiontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// deviceCacheSize is how many device query results stay cached. Paging
// through a large fleet repeats one query with growing offsets; the cache
// makes every page after the first a slice of the first page's work.
const deviceCacheSize = 8

// cacheKey identifies what a query selects, leaving out paging.
func (q listQuery) cacheKey(org string) string {
	var b strings.Builder
	var compact bytes.Buffer
	if q.filter != nil && json.Compact(&compact, q.filter) == nil {
		b.Write(compact.Bytes())
	}
	b.WriteString("\x00")
	for _, k := range q.sort {
		fmt.Fprintf(&b, "%s:%t,", k.Name, k.Ascending)
	}
	b.WriteString("\x00")
	b.WriteString(strings.Join(q.searches, "\x01"))
	b.WriteString("\x00")
	b.WriteString(org)
	return b.String()
}

// selectDevices returns the natural indexes of the devices q selects, in
// order. Must be called with s.mu held.
func (st *state) selectDevices(c *call, q listQuery) ([]int32, error) {
	d := &st.devices
	key := q.cacheKey(c.org)
	for i, e := range d.cache {
		if e.key == key && e.gen == d.gen {
			// Move to the front so that the entries in use stay.
			copy(d.cache[1:i+1], d.cache[:i])
			d.cache[0] = e
			return e.refs, nil
		}
	}
	scoped := q
	if c.org != "" {
		org := map[string]json.RawMessage{
			"type":      json.RawMessage(`"string"`),
			"fieldName": json.RawMessage(`"organizationUuid"`),
		}
		org["value"], _ = json.Marshal(c.org)
		orgRaw, _ := json.Marshal(org)
		filters := []json.RawMessage{orgRaw}
		if q.filter != nil {
			filters = append(filters, q.filter)
		}
		all, _ := json.Marshal(map[string]any{"type": "logOp", "operation": "AND", "filters": filters})
		scoped.filter = all
	}
	matches, err := selectItems(d.len(), func(i int) devRef { return devRef{d, int32(i)} }, deviceSchema, scoped)
	if err != nil {
		return nil, err
	}
	refs := make([]int32, len(matches))
	for i, m := range matches {
		refs[i] = m.i
	}
	d.cache = append([]deviceCacheEntry{{key: key, gen: d.gen, refs: refs}}, d.cache...)
	if len(d.cache) > deviceCacheSize {
		d.cache = d.cache[:deviceCacheSize]
	}
	return refs, nil
}

func (s *Server) queryDevices(c *call) {
	q, err := parseQueryBody(c.body)
	if err != nil {
		queryFailed(c, err)
		return
	}
	s.mu.Lock()
	refs, err := s.st.selectDevices(c, q)
	var out []Device
	if err == nil {
		for _, i := range page(refs, q) {
			out = append(out, s.st.devices.at(int(i)))
		}
	}
	s.mu.Unlock()
	if err != nil {
		queryFailed(c, err)
		return
	}
	writeResults(c, http.StatusOK, out, nonpagedCount(len(refs), q))
}

// device finds a device by UUID within the call's scope. Must be called
// with s.mu held.
func (st *state) device(c *call, id string) (Device, bool) {
	i, ok := st.devices.find(id)
	if !ok {
		return Device{}, false
	}
	d := st.devices.at(i)
	return d, c.inOrg(d.OrganizationUUID)
}

var installedAppSchema = &schema[InstalledApp]{
	fields: map[string]field[InstalledApp]{
		"identifier":         strField(func(a InstalledApp) string { return a.Identifier }),
		"name":               strField(func(a InstalledApp) string { return a.Name }),
		"appUuid":            strField(func(a InstalledApp) string { return a.AppUUID }),
		"versionUuid":        strField(func(a InstalledApp) string { return a.VersionUUID }),
		"versionToShow":      strField(func(a InstalledApp) string { return a.VersionToShow }),
		"versionName":        strField(func(a InstalledApp) string { return a.VersionName }),
		"hasUpdateAvailable": boolField(func(a InstalledApp) bool { return a.HasUpdateAvailable }),
		"appSubType":         strField(func(a InstalledApp) string { return a.AppSubType }),
		"applicationSource":  strField(func(a InstalledApp) string { return a.ApplicationSource }),
		"iconUrl":            strField(func(a InstalledApp) string { return a.IconURL }),
	},
	search: []string{"name", "identifier"},
}

// installedApps returns a copy of a device's inventory, or false when the
// device is unknown (and has answered 404).
func (s *Server) installedApps(c *call) ([]InstalledApp, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.device(c, c.v("deviceUuid"))
	if !ok {
		notFound(c, "DEVICE_NOT_FOUND", "Device "+c.v("deviceUuid")+" not found")
		return nil, false
	}
	return append([]InstalledApp(nil), s.st.inv[d.UUID]...), true
}

func (s *Server) queryInstalledApps(c *call) {
	q, err := parseQueryBody(c.body)
	if err != nil {
		queryFailed(c, err)
		return
	}
	apps, ok := s.installedApps(c)
	if !ok {
		return
	}
	respondQuery(c, apps, installedAppSchema, q)
}

func (s *Server) listInstalledApps(c *call) {
	q, err := parseListParams(c.r.URL.Query())
	if err != nil {
		queryFailed(c, err)
		return
	}
	if l, ok := c.r.URL.Query()["locale"]; ok && l[0] == "" {
		badRequest(c, "INVALID_PARAMETER", "locale must not be empty")
		return
	}
	apps, ok := s.installedApps(c)
	if !ok {
		return
	}
	respondPage(c, apps, q)
}

var actionSchema = &schema[DeviceAction]{
	fields: map[string]field[DeviceAction]{
		"uuid":         strField(func(a DeviceAction) string { return a.UUID }),
		"deviceUuid":   strField(func(a DeviceAction) string { return a.DeviceUUID }),
		"state":        strField(func(a DeviceAction) string { return a.State }),
		"type":         strField(func(a DeviceAction) string { return a.Type }),
		"creationDate": dateField(func(a DeviceAction) int64 { return a.CreationDate }),
		"errorCode":    longField(func(a DeviceAction) int64 { return a.ErrorCode }),
	},
}

// deviceActions returns a copy of a device's actions, oldest first, or
// false when the device is unknown (and has answered 404).
func (s *Server) deviceActions(c *call) ([]DeviceAction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.device(c, c.v("deviceUuid"))
	if !ok {
		notFound(c, "DEVICE_NOT_FOUND", "Device "+c.v("deviceUuid")+" not found")
		return nil, false
	}
	var out []DeviceAction
	for _, a := range s.st.actions[d.UUID] {
		out = append(out, *a)
	}
	return out, true
}

func (s *Server) listActions(c *call) {
	q, err := parseListParams(c.r.URL.Query())
	if err != nil {
		queryFailed(c, err)
		return
	}
	actions, ok := s.deviceActions(c)
	if !ok {
		return
	}
	respondQuery(c, actions, actionSchema, q)
}

func (s *Server) getAction(c *call) {
	actions, ok := s.deviceActions(c)
	if !ok {
		return
	}
	for _, a := range actions {
		if strings.EqualFold(a.UUID, c.v("actionUuid")) {
			writeResults(c, http.StatusOK, []DeviceAction{a}, nil)
			return
		}
	}
	notFound(c, "ACTION_NOT_FOUND", "Action "+c.v("actionUuid")+" not found")
}

package relativitytest

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// dateLayout writes dates as Relativity does: no zone, trailing zeros of the fraction
// dropped ("2020-04-29T20:04:24.617", "2021-05-07T13:45:59.61").
const dateLayout = "2006-01-02T15:04:05.999"

func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05.999999999", strings.TrimSuffix(s, "Z"))
	return t, err == nil
}

type docViewer struct {
	AllowDocumentSkipPreferenceChange bool   `json:"AllowDocumentSkipPreferenceChange"`
	AllowDocumentViewerChange         bool   `json:"AllowDocumentViewerChange"`
	AllowKeyboardShortcuts            bool   `json:"AllowKeyboardShortcuts"`
	DefaultSelectedFileType           string `json:"DefaultSelectedFileType"`
	DocumentViewer                    string `json:"DocumentViewer"`
	SkipDefaultPreference             bool   `json:"SkipDefaultPreference"`
}

type user struct {
	id                  int
	allowSettingsChange bool
	clientID            int
	defaultFilter       bool
	viewer              docViewer
	disableOn           *string
	email               string
	emailPref           string
	first, last         string
	pageLength          int
	access              bool
	savedSearchPublic   bool
	trustedIPs          string
	typeID              int
	keywords, notes     string
	createdOn, modOn    time.Time
	createdBy, modBy    int
	deleted             bool
	groups              map[int]bool
	passwordEnabled     bool
	passwords           []string
}

func (u *user) fullName() string { return u.last + ", " + u.first }

type group struct {
	id              int
	name            string
	clientID        int
	keywords, notes string
	members         map[int]bool
}

type client struct {
	id              int
	name, number    string
	statusID        int
	keywords, notes string
}

type named struct {
	id   int
	name string
}

type state struct {
	now      func() time.Time
	lastMod  time.Time
	nextID   int
	users    map[int]*user
	types    []named
	groups   map[int]*group
	clients  map[int]*client
	statuses []named
}

// stamp returns the time of a write: now to the millisecond, and always after the previous
// write, so that two writes never share a LastModifiedOn.
func (st *state) stamp() time.Time {
	t := st.now().UTC().Truncate(time.Millisecond)
	if !t.After(st.lastMod) {
		t = st.lastMod.Add(time.Millisecond)
	}
	st.lastMod = t
	return t
}

func (st *state) newID() int {
	st.nextID++
	return st.nextID
}

func mustDate(s string) time.Time {
	t, ok := parseDate(s)
	if !ok {
		panic("relativitytest: bad seed date " + s)
	}
	return t
}

// newState seeds the doc's sample data. Names the doc does not give (the groups, the email
// of Robin Sidney, the client statuses) are made up.
func newState(now func() time.Time) *state {
	st := &state{
		now:      now,
		nextID:   1040000,
		users:    map[int]*user{},
		groups:   map[int]*group{},
		clients:  map[int]*client{},
		types:    []named{{InternalTypeID, "Internal"}, {ExternalTypeID, "External"}},
		statuses: []named{{671, "Active"}, {670, "Inactive"}},
	}
	st.clients[ClientID] = &client{id: ClientID, name: "Relativity", number: "1", statusID: 671}
	viewer := docViewer{AllowDocumentSkipPreferenceChange: true, AllowKeyboardShortcuts: true,
		DefaultSelectedFileType: "Viewer", DocumentViewer: "Default", SkipDefaultPreference: true}
	// The calling user: the doc's settings and workspace "me" samples.
	st.users[CurrentUserID] = &user{id: CurrentUserID, allowSettingsChange: true, clientID: ClientID,
		defaultFilter: true, viewer: docViewer{DefaultSelectedFileType: "Default", DocumentViewer: "Default"},
		email: "rob.allen@example.com", emailPref: "All", first: "Rob", last: "Allen", pageLength: 25,
		access: true, typeID: InternalTypeID,
		createdOn: mustDate("2007-01-01T00:00:00"), modOn: mustDate("2007-01-01T00:00:00"),
		createdBy: CurrentUserID, modBy: CurrentUserID}
	st.users[SidneyID] = &user{id: SidneyID, allowSettingsChange: true, clientID: ClientID,
		defaultFilter: true, viewer: viewer, email: "robin.sidney@example.com", emailPref: "Default",
		first: "Robin", last: "Sidney", pageLength: 50, access: true, typeID: InternalTypeID,
		createdOn: mustDate("2020-04-29T20:04:24.617"), modOn: mustDate("2020-04-29T20:04:24.617"),
		createdBy: CurrentUserID, modBy: CurrentUserID}
	// The doc's read sample.
	st.users[SampleUserID] = &user{id: SampleUserID, allowSettingsChange: true, clientID: ClientID,
		defaultFilter: true, viewer: docViewer{AllowKeyboardShortcuts: true, AllowDocumentSkipPreferenceChange: true,
			DefaultSelectedFileType: "Viewer", DocumentViewer: "Default", SkipDefaultPreference: true},
		email: "test@t.com", emailPref: "All", first: "1", last: "1", pageLength: 25, access: true,
		typeID:    ExternalTypeID,
		createdOn: mustDate("2021-05-07T13:45:59.61"), modOn: mustDate("2021-05-07T13:45:59.61"),
		createdBy: CurrentUserID, modBy: CurrentUserID}
	for _, u := range st.users {
		u.groups = map[int]bool{}
		if u.modOn.After(st.lastMod) {
			st.lastMod = u.modOn
		}
	}
	// The six groups of the doc's query-eligible-groups sample, named so that the sample's
	// order is their order by name.
	for _, g := range []named{
		{1015025, "Everyone"}, {1015028, "Level 1"}, {1015029, "Level 2"},
		{1015030, "Level 3"}, {1015026, "System Administrators"}, {1015027, "Workspace Admins"},
	} {
		st.groups[g.id] = &group{id: g.id, name: g.name, clientID: ClientID, members: map[int]bool{}}
	}
	return st
}

// liveUsers returns the users not deleted, by Artifact ID.
func (st *state) liveUsers(withDeleted bool) []*user {
	var out []*user
	for _, u := range st.users {
		if !u.deleted || withDeleted {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *user) int { return cmp.Compare(a.id, b.id) })
	return out
}

func (st *state) typeName(id int) string {
	for _, t := range st.types {
		if t.id == id {
			return t.name
		}
	}
	return ""
}

func (st *state) userName(id int) string {
	if u, ok := st.users[id]; ok {
		return u.fullName()
	}
	return ""
}

package relativitytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// Wire types of the fake, written from the doc's samples independently of package
// relativity, so that a client bug cannot hide behind a shared struct.

type idRef struct {
	ArtifactID *int `json:"ArtifactID"`
}

type securedRef struct {
	Secured *bool  `json:"Secured"`
	Value   *idRef `json:"Value"`
}

type userRequest struct {
	AllowSettingsChange         *bool           `json:"AllowSettingsChange"`
	Client                      *securedRef     `json:"Client"`
	DefaultFilterVisibility     *bool           `json:"DefaultFilterVisibility"`
	DocumentViewerProperties    *docViewer      `json:"DocumentViewerProperties"`
	DisableOnDate               json.RawMessage `json:"DisableOnDate"`
	EmailAddress                *string         `json:"EmailAddress"`
	EmailPreference             *string         `json:"EmailPreference"`
	FirstName                   *string         `json:"FirstName"`
	ItemListPageLength          *int            `json:"ItemListPageLength"`
	LastName                    *string         `json:"LastName"`
	RelativityAccess            *bool           `json:"RelativityAccess"`
	SavedSearchDefaultsToPublic *bool           `json:"SavedSearchDefaultsToPublic"`
	TrustedIPs                  *string         `json:"TrustedIPs"`
	Type                        *idRef          `json:"Type"`
	Keywords                    *string         `json:"Keywords"`
	Notes                       *string         `json:"Notes"`
	LastModifiedOn              *string         `json:"LastModifiedOn"`
}

type userBody struct {
	UserRequest *userRequest `json:"UserRequest"`
}

type ref struct {
	Name       string   `json:"Name"`
	ArtifactID int      `json:"ArtifactID"`
	Guids      []string `json:"Guids"`
}

type securedObject struct {
	Secured bool `json:"Secured"`
	Value   ref  `json:"Value"`
}

type meta struct {
	Unsupported []string `json:"Unsupported"`
	ReadOnly    []string `json:"ReadOnly"`
}

type action struct {
	Name        string   `json:"Name"`
	Href        string   `json:"Href"`
	Verb        string   `json:"Verb"`
	IsAvailable bool     `json:"IsAvailable"`
	Reason      []string `json:"Reason"`
}

type userResponse struct {
	AllowSettingsChange         bool          `json:"AllowSettingsChange"`
	Client                      securedObject `json:"Client"`
	DefaultFilterVisibility     bool          `json:"DefaultFilterVisibility"`
	DocumentViewerProperties    docViewer     `json:"DocumentViewerProperties"`
	DisableOnDate               *string       `json:"DisableOnDate,omitempty"`
	EmailAddress                string        `json:"EmailAddress"`
	EmailPreference             string        `json:"EmailPreference"`
	FirstName                   string        `json:"FirstName"`
	ItemListPageLength          int           `json:"ItemListPageLength"`
	LastName                    string        `json:"LastName"`
	RelativityAccess            bool          `json:"RelativityAccess"`
	SavedSearchDefaultsToPublic bool          `json:"SavedSearchDefaultsToPublic"`
	TrustedIPs                  string        `json:"TrustedIPs"`
	Type                        ref           `json:"Type"`
	Keywords                    string        `json:"Keywords"`
	Notes                       string        `json:"Notes"`
	CreatedOn                   string        `json:"CreatedOn"`
	CreatedBy                   ref           `json:"CreatedBy"`
	LastModifiedBy              ref           `json:"LastModifiedBy"`
	LastModifiedOn              string        `json:"LastModifiedOn"`
	Meta                        *meta         `json:"Meta,omitempty"`
	Actions                     []action      `json:"Actions"`
	ArtifactID                  int           `json:"ArtifactID"`
	Guids                       []string      `json:"Guids"`
}

var (
	emailPrefs = []string{"Default", "All", "ErrorOnly", "None"}
	viewers    = []string{"Default", "HTML", "ActiveX", "RelativityReview"}
	fileTypes  = []string{"Default", "Viewer", "Image", "LongText", "Native", "Production"}
)

func (s *Server) userReply(u *user, c *fake.Call) userResponse {
	st := s.st
	out := userResponse{
		AllowSettingsChange: u.allowSettingsChange,
		Client: securedObject{Value: ref{Name: st.clients[u.clientID].nameOr(), ArtifactID: u.clientID,
			Guids: []string{}}},
		DefaultFilterVisibility:     u.defaultFilter,
		DocumentViewerProperties:    u.viewer,
		DisableOnDate:               u.disableOn,
		EmailAddress:                u.email,
		EmailPreference:             u.emailPref,
		FirstName:                   u.first,
		ItemListPageLength:          u.pageLength,
		LastName:                    u.last,
		RelativityAccess:            u.access,
		SavedSearchDefaultsToPublic: u.savedSearchPublic,
		TrustedIPs:                  u.trustedIPs,
		Type:                        ref{Name: st.typeName(u.typeID), ArtifactID: u.typeID, Guids: []string{}},
		Keywords:                    u.keywords,
		Notes:                       u.notes,
		CreatedOn:                   formatDate(u.createdOn),
		CreatedBy:                   ref{Name: st.userName(u.createdBy), ArtifactID: u.createdBy, Guids: []string{}},
		LastModifiedBy:              ref{Name: st.userName(u.modBy), ArtifactID: u.modBy, Guids: []string{}},
		LastModifiedOn:              formatDate(u.modOn),
		Actions:                     []action{},
		ArtifactID:                  u.id,
		Guids:                       []string{},
	}
	if c != nil && queryBool(c, "includeMetadata") {
		out.Meta = &meta{Unsupported: []string{}, ReadOnly: []string{}}
	}
	if c != nil && queryBool(c, "includeActions") {
		href := "Relativity.Users/workspace/-1/users/" + strconv.Itoa(u.id)
		out.Actions = []action{
			{Name: "Delete", Href: href, Verb: "DELETE", IsAvailable: u.id != CurrentUserID, Reason: []string{}},
			{Name: "Update", Href: href, Verb: "PUT", IsAvailable: true, Reason: []string{}},
		}
	}
	return out
}

func (c *client) nameOr() string {
	if c == nil {
		return ""
	}
	return c.name
}

// apply checks req and writes it to u. It returns the refusal, or nil.
func (s *Server) apply(u *user, req *userRequest) *refusal {
	st := s.st
	switch {
	case req.EmailAddress == nil || strings.TrimSpace(*req.EmailAddress) == "":
		return invalidf("EmailAddress is required.")
	case req.FirstName == nil || strings.TrimSpace(*req.FirstName) == "":
		return invalidf("FirstName is required.")
	case req.LastName == nil || strings.TrimSpace(*req.LastName) == "":
		return invalidf("LastName is required.")
	case req.Type == nil || req.Type.ArtifactID == nil:
		return invalidf("Type is required.")
	case req.Client == nil || req.Client.Value == nil || req.Client.Value.ArtifactID == nil:
		return invalidf("Client is required.")
	}
	if st.typeName(*req.Type.ArtifactID) == "" {
		return invalidf("Type " + strconv.Itoa(*req.Type.ArtifactID) + " is not an available user type.")
	}
	if _, ok := st.clients[*req.Client.Value.ArtifactID]; !ok {
		return invalidf("Client " + strconv.Itoa(*req.Client.Value.ArtifactID) + " does not exist.")
	}
	if req.EmailPreference != nil && !slices.Contains(emailPrefs, *req.EmailPreference) {
		return invalidf("EmailPreference '" + *req.EmailPreference + "' is not valid.")
	}
	if v := req.DocumentViewerProperties; v != nil {
		if !slices.Contains(viewers, v.DocumentViewer) {
			return invalidf("DocumentViewer '" + v.DocumentViewer + "' is not valid.")
		}
		if !slices.Contains(fileTypes, v.DefaultSelectedFileType) {
			return invalidf("DefaultSelectedFileType '" + v.DefaultSelectedFileType + "' is not valid.")
		}
	}
	if req.ItemListPageLength != nil && *req.ItemListPageLength < 1 {
		return invalidf("ItemListPageLength must be positive.")
	}
	var disable *string
	if len(req.DisableOnDate) > 0 && string(req.DisableOnDate) != "null" {
		var d string
		if json.Unmarshal(req.DisableOnDate, &d) != nil {
			return invalidf("DisableOnDate must be a date or null.")
		}
		if _, ok := parseDate(d); !ok {
			return invalidf("DisableOnDate '" + d + "' is not a date.")
		}
		disable = &d
	}
	for id, o := range st.users {
		if id != u.id && !o.deleted && strings.EqualFold(o.email, *req.EmailAddress) {
			return &refusal{http.StatusConflict, conflictType, "A user with the email address '" + *req.EmailAddress + "' already exists."}
		}
	}
	u.email, u.first, u.last = *req.EmailAddress, *req.FirstName, *req.LastName
	u.typeID, u.clientID = *req.Type.ArtifactID, *req.Client.Value.ArtifactID
	u.disableOn = disable
	setBool := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	setStr := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setBool(&u.allowSettingsChange, req.AllowSettingsChange)
	setBool(&u.defaultFilter, req.DefaultFilterVisibility)
	setBool(&u.access, req.RelativityAccess)
	setBool(&u.savedSearchPublic, req.SavedSearchDefaultsToPublic)
	setStr(&u.emailPref, req.EmailPreference)
	setStr(&u.trustedIPs, req.TrustedIPs)
	setStr(&u.keywords, req.Keywords)
	setStr(&u.notes, req.Notes)
	if req.DocumentViewerProperties != nil {
		u.viewer = *req.DocumentViewerProperties
	}
	if req.ItemListPageLength != nil {
		u.pageLength = *req.ItemListPageLength
	}
	return nil
}

// refusal is an error reply a check decided on.
type refusal struct {
	status    int
	errorType string
	message   string
}

// invalidf is a 400 ValidationException.
func invalidf(message string) *refusal {
	return &refusal{http.StatusBadRequest, validationType, message}
}

// fail answers a refusal.
func fail(w http.ResponseWriter, r *refusal) { writeError(w, nil, r.status, r.errorType, r.message) }

func (s *Server) createUser(c *fake.Call) {
	w := c.W
	var body userBody
	if !c.DecodeJSON(&body) {
		return
	}
	if body.UserRequest == nil {
		badRequest(w, "UserRequest is required.")
		return
	}
	if body.UserRequest.LastModifiedOn != nil {
		badRequest(w, "LastModifiedOn cannot be set on a new user.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := newUser()
	if bad := s.apply(u, body.UserRequest); bad != nil {
		fail(w, bad)
		return
	}
	s.st.insertUser(u)
	fake.WriteJSON(w, http.StatusCreated, s.userReply(u, nil))
}

// lookupUser returns the live user of the path's userID, or answers 404.
func (s *Server) lookupUser(w http.ResponseWriter, userID string) *user {
	id, err := strconv.Atoi(userID)
	if err != nil {
		badRequest(w, "userID '"+userID+"' is not an integer.")
		return nil
	}
	u, ok := s.st.users[id]
	if !ok || u.deleted {
		writeError(w, nil, http.StatusNotFound, notFoundType, "User with ArtifactID "+userID+" not found.")
		return nil
	}
	return u
}

func (s *Server) getUser(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.lookupUser(w, c.Var("userID")); u != nil {
		fake.WriteJSON(w, http.StatusOK, s.userReply(u, c))
	}
}

// staleMessage is the fake's text for a stale LastModifiedOn (made up: no source shows the
// server's).
const staleMessage = "The object has been modified since it was last read. Refresh it and try again."

// checkStale compares a request's LastModifiedOn with the stored one: the instants must be
// equal (59.61 and 59.610 are). It returns false after answering the mismatch.
func checkStale(w http.ResponseWriter, sent *string, stored string) bool {
	if sent == nil {
		return true
	}
	got, ok := parseDate(*sent)
	if !ok {
		badRequest(w, "LastModifiedOn '"+*sent+"' is not a date.")
		return false
	}
	want, _ := parseDate(stored)
	if !got.Equal(want) {
		writeError(w, nil, http.StatusConflict, concurrencyType, staleMessage)
		return false
	}
	return true
}

func (s *Server) putUser(c *fake.Call) {
	w := c.W
	var body userBody
	if !c.DecodeJSON(&body) {
		return
	}
	if body.UserRequest == nil {
		badRequest(w, "UserRequest is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.lookupUser(w, c.Var("userID"))
	if u == nil {
		return
	}
	if !checkStale(w, body.UserRequest.LastModifiedOn, formatDate(u.modOn)) {
		return
	}
	next := *u
	if bad := s.apply(&next, body.UserRequest); bad != nil {
		fail(w, bad)
		return
	}
	next.modOn = s.st.stamp()
	next.modBy = CurrentUserID
	*u = next
	fake.WriteJSON(w, http.StatusOK, s.userReply(u, nil))
}

func (s *Server) deleteUser(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.lookupUser(w, c.Var("userID"))
	if u == nil {
		return
	}
	if u.id == CurrentUserID {
		badRequest(w, "You cannot delete yourself.")
		return
	}
	u.deleted = true
	for gid := range u.groups {
		delete(s.st.groups[gid].members, u.id)
	}
	u.groups = map[int]bool{}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) availableTypes(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []ref{}
	for _, t := range s.st.types {
		out = append(out, ref{Name: t.name, ArtifactID: t.id, Guids: []string{}})
	}
	fake.WriteJSON(w, http.StatusOK, out)
}

type settingsRequest struct {
	DefaultFilterVisibility     *bool   `json:"DefaultFilterVisibility"`
	DefaultSelectedFileType     *string `json:"DefaultSelectedFileType"`
	EmailAddress                *string `json:"EmailAddress"`
	EmailPreference             *string `json:"EmailPreference"`
	FirstName                   *string `json:"FirstName"`
	ItemListPageLength          *int    `json:"ItemListPageLength"`
	LastName                    *string `json:"LastName"`
	SavedSearchDefaultsToPublic *bool   `json:"SavedSearchDefaultsToPublic"`
	SkipDefaultPreference       *bool   `json:"SkipDefaultPreference"`
	LastModifiedOn              *string `json:"LastModifiedOn"`
}

type settingsReply struct {
	Actions                     []action `json:"Actions"`
	DefaultFilterVisibility     bool     `json:"DefaultFilterVisibility"`
	DefaultSelectedFileType     string   `json:"DefaultSelectedFileType"`
	EmailAddress                string   `json:"EmailAddress"`
	EmailPreference             string   `json:"EmailPreference"`
	FirstName                   string   `json:"FirstName"`
	ItemListPageLength          int      `json:"ItemListPageLength"`
	LastName                    string   `json:"LastName"`
	Meta                        *meta    `json:"Meta,omitempty"`
	SavedSearchDefaultsToPublic bool     `json:"SavedSearchDefaultsToPublic"`
	SkipDefaultPreference       bool     `json:"SkipDefaultPreference"`
}

func (s *Server) settingsOf(u *user, c *fake.Call) settingsReply {
	out := settingsReply{
		Actions:                     []action{},
		DefaultFilterVisibility:     u.defaultFilter,
		DefaultSelectedFileType:     u.viewer.DefaultSelectedFileType,
		EmailAddress:                u.email,
		EmailPreference:             u.emailPref,
		FirstName:                   u.first,
		ItemListPageLength:          u.pageLength,
		LastName:                    u.last,
		SavedSearchDefaultsToPublic: u.savedSearchPublic,
		SkipDefaultPreference:       u.viewer.SkipDefaultPreference,
	}
	if c != nil && queryBool(c, "includeMetadata") {
		out.Meta = &meta{Unsupported: []string{}, ReadOnly: []string{"Client", "Email Address"}}
	}
	return out
}

func (s *Server) getSettings(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	fake.WriteJSON(w, http.StatusOK, s.settingsOf(s.st.users[CurrentUserID], c))
}

func (s *Server) putSettings(c *fake.Call) {
	w := c.W
	var body struct {
		UserSettingRequest *settingsRequest `json:"UserSettingRequest"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	q := body.UserSettingRequest
	if q == nil || q.DefaultFilterVisibility == nil || q.DefaultSelectedFileType == nil || q.EmailAddress == nil ||
		q.EmailPreference == nil || q.FirstName == nil || q.ItemListPageLength == nil || q.LastName == nil ||
		q.SavedSearchDefaultsToPublic == nil || q.SkipDefaultPreference == nil {
		badRequest(w, "UserSettingRequest must carry every setting.")
		return
	}
	if !slices.Contains(fileTypes, *q.DefaultSelectedFileType) || !slices.Contains(emailPrefs, *q.EmailPreference) {
		badRequest(w, "DefaultSelectedFileType or EmailPreference is not valid.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[CurrentUserID]
	if !checkStale(w, q.LastModifiedOn, formatDate(u.modOn)) {
		return
	}
	if *q.EmailAddress != u.email {
		badRequest(w, "Email Address is read-only.")
		return
	}
	u.defaultFilter = *q.DefaultFilterVisibility
	u.viewer.DefaultSelectedFileType = *q.DefaultSelectedFileType
	u.emailPref = *q.EmailPreference
	u.first, u.last = *q.FirstName, *q.LastName
	u.pageLength = *q.ItemListPageLength
	u.savedSearchPublic = *q.SavedSearchDefaultsToPublic
	u.viewer.SkipDefaultPreference = *q.SkipDefaultPreference
	u.modOn = s.st.stamp()
	u.modBy = CurrentUserID
	fake.WriteJSON(w, http.StatusOK, s.settingsOf(u, nil))
}

// newUser returns a user with the server's defaults for fields a create may leave out.
func newUser() *user {
	return &user{emailPref: "Default", viewer: docViewer{DefaultSelectedFileType: "Default", DocumentViewer: "Default"},
		pageLength: 50, groups: map[int]bool{}}
}

// insertUser stores a new user, created by the calling user now.
func (st *state) insertUser(u *user) {
	u.id = st.newID()
	u.createdOn = st.stamp()
	u.modOn = u.createdOn
	u.createdBy, u.modBy = CurrentUserID, CurrentUserID
	st.users[u.id] = u
}

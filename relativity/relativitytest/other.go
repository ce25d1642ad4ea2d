package relativitytest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// Groups, clients, login profiles and the legacy services: the shapes of Relativity's REST
// test client (relativitydev/relativity.testing.framework.api); the replies are made up
// from its DTOs where no sample exists.

type groupRequest struct {
	Name     *string     `json:"Name"`
	Client   *securedRef `json:"Client"`
	Keywords *string     `json:"Keywords"`
	Notes    *string     `json:"Notes"`
}

func (s *Server) groupReply(g *group, c *fake.Call) map[string]any {
	out := map[string]any{
		"ArtifactID": g.id, "Name": g.name, "Guids": []string{},
		"Client":   securedObject{Value: ref{Name: s.st.clients[g.clientID].nameOr(), ArtifactID: g.clientID, Guids: []string{}}},
		"Type":     "SystemGroup",
		"Keywords": g.keywords, "Notes": g.notes, "Actions": []action{},
	}
	if c != nil && queryBool(c, "includeMetadata") {
		out["Meta"] = meta{Unsupported: []string{}, ReadOnly: []string{}}
	}
	return out
}

func (s *Server) applyGroup(w http.ResponseWriter, g *group, req *groupRequest) bool {
	if req == nil || req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		badRequest(w, "Name is required.")
		return false
	}
	if req.Client == nil || req.Client.Value == nil || req.Client.Value.ArtifactID == nil {
		badRequest(w, "Client is required.")
		return false
	}
	if _, ok := s.st.clients[*req.Client.Value.ArtifactID]; !ok {
		badRequest(w, "Client "+strconv.Itoa(*req.Client.Value.ArtifactID)+" does not exist.")
		return false
	}
	for _, o := range s.st.groups {
		if o.id != g.id && strings.EqualFold(o.name, *req.Name) {
			writeError(w, nil, http.StatusConflict, conflictType, "A group named '"+*req.Name+"' already exists.")
			return false
		}
	}
	g.name, g.clientID = *req.Name, *req.Client.Value.ArtifactID
	if req.Keywords != nil {
		g.keywords = *req.Keywords
	}
	if req.Notes != nil {
		g.notes = *req.Notes
	}
	return true
}

func (s *Server) createGroup(c *fake.Call) {
	w := c.W
	var body struct {
		GroupRequest *groupRequest `json:"GroupRequest"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &group{members: map[int]bool{}}
	if !s.applyGroup(w, g, body.GroupRequest) {
		return
	}
	g.id = s.st.newID()
	s.st.groups[g.id] = g
	fake.WriteJSON(w, http.StatusCreated, s.groupReply(g, nil))
}

func (s *Server) lookupGroup(w http.ResponseWriter, groupID string) *group {
	id, err := strconv.Atoi(groupID)
	if err != nil {
		badRequest(w, "groupID '"+groupID+"' is not an integer.")
		return nil
	}
	g, ok := s.st.groups[id]
	if !ok {
		writeError(w, nil, http.StatusNotFound, notFoundType, "Group with ArtifactID "+groupID+" not found.")
		return nil
	}
	return g
}

func (s *Server) getGroup(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.lookupGroup(w, c.Var("groupID")); g != nil {
		fake.WriteJSON(w, http.StatusOK, s.groupReply(g, c))
	}
}

func (s *Server) putGroup(c *fake.Call) {
	w := c.W
	var body struct {
		GroupRequest *groupRequest `json:"GroupRequest"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.lookupGroup(w, c.Var("groupID"))
	if g == nil {
		return
	}
	next := *g
	if !s.applyGroup(w, &next, body.GroupRequest) {
		return
	}
	*g = next
	fake.WriteJSON(w, http.StatusOK, s.groupReply(g, nil))
}

func (s *Server) deleteGroup(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.lookupGroup(w, c.Var("groupID"))
	if g == nil {
		return
	}
	for uid := range g.members {
		delete(s.st.users[uid].groups, g.id)
	}
	delete(s.st.groups, g.id)
	w.WriteHeader(http.StatusOK)
}

func (s *Server) members(c *fake.Call, add bool) {
	w := c.W
	var body struct {
		Users []idRef `json:"users"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if len(body.Users) == 0 {
		badRequest(w, "users is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.lookupGroup(w, c.Var("groupID"))
	if g == nil {
		return
	}
	var users []*user
	for _, ref := range body.Users {
		if ref.ArtifactID == nil {
			badRequest(w, "Each user needs an ArtifactID.")
			return
		}
		u, ok := s.st.users[*ref.ArtifactID]
		if !ok || u.deleted {
			writeError(w, nil, http.StatusNotFound, notFoundType, "User with ArtifactID "+strconv.Itoa(*ref.ArtifactID)+" not found.")
			return
		}
		users = append(users, u)
	}
	for _, u := range users {
		if add {
			g.members[u.id], u.groups[g.id] = true, true
		} else {
			delete(g.members, u.id)
			delete(u.groups, g.id)
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) addMembers(c *fake.Call) {
	s.members(c, true)
}

func (s *Server) removeMembers(c *fake.Call) {
	s.members(c, false)
}

func (s *Server) groupsByUser(c *fake.Call) {
	w := c.W
	var body struct {
		Request *struct {
			Condition *string     `json:"Condition"`
			Fields    []fieldSpec `json:"Fields"`
		} `json:"Request"`
		Start  *int `json:"Start"`
		Length *int `json:"Length"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if body.Request == nil || body.Start == nil || body.Length == nil || *body.Start < 0 || *body.Length < 1 {
		badRequest(w, "Request, Start and Length are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.lookupUser(w, c.Var("userID"))
	if u == nil {
		return
	}
	var groups []*group
	for gid := range u.groups {
		groups = append(groups, s.st.groups[gid])
	}
	s.queryGroups(w, groups, body.Request.Condition, nil, body.Request.Fields, *body.Start, *body.Length)
}

type clientRequest struct {
	Name     *string `json:"Name"`
	Number   *string `json:"Number"`
	Status   *idRef  `json:"Status"`
	Keywords *string `json:"Keywords"`
	Notes    *string `json:"Notes"`
}

func (s *Server) clientReply(c *client) map[string]any {
	name := ""
	for _, st := range s.st.statuses {
		if st.id == c.statusID {
			name = st.name
		}
	}
	return map[string]any{
		"ArtifactID": c.id, "Name": c.name, "Number": c.number, "Guids": []string{},
		"Status":   ref{Name: name, ArtifactID: c.statusID, Guids: []string{}},
		"Keywords": c.keywords, "Notes": c.notes,
	}
}

func (s *Server) applyClient(w http.ResponseWriter, c *client, req *clientRequest) bool {
	if req == nil || req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		badRequest(w, "Name is required.")
		return false
	}
	if req.Status == nil || req.Status.ArtifactID == nil ||
		!slices.ContainsFunc(s.st.statuses, func(n named) bool { return n.id == *req.Status.ArtifactID }) {
		badRequest(w, "Status must be an eligible client status.")
		return false
	}
	c.name, c.statusID = *req.Name, *req.Status.ArtifactID
	if req.Number != nil {
		c.number = *req.Number
	}
	if req.Keywords != nil {
		c.keywords = *req.Keywords
	}
	if req.Notes != nil {
		c.notes = *req.Notes
	}
	return true
}

func (s *Server) createClient(c *fake.Call) {
	w := c.W
	var body struct {
		ClientRequest *clientRequest `json:"ClientRequest"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cl := &client{}
	if !s.applyClient(w, cl, body.ClientRequest) {
		return
	}
	cl.id = s.st.newID()
	s.st.clients[cl.id] = cl
	fake.WriteJSON(w, http.StatusCreated, s.clientReply(cl))
}

func (s *Server) lookupClient(w http.ResponseWriter, clientID string) *client {
	id, err := strconv.Atoi(clientID)
	if err != nil {
		badRequest(w, "clientID '"+clientID+"' is not an integer.")
		return nil
	}
	c, ok := s.st.clients[id]
	if !ok {
		writeError(w, nil, http.StatusNotFound, notFoundType, "Client with ArtifactID "+clientID+" not found.")
		return nil
	}
	return c
}

func (s *Server) getClient(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	if cl := s.lookupClient(w, c.Var("clientID")); c != nil {
		fake.WriteJSON(w, http.StatusOK, s.clientReply(cl))
	}
}

func (s *Server) putClient(c *fake.Call) {
	w := c.W
	var body struct {
		ClientRequest *clientRequest `json:"ClientRequest"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cl := s.lookupClient(w, c.Var("clientID"))
	if cl == nil {
		return
	}
	next := *cl
	if !s.applyClient(w, &next, body.ClientRequest) {
		return
	}
	*cl = next
	fake.WriteJSON(w, http.StatusOK, s.clientReply(cl))
}

func (s *Server) deleteClient(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	cl := s.lookupClient(w, c.Var("clientID"))
	if cl == nil {
		return
	}
	for _, u := range s.st.users {
		if !u.deleted && u.clientID == cl.id {
			writeError(w, nil, http.StatusConflict, conflictType, "The client has users and cannot be deleted.")
			return
		}
	}
	delete(s.st.clients, cl.id)
	w.WriteHeader(http.StatusOK)
}

func (s *Server) clientStatuses(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, st := range s.st.statuses {
		out = append(out, map[string]any{"ArtifactID": st.id, "Name": st.name})
	}
	fake.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) saveLoginProfile(c *fake.Call) {
	w := c.W
	var body struct {
		Profile *struct {
			UserID   *int `json:"userId"`
			Password *struct {
				IsEnabled                    *bool `json:"IsEnabled"`
				MustResetPasswordOnNextLogin *bool `json:"MustResetPasswordOnNextLogin"`
			} `json:"Password"`
		} `json:"Profile"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	pr := body.Profile
	if pr == nil || pr.UserID == nil || pr.Password == nil || pr.Password.IsEnabled == nil {
		badRequest(w, "Profile with userId and Password is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.lookupUser(w, strconv.Itoa(*pr.UserID))
	if u == nil {
		return
	}
	u.passwordEnabled = *pr.Password.IsEnabled
	w.WriteHeader(http.StatusOK)
}

func (s *Server) setPassword(c *fake.Call) {
	w := c.W
	var body struct {
		UserID   *int    `json:"UserId"`
		Password *string `json:"Password"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if body.UserID == nil || body.Password == nil || *body.Password == "" {
		badRequest(w, "UserId and Password are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.lookupUser(w, strconv.Itoa(*body.UserID))
	if u == nil {
		return
	}
	if !u.passwordEnabled {
		badRequest(w, "Password login is not enabled for this user.")
		return
	}
	if slices.Contains(u.passwords, *body.Password) {
		badRequest(w, "Cannot reuse a previous password.")
		return
	}
	u.passwords = append(u.passwords, *body.Password)
	w.WriteHeader(http.StatusOK)
}

type legacyUser struct {
	ArtifactID int    `json:"ArtifactID"`
	FirstName  string `json:"FirstName"`
	LastName   string `json:"LastName"`
	FullName   string `json:"FullName"`
	Email      string `json:"Email"`
}

func legacy(u *user) legacyUser {
	return legacyUser{ArtifactID: u.id, FirstName: u.first, LastName: u.last, FullName: u.fullName(), Email: u.email}
}

func (s *Server) retrieveUsersBy(c *fake.Call) {
	w := c.W
	var body struct {
		Start  *int `json:"start"`
		Length *int `json:"length"`
		Query  *struct {
			Condition *string `json:"Condition"`
		} `json:"query"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if body.Start == nil || body.Length == nil || body.Query == nil || *body.Start < 1 || *body.Length < 1 {
		badRequest(w, "start (from 1), length and query are required.")
		return
	}
	cond := ""
	if body.Query.Condition != nil {
		cond = *body.Query.Condition
	}
	match, err := parseCondition(cond, userFields)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []*user
	for _, u := range s.st.liveUsers(false) {
		if match(s.userField(u)) {
			hits = append(hits, u)
		}
	}
	out := []legacyUser{}
	for _, u := range window(hits, *body.Start-1, *body.Length) {
		out = append(out, legacy(u))
	}
	fake.WriteJSON(w, http.StatusOK, map[string]any{
		"DataResults": out, "ResultCount": len(out), "TotalResultCount": len(hits), "CurrentStartIndex": *body.Start,
	})
}

func (s *Server) retrieveAll(c *fake.Call) {
	w := c.W
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []legacyUser{}
	for _, u := range s.st.liveUsers(false) {
		out = append(out, legacy(u))
	}
	fake.WriteJSON(w, http.StatusOK, out)
}

package relativitytest

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// workspace checks the path's workspace: the fake has only the admin context, -1.
func workspace(w http.ResponseWriter, workspaceID string) bool {
	if workspaceID != strconv.Itoa(AdminWorkspace) {
		if _, err := strconv.Atoi(workspaceID); err != nil {
			badRequest(w, "workspaceID '"+workspaceID+"' is not an integer.")
			return false
		}
		writeError(w, nil, http.StatusNotFound, notFoundType, "Workspace "+workspaceID+" not found.")
		return false
	}
	return true
}

func (s *Server) workspaceMe(c *fake.Call) {
	w := c.W
	if !workspace(w, c.Var("workspaceID")) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[CurrentUserID]
	fake.WriteJSON(w, http.StatusOK, map[string]any{
		"FirstName": u.first, "LastName": u.last, "ItemListPageLength": u.pageLength,
		"ShowFilters": u.defaultFilter, "CreatedOn": formatDate(u.createdOn),
		"AclUserID": u.id, "ArtifactID": u.id, "Name": u.fullName(),
	})
}

type listUser struct {
	ArtifactID int    `json:"ArtifactID"`
	Name       string `json:"Name"`
}

type userList struct {
	LoggedInUserID int        `json:"LoggedInUserID"`
	ActiveUsers    []listUser `json:"ActiveUsers"`
}

// list answers users in the doc's shape, by name (the doc's all-users order) or by ID (its
// users-with-access order).
func list(users []*user, byName bool) userList {
	out := userList{LoggedInUserID: CurrentUserID, ActiveUsers: []listUser{}}
	if byName {
		slices.SortStableFunc(users, func(a, b *user) int { return strings.Compare(a.fullName(), b.fullName()) })
	}
	for _, u := range users {
		out.ActiveUsers = append(out.ActiveUsers, listUser{ArtifactID: u.id, Name: u.fullName()})
	}
	return out
}

func (s *Server) allUsers(c *fake.Call) {
	w := c.W
	if !workspace(w, c.Var("workspaceID")) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fake.WriteJSON(w, http.StatusOK, list(s.st.liveUsers(queryBool(c, "includeDeleted")), true))
}

func (s *Server) activeUsers(c *fake.Call) {
	w := c.W
	if !workspace(w, c.Var("workspaceID")) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	withMe := c.Query.Get("includeCurrentUser") == "1"
	var users []*user
	for _, u := range s.st.liveUsers(false) {
		if u.access && (withMe || u.id != CurrentUserID) {
			users = append(users, u)
		}
	}
	// Over ChoiceLimitForUI the server returns no users at all (the doc).
	if queryBool(c, "enforceChoiceLimitForUI") && len(users) > s.cfg.choiceLimit {
		users = nil
	}
	fake.WriteJSON(w, http.StatusOK, list(users, true))
}

func (s *Server) usersWithAccess(c *fake.Call) {
	w := c.W
	if !workspace(w, c.Var("workspaceID")) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var users []*user
	for _, u := range s.st.liveUsers(false) {
		if u.access {
			users = append(users, u)
		}
	}
	fake.WriteJSON(w, http.StatusOK, list(users, false))
}

type sortSpec struct {
	FieldIdentifier *struct {
		Name *string `json:"Name"`
	} `json:"FieldIdentifier"`
	Direction *string `json:"Direction"`
}

func checkSorts(sorts []sortSpec, fields map[string]bool) string {
	for _, so := range sorts {
		if so.FieldIdentifier == nil || so.FieldIdentifier.Name == nil || !fields[*so.FieldIdentifier.Name] {
			return "A sort names no known field."
		}
		if so.Direction != nil && *so.Direction != "Ascending" && *so.Direction != "Descending" {
			return "Sort direction '" + *so.Direction + "' is not valid."
		}
	}
	return ""
}

// userFields are the condition and sort fields of a user (made up beyond the doc's
// 'FullName' and 'User Type').
var userFields = map[string]bool{
	"ArtifactID": true, "Artifact ID": true, "FullName": true, "Full Name": true,
	"First Name": true, "FirstName": true, "Last Name": true, "LastName": true,
	"Email": true, "Email Address": true, "EmailAddress": true, "User Type": true, "Type": true,
}

func (s *Server) userField(u *user) fieldValue {
	return func(name string) (string, bool, bool) {
		switch name {
		case "ArtifactID", "Artifact ID":
			return strconv.Itoa(u.id), true, true
		case "FullName", "Full Name":
			return u.fullName(), false, true
		case "First Name", "FirstName":
			return u.first, false, true
		case "Last Name", "LastName":
			return u.last, false, true
		case "Email", "Email Address", "EmailAddress":
			return u.email, false, true
		case "User Type", "Type":
			return s.st.typeName(u.typeID), false, true
		}
		return "", false, false
	}
}

func sortBy[T any](items []T, sorts []sortSpec, value func(T) fieldValue) {
	slices.SortStableFunc(items, func(a, b T) int {
		for _, so := range sorts {
			name := *so.FieldIdentifier.Name
			va, num, _ := value(a)(name)
			vb, _, _ := value(b)(name)
			var c int
			if num {
				x, _ := strconv.Atoi(va)
				y, _ := strconv.Atoi(vb)
				c = cmp.Compare(x, y)
			} else {
				c = strings.Compare(strings.ToLower(va), strings.ToLower(vb))
			}
			if so.Direction != nil && *so.Direction == "Descending" {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// window returns items[start:start+length], clipped.
func window[T any](items []T, start, length int) []T {
	if start >= len(items) {
		return []T{}
	}
	return items[start:min(len(items), start+length)]
}

func (s *Server) queryUsers(c *fake.Call) {
	w := c.W
	if !workspace(w, c.Var("workspaceID")) {
		return
	}
	var body struct {
		Query *struct {
			Condition *string    `json:"Condition"`
			Sort      []sortSpec `json:"Sort"`
		} `json:"Query"`
		Start  *int `json:"Start"`
		Length *int `json:"Length"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if body.Query == nil || body.Start == nil || body.Length == nil {
		badRequest(w, "Query, Start and Length are required.")
		return
	}
	if *body.Start < 0 || *body.Length < 1 {
		badRequest(w, "Start must not be negative and Length must be positive.")
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
	if msg := checkSorts(body.Query.Sort, userFields); msg != "" {
		badRequest(w, msg)
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
	sortBy(hits, body.Query.Sort, s.userField)
	page := window(hits, *body.Start, *body.Length)
	type result struct {
		ArtifactID int    `json:"ArtifactID"`
		FullName   string `json:"FullName"`
		Email      string `json:"Email"`
	}
	results := []result{}
	for _, u := range page {
		results = append(results, result{u.id, u.fullName(), u.email})
	}
	fake.WriteJSON(w, http.StatusOK, map[string]any{
		"DataResults": results, "ResultCount": len(results),
		"TotalResultCount": len(hits), "CurrentStartIndex": *body.Start,
	})
}

var groupFields = map[string]bool{"Name": true, "ArtifactID": true, "Artifact ID": true}

func groupField(g *group) fieldValue {
	return func(name string) (string, bool, bool) {
		switch name {
		case "Name":
			return g.name, false, true
		case "ArtifactID", "Artifact ID":
			return strconv.Itoa(g.id), true, true
		}
		return "", false, false
	}
}

type fieldSpec struct {
	Name *string `json:"Name"`
}

// slim answers groups as a QueryResultSlim (the doc's query-eligible-groups sample).
func slim(groups []*group, total, start int, fields []fieldSpec) map[string]any {
	type object struct {
		ArtifactID int   `json:"ArtifactID"`
		Values     []any `json:"Values"`
	}
	objs := []object{}
	for _, g := range groups {
		vals := []any{}
		for _, f := range fields {
			v, num, _ := groupField(g)(*f.Name)
			if num {
				n, _ := strconv.Atoi(v)
				vals = append(vals, n)
			} else {
				vals = append(vals, v)
			}
		}
		objs = append(objs, object{g.id, vals})
	}
	fieldList := []any{}
	for _, f := range fields {
		fieldList = append(fieldList, map[string]any{"Name": *f.Name})
	}
	return map[string]any{
		"TotalCount": total, "Objects": objs, "IDWindow": []int{}, "CurrentStartIndex": start,
		"ResultCount": len(objs),
		"ObjectType":  map[string]any{"ArtifactID": 1016185, "Name": "Group", "Guids": []string{}, "ArtifactTypeID": 3},
		"RankWindow":  []any{}, "Fields": fieldList,
	}
}

// queryGroups filters, sorts and pages groups for a slim query.
func (s *Server) queryGroups(w http.ResponseWriter, groups []*group, cond *string, sorts []sortSpec, fields []fieldSpec, start, length int) {
	c := ""
	if cond != nil {
		c = *cond
	}
	match, err := parseCondition(c, groupFields)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	if msg := checkSorts(sorts, groupFields); msg != "" {
		badRequest(w, msg)
		return
	}
	for _, f := range fields {
		if f.Name == nil || !groupFields[*f.Name] {
			badRequest(w, "A field names no known group field.")
			return
		}
	}
	var hits []*group
	for _, g := range groups {
		if match(groupField(g)) {
			hits = append(hits, g)
		}
	}
	slices.SortFunc(hits, func(a, b *group) int { return cmp.Compare(a.id, b.id) })
	sortBy(hits, sorts, groupField)
	fake.WriteJSON(w, http.StatusOK, slim(window(hits, start, length), len(hits), start, fields))
}

func (s *Server) eligibleGroups(c *fake.Call) {
	w := c.W
	var body struct {
		Users   []idRef `json:"Users"`
		Request *struct {
			Condition *string     `json:"Condition"`
			Sorts     []sortSpec  `json:"Sorts"`
			Fields    []fieldSpec `json:"Fields"`
		} `json:"Request"`
		Start  *int `json:"Start"`
		Length *int `json:"Length"`
	}
	if !c.DecodeJSON(&body) {
		return
	}
	if len(body.Users) == 0 || body.Request == nil || body.Start == nil || body.Length == nil {
		badRequest(w, "Users, Request, Start and Length are required.")
		return
	}
	if *body.Start < 0 || *body.Length < 1 {
		badRequest(w, "Start must not be negative and Length must be positive.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
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
	// A group is eligible when at least one of the users is not in it yet.
	var groups []*group
	for _, g := range s.st.groups {
		for _, u := range users {
			if !g.members[u.id] {
				groups = append(groups, g)
				break
			}
		}
	}
	s.queryGroups(w, groups, body.Request.Condition, body.Request.Sorts, body.Request.Fields, *body.Start, *body.Length)
}

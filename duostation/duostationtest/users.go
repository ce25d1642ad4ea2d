package duostationtest

import (
	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

func (s *Server) listUsers(c *fake.Call) {
	q := newSearch(c, "groupId", "tagId")
	if !q.ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []duostation.User
	for _, u := range sortedValues(s.st.users) {
		if q.text("email", u.Email) && q.text("phoneNumber", u.PhoneNumber) && q.text("account", u.AccountName) &&
			q.num("groupId", func(id int) bool { return u.GroupID == id }) &&
			q.num("tagId", func(id int) bool { return s.st.userHasTag(u.ID, id) }) {
			out = append(out, u)
		}
	}
	writeObjects(c, out)
}

func (st *state) userHasTag(userID, tagID int) bool {
	for _, t := range st.userTags {
		if t.UserID == userID && t.TagID == tagID {
			return true
		}
	}
	return false
}

func (s *Server) getUser(c *fake.Call) {
	getByID(s, c, "User", func(st *state) map[int]*duostation.User { return st.users })
}

// userUpdateBody holds the fields of "Update a user"; userCreateBody adds the account, which
// only "Add a user" takes.
type userUpdateBody struct {
	Name        *string `json:"name"`
	Email       *string `json:"email"`
	PhoneNumber *string `json:"phoneNumber"`
	GroupID     *int    `json:"groupId"`
	Company     *string `json:"company"`
	Office      *string `json:"office"`
	Department  *string `json:"department"`
	Position    *string `json:"position"`
}

type userCreateBody struct {
	userUpdateBody
	AccountGroup *string `json:"accountGroup"`
	AccountName  *string `json:"accountName"`
}

func (in *userUpdateBody) apply(u *duostation.User) {
	set(&u.Name, in.Name)
	set(&u.Email, in.Email)
	set(&u.PhoneNumber, in.PhoneNumber)
	set(&u.Company, in.Company)
	set(&u.Office, in.Office)
	set(&u.Department, in.Department)
	set(&u.Position, in.Position)
	if in.GroupID != nil {
		u.GroupID = *in.GroupID
	}
}

func (s *Server) createUser(c *fake.Call) {
	var in userCreateBody
	if !decode(c, &in) {
		return
	}
	if blank(in.Name) {
		badRequest(c, "The name is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.GroupID != nil && !s.st.groupExists(*in.GroupID) {
		badRequest(c, "The group does not exist.")
		return
	}
	var u duostation.User
	in.apply(&u)
	set(&u.AccountGroup, in.AccountGroup)
	set(&u.AccountName, in.AccountName)
	u.ID = s.st.newID("users")
	s.st.users[u.ID] = &u
	s.writeID(c, u.ID)
}

// updateUser changes the fields sent; a new group moves the user's devices, as the document
// says.
func (s *Server) updateUser(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	var in userUpdateBody
	if !decode(c, &in) {
		return
	}
	if in == (userUpdateBody{}) {
		badRequest(c, "Nothing to update.")
		return
	}
	if in.Name != nil && blank(in.Name) {
		badRequest(c, "The name cannot be empty.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.st.users[id]
	if !ok {
		notFound(c, "User", id)
		return
	}
	if in.GroupID != nil && !s.st.groupExists(*in.GroupID) {
		badRequest(c, "The group does not exist.")
		return
	}
	in.apply(u)
	for _, d := range s.st.devices {
		if d.UserID == u.ID {
			d.GroupID = u.GroupID
		}
	}
	writeOK(c)
}

// deleteUser refuses a user with devices, as the document says, and drops the user's tags.
func (s *Server) deleteUser(c *fake.Call) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.users[id]; !ok {
		notFound(c, "User", id)
		return
	}
	for _, d := range s.st.devices {
		if d.UserID == id {
			conflict(c, "The user has linked devices and cannot be deleted.")
			return
		}
	}
	for tid, t := range s.st.userTags {
		if t.UserID == id {
			delete(s.st.userTags, tid)
		}
	}
	delete(s.st.users, id)
	writeOK(c)
}

package reltiotest

import (
	"slices"
	"strings"
)

// The accessors below let a test look at or change the server's state without going through
// the API. Each returns copies.

// Users returns every user, by username.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, k := range sortedKeys(s.st.users) {
		out = append(out, s.st.users[k].clone())
	}
	return out
}

// User returns the user with the given username or email, ignoring case.
func (s *Server) User(nameOrEmail string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.user(nameOrEmail); u != nil {
		return u.clone(), true
	}
	return User{}, false
}

// AddUser stores u, replacing a user with the same username, and returns it as stored: a
// missing Customer is the seeded one.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u = u.clone()
	if u.Customer == "" {
		u.Customer = Customer
	}
	if old, ok := s.st.users[strings.ToLower(u.Username)]; ok && u.DBUserID == 0 {
		u.DBUserID = old.DBUserID
	}
	s.st.put(&u)
	return u.clone()
}

// Groups returns the customer's groups, by id.
func (s *Server) Groups() []Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Group
	for _, k := range sortedKeys(s.st.groups) {
		out = append(out, s.st.groups[k].clone())
	}
	return out
}

// AddGroup stores g, replacing a group with the same id.
func (s *Server) AddGroup(g Group) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g = g.clone()
	s.st.groups[g.GroupID] = &g
}

// CustomerRoles returns the customer-specific roles.
func (s *Server) CustomerRoles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.custom)
}

package razunatest

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// User is a user as the fake stores it, for tests to inspect.
type User struct {
	ID        string
	LoginName string
	Email     string
	FirstName string
	LastName  string
	// PasswordHash is the stored password: the upper-case MD5 hex of the plain text for a
	// user added with add, or whatever an update sent as user_pass.
	PasswordHash string
	// Active is the stored user_active value as sent ("T", "F", ...).
	Active string
	// Groups are the user's group ids in the order they were given.
	Groups []string
	APIKey string
	// Hosts are the ids of the hosts the user belongs to.
	Hosts []int
}

func (u *User) clone() User {
	c := *u
	c.Groups = slices.Clone(u.Groups)
	c.Hosts = slices.Clone(u.Hosts)
	return c
}

func (u *User) active() bool { return strings.EqualFold(u.Active, "t") }

type session struct {
	userID  string
	groups  string // the user's groups at login, as the server stores them: a list string
	hostID  int
	expires time.Time
}

type state struct {
	users    []*User
	groups   map[string]string // id → name
	hosts    map[int]string    // id → name
	sessions map[string]*session
	// cached holds the tokens the application scope knows: a restart forgets them while
	// the database still holds the sessions.
	cached map[string]bool
}

func newState(seed []SeedUser) *state {
	st := &state{
		groups:   map[string]string{GroupSystemAdmin: "SystemAdmin", GroupAdministrator: "Administrator"},
		hosts:    map[int]string{HostID: "demo"},
		sessions: map[string]*session{},
		cached:   map[string]bool{},
	}
	st.users = append(st.users, &User{
		ID: AdminID, LoginName: AdminLogin, Email: AdminEmail, FirstName: "System", LastName: "Administrator",
		PasswordHash: md5Hex(AdminPassword), Active: "T", Groups: []string{GroupSystemAdmin, GroupAdministrator},
		APIKey: AdminAPIKey, Hosts: []int{HostID},
	})
	for _, su := range seed {
		active := "T"
		if su.Inactive {
			active = "F"
		}
		st.users = append(st.users, &User{
			ID: st.newUserID(), LoginName: su.LoginName, Email: su.Email, FirstName: su.FirstName,
			LastName: su.LastName, PasswordHash: md5Hex(su.Password), Active: active,
			Groups: slices.Clone(su.Groups), APIKey: su.APIKey, Hosts: []int{HostID},
		})
	}
	return st
}

// newUserID returns a CFML createUUID(): 8-4-4-16 upper-case hex digits.
func (st *state) newUserID() string {
	h := randomHex(16)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:]
}

// newToken returns a createUUID(""): 32 upper-case hex digits.
func newToken() string { return randomHex(16) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

func (st *state) byID(id string) *User {
	for _, u := range st.users {
		if strings.EqualFold(u.ID, id) {
			return u
		}
	}
	return nil
}

// lookup finds the one user the first non-empty of id, login and email names, compared
// without regard to case; none or several is nil.
func (st *state) lookup(id, login, email string) *User {
	var match func(u *User) bool
	switch {
	case id != "":
		match = func(u *User) bool { return strings.EqualFold(u.ID, id) }
	case login != "":
		match = func(u *User) bool { return strings.EqualFold(u.LoginName, login) }
	case email != "":
		match = func(u *User) bool { return strings.EqualFold(u.Email, email) }
	default:
		return nil
	}
	var found *User
	for _, u := range st.users {
		if match(u) {
			if found != nil {
				return nil
			}
			found = u
		}
	}
	return found
}

func (st *state) remove(u *User) {
	st.users = slices.DeleteFunc(st.users, func(x *User) bool { return x == u })
}

// User returns the user with the given login name or email (without regard to case).
func (s *Server) User(loginOrEmail string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.st.users {
		if strings.EqualFold(u.LoginName, loginOrEmail) || strings.EqualFold(u.Email, loginOrEmail) {
			return u.clone(), true
		}
	}
	return User{}, false
}

// Users returns every user, in the order they were added.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.st.users))
	for _, u := range s.st.users {
		out = append(out, u.clone())
	}
	return out
}

// ExpireSessions makes every v1 session time out, as 30 idle minutes would: the next call
// with one of their tokens gets "Session timeout".
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for _, ss := range s.st.sessions {
		ss.expires = past
	}
}

// Restart forgets what a restart of the server forgets: the sessions' cached host, prefix and
// user, while the sessions stay valid in the database. Until a new login, getuser and add with
// such a token fail with an exception page, and delete fails after removing the user from its
// hosts; update still works.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.cached = map[string]bool{}
}

// Sessions returns how many v1 sessions the server has issued and still holds.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.sessions)
}

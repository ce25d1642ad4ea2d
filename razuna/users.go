package razuna

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/rosterhq/roster/internal/rest"
)

// UsersService adds, reads, updates and deletes users through the v1 User API (Razuna's
// "User API" document, in the razuna/razuna-docs repository as "docs/api old/User API1.md";
// the server side is global/api/user.cfc in razuna/razuna). The client logs in with Config's
// account first; the server lets only members of the SystemAdmin (1) or Administrator (2)
// group log in.
type UsersService service

// The groups every Razuna host has (razuna/razuna global/cfc/db_h2.cfc), and the id that
// means "no group" where a group is asked for.
const (
	NoGroup            = "0"
	GroupSystemAdmin   = "1"
	GroupAdministrator = "2"
)

// maxLoginName is the width of the users.user_login_name column (VARCHAR(50)): the server
// creates nothing for a longer name but fails with a database error.
const maxLoginName = 50

// User is a user as getuser returns it.
type User struct {
	// ID is the user's id: "1" for the first administrator, a UUID-like string
	// (8-4-4-16 hex digits) for users added later.
	ID        string
	LoginName string
	Email     string
	FirstName string
	LastName  string
}

// NewUser is a user to add. Every field is sent; the server requires all of them.
type NewUser struct {
	FirstName string
	LastName  string
	Email     string
	// LoginName is the user's login name (the API's user_name), at most 50 characters.
	LoginName string
	// Password is the plain text: the server stores its MD5 hash.
	Password string
	// Active lets the user log in; false adds the user deactivated.
	Active bool
	// GroupID puts the user in one group: NoGroup for none, GroupAdministrator, or the id
	// of a group made on the server (a UUID-like string). It must be set: the server
	// creates the user and then fails on an empty or unknown group id, leaving a user
	// without the group behind. GroupSystemAdmin is accepted too.
	GroupID string
}

// UserRef finds the user to update or delete by exactly one of its id, login name or email
// (the server compares them without regard to case). Make one with UserByID,
// UserByLoginName or UserByEmail; the zero UserRef finds no one and is refused.
type UserRef struct {
	key   string // the form field: userid, userloginname or useremail
	value string
}

// UserByID finds a user by id.
func UserByID(id string) UserRef { return UserRef{"userid", id} }

// UserByLoginName finds a user by login name.
func UserByLoginName(name string) UserRef { return UserRef{"userloginname", name} }

// UserByEmail finds a user by email address.
func UserByEmail(email string) UserRef { return UserRef{"useremail", email} }

// String returns "userid=...", "userloginname=..." or "useremail=...".
func (r UserRef) String() string {
	if r.key == "" {
		return "(no user)"
	}
	return r.key + "=" + r.value
}

// form returns the three lookup fields: the server requires all of them and searches by the
// first that is not empty, so the other two go as empty strings.
func (r UserRef) form(f url.Values) error {
	switch {
	case r.key == "":
		return vendor.Invalid("UserRef", "empty: use UserByID, UserByLoginName or UserByEmail")
	case strings.TrimSpace(r.value) == "":
		return vendor.Invalid("UserRef", "%s is empty", r.key)
	case rest.HasControl(r.value):
		return vendor.Invalid("UserRef", "%s holds a control character", r.key)
	}
	for _, k := range []string{"userid", "userloginname", "useremail"} {
		f.Set(k, "")
	}
	f.Set(r.key, r.value)
	return nil
}

// UserData is an update of a user: only the fields that are set are sent. Set the pointers
// with Ptr: UserData{Email: razuna.Ptr("new@example.com")}.
//
// There is no way to take a user out of every group: the server reads an empty group id as
// "remove all groups" only in its documentation; in fact it removes them and then fails. So
// GroupIDs may not be empty, and an empty group id is refused before anything is sent.
type UserData struct {
	LoginName *string // at most 50 characters
	FirstName *string
	LastName  *string
	Email     *string
	// Password is the new password in plain text. It is sent as the upper-case hex of its
	// MD5 hash, which the server stores as it is: a plain text would not let the user log in.
	Password *string
	// Active lets the user log in (sent as "T") or not ("F").
	Active *bool
	// GroupIDs, when not nil, replaces all of the user's groups with these (at least one):
	// GroupSystemAdmin, GroupAdministrator or the ids of groups made on the server. An
	// unknown id leaves the user without groups: the server removes the old ones first.
	GroupIDs []string
}

// pairs returns userdata as the server reads it: a JSON array of [key, value] string pairs,
// in a fixed order. hash is the MD5 of the password, if one is set, for the redactor.
func (d UserData) pairs() (data, hash string, err error) {
	var p [][2]string
	add := func(key, field string, v *string) error {
		if v == nil {
			return nil
		}
		if err := checkText(field, *v); err != nil {
			return err
		}
		p = append(p, [2]string{key, *v})
		return nil
	}
	if d.LoginName != nil {
		if err := checkLoginName("UserData.LoginName", *d.LoginName); err != nil {
			return "", "", err
		}
	}
	for _, f := range []struct {
		key, field string
		v          *string
	}{
		{"user_login_name", "UserData.LoginName", d.LoginName},
		{"user_first_name", "UserData.FirstName", d.FirstName},
		{"user_last_name", "UserData.LastName", d.LastName},
		{"user_email", "UserData.Email", d.Email},
	} {
		if err := add(f.key, f.field, f.v); err != nil {
			return "", "", err
		}
	}
	if d.Password != nil {
		if err := vendor.CheckSecret("UserData.Password", *d.Password); err != nil {
			return "", "", err
		}
		hash = md5Hex(*d.Password)
		p = append(p, [2]string{"user_pass", hash})
	}
	if d.Active != nil {
		p = append(p, [2]string{"user_active", tf(*d.Active)})
	}
	if d.GroupIDs != nil {
		if len(d.GroupIDs) == 0 {
			return "", "", vendor.Invalid("UserData.GroupIDs", "empty: the server cannot remove every group cleanly; name at least one group")
		}
		for _, g := range d.GroupIDs {
			if err := checkGroupID("UserData.GroupIDs", g, false); err != nil {
				return "", "", err
			}
			p = append(p, [2]string{"group_id", g})
		}
	}
	if len(p) == 0 {
		return "", "", vendor.Invalid("UserData", "no field set")
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", "", vendor.Invalid("UserData", "%v", err)
	}
	return string(b), hash, nil
}

// md5Hex is the upper-case hex MD5 of s, the form the server stores passwords in
// (CFML's hash()).
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func tf(b bool) string {
	if b {
		return "T"
	}
	return "F"
}

// checkText refuses an empty value (the server's database reads it as NULL and fails after
// earlier fields were written), one with a control character, and invalid UTF-8.
func checkText(field, v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return vendor.Invalid(field, "empty")
	case rest.HasControl(v):
		return vendor.Invalid(field, "holds a control character")
	case !utf8.ValidString(v):
		return vendor.Invalid(field, "not valid UTF-8")
	}
	return nil
}

func checkLoginName(field, v string) error {
	if err := checkText(field, v); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(v); n > maxLoginName {
		return vendor.Invalid(field, "%d characters, more than the server's %d", n, maxLoginName)
	}
	return nil
}

// checkGroupID accepts the ids groups have: "1", "2" and other numbers for the built-in
// groups, UUID-like hex strings for groups made on the server. Anything else cannot name a
// group, and the server would fail on it after writing part of the change.
func checkGroupID(field, g string, allowNone bool) error {
	if g == "" {
		return vendor.Invalid(field, "empty group id")
	}
	if g == NoGroup && !allowNone {
		return vendor.Invalid(field, "%q is no group", g)
	}
	for _, r := range g {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '-') {
			return vendor.Invalid(field, "%q is not a group id (digits, or hex digits and dashes)", g)
		}
	}
	return nil
}

func (u NewUser) form() (url.Values, error) {
	for _, f := range []struct{ field, v string }{
		{"NewUser.FirstName", u.FirstName},
		{"NewUser.LastName", u.LastName},
		{"NewUser.Email", u.Email},
	} {
		if err := checkText(f.field, f.v); err != nil {
			return nil, err
		}
	}
	if err := checkLoginName("NewUser.LoginName", u.LoginName); err != nil {
		return nil, err
	}
	if err := vendor.CheckSecret("NewUser.Password", u.Password); err != nil {
		return nil, err
	}
	if err := checkGroupID("NewUser.GroupID", u.GroupID, true); err != nil {
		return nil, err
	}
	return url.Values{
		"user_first_name": {u.FirstName},
		"user_last_name":  {u.LastName},
		"user_email":      {u.Email},
		"user_name":       {u.LoginName},
		"user_pass":       {u.Password},
		"user_active":     {tf(u.Active)},
		"groupid":         {u.GroupID},
	}, nil
}

// Add adds a user and returns its id. A login name or email that is taken (compared without
// regard to case) is an error matching ErrConflict; the id returned with it is the existing
// user's. Members of SystemAdmin and Administrator may add users; the server refuses some
// users who are in both groups (it compares their group list as one string) with an error
// matching ErrForbidden.
//
// Add is not sent again after a lost reply, nor after an exception page from the server
// (it creates the user before it adds the group): the user may exist then, and the error
// matches ErrMaybeApplied. After "Session timeout" it logs in again and sends it once more.
//
// Endpoint: POST /global/api/user.cfc?method=add
//
//roster:endpoint POST /global/api/user.cfc?method=add
func (s *UsersService) Add(ctx context.Context, u NewUser) (string, error) {
	f, err := u.form()
	if err != nil {
		return "", err
	}
	r, err := s.c.v1(ctx, "/global/api/user.cfc?method=add", f, false, "userid")
	if err != nil {
		return existingID(err), err
	}
	return r.get("userid"), nil
}

// Get returns the user the session belongs to: the administrator of Config, since the API
// has no call that reads another user. To read a user back, log in as that user with a
// second Client.
//
// Endpoint: POST /global/api/user.cfc?method=getuser
//
//roster:endpoint POST /global/api/user.cfc?method=getuser
func (s *UsersService) Get(ctx context.Context) (*User, error) {
	r, err := s.c.v1(ctx, "/global/api/user.cfc?method=getuser", url.Values{}, true, "userid")
	if err != nil {
		return nil, err
	}
	return &User{
		ID:        r.get("userid"),
		LoginName: r.get("loginname"),
		Email:     r.get("email"),
		FirstName: r.get("firstname"),
		LastName:  r.get("lastname"),
	}, nil
}

// Update changes the fields set in data of the user ref finds and returns the user's id.
// An unknown user (or a login name or email shared by several users) is an error matching
// ErrNotFound. The server applies the fields one by one: an exception page after an update
// (the server's database failing on a value) matches ErrMaybeApplied.
//
// Endpoint: POST /global/api/user.cfc?method=update
//
//roster:endpoint POST /global/api/user.cfc?method=update
func (s *UsersService) Update(ctx context.Context, ref UserRef, data UserData) (string, error) {
	f := url.Values{}
	if err := ref.form(f); err != nil {
		return "", err
	}
	pairs, hash, err := data.pairs()
	if err != nil {
		return "", err
	}
	f.Set("userdata", pairs)
	r, err := s.c.v1(ctx, "/global/api/user.cfc?method=update", f, false, "", hash, strings.ToLower(hash))
	if err != nil {
		return "", err
	}
	return r.get("userid"), nil
}

// Delete deletes the user ref finds and returns its id. An unknown user is an error matching
// ErrNotFound. The user's group memberships stay in the server's database.
//
// After a server restart the server may fail a delete half-way (it removed the user from its
// hosts, then failed to find the session's host): the error then matches ErrMaybeApplied and
// the request is not sent again. The client drops that session, so calling Delete once more
// logs in again and finishes the delete.
//
// Endpoint: POST /global/api/user.cfc?method=delete
//
//roster:endpoint POST /global/api/user.cfc?method=delete
func (s *UsersService) Delete(ctx context.Context, ref UserRef) (string, error) {
	f := url.Values{}
	if err := ref.form(f); err != nil {
		return "", err
	}
	r, err := s.c.v1(ctx, "/global/api/user.cfc?method=delete", f, false, "")
	if err != nil {
		return "", err
	}
	return r.get("userid"), nil
}

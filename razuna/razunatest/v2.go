package razunatest

import (
	"slices"
	"strconv"
	"strings"
)

// The v2 messages (razuna/razuna global/api2/authentication.cfc, user.cfc, group.cfc).
const (
	msgV2BadKey        = "Login not valid! Check user API Key and ensure with your administrator that the user has appropriate permissions for access."
	msgV2NoAccess      = "No permissible data or action found for user! If you believe this is a mistake then please check with your administrator to ensure that you have appropriate permissions for access."
	msgV2GroupNotFound = "Group(s) with the ID could not be found"
)

// v2status is a v2 struct result.
type v2status struct {
	ResponseCode int    `json:"responsecode"`
	Message      string `json:"message"`
	UserID       string `json:"userid,omitempty"`
	APIKey       string `json:"apikey,omitempty"`
}

// v2query is a query result as OpenBD serialises it.
type v2query struct {
	Columns []string   `json:"COLUMNS"`
	Data    [][]string `json:"DATA"`
}

func v2json(v any) *result { return &result{json: v} }

// keyUser finds the API key's user. A key may carry a "<hostid>-" prefix.
func (s *Server) keyUser(c *call) *User {
	key := c.params["api_key"]
	if i := strings.IndexByte(key, '-'); i > 0 {
		if _, err := strconv.Atoi(key[:i]); err == nil {
			key = key[i+1:]
		}
	}
	if key == "" {
		return nil
	}
	for _, u := range s.st.users {
		if u.APIKey != "" && strings.EqualFold(u.APIKey, key) {
			return u
		}
	}
	return nil
}

func isAdmin(u *User) bool {
	return slices.Contains(u.Groups, GroupSystemAdmin) || slices.Contains(u.Groups, GroupAdministrator)
}

// v2auth checks the key and the admin groups; a non-nil result is the failure to send.
func (s *Server) v2auth(c *call, asQuery bool) (*User, *result) {
	u := s.keyUser(c)
	msg := ""
	switch {
	case u == nil:
		msg = msgV2BadKey
	case !isAdmin(u):
		msg = msgV2NoAccess
	default:
		return u, nil
	}
	if asQuery {
		return nil, v2json(v2query{Columns: []string{"RESPONSECODE", "MESSAGE"}, Data: [][]string{{"1", msg}}})
	}
	return nil, v2json(v2status{ResponseCode: 1, Message: msg})
}

func (s *Server) add2(c *call) *result {
	if r := missing(c, "add", "api_key", "user_first_name", "user_last_name", "user_email", "user_name", "user_pass"); r != nil {
		return r
	}
	_, fail := s.v2auth(c, false)
	if fail != nil {
		return fail
	}
	nu := c.newUser()
	if nu.active == nil {
		nu.active = new(string)
		*nu.active = "f"
	}
	if nu.group == nil {
		nu.group = new(string)
		*nu.group = "0"
	}
	if u := s.existing(nu); u != nil {
		return v2json(v2status{ResponseCode: 1, Message: msgExists, UserID: u.ID})
	}
	// A missing host link would need the key's host; the seed has one host.
	u, errPage := s.create(nu, HostID, true)
	if errPage != nil {
		return errPage
	}
	res := v2status{Message: msgAdded, UserID: u.ID}
	if *nu.group == GroupAdministrator {
		u.APIKey = newToken()
		res.APIKey = u.APIKey
	}
	return v2json(res)
}

func (s *Server) getUser2(c *call) *result {
	if r := missing(c, "getuser", "api_key"); r != nil {
		return r
	}
	u := s.keyUser(c)
	if u == nil {
		return v2json(v2query{Columns: []string{"RESPONSECODE", "MESSAGE"}, Data: [][]string{{"1", msgV2BadKey}}})
	}
	return v2json(v2query{
		Columns: []string{"USER_ID", "USER_LOGIN_NAME", "USER_EMAIL", "USER_FIRST_NAME", "USER_LAST_NAME", "USER_API_KEY"},
		Data:    [][]string{{u.ID, u.LoginName, u.Email, u.FirstName, u.LastName, u.APIKey}},
	})
}

func (s *Server) update2(c *call) *result {
	if r := missing(c, "update", "api_key", "userdata"); r != nil {
		return r
	}
	if _, fail := s.v2auth(c, false); fail != nil {
		return fail
	}
	u := s.st.lookup(c.params["userid"], c.params["userloginname"], c.params["useremail"])
	if u == nil {
		return v2json(v2status{ResponseCode: 1, Message: msgNotFound})
	}
	if r := s.applyUserdata(u, c.params["userdata"]); r != nil {
		return r
	}
	return v2json(v2status{Message: msgUpdated, UserID: u.ID})
}

func (s *Server) delete2(c *call) *result {
	if r := missing(c, "delete", "api_key"); r != nil {
		return r
	}
	if _, fail := s.v2auth(c, false); fail != nil {
		return fail
	}
	u := s.st.lookup(c.params["userid"], c.params["userloginname"], c.params["useremail"])
	if u == nil {
		return v2json(v2status{ResponseCode: 1, Message: msgNotFound})
	}
	s.st.remove(u)
	return v2json(v2status{Message: msgRemoved, UserID: u.ID})
}

func (s *Server) usersOfGroups(c *call) *result {
	if r := missing(c, "getusersofgroups", "api_key", "grp_id"); r != nil {
		return r
	}
	if _, fail := s.v2auth(c, false); fail != nil {
		return fail
	}
	var ids []string
	for _, g := range strings.Split(c.params["grp_id"], ",") {
		if g = strings.TrimSpace(g); s.st.groups[g] != "" {
			ids = append(ids, g)
		}
	}
	if len(ids) == 0 {
		return v2json(v2status{ResponseCode: 1, Message: msgV2GroupNotFound})
	}
	q := v2query{Columns: []string{"USER_ID", "USER_FIRST_NAME", "USER_LAST_NAME", "USER_EMAIL"}, Data: [][]string{}}
	for _, u := range s.st.users {
		for _, g := range ids {
			if slices.Contains(u.Groups, g) {
				q.Data = append(q.Data, []string{u.ID, u.FirstName, u.LastName, u.Email})
				break
			}
		}
	}
	return v2json(q)
}

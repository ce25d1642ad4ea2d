package razunatest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The v1 messages, as razuna/razuna global/api/user.cfc and authentication.cfc write them.
const (
	msgSessionTimeout = "Session timeout"
	msgAdded          = "User has been added successfully"
	msgExists         = "User already exists"
	msgNotSysAdmin    = "User is not a System Administrator"
	msgNotFound       = "User with the ID could not be found"
	msgUpdated        = "User has been updated successfully"
	msgRemoved        = "User has been removed successfully"
	msgAccessDenied   = "Access Denied"
	msgLoginHostError = "An error occured. Please check your input parameters. Error detail description: "
)

type handlerFunc func(c *call) *result

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// handler returns the method c calls and the parameters it takes (besides method and the
// reserved ones).
func (s *Server) handler(c *call) (handlerFunc, map[string]bool) {
	switch c.api + "/" + c.cfc + "." + c.method {
	case "api/authentication.login":
		return s.login, set("hostid", "user", "pass", "passhashed")
	case "api/authentication.loginhost":
		return s.loginHost, set("hostname", "user", "pass", "passhashed")
	case "api/user.add":
		return s.add, set("sessiontoken", "user_first_name", "user_last_name", "user_email", "user_name", "user_pass", "user_active", "groupid")
	case "api/user.getuser":
		return s.getUser, set("sessiontoken")
	case "api/user.update":
		return s.update, set("sessiontoken", "userid", "userloginname", "useremail", "userdata")
	case "api/user.delete":
		return s.delete, set("sessiontoken", "userid", "userloginname", "useremail")
	case "api2/user.add":
		return s.add2, set("api_key", "user_first_name", "user_last_name", "user_email", "user_name", "user_pass", "user_active", "groupid")
	case "api2/user.getuser":
		return s.getUser2, set("api_key")
	case "api2/user.update":
		return s.update2, set("api_key", "userid", "userloginname", "useremail", "userdata")
	case "api2/user.delete":
		return s.delete2, set("api_key", "userid", "userloginname", "useremail")
	case "api2/group.getusersofgroups":
		return s.usersOfGroups, set("api_key", "grp_id")
	}
	return nil, nil
}

// missing returns the exception page for the first required argument c lacks, or nil.
func missing(c *call, fn string, names ...string) *result {
	for _, n := range names {
		if _, ok := c.params[n]; !ok {
			return &result{page: true, tr: pageBefore, errcode: "errorCode.runtimeError",
				msg: fmt.Sprintf("Value not provided for required argument %s of function %s()", strings.ToUpper(n), fn)}
		}
	}
	return nil
}

func ok(tabs int, fields ...string) *result {
	r := &result{tabs: tabs}
	for i := 0; i+1 < len(fields); i += 2 {
		r.fields = append(r.fields, [2]string{fields[i], fields[i+1]})
	}
	return r
}

func fail(tabs int, fields ...string) *result {
	r := ok(tabs, fields...)
	r.code = 1
	return r
}

func timeout() *result { return fail(2, "message", msgSessionTimeout) }

func sqlError(detail string) *result {
	return &result{page: true, tr: pageInside, msg: "General SQL Error", errcode: "errorCode.sqlError", detail: detail}
}

const (
	sqlInsertUser = "INSERT INTO users\n\t\t\t\t(user_id, user_login_name, user_email, user_pass, user_first_name, user_last_name, user_in_admin,\n" +
		"\t\t\t\tuser_create_date, user_active, user_in_dam)\n\t\t\t\tVALUES(\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?,\n\t\t\t\t?\n\t\t\t\t)"
	sqlInsertGroup = "\nINSERT INTO\tct_groups_users\n\t\t\t\t\t(ct_g_u_grp_id, ct_g_u_user_id, rec_uuid)\n\t\t\t\t\tVALUES(\n\t\t\t\t\t?,\n\t\t\t\t\t?,\n\t\t\t\t\t?\n\t\t\t\t\t)"
	sqlUpdateGroup = "\nINSERT INTO ct_groups_users\n\t\t\t\t\t\t\t(ct_g_u_grp_id, ct_g_u_user_id, rec_uuid)\n\t\t\t\t\t\t\tVALUES(\n\t\t\t\t\t\t\t\t?,\n\t\t\t\t\t\t\t\t?,\n\t\t\t\t\t\t\t\t?\n\t\t\t\t\t\t\t)"
)

// login is authentication.cfc login: hostid, user (login name or email), pass (plain, or MD5
// hex with passhashed=1) and passhashed, which has no default.
func (s *Server) login(c *call) *result {
	if r := missing(c, "login", "hostid", "user", "pass"); r != nil {
		return r
	}
	host, err := strconv.Atoi(strings.TrimSpace(c.params["hostid"]))
	if err != nil {
		return &result{page: true, tr: pageBefore, errcode: "errorCode.runtimeError", detail: "Function: login",
			msg: "The argument HOSTID passed to function login() is not of type numeric"}
	}
	if _, ok := c.params["passhashed"]; !ok {
		return &result{page: true, tr: pageInside, msg: "Variable [THEXML] does not exist", detail: "Error at line 1, column 1"}
	}
	tok := s.authenticate(host, c)
	if tok == "" {
		return fail(3, "sessiontoken", msgAccessDenied)
	}
	return ok(3, "sessiontoken", tok)
}

// loginHost is authentication.cfc loginhost: the host by the part of hostname before its
// first dot.
func (s *Server) loginHost(c *call) *result {
	if r := missing(c, "loginhost", "hostname", "user", "pass"); r != nil {
		return r
	}
	if _, ok := c.params["passhashed"]; !ok {
		return &result{page: true, tr: pageInside, msg: "Variable [THEXML] does not exist", detail: "Error at line 1, column 1"}
	}
	name, _, found := strings.Cut(c.params["hostname"], ".")
	if !found {
		r := fail(3, "sessiontoken", msgLoginHostError)
		r.cdata = "sessiontoken"
		return r
	}
	host := 0
	for id, n := range s.st.hosts {
		if strings.EqualFold(n, name) {
			host = id
		}
	}
	tok := ""
	if host != 0 {
		tok = s.authenticate(host, c)
	}
	if tok == "" {
		return fail(3, "sessiontoken", msgAccessDenied, "hostid", "0")
	}
	return ok(3, "sessiontoken", tok, "hostid", strconv.Itoa(host))
}

// authenticate checks the credentials of c against host and opens a session: the user must
// be active, on the host, and in group 1 or 2.
func (s *Server) authenticate(host int, c *call) string {
	if _, ok := s.st.hosts[host]; !ok {
		return ""
	}
	hash := md5Hex(c.params["pass"])
	if c.params["passhashed"] == "1" {
		hash = strings.ToUpper(c.params["pass"])
	}
	name := c.params["user"]
	for _, u := range s.st.users {
		if !strings.EqualFold(u.LoginName, name) && !strings.EqualFold(u.Email, name) {
			continue
		}
		// The column compares without regard to case, so an upper- or lower-case hash logs
		// in, and so does a plain text stored verbatim by update.
		if !strings.EqualFold(u.PasswordHash, hash) || !u.active() || !slices.Contains(u.Hosts, host) {
			continue
		}
		if !slices.Contains(u.Groups, GroupSystemAdmin) && !slices.Contains(u.Groups, GroupAdministrator) {
			continue
		}
		tok := newToken()
		s.st.sessions[tok] = &session{userID: u.ID, groups: strings.Join(u.Groups, ","), hostID: host,
			expires: s.now().Add(SessionTimeout)}
		s.st.cached[tok] = true
		return tok
	}
	return ""
}

// check finds the session of c's token (tokens match without regard to case) and slides its
// timeout; nil means "Session timeout".
func (s *Server) check(c *call) (*session, string) {
	tok := strings.ToUpper(c.params["sessiontoken"])
	ss, ok := s.st.sessions[tok]
	if !ok {
		return nil, tok
	}
	if !s.now().Before(ss.expires) {
		delete(s.st.sessions, tok)
		return nil, tok
	}
	ss.expires = s.now().Add(SessionTimeout)
	return ss, tok
}

func restartPage(key, tok string) *result {
	return &result{page: true, tr: pageInside, detail: "Error at line 1, column 27",
		msg: fmt.Sprintf("application.razuna.%s[%s] doesn't exist.", key, tok)}
}

func (s *Server) getUser(c *call) *result {
	if r := missing(c, "getuser", "sessiontoken"); r != nil {
		return r
	}
	ss, tok := s.check(c)
	if ss == nil {
		return timeout()
	}
	if !s.st.cached[tok] {
		return restartPage("userid", c.params["sessiontoken"])
	}
	u := s.st.byID(ss.userID)
	if u == nil {
		return fail(4, "message", msgNotFound)
	}
	return ok(4, "userid", u.ID, "loginname", u.LoginName, "email", u.Email, "firstname", u.FirstName, "lastname", u.LastName)
}

// newUser is add's arguments; a missing one is nil.
type newUser struct {
	first, last, email, login, pass, active, group *string
}

func (c *call) opt(name string) *string {
	if v, ok := c.params[name]; ok {
		return &v
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// create is what add does after its checks: insert the user, then its group. The steps are
// not one transaction, so an error in the second leaves the user behind.
func (s *Server) create(nu newUser, host int, v2 bool) (*User, *result) {
	login := deref(nu.login)
	if login == "" {
		return nil, sqlError(`Database reported: NULL not allowed for column "USER_LOGIN_NAME"; SQL statement:` + "\n" + sqlInsertUser + " [23502-196]")
	}
	if n := utf8.RuneCountInString(login); n > 50 {
		return nil, sqlError(fmt.Sprintf(`Database reported: Value too long for column "USER_LOGIN_NAME VARCHAR_IGNORECASE(50) NOT NULL": "CAST('%s' AS VARCHAR_IGNORECASE) (%d)"; SQL statement:`+"\n"+sqlInsertUser+" [22001-196]", login, n))
	}
	u := &User{ID: s.st.newUserID(), LoginName: login, Email: deref(nu.email), FirstName: deref(nu.first),
		LastName: deref(nu.last), PasswordHash: md5Hex(deref(nu.pass)), Active: deref(nu.active), Hosts: []int{host}}
	s.st.users = append(s.st.users, u)
	g := deref(nu.group)
	switch {
	case g == "":
		return u, sqlError(`Database reported: NULL not allowed for column "CT_G_U_GRP_ID"; SQL statement:` + sqlInsertGroup + " [23502-196]")
	case g == "0", v2 && g == GroupSystemAdmin:
	case s.st.groups[g] == "":
		return u, sqlError(fmt.Sprintf(`Database reported: Referential integrity constraint violation: "CT_GROUPS_USERS_GROUPS_FK1: PUBLIC.CT_GROUPS_USERS FOREIGN KEY(CT_G_U_GRP_ID) REFERENCES PUBLIC.GROUPS(GRP_ID) (CAST('%s' AS VARCHAR_IGNORECASE))"; SQL statement:`, strings.ToUpper(g)) + sqlInsertGroup + " [23506-196]")
	default:
		u.Groups = append(u.Groups, g)
	}
	return u, nil
}

func (s *Server) existing(nu newUser) *User {
	for _, u := range s.st.users {
		if nu.email != nil && *nu.email != "" && strings.EqualFold(u.Email, *nu.email) ||
			nu.login != nil && *nu.login != "" && strings.EqualFold(u.LoginName, *nu.login) {
			return u
		}
	}
	return nil
}

func (c *call) newUser() newUser {
	return newUser{first: c.opt("user_first_name"), last: c.opt("user_last_name"), email: c.opt("user_email"),
		login: c.opt("user_name"), pass: c.opt("user_pass"), active: c.opt("user_active"), group: c.opt("groupid")}
}

func (s *Server) add(c *call) *result {
	if r := missing(c, "add", "sessiontoken"); r != nil {
		return r
	}
	ss, tok := s.check(c)
	if ss == nil {
		return timeout()
	}
	if !s.st.cached[tok] {
		return restartPage("hostid", c.params["sessiontoken"])
	}
	// The server compares the group list stored at login with IN ('1','2'): a list of one
	// of them passes, and so did the seeded administrator's "1,2" on a real server, while a
	// user whose list started with 2 was refused. The fake lets a list pass that is "2" or
	// starts with "1".
	if ss.groups != GroupAdministrator && !strings.HasPrefix(ss.groups+",", GroupSystemAdmin+",") {
		return fail(4, "message", msgNotSysAdmin)
	}
	nu := c.newUser()
	if u := s.existing(nu); u != nil {
		return fail(4, "message", msgExists, "userid", u.ID)
	}
	u, errPage := s.create(nu, ss.hostID, false)
	if errPage != nil {
		return errPage
	}
	return ok(4, "message", msgAdded, "userid", u.ID)
}

// applyUserdata runs update's loop over the [key, value] pairs: keys holding "user_" set that
// column, keys holding "group_id" replace the user's groups (all removed first). Each step is
// applied at once, so a bad pair fails after the earlier ones took effect.
func (s *Server) applyUserdata(u *User, raw string) *result {
	var data any
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		if strings.TrimSpace(raw) == "" {
			return &result{page: true, tr: pageInside, msg: "the parameter is not an Array"}
		}
		off := 0
		if se, ok := err.(*json.SyntaxError); ok {
			off = int(se.Offset)
		}
		return &result{page: true, tr: pageInside, msg: fmt.Sprintf("[Invalid JSON] Line=1; Column=%d; Offset=%d", off+1, off)}
	}
	pairs, ok := data.([]any)
	if !ok {
		return &result{page: true, tr: pageInside, msg: "the parameter is not an Array"}
	}
	groupsCleared := false
	for _, p := range pairs {
		pair, ok := p.([]any)
		if !ok || len(pair) < 2 {
			return &result{page: true, tr: pageInside, msg: "the parameter is not an Array"}
		}
		key, val := strings.ToLower(text(pair[0])), text(pair[1])
		switch {
		case strings.Contains(key, "user_"):
			col := map[string]*string{
				"user_login_name": &u.LoginName, "user_first_name": &u.FirstName, "user_last_name": &u.LastName,
				"user_email": &u.Email, "user_pass": &u.PasswordHash, "user_active": &u.Active,
			}[key]
			if col == nil {
				return sqlError(fmt.Sprintf("Database reported: Column %q not found; SQL statement:\nUPDATE users\n\t\t\t\t\t\tSET %s = ?\n\t\t\t\t\t\tWHERE user_id = ? [42122-196]", strings.ToUpper(key), key))
			}
			*col = val
		case strings.Contains(key, "group_id"):
			if !groupsCleared {
				u.Groups, groupsCleared = nil, true
			}
			switch {
			case val == "":
				return sqlError(`Database reported: NULL not allowed for column "CT_G_U_GRP_ID"; SQL statement:` + sqlUpdateGroup + " [23502-196]")
			case s.st.groups[val] == "":
				return sqlError(fmt.Sprintf(`Database reported: Referential integrity constraint violation: "CT_GROUPS_USERS_GROUPS_FK1: PUBLIC.CT_GROUPS_USERS FOREIGN KEY(CT_G_U_GRP_ID) REFERENCES PUBLIC.GROUPS(GRP_ID) (CAST('%s' AS VARCHAR_IGNORECASE))"; SQL statement:`, strings.ToUpper(val)) + sqlUpdateGroup + " [23506-196]")
			}
			u.Groups = append(u.Groups, val)
		}
	}
	return nil
}

// text renders a JSON value as CFML would use it as a string.
func text(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *Server) update(c *call) *result {
	if r := missing(c, "update", "sessiontoken", "userid", "userloginname", "useremail", "userdata"); r != nil {
		return r
	}
	if ss, _ := s.check(c); ss == nil {
		return timeout()
	}
	u := s.st.lookup(c.params["userid"], c.params["userloginname"], c.params["useremail"])
	if u == nil {
		return fail(4, "message", msgNotFound)
	}
	if r := s.applyUserdata(u, c.params["userdata"]); r != nil {
		return r
	}
	return ok(4, "message", msgUpdated, "userid", u.ID)
}

func (s *Server) delete(c *call) *result {
	if r := missing(c, "delete", "sessiontoken", "userid", "userloginname", "useremail"); r != nil {
		return r
	}
	ss, tok := s.check(c)
	if ss == nil {
		return timeout()
	}
	u := s.st.lookup(c.params["userid"], c.params["userloginname"], c.params["useremail"])
	if u == nil {
		return fail(4, "message", msgNotFound)
	}
	// The host links go first; then the cart of the token's host needs the cached prefix,
	// which a restarted server no longer has.
	u.Hosts = nil
	if !s.st.cached[tok] {
		return restartPage("prefix", "arguments.sessiontoken")
	}
	s.st.remove(u)
	return ok(4, "message", msgRemoved, "userid", u.ID)
}

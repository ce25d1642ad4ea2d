package razuna

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// AuthenticationService logs in to the v1 API (razuna/razuna-docs,
// "docs/api old/Authentication API1.md"; razuna/razuna, global/api/authentication.cfc). A Client logs in by
// itself with Config's credentials; these calls return a session token to a caller who
// wants one for other tools. A token expires after 30 minutes without a call.
type AuthenticationService service

// Session is a v1 session token and the host it belongs to.
type Session struct {
	// Token is the session token: 32 hex digits. It is a credential: keep it out of logs.
	Token string
	// HostID is the host the session belongs to: the one asked for by Login, the one the
	// server found by LoginHost.
	HostID int
}

// Login logs in to host hostID as username (a login name or email) and returns the session.
// A wrong password, an unknown host, an inactive user and a user outside the SystemAdmin and
// Administrator groups all get the same answer, an error matching ErrUnauthorized.
//
// Endpoint: POST /global/api/authentication.cfc?method=login
//
//roster:endpoint POST /global/api/authentication.cfc?method=login
func (s *AuthenticationService) Login(ctx context.Context, hostID int, username, password string) (*Session, error) {
	if hostID <= 0 {
		return nil, vendor.Invalid("hostID", "must be positive, got %d", hostID)
	}
	if err := checkCredentials(username, password); err != nil {
		return nil, err
	}
	return s.c.login(ctx, hostID, "", username, password)
}

// LoginHost logs in to the host named hostName ("demo.razuna.com": the server uses the part
// before the first dot) and returns the session with the host's id. Failures are as Login's.
//
// Endpoint: POST /global/api/authentication.cfc?method=loginhost
//
//roster:endpoint POST /global/api/authentication.cfc?method=loginhost
func (s *AuthenticationService) LoginHost(ctx context.Context, hostName, username, password string) (*Session, error) {
	if err := checkHostName(hostName); err != nil {
		return nil, err
	}
	if err := checkCredentials(username, password); err != nil {
		return nil, err
	}
	return s.c.login(ctx, 0, hostName, username, password)
}

func checkCredentials(username, password string) error {
	if err := vendor.CheckName("username", username, false); err != nil {
		return err
	}
	return vendor.CheckSecret("password", password)
}

// checkHostName refuses a host name without a dot: the server cuts the name at the first dot
// and fails with an exception when there is none.
func checkHostName(name string) error {
	if err := vendor.CheckName("HostName", name, false); err != nil {
		return err
	}
	if i := strings.IndexByte(name, '.'); i <= 0 {
		return vendor.Invalid("HostName", "%q: want a host name with a dot, like demo.razuna.com", name)
	}
	return nil
}

// login sends login (hostName empty) or loginhost. It goes without the session (it makes
// one) and is retried like a read: an extra session is harmless. passhashed is always sent:
// the server fails without it. The password goes in plain text, as the API's own clients
// send it; the server hashes it.
func (c *Client) login(ctx context.Context, hostID int, hostName, username, password string) (*Session, error) {
	if c.v1core == nil {
		return nil, vendor.Invalid("Username", "missing: API v1 calls need HostID or HostName, Username and Password")
	}
	tmpl := "/global/api/authentication.cfc?method=login"
	form := url.Values{"user": {username}, "pass": {password}, "passhashed": {"0"}, "__BDRETURNFORMAT": {"plain"}}
	if hostName != "" {
		tmpl = "/global/api/authentication.cfc?method=loginhost"
		form.Set("hostname", hostName)
	} else {
		form.Set("hostid", strconv.Itoa(hostID))
	}
	req, err := c.v1core.NewRequest(ctx, http.MethodPost, tmpl)
	if err != nil {
		return nil, vendor.Own(err)
	}
	req.SkipAuth().MarkReadOnly()
	req.SetForm(form)
	hash := md5Hex(password)
	req.AddSecrets(password, hash, strings.ToLower(hash))
	var r reply
	if err := c.v1core.Do(req, &r); err != nil {
		return nil, err
	}
	tok := r.get("sessiontoken")
	if tok == "" {
		return nil, c.v1core.BadReply(req, "no <sessiontoken> in the reply")
	}
	sess := &Session{Token: tok, HostID: hostID}
	if hostName != "" {
		id, err := strconv.Atoi(r.get("hostid"))
		if err != nil || id <= 0 {
			return nil, c.v1core.BadReply(req, "no numeric <hostid> in the reply")
		}
		sess.HostID = id
	}
	return sess, nil
}

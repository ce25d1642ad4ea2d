package reltiotest

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/rosterhq/roster/internal/fake"
)

// ExpireTokens ends every access token issued so far (DefaultToken excepted), as a token
// reaching its lifetime or a login elsewhere does: the next call with one gets a 401, and the
// next token request gets a new token.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.st.tokens {
		if t != DefaultToken {
			delete(s.st.tokens, t)
		}
	}
	s.st.client = ""
}

// BreakTokens makes the API refuse every token (DefaultToken excepted) while the token
// endpoint keeps re-issuing the same client_credentials token: a server whose token store
// and API disagree. A client must not loop on it. RepairTokens ends it.
func (s *Server) BreakTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.broken = true
}

// RepairTokens undoes BreakTokens.
func (s *Server) RepairTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.broken = false
}

// TokenRequests returns how many requests reached the token endpoint (those a Fault
// answered included).
func (s *Server) TokenRequests() int {
	n := 0
	for _, r := range s.kit.Requests() {
		if r.Path == Prefix+"/token" {
			n++
		}
	}
	return n
}

// tokenReply is TokenResponse of Reltio's "Tenant Management" OpenAPI export.
type tokenReply struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
}

// scope is the scope of the spec's token example.
const scope = "clients_api configuration_api entities_api graphs_api groups_api interactions_api relations_api users_api"

// fullAuth is the 401 the spec shows for a request without credentials.
var fullAuth = oauthError{Error: "unauthorized", ErrorDescription: "Full authentication is required to access this resource"}

// postToken answers POST /token: the client in HTTP Basic (for every grant), and a form of
// grant_type plus that grant's fields and nothing else (Reltio's "Obtaining access tokens
// with client credentials grant type", "... with Password Grant Type" and "Refresh Token"
// pages). Over the rate limit it answers 429 before it looks at anything else.
func (s *Server) postToken(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !s.admitLocked(now) {
		// Reltio documents the 429 but no body for it; this is the text its Configuration
		// export gives its 429s ("Too many requests, please try later").
		c.JSON(http.StatusTooManyRequests, apiError{ErrorCode: http.StatusTooManyRequests, ErrorMessage: "Too many requests, please try later"})
		return
	}
	if !s.checkClient(c.R) {
		c.JSON(http.StatusUnauthorized, fullAuth)
		return
	}
	grant := c.Form.Get("grant_type")
	var form = c.Form
	var ok bool
	switch grant {
	case "client_credentials":
		form, ok = c.DecodeForm([]string{"grant_type"}, nil)
	case "password":
		form, ok = c.DecodeForm([]string{"grant_type", "username", "password"}, nil)
	case "refresh_token":
		form, ok = c.DecodeForm([]string{"grant_type", "refresh_token"}, nil)
	default:
		c.JSON(http.StatusBadRequest, oauthError{Error: "unsupported_grant_type", ErrorDescription: "Unsupported grant type: " + grant})
		return
	}
	if !ok {
		return
	}
	reply := tokenReply{TokenType: "bearer", Scope: scope}
	switch grant {
	case "client_credentials":
		// Without Multi Token Support Reltio hands out the same token while it is valid, and
		// does not extend it.
		if t, ok := s.st.tokens[s.st.client]; ok && s.st.client != "" && now.Before(t.expiry) {
			reply.AccessToken = s.st.client
			reply.ExpiresIn = max(int64(t.expiry.Sub(now)/time.Second), 1)
			c.JSON(http.StatusOK, reply)
			return
		}
		reply.AccessToken, reply.ExpiresIn = s.issueLocked("", now)
		s.st.client = reply.AccessToken
	case "password":
		u := s.st.user(form.Get("username"))
		if u == nil || u.Password == "" || subtle.ConstantTimeCompare([]byte(u.Password), []byte(form.Get("password"))) != 1 {
			c.JSON(http.StatusBadRequest, oauthError{Error: "invalid_grant", ErrorDescription: "Invalid Username or Password"})
			return
		}
		u.LastLoginDate = now.UnixMilli()
		key := strings.ToLower(u.Username)
		reply.AccessToken, reply.ExpiresIn = s.issueLocked(key, now)
		reply.RefreshToken = newSecret()
		s.st.refresh[reply.RefreshToken] = key
	case "refresh_token":
		rt := form.Get("refresh_token")
		key, ok := s.st.refresh[rt]
		if !ok {
			c.JSON(http.StatusBadRequest, oauthError{Error: "invalid_grant", ErrorDescription: "Invalid refresh token"})
			return
		}
		reply.AccessToken, reply.ExpiresIn = s.issueLocked(key, now)
		reply.RefreshToken = rt
	}
	c.JSON(http.StatusOK, reply)
}

// issueLocked mints an access token and returns it with its lifetime in seconds.
func (s *Server) issueLocked(user string, now time.Time) (string, int64) {
	t := newSecret()
	s.st.tokens[t] = &token{expiry: now.Add(s.cfg.lifetime), user: user}
	return t, max(int64(s.cfg.lifetime/time.Second), 1)
}

// admitLocked counts a token request against the limit of cfg.rate a second.
func (s *Server) admitLocked(now time.Time) bool {
	if s.cfg.rate <= 0 {
		return true
	}
	log := s.st.tokenLog[:0]
	for _, t := range s.st.tokenLog {
		if now.Sub(t) < time.Second {
			log = append(log, t)
		}
	}
	s.st.tokenLog = log
	if len(log) >= s.cfg.rate {
		return false
	}
	s.st.tokenLog = append(s.st.tokenLog, now)
	return true
}

func (s *Server) checkClient(r *http.Request) bool {
	return fake.CheckBasic(r, s.cfg.clientID, s.cfg.clientSecret)
}

// authorize lets through a request with a valid bearer token, and answers any other with
// Reltio's 401. The description of a refused token quotes it, as Reltio's does ("Token is
// invalid: <token>"), so that tests see the client scrub it.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Values("Authorization")
	if len(h) != 1 || !strings.HasPrefix(h[0], "Bearer ") {
		fake.WriteJSON(w, http.StatusUnauthorized, fullAuth)
		return false
	}
	tok := strings.TrimPrefix(h[0], "Bearer ")
	s.mu.Lock()
	t, ok := s.st.tokens[tok]
	valid := ok && (t.expiry.IsZero() || s.now().Before(t.expiry)) && (!s.st.broken || tok == DefaultToken)
	s.mu.Unlock()
	if !valid {
		fake.WriteJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_token", ErrorDescription: "Token is invalid: " + tok})
		return false
	}
	return true
}

// postRevoke answers POST /revoke?token=: the token stops working. Reltio's "Revoke an access
// token" page shows {"status": "success"}; an unknown token gets the same reply (revoking is
// idempotent: the fake's assumption, no source shows the case).
func (s *Server) postRevoke(c *fake.Call) {
	tok := c.Var("token")
	s.mu.Lock()
	if tok != DefaultToken {
		delete(s.st.tokens, tok)
		if s.st.client == tok {
			s.st.client = ""
		}
	}
	s.mu.Unlock()
	c.JSON(http.StatusOK, map[string]string{"status": "success"})
}

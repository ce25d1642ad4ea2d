package reltiotest

import (
	"errors"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// The token endpoint is the kit's OAuth2 token server set up as Reltio's: client credentials
// in HTTP Basic for every grant, a form of grant_type plus that grant's fields and nothing
// else (no scope), client_credentials tokens re-issued while valid, and a rate limit.

// scope is the scope of the token example in Reltio's "Tenant Management" OpenAPI export.
const scope = "clients_api configuration_api entities_api graphs_api groups_api interactions_api relations_api users_api"

// ExpireTokens ends every access token issued so far (DefaultToken excepted), as a token
// reaching its lifetime or a login elsewhere does: the next call with one gets a 401, and the
// next token request gets a new token.
func (s *Server) ExpireTokens() { s.tokens.ExpireAll() }

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

// fullAuth is the 401 Reltio's spec shows for a request without credentials.
var fullAuth = oauthError{Error: "unauthorized", ErrorDescription: "Full authentication is required to access this resource"}

// authorize lets through a request with a valid bearer token, and answers any other with
// Reltio's 401. The description of a refused token quotes it, as Reltio's does ("Token is
// invalid: <token>"), so that tests see the client scrub it.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	if h := r.Header.Values("Authorization"); len(h) == 1 && h[0] == "Bearer "+DefaultToken {
		return true
	}
	_, err := s.tokens.Check(r)
	if errors.Is(err, fake.ErrNoToken) {
		fake.WriteJSON(w, http.StatusUnauthorized, fullAuth)
		return false
	}
	s.mu.Lock()
	broken := s.st.broken
	s.mu.Unlock()
	if err != nil || broken {
		_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		fake.WriteJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_token", ErrorDescription: "Token is invalid: " + tok})
		return false
	}
	return true
}

// postRevoke answers POST /revoke?token=: the token stops working. Reltio's "Revoke an access
// token" page shows {"status": "success"}; an unknown token gets the same reply (revoking is
// idempotent: the fake's assumption, no source shows the case).
func (s *Server) postRevoke(c *fake.Call) {
	if tok := c.Var("token"); tok != DefaultToken {
		s.tokens.Revoke(tok)
	}
	c.JSON(http.StatusOK, map[string]string{"status": "success"})
}

// TokenStats counts what the token endpoint itself answered (not the requests a Fault
// answered before it): Requests, Issued (tokens minted; a re-issued one is not counted
// again), Limited (answered 429 by the rate limit) and Refused (400, 401 or 405). It is
// defined in an internal package.
type TokenStats = fake.TokenStats

// TokenStats returns the token endpoint's counts so far.
func (s *Server) TokenStats() TokenStats { return s.tokens.Stats() }

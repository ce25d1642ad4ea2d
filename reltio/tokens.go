package reltio

import (
	"context"
	"net/http"
	"net/url"
)

// TokensService gets and revokes access tokens.
//
// Reltio documents the token endpoint on its Authentication API pages ("Obtaining access
// tokens with client credentials grant type", "Obtaining an Access Token with Password Grant
// Type", "Refresh Token" on https://docs.reltio.com, Authentication API)
// and in its "Tenant Management" OpenAPI export (getToken). The client calls it itself; use
// Token to reach Reltio's tenant data APIs, which take the same Bearer token.
type TokensService service

// Token returns the client's access token, getting one from the token endpoint when none is
// cached or the cached one expires within the skew. Concurrent callers share one request.
// With Config.AccessToken it returns that token and calls nothing.
//
// The request is a form with grant_type (client_credentials, or password with username and
// password) and nothing else; the client id and secret go in HTTP Basic. A refresh_token the
// server returned is used before the configured grant. Reltio allows 10 token requests a
// second: a 429 is waited out within the retry policy's MaxWait. Bad client credentials are
// an error matching ErrUnauthorized.
//
// Endpoint: POST /token
//
//roster:endpoint POST /token
func (s *TokensService) Token(ctx context.Context) (*Token, error) {
	if s.c.tokens == nil {
		return &Token{AccessToken: s.c.static, TokenType: "bearer"}, nil
	}
	t, err := s.c.tokens.Token(ctx)
	if err != nil {
		return nil, err // the core's *Error, or ctx's error
	}
	return &t, nil
}

// Revocation is the reply to a token revocation.
type Revocation struct {
	// Status is "success".
	Status string `json:"status"`
	// LogoutURI is where a SAML tenant's user logs out, when the server sends one.
	LogoutURI string `json:"logoutUri"`
}

// Revoke revokes an access token. Revoking the client's own token makes the client fetch a
// new one for its next call (a client with Config.AccessToken cannot: its next call fails
// with ErrUnauthorized).
//
// Reltio's "Revoke an access token" page documents the token as a query parameter
// (POST {oauth_uri}/revoke?token=...); roster sends it there and scrubs it from every URL it
// shows or logs.
//
// Endpoint: POST /revoke
//
//roster:endpoint POST /revoke
func (s *TokensService) Revoke(ctx context.Context, token string) (*Revocation, error) {
	if err := vendor.CheckSecret("token", token); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/revoke")
	if err != nil {
		return nil, err
	}
	req.AddSecrets(token)
	if err := req.SetQuery(url.Values{"token": {token}}); err != nil {
		return nil, err
	}
	var out Revocation
	if err := s.c.core.Do(req, &out); err != nil {
		return nil, err
	}
	if s.c.tokens != nil {
		s.c.tokens.Forget(token) // the client's own: fetch a new one, not a 401
	}
	return &out, nil
}

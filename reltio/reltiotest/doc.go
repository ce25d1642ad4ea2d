// Package reltiotest runs a strict, in-memory fake of Reltio's Auth service (the oauth_uri
// API: token endpoint, users, customer groups, roles, role permissions, password policy and
// customer), seeded with the customer of Reltio's "Create Users" sample:
//
//	srv := reltiotest.NewServer()
//	defer srv.Close()
//	client, _ := reltio.NewClient(reltio.Config{
//		AuthURL:      srv.URL,
//		Customer:     srv.Customer,
//		ClientID:     srv.ClientID,
//		ClientSecret: srv.ClientSecret,
//	})
//	srv.Kit().Inject(reltiotest.Fault{Path: "/oauth/token", Status: 429})
//	// ... run the code under test, then check srv.User("jane@example.com"), srv.Kit().Requests() ...
//
// The token endpoint takes the client's credentials in HTTP Basic and a form holding
// grant_type (client_credentials, password or refresh_token) and that grant's fields, nothing
// else. It re-issues the same client_credentials token while it is valid, as Reltio does
// without Multi Token Support, limits token requests to 10 a second (429), and its tokens
// expire after WithTokenLifetime (ExpireTokens ends them at once). Every other endpoint
// wants "Authorization: Bearer <token>" and answers a bad token as Reltio does, with a 401
// whose description echoes the token.
//
// The API's checks: JSON bodies are decoded strictly (unknown or duplicate keys are a 400);
// users must use the userPermissions format (the old top-level roles and tenants arrays are
// refused); a password is accepted on create only; a taken username or email fails the whole
// create with Reltio's 500 "already in use"; groups must exist. Errors come in Reltio's
// shapes: {"errorCode": 404, "errorMessage": "..."} for the API, {"error": ...,
// "error_description": ...} for tokens.
package reltiotest

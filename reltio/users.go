package reltio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// UsersService creates, reads, replaces and deletes users, and manages their groups and
// tokens.
//
// Reltio documents creating users on the "Create Users" page of its User Management API
// (https://docs.reltio.com) and the
// other user operations in its "Tenant Management" OpenAPI export (UsersController; kept in
// https://github.com/JoelSnipes/ReltioApiCollection, openApiSpec/Tenant Management.json).
// None of the lists page: each returns every user the caller may see.
type UsersService service

// GetOptions are the options of UsersService.Get.
type GetOptions struct {
	// ResolveGroups also lists the roles the user gets from groups in the user's roles
	// (resolveGroups=true). Never write such a user back: the group roles would become
	// direct roles. Modify reads without it.
	ResolveGroups bool
}

// UpdateOptions are the options of the calls that change a user.
type UpdateOptions struct {
	// SkipTokenRevocation keeps the user's access tokens valid (skipTokenRevocation=true).
	// By the parameter's name, a change revokes them otherwise; Reltio does not document
	// its default.
	SkipTokenRevocation bool
}

func updateQuery(opts []UpdateOptions) url.Values {
	for _, o := range opts {
		if o.SkipTokenRevocation {
			return url.Values{"skipTokenRevocation": {"true"}}
		}
	}
	return nil
}

// UserRef is a user's name and email, as the tenant user list returns them.
type UserRef struct {
	Username string `json:"username"`
	Email    string `json:"email"`
}

// List returns every user the caller may read.
//
// Endpoint: GET /users
//
//roster:endpoint GET /users
func (s *UsersService) List(ctx context.Context) ([]User, error) {
	var out []User
	if err := (*service)(s).do(ctx, http.MethodGet, "/users", nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Create creates users and returns them as the server stored them (without passwords).
// Reltio creates all of them or none: one username already taken fails the whole call with
// an error matching ErrConflict (Reltio's 500 "Username ... is already in use"). Users
// without a Customer get Config.Customer; users are checked before anything is sent, and the
// caller's slice is not changed.
//
// It is a write: after a lost reply it is not resent, and the error matches
// ErrMaybeApplied; look the users up before trying again. A reply without users (Reltio's
// spec documents an array, its example a single object; both are read) returns the users as
// sent, without passwords.
//
// Doc: "Create Users", https://docs.reltio.com (User Management API).
//
// Endpoint: POST /users
//
//roster:endpoint POST /users
func (s *UsersService) Create(ctx context.Context, users []User) ([]User, error) {
	if len(users) == 0 {
		return nil, vendor.Invalid("users", "empty: nothing to create")
	}
	body := make([]userCreateWire, len(users))
	sent := make([]User, len(users))
	seen := make(map[string]int, len(users))
	var passwords []string
	for i := range users {
		u := users[i]
		if u.Customer == "" {
			u.Customer = s.c.customer
		}
		field := fmt.Sprintf("users[%d]", i)
		if err := checkUser(field, &u, true); err != nil {
			return nil, err
		}
		key := strings.ToLower(u.Username)
		if j, dup := seen[key]; dup {
			return nil, vendor.Invalid(field+".Username", "%q is also users[%d]'s", u.Username, j)
		}
		seen[key] = i
		body[i] = u.createWire()
		if u.Password != "" {
			passwords = append(passwords, u.Password)
		}
		u.Password = ""
		sent[i] = u
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/users")
	if err != nil {
		return nil, err
	}
	req.AddSecrets(passwords...)
	if err := req.SetJSON(body); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := s.c.core.Do(req, &raw); err != nil {
		return nil, err
	}
	created, err := decodeUsers(raw)
	if err != nil {
		return nil, s.c.core.BadReply(req, "the reply holds no users that can be read: %v", err)
	}
	if created == nil {
		return sent, nil
	}
	return created, nil
}

// decodeUsers reads a reply that holds an array of users or a single user. An empty reply
// (or null) gives nil, nil.
func decodeUsers(raw []byte) ([]User, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil, nil
	}
	if trimmed[0] == '{' {
		var u User
		if err := json.Unmarshal(trimmed, &u); err != nil {
			return nil, err
		}
		return []User{u}, nil
	}
	var out []User
	if err := json.Unmarshal(trimmed, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Get returns the user with the given username or email. An unknown user is an error
// matching ErrNotFound.
//
// Endpoint: GET /users/{username}
//
//roster:endpoint GET /users/{username}
func (s *UsersService) Get(ctx context.Context, username string, opts ...GetOptions) (*User, error) {
	if err := vendor.CheckText("username", username); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/users/{username}", username)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o.ResolveGroups {
			if err := req.SetQuery(url.Values{"resolveGroups": {"true"}}); err != nil {
				return nil, err
			}
			break
		}
	}
	var u User
	if err := s.c.core.Do(req, &u); err != nil {
		return nil, err
	}
	if u.Username == "" && u.Email == "" {
		return nil, s.c.core.BadReply(req, "the reply holds no user")
	}
	return &u, nil
}

// Update replaces the user named username (a username or email) with u and returns the
// stored user. Every field of u is sent and the server keeps nothing else ("Update Users":
// the request overrides the user completely), so a User built from scratch wipes the fields
// it leaves empty: use Modify to change a user. u must not carry a Password.
//
// It is a write: after a lost reply it is not resent, and the error matches ErrMaybeApplied.
//
// Endpoint: PUT /users/{username}
//
//roster:endpoint PUT /users/{username}
func (s *UsersService) Update(ctx context.Context, username string, u User, opts ...UpdateOptions) (*User, error) {
	if err := vendor.CheckText("username", username); err != nil {
		return nil, err
	}
	if u.Customer == "" {
		u.Customer = s.c.customer
	}
	if err := checkUser("User", &u, false); err != nil {
		return nil, err
	}
	var out User
	if err := (*service)(s).do(ctx, http.MethodPut, "/users/{username}", updateQuery(opts), u.wire(), &out, username); err != nil {
		return nil, err
	}
	if out.Username == "" && out.Email == "" {
		// The change went through; the reply just does not show it.
		return &u, nil
	}
	return &out, nil
}

// Modify reads the user named username, lets change edit it, and writes the whole user back,
// so fields change passes over keep their values. The read does not resolve groups, so the
// roles groups give are not written back as direct roles. When change leaves the user as it
// was, nothing is written (and no tokens are revoked); the user read is returned. An error
// from change is returned as it is, before anything is written.
//
// Between the read and the write another client's change to the same user is lost: Reltio
// offers no version check.
//
// Endpoints: GET /users/{username}, PUT /users/{username}
//
//roster:endpoint GET /users/{username}
//roster:endpoint PUT /users/{username}
func (s *UsersService) Modify(ctx context.Context, username string, change func(*User) error, opts ...UpdateOptions) (*User, error) {
	if change == nil {
		return nil, vendor.Invalid("change", "nil function")
	}
	u, err := s.Get(ctx, username)
	if err != nil {
		return nil, err
	}
	before, err := json.Marshal(u.wire())
	if err != nil {
		return nil, err
	}
	edited := *u
	edited.Permissions.Roles = cloneRoles(u.Permissions.Roles)
	edited.Groups = append([]string(nil), u.Groups...)
	if err := change(&edited); err != nil {
		return nil, err
	}
	if edited.Password != "" {
		return nil, vendor.Invalid("User.Password", "cannot be changed through Modify or Update; no Reltio source shows a way")
	}
	after, err := json.Marshal(edited.wire())
	if err != nil {
		return nil, err
	}
	if bytes.Equal(before, after) {
		return u, nil
	}
	return s.Update(ctx, username, edited, opts...)
}

func cloneRoles(r Roles) Roles {
	if r == nil {
		return nil
	}
	out := make(Roles, len(r))
	for k, v := range r {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Delete deletes the user named username (a username or email). An unknown user is an
// error matching ErrNotFound. It is a write: after a lost reply it is not resent.
//
// Endpoint: DELETE /users/{username}
//
//roster:endpoint DELETE /users/{username}
func (s *UsersService) Delete(ctx context.Context, username string) error {
	if err := vendor.CheckText("username", username); err != nil {
		return err
	}
	return (*service)(s).do(ctx, http.MethodDelete, "/users/{username}", nil, nil, nil, username)
}

// Groups returns the ids of the groups the user belongs to.
//
// Endpoint: GET /users/{username}/groups
//
//roster:endpoint GET /users/{username}/groups
func (s *UsersService) Groups(ctx context.Context, username string) ([]string, error) {
	if err := vendor.CheckText("username", username); err != nil {
		return nil, err
	}
	var out []string
	if err := (*service)(s).do(ctx, http.MethodGet, "/users/{username}/groups", nil, nil, &out, username); err != nil {
		return nil, err
	}
	return out, nil
}

// SetGroups replaces the user's groups with groups (none removes the user from every group)
// and returns the groups the server reports. A group the customer does not have fails the
// call with a 400 ("Group 'SALES_GROUP' doesn't exist under customer ...").
//
// Endpoint: PUT /users/{username}/groups
//
//roster:endpoint PUT /users/{username}/groups
func (s *UsersService) SetGroups(ctx context.Context, username string, groups []string, opts ...UpdateOptions) ([]string, error) {
	if err := vendor.CheckText("username", username); err != nil {
		return nil, err
	}
	if err := checkGroups("groups", groups); err != nil {
		return nil, err
	}
	body := groupsContainer{Groups: append(make([]string, 0, len(groups)), groups...)}
	var out groupsContainer
	if err := (*service)(s).do(ctx, http.MethodPut, "/users/{username}/groups", updateQuery(opts), body, &out, username); err != nil {
		return nil, err
	}
	if out.Groups == nil {
		return body.Groups, nil
	}
	return out.Groups, nil
}

// groupsContainer is the {"groups": [...]} body and reply of PUT /users/{username}/groups.
type groupsContainer struct {
	Groups []string `json:"groups"`
}

// RevokeTokens revokes every access token of the user.
//
// Endpoint: PUT /users/{username}/revoketokens
//
//roster:endpoint PUT /users/{username}/revoketokens
func (s *UsersService) RevokeTokens(ctx context.Context, username string) error {
	if err := vendor.CheckText("username", username); err != nil {
		return err
	}
	return (*service)(s).do(ctx, http.MethodPut, "/users/{username}/revoketokens", nil, nil, nil, username)
}

// ListByGroup returns the users in the group groupID.
//
// Endpoint: GET /users/groups/{groupId}
//
//roster:endpoint GET /users/groups/{groupId}
func (s *UsersService) ListByGroup(ctx context.Context, groupID string) ([]User, error) {
	if err := vendor.CheckText("groupID", groupID); err != nil {
		return nil, err
	}
	var out []User
	if err := (*service)(s).do(ctx, http.MethodGet, "/users/groups/{groupId}", nil, nil, &out, groupID); err != nil {
		return nil, err
	}
	return out, nil
}

// ListByTenant returns the name and email of every user with access to the tenant.
//
// Endpoint: GET /users/tenants/{tenantId}
//
//roster:endpoint GET /users/tenants/{tenantId}
func (s *UsersService) ListByTenant(ctx context.Context, tenantID string) ([]UserRef, error) {
	if err := vendor.CheckText("tenantID", tenantID); err != nil {
		return nil, err
	}
	var out []UserRef
	if err := (*service)(s).do(ctx, http.MethodGet, "/users/tenants/{tenantId}", nil, nil, &out, tenantID); err != nil {
		return nil, err
	}
	return out, nil
}

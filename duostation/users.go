package duostation

import (
	"context"
	"net/http"
	"strconv"
)

// UsersService lists, searches, creates, updates and deletes users: the document's "Manage
// users" section.
type UsersService service

// User is a user. The document shows no response body: these are the fields its requests
// name, matched in any case ("Id" or "id"). Version 4.8.33 says more is returned; unknown
// fields are ignored.
type User struct {
	ID           int    `json:"id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	PhoneNumber  string `json:"phoneNumber"`
	AccountGroup string `json:"accountGroup"`
	AccountName  string `json:"accountName"`
	// GroupID is the id of the user's group; the user's devices are in it too.
	GroupID    int    `json:"groupId"`
	Company    string `json:"company"`
	Office     string `json:"office"`
	Department string `json:"department"`
	Position   string `json:"position"`
}

// UserCreate is a new user. Only Name is required; the fields left nil are not sent.
type UserCreate struct {
	// Name is the user's name. Required.
	Name         string  `json:"name"`
	Email        *string `json:"email,omitempty"`
	PhoneNumber  *string `json:"phoneNumber,omitempty"`
	AccountGroup *string `json:"accountGroup,omitempty"`
	AccountName  *string `json:"accountName,omitempty"`
	// GroupID is the id of the user's group (0 is the root).
	GroupID    *int    `json:"groupId,omitempty"`
	Company    *string `json:"company,omitempty"`
	Office     *string `json:"office,omitempty"`
	Department *string `json:"department,omitempty"`
	Position   *string `json:"position,omitempty"`
}

// UserUpdate is a change to a user: only the fields that are set (non-nil) are sent, so the
// server keeps the others. The account group and name cannot be changed through the API.
type UserUpdate struct {
	Name        *string `json:"name,omitempty"`
	Email       *string `json:"email,omitempty"`
	PhoneNumber *string `json:"phoneNumber,omitempty"`
	// GroupID moves the user to another group (0 is the root); the server moves the
	// user's devices with it and reconfigures them.
	GroupID    *int    `json:"groupId,omitempty"`
	Company    *string `json:"company,omitempty"`
	Office     *string `json:"office,omitempty"`
	Department *string `json:"department,omitempty"`
	Position   *string `json:"position,omitempty"`
}

// UserSearch selects users. The fields that are set combine: a user must match all of them.
// The zero value (or nil) selects every user.
type UserSearch struct {
	// Email is the user's email address.
	Email string `url:"email,omitempty"`
	// PhoneNumber is the user's phone number.
	PhoneNumber string `url:"phoneNumber,omitempty"`
	// Account is the user's account name.
	Account string `url:"account,omitempty"`
	// GroupID is the id of the user's group (0 is the root).
	GroupID *int `url:"groupId,omitempty"`
	// TagID is the id of a tag linked to the user.
	TagID *int `url:"tagId,omitempty"`
}

func (q *UserSearch) check() error {
	if q == nil {
		return nil
	}
	for _, f := range []struct{ name, v string }{{"Email", q.Email}, {"PhoneNumber", q.PhoneNumber}, {"Account", q.Account}} {
		if err := checkSearchText(f.name, f.v); err != nil {
			return err
		}
	}
	if err := checkOptionalID("GroupID", q.GroupID); err != nil {
		return err
	}
	return checkOptionalID("TagID", q.TagID)
}

// List returns the users that search selects; nil selects every user.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get users" and "Search for users" (the tag and
// group filters since 4.8.33).
//
// Endpoint: GET /api/users
//
//roster:endpoint GET /api/users
func (s *UsersService) List(ctx context.Context, search *UserSearch) ([]User, error) {
	if err := search.check(); err != nil {
		return nil, err
	}
	return list[User](ctx, (*service)(s), "/api/users", search)
}

// Get returns the user with the given id. An unknown id is an error matching ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get user specified by id".
//
// Endpoint: GET /api/users/{id}
//
//roster:endpoint GET /api/users/{id}
func (s *UsersService) Get(ctx context.Context, id int) (*User, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[User](ctx, (*service)(s), "/api/users/{id}", strconv.Itoa(id))
}

// Create adds a user and returns its id.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Add a user" (more fields since 4.8.27).
//
// Endpoint: POST /api/users
//
//roster:endpoint POST /api/users
func (s *UsersService) Create(ctx context.Context, u UserCreate) (int, error) {
	if err := checkText("Name", u.Name); err != nil {
		return 0, err
	}
	if err := checkOptionalID("GroupID", u.GroupID); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/users", body: u})
}

// Update changes the fields of a user that u sets. An update that sets nothing is refused.
// Moving a user to another group moves the user's devices too.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Update a user".
//
// Endpoint: PUT /api/users/{id}
//
//roster:endpoint PUT /api/users/{id}
func (s *UsersService) Update(ctx context.Context, id int, u UserUpdate) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	if u == (UserUpdate{}) {
		return vendor.Invalid("UserUpdate", "no field set")
	}
	if u.Name != nil {
		if err := checkText("Name", *u.Name); err != nil {
			return err
		}
	}
	if err := checkOptionalID("GroupID", u.GroupID); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodPut, tmpl: "/api/users/{id}", params: []string{strconv.Itoa(id)}, body: u}, nil)
	return err
}

// Delete deletes a user. The server refuses a user that devices are linked to.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Delete a user".
//
// Endpoint: DELETE /api/users/{id}
//
//roster:endpoint DELETE /api/users/{id}
func (s *UsersService) Delete(ctx context.Context, id int) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodDelete, tmpl: "/api/users/{id}", params: []string{strconv.Itoa(id)}}, nil)
	return err
}

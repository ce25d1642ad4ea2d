package duostation

import (
	"context"
	"net/http"
	"strconv"
)

// UserTagsService links tags to users: the document's "Manage user tags" section. Linking
// or unlinking reconfigures the user's devices if needed.
type UserTagsService service

// UserTag is the link of a tag to a user. The document shows no response body: these are the
// fields its requests name, matched in any case. Since 4.8.46 the user's name comes too; the
// document does not name its key, and "userName" is assumed.
type UserTag struct {
	ID       int    `json:"id"`
	UserID   int    `json:"userId"`
	TagID    int    `json:"tagId"`
	UserName string `json:"userName"`
}

// UserTagSearch selects user tags. The fields that are set combine. The zero value (or nil)
// selects every user tag.
type UserTagSearch struct {
	// UserID is the user's id.
	UserID *int `url:"userId,omitempty"`
	// Email is the user's email address.
	Email string `url:"email,omitempty"`
}

func (q *UserTagSearch) check() error {
	if q == nil {
		return nil
	}
	if err := checkOptionalID("UserID", q.UserID); err != nil {
		return err
	}
	return checkSearchText("Email", q.Email)
}

// userTagLink is the body of a link. The document's example quotes the user id
// ("userId": "<userId>") but its text calls it an integer, as every other id: it is sent as
// a JSON number.
type userTagLink struct {
	UserID int `json:"userId"`
	TagID  int `json:"tagId"`
}

// List returns the user tags that search selects; nil selects every user tag.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get user tags" and "Search for user tags".
//
// Endpoint: GET /api/usertags
//
//roster:endpoint GET /api/usertags
func (s *UserTagsService) List(ctx context.Context, search *UserTagSearch) ([]UserTag, error) {
	if err := search.check(); err != nil {
		return nil, err
	}
	return list[UserTag](ctx, (*service)(s), "/api/usertags", search)
}

// Get returns the user tag with the given id. An unknown id is an error matching
// ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific user tag".
//
// Endpoint: GET /api/usertags/{id}
//
//roster:endpoint GET /api/usertags/{id}
func (s *UserTagsService) Get(ctx context.Context, id int) (*UserTag, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[UserTag](ctx, (*service)(s), "/api/usertags/{id}", strconv.Itoa(id))
}

// Link links a tag to a user and returns the id of the new user tag. Look in List first:
// the document does not say that linking twice is refused.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Link a tag to a user".
//
// Endpoint: POST /api/usertags
//
//roster:endpoint POST /api/usertags
func (s *UserTagsService) Link(ctx context.Context, userID, tagID int) (int, error) {
	if err := checkID("userID", userID); err != nil {
		return 0, err
	}
	if err := checkID("tagID", tagID); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/usertags", body: userTagLink{userID, tagID}})
}

// Unlink deletes a user tag: the tag is no longer linked to the user.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Unlink a tag from a user".
//
// Endpoint: DELETE /api/usertags/{id}
//
//roster:endpoint DELETE /api/usertags/{id}
func (s *UserTagsService) Unlink(ctx context.Context, id int) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodDelete, tmpl: "/api/usertags/{id}", params: []string{strconv.Itoa(id)}}, nil)
	return err
}

package duostation

import (
	"context"
	"net/http"
	"strconv"
)

// GroupTagsService links tags to groups: the document's "Manage group tags" section (since
// 4.8.46). Linking or unlinking reconfigures the group's devices if needed.
type GroupTagsService service

// GroupTag is the link of a tag to a group. The document shows no response body: these are
// the fields its requests name, matched in any case.
type GroupTag struct {
	ID int `json:"id"`
	// GroupID is the group's id; RootGroupID (0) means "All".
	GroupID int `json:"groupId"`
	TagID   int `json:"tagId"`
}

// groupTagLink is the body of a link. groupId is always sent, never omitted: 0 means "All".
// The document's example quotes it ("groupId": "<groupId>") but its text calls it an integer:
// it is sent as a JSON number.
type groupTagLink struct {
	GroupID int `json:"groupId"`
	TagID   int `json:"tagId"`
}

// List returns every group tag.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get group tags".
//
// Endpoint: GET /api/grouptags
//
//roster:endpoint GET /api/grouptags
func (s *GroupTagsService) List(ctx context.Context) ([]GroupTag, error) {
	return list[GroupTag](ctx, (*service)(s), "/api/grouptags", nil)
}

// Get returns the group tag with the given id. An unknown id is an error matching
// ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific group tag".
//
// Endpoint: GET /api/grouptags/{id}
//
//roster:endpoint GET /api/grouptags/{id}
func (s *GroupTagsService) Get(ctx context.Context, id int) (*GroupTag, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[GroupTag](ctx, (*service)(s), "/api/grouptags/{id}", strconv.Itoa(id))
}

// Link links a tag to a group and returns the id of the new group tag. groupID
// RootGroupID (0) links the tag to "All".
//
// Source: DuoSTATION MDM REST API v4.8.46, "Link a tag to a group".
//
// Endpoint: POST /api/grouptags
//
//roster:endpoint POST /api/grouptags
func (s *GroupTagsService) Link(ctx context.Context, groupID, tagID int) (int, error) {
	if err := checkID("groupID", groupID); err != nil {
		return 0, err
	}
	if err := checkID("tagID", tagID); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/grouptags", body: groupTagLink{groupID, tagID}})
}

// Unlink deletes a group tag: the tag is no longer linked to the group.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Unlink a tag from a group".
//
// Endpoint: DELETE /api/grouptags/{id}
//
//roster:endpoint DELETE /api/grouptags/{id}
func (s *GroupTagsService) Unlink(ctx context.Context, id int) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodDelete, tmpl: "/api/grouptags/{id}", params: []string{strconv.Itoa(id)}}, nil)
	return err
}

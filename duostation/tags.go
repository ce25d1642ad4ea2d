package duostation

import (
	"context"
	"net/http"
	"strconv"
)

// TagsService lists, creates, updates and deletes tags: the document's "Manage tags" section
// (since 4.8.8). Link tags to devices, users and groups with DeviceTags, UserTags and
// GroupTags.
type TagsService service

// Tag is a tag. The document shows no response body: these are the fields its requests name,
// matched in any case ("Id" or "id").
type Tag struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// GroupID is the id of the tag's group (0 is the root).
	GroupID int `json:"groupId"`
}

// TagCreate is a new tag. Only Name is required; the fields left nil are not sent.
type TagCreate struct {
	// Name is the tag's name. Required.
	Name        string  `json:"name"`
	Description *string `json:"description,omitempty"`
	// GroupID is the id of the tag's group (0 is the root).
	GroupID *int `json:"groupId,omitempty"`
}

// TagUpdate is a change to a tag: only the fields that are set (non-nil) are sent.
type TagUpdate struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	// GroupID moves the tag to another group (0 is the root); the server reconfigures the
	// devices this affects.
	GroupID *int `json:"groupId,omitempty"`
}

// List returns every tag.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get tags".
//
// Endpoint: GET /api/tags
//
//roster:endpoint GET /api/tags
func (s *TagsService) List(ctx context.Context) ([]Tag, error) {
	return list[Tag](ctx, (*service)(s), "/api/tags", nil)
}

// Get returns the tag with the given id. An unknown id is an error matching ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific tag by id".
//
// Endpoint: GET /api/tags/{id}
//
//roster:endpoint GET /api/tags/{id}
func (s *TagsService) Get(ctx context.Context, id int) (*Tag, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[Tag](ctx, (*service)(s), "/api/tags/{id}", strconv.Itoa(id))
}

// Create adds a tag and returns its id.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Add a tag".
//
// Endpoint: POST /api/tags
//
//roster:endpoint POST /api/tags
func (s *TagsService) Create(ctx context.Context, t TagCreate) (int, error) {
	if err := checkText("Name", t.Name); err != nil {
		return 0, err
	}
	if err := checkOptionalID("GroupID", t.GroupID); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/tags", body: t})
}

// Update changes the fields of a tag that t sets. An update that sets nothing is refused.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Update a tag".
//
// Endpoint: PUT /api/tags/{id}
//
//roster:endpoint PUT /api/tags/{id}
func (s *TagsService) Update(ctx context.Context, id int, t TagUpdate) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	if t == (TagUpdate{}) {
		return vendor.Invalid("TagUpdate", "no field set")
	}
	if t.Name != nil {
		if err := checkText("Name", *t.Name); err != nil {
			return err
		}
	}
	if err := checkOptionalID("GroupID", t.GroupID); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodPut, tmpl: "/api/tags/{id}", params: []string{strconv.Itoa(id)}, body: t}, nil)
	return err
}

// Delete deletes a tag. The server refuses a tag that is still linked (the document: "has
// linked configurations").
//
// Source: DuoSTATION MDM REST API v4.8.46, "Delete a tag".
//
// Endpoint: DELETE /api/tags/{id}
//
//roster:endpoint DELETE /api/tags/{id}
func (s *TagsService) Delete(ctx context.Context, id int) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodDelete, tmpl: "/api/tags/{id}", params: []string{strconv.Itoa(id)}}, nil)
	return err
}

package duostation

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// GroupsService lists, finds, creates, renames and deletes groups: the document's "Manage
// groups" section. Groups form a tree under a root whose id is 0.
type GroupsService service

// RootGroupID is the id that places a new group directly under the root of the group tree
// (GroupCreate.ParentID), and the id of "All" for GroupTags.Link.
const RootGroupID = 0

// Group is a group. The document shows no response body: these are the fields its requests
// name, matched in any case ("Id" or "id").
type Group struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	// ParentID is the id of the parent group; 0 is the root.
	ParentID int `json:"parentId"`
}

// GroupCreate is a new group.
type GroupCreate struct {
	// Name is the group's name. Required.
	Name string `json:"name"`
	// ParentID is the id of the parent group; nil or 0 places the group directly under
	// the root.
	ParentID *int `json:"parentId,omitempty"`
}

// groupName is the body of a rename.
type groupName struct {
	Name string `json:"name"`
}

// GroupPath is a group's full path, one element per level from the top:
// GroupPath{"Customers", "Company Inc"} is the document's Customers\Company Inc.
type GroupPath []string

// ParseGroupPath splits a path written with \ or / between the levels
// (`Customers\Company Inc`, "Customers/Company Inc"). It keeps empty elements, which
// GetByPath refuses, so that a typo ("Customers\\Company") is reported rather than guessed.
func ParseGroupPath(s string) GroupPath {
	return GroupPath(strings.Split(strings.ReplaceAll(s, "/", `\`), `\`))
}

// String writes the path with \ between the levels, as the document's example does.
func (p GroupPath) String() string { return strings.Join(p, `\`) }

// check refuses an empty path and elements that are empty, blank or hold a separator.
func (p GroupPath) check() error {
	if len(p) == 0 {
		return vendor.Invalid("path", "empty")
	}
	for i, e := range p {
		switch {
		case strings.TrimSpace(e) == "":
			return vendor.Invalid("path", "element %d is empty", i+1)
		case strings.ContainsAny(e, `\/`):
			return vendor.Invalid("path", "element %d %q holds a separator (\\ or /)", i+1, e)
		}
	}
	return nil
}

// List returns every group.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get groups".
//
// Endpoint: GET /api/groups
//
//roster:endpoint GET /api/groups
func (s *GroupsService) List(ctx context.Context) ([]Group, error) {
	return list[Group](ctx, (*service)(s), "/api/groups", nil)
}

// Get returns the group with the given id. An unknown id is an error matching ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific group by id".
//
// Endpoint: GET /api/groups/{id}
//
//roster:endpoint GET /api/groups/{id}
func (s *GroupsService) Get(ctx context.Context, id int) (*Group, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[Group](ctx, (*service)(s), "/api/groups/{id}", strconv.Itoa(id))
}

// GetByPath returns the group with the given full path. The server allows several groups
// with the same name; a path that matches more than one is an error matching ErrConflict
// (the document says only that "an error will be returned": a 409, a 400 or 500 whose body
// says "more than one", and a 2xx reply holding several groups are read that way). A path
// that matches none is an error matching ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific group by name".
//
// Endpoint: GET /api/groups?path={path}
//
//roster:endpoint GET /api/groups?path={path}
func (s *GroupsService) GetByPath(ctx context.Context, path GroupPath) (*Group, error) {
	if err := path.check(); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	req, err := (*service)(s).send(ctx, call{method: http.MethodGet, tmpl: "/api/groups?path={path}", params: []string{path.String()}}, &raw)
	if err != nil {
		return nil, err
	}
	// The document answers with the group; a server that answers with the array of
	// matches, as the list does, is read too.
	// checkReply has refused a reply with no group or several.
	groups, err := objects(raw)
	if err != nil || len(groups) != 1 {
		return nil, s.c.core.BadReply(req, "not one group: %v", err)
	}
	var g Group
	if err := decodeJSON(groups[0], &g); err != nil {
		return nil, s.c.core.BadReply(req, "%v", err)
	}
	return &g, nil
}

// Create adds a group and returns its id.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Add a group".
//
// Endpoint: POST /api/groups
//
//roster:endpoint POST /api/groups
func (s *GroupsService) Create(ctx context.Context, g GroupCreate) (int, error) {
	if err := checkText("Name", g.Name); err != nil {
		return 0, err
	}
	if err := checkOptionalID("ParentID", g.ParentID); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/groups", body: g})
}

// Rename changes the name of a group, the only change the API offers for groups.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Update a group".
//
// Endpoint: PUT /api/groups/{id}
//
//roster:endpoint PUT /api/groups/{id}
func (s *GroupsService) Rename(ctx context.Context, id int, name string) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	if err := checkText("name", name); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodPut, tmpl: "/api/groups/{id}", params: []string{strconv.Itoa(id)}, body: groupName{name}}, nil)
	return err
}

// Delete deletes a group. The server refuses a group that has subgroups or that other
// objects (users, devices, tags) are linked to.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Delete group".
//
// Endpoint: DELETE /api/groups/{id}
//
//roster:endpoint DELETE /api/groups/{id}
func (s *GroupsService) Delete(ctx context.Context, id int) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodDelete, tmpl: "/api/groups/{id}", params: []string{strconv.Itoa(id)}}, nil)
	return err
}

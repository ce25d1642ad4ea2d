package relution

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// GroupsService lists user groups and their members. Roles are groups too (such as
// "Organame Device User").
//
// Relution's REST guide does not document groups; the endpoints come from public clients
// (Danny-mtb/Relution-User-Sync and sebastianspicker/appport). They answer with an "items"
// envelope rather than "results".
type GroupsService service

// PrincipalType says whether a group member or a permission's subject is a user or a group.
type PrincipalType string

// The principal types seen in member lists and app permissions (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
const (
	PrincipalUser  PrincipalType = "USER"
	PrincipalGroup PrincipalType = "GROUP"
)

// Group is a user group (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
type Group struct {
	UUID             uuid.UUID `json:"uuid"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	OrganizationUUID uuid.UUID `json:"organizationUuid"`
	// Type is PrincipalGroup.
	Type PrincipalType `json:"type"`
}

// Member is one entry of a group's member list: a user, or a nested group (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
type Member struct {
	UUID uuid.UUID     `json:"uuid"`
	Type PrincipalType `json:"type"`
	Name string        `json:"name"`
}

// MemberListOptions selects a page of a group's members. The zero value asks for the
// direct members in the server's order. The endpoint takes no sort order.
type MemberListOptions struct {
	// Recursive lists the members of nested groups as well, after each nested group itself.
	Recursive bool
	ListOptions
	// Filter selects members by their fields; appport filters on "uuid" to test membership.
	Filter Filter
}

type memberParams struct {
	Recursive bool `url:"recursive,omitempty"`
	listParams
}

func (o MemberListOptions) params() (memberParams, error) {
	q := o.query()
	q.Filter = o.Filter
	p, err := newListParams(q)
	return memberParams{Recursive: o.Recursive, listParams: p}, err
}

// List returns one page of the organization's groups. q travels as URL parameters: Limit,
// Offset, GetNonpagedCount, GetItems, SortOrder (e.g. SortBy(Asc("name"))) and Filter (on
// "name", "uuid", ...); the zero Query asks for all groups in the server's order. Searches
// are refused: the list has no free-text search.
//
// Source: Danny-mtb/Relution-User-Sync (relution-sync.py) reads {"items":[...]} from this
// endpoint; the GET list parameters are those sebastianspicker/appport sends to Relution's
// GET lists.
//
// Endpoint: GET /api/v1/security/groups
//
//roster:endpoint GET /api/v1/security/groups
func (s *GroupsService) List(ctx context.Context, q Query) (*Page[Group], error) {
	p, err := newListParams(q)
	if err != nil {
		return nil, err
	}
	return itemsPage[Group](ctx, (*service)(s), p, "/api/v1/security/groups")
}

// All lists the groups page by page from q.Offset, q.Limit groups a page (100 when unset),
// and yields every group. Invalid options yield their error once, before anything is sent.
//
// Source: as List.
//
// Endpoint: GET /api/v1/security/groups
//
//roster:endpoint GET /api/v1/security/groups
func (s *GroupsService) All(ctx context.Context, q Query) iter.Seq2[Group, error] {
	_, err := newListParams(q)
	return allPages(ctx, q, err, s.List)
}

// ListMembers returns one page of a group's members. An unknown group is an error matching
// ErrNotFound.
//
// Source: appport's client (sebastianspicker/appport client.rs, live-gateway-data.ts), which
// sends recursive, getItems, getNonpagedCount, limit, offset and a filter and reads
// {"items":[...],"nonpagedCount":N}. Danny-mtb's older client calls the
// same operation under /api/v1.
//
// Endpoint: GET /api/management/v1/security/groups/{groupUuid}/members
//
//roster:endpoint GET /api/management/v1/security/groups/{groupUuid}/members
func (s *GroupsService) ListMembers(ctx context.Context, id uuid.UUID, opts MemberListOptions) (*Page[Member], error) {
	if err := checkUUID("group", id); err != nil {
		return nil, err
	}
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	return itemsPage[Member](ctx, (*service)(s), p, "/api/management/v1/security/groups/{groupUuid}/members", wireUUID(id))
}

// AllMembers lists a group's members page by page from opts.Offset, opts.Limit members a
// page (100 when unset), and yields every member. Invalid input yields its error once,
// before anything is sent.
//
// Source: as ListMembers.
//
// Endpoint: GET /api/management/v1/security/groups/{groupUuid}/members
//
//roster:endpoint GET /api/management/v1/security/groups/{groupUuid}/members
func (s *GroupsService) AllMembers(ctx context.Context, id uuid.UUID, opts MemberListOptions) iter.Seq2[Member, error] {
	_, err := opts.params()
	if idErr := checkUUID("group", id); idErr != nil {
		err = vendor.Own(idErr)
	}
	return allPages(ctx, opts, err, func(ctx context.Context, o MemberListOptions) (*Page[Member], error) {
		return s.ListMembers(ctx, id, o)
	})
}

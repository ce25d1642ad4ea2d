package relativity

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/paging"

	"github.com/rosterhq/roster/internal/rest"
)

// Paths of the group endpoints, as the endpoint catalogue writes them.
const (
	pathGroups       = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/groups"
	pathGroup        = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}"
	pathGroupMembers = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}/members"
)

// EligibleGroupsQuery asks which groups the given users can be added to.
type EligibleGroupsQuery struct {
	// Users are the Artifact IDs of the users; at least one.
	Users []int
	// Condition filters the groups ('Name' STARTSWITH 'Reviewers'); empty matches all.
	Condition Condition
	// Sorts order the groups, e.g. SortBy("Name", Ascending).
	Sorts []Sort
	// Fields are the group fields whose values each result carries, in order.
	Fields []FieldIdentifier
	// Start is the index of the first result, from 0; Length the page size (at least 1).
	Start, Length int
}

// eligibleGroupsBody is the request as the doc's sample spells it: "Request" with "Sorts".
type eligibleGroupsBody struct {
	Users   []ArtifactRef `json:"Users"`
	Request struct {
		Condition Condition         `json:"Condition"`
		Sorts     []Sort            `json:"Sorts,omitempty"`
		Fields    []FieldIdentifier `json:"Fields,omitempty"`
	} `json:"Request"`
	Start  int `json:"Start"`
	Length int `json:"Length"`
}

func (q *EligibleGroupsQuery) body() (*eligibleGroupsBody, error) {
	users, err := idsField("EligibleGroupsQuery.Users", q.Users)
	if err != nil {
		return nil, err
	}
	if err := checkSorts("EligibleGroupsQuery.Sorts", q.Sorts); err != nil {
		return nil, err
	}
	for i, f := range q.Fields {
		if f.Name == "" {
			return nil, vendor.Invalid(fmt.Sprintf("EligibleGroupsQuery.Fields[%d]", i), "no name")
		}
	}
	if err := checkPage(q.Start, q.Length); err != nil {
		return nil, err
	}
	b := &eligibleGroupsBody{Users: users, Start: q.Start, Length: q.Length}
	b.Request.Condition, b.Request.Sorts, b.Request.Fields = q.Condition, q.Sorts, q.Fields
	return b, nil
}

// QueryEligibleGroups returns one page of the groups that all of q.Users can be added to.
// The query is sent with POST but changes nothing, so it is retried like a read.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/query-eligible-groups
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/query-eligible-groups
func (s *UsersService) QueryEligibleGroups(ctx context.Context, q EligibleGroupsQuery) (*QueryResultSlim, error) {
	b, err := q.body()
	if err != nil {
		return nil, err
	}
	var out QueryResultSlim
	if err := s.c.query(ctx, pathEligibleGroups, b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// QueryEligibleGroupsAll runs the query page by page from q.Start, q.Length groups a page,
// and yields every group. q is copied, never changed. An invalid q yields its error once,
// before anything is sent.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/query-eligible-groups
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/query-eligible-groups
func (s *UsersService) QueryEligibleGroupsAll(ctx context.Context, q EligibleGroupsQuery) iter.Seq2[SlimObject, error] {
	q.Users = append([]int(nil), q.Users...)
	if _, err := q.body(); err != nil {
		return failed[SlimObject](err)
	}
	return walk(ctx, q.Start, q.Length, func(o SlimObject) string { return id(o.ArtifactID) }, func(ctx context.Context, start, length int) (paging.Page[SlimObject], error) {
		pq := q
		pq.Start, pq.Length = start, length
		r, err := s.QueryEligibleGroups(ctx, pq)
		if err != nil {
			return paging.Page[SlimObject]{}, err
		}
		return pageFrom("query eligible groups", start, r.CurrentStartIndex, r.Objects, r.TotalCount)
	})
}

// GroupsService creates, reads, updates and deletes groups and changes their members. These
// endpoints are not in the User Manager (REST) page; Relativity's own REST test client calls
// them (relativitydev/relativity.testing.framework.api, Strategies/Groups/V1 and
// Strategies/Users/V1/UserAddToGroupStrategyV1.cs). Servers older than Relativity 12.1 (and,
// for members, Identity 15.6) do not have them.
type GroupsService service

// GroupRequest is what Create and Update send: the fields of the test client's GroupRequest.
type GroupRequest struct {
	// Name is required.
	Name string `json:"Name"`
	// Client is the client the group belongs to; required (ClientRef(id)).
	Client   SecuredRef `json:"Client"`
	Keywords string     `json:"Keywords"`
	Notes    string     `json:"Notes"`
}

func (r *GroupRequest) validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return vendor.Invalid("GroupRequest.Name", "missing")
	}
	if rest.HasControl(r.Name) {
		return vendor.Invalid("GroupRequest.Name", "holds a control character")
	}
	if r.Client.Value.ArtifactID <= 0 {
		return vendor.Invalid("GroupRequest.Client", "missing: set Client with ClientRef(id)")
	}
	return nil
}

// Group is a group as the group endpoints return it (the test client's GroupResponse).
type Group struct {
	ArtifactID int           `json:"ArtifactID"`
	Name       string        `json:"Name"`
	Guids      []string      `json:"Guids"`
	Client     SecuredObject `json:"Client"`
	// Type is the group type as the server writes it (a name or a number).
	Type     GroupType `json:"Type"`
	Keywords string    `json:"Keywords"`
	Notes    string    `json:"Notes"`
	Meta     Meta      `json:"Meta"`
	Actions  []Action  `json:"Actions"`
}

type groupBody struct {
	GroupRequest GroupRequest `json:"GroupRequest"`
}

// Create creates a group. It is a write: after a lost reply it is not resent, and the error
// matches ErrMaybeApplied.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups
func (s *GroupsService) Create(ctx context.Context, req GroupRequest) (*Group, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var g Group
	r, err := s.c.send(ctx, http.MethodPost, pathGroups, groupBody{req}, &g)
	if err != nil {
		return nil, err
	}
	if g.ArtifactID == 0 {
		return nil, s.c.core.BadReply(r, "the reply to creating group %q has no ArtifactID", req.Name)
	}
	return &g, nil
}

// Get returns the group with the given Artifact ID; opts (nil for none) asks for Meta and
// Actions.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}
func (s *GroupsService) Get(ctx context.Context, groupID int, opts *GetOptions) (*Group, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	req, err := s.c.newRequest(ctx, http.MethodGet, pathGroup, id(groupID))
	if err != nil {
		return nil, err
	}
	if opts != nil {
		if err := req.SetQuery(opts); err != nil {
			return nil, err
		}
	}
	var g Group
	if err := s.c.core.Do(req, &g); err != nil {
		return nil, err
	}
	if g.ArtifactID == 0 {
		return nil, s.c.core.BadReply(req, "the reply holds no group")
	}
	return &g, nil
}

// Update writes req to the group and returns it as stored. It is a write: after a lost reply
// it is not resent, and the error matches ErrMaybeApplied.
//
// Endpoint: PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}
//
//roster:endpoint PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}
func (s *GroupsService) Update(ctx context.Context, groupID int, req GroupRequest) (*Group, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	var g Group
	r, err := s.c.send(ctx, http.MethodPut, pathGroup, groupBody{req}, &g, id(groupID))
	if err != nil {
		return nil, err
	}
	if g.ArtifactID == 0 {
		return nil, s.c.core.BadReply(r, "the reply to the update holds no group")
	}
	return &g, nil
}

// Delete deletes the group.
//
// Endpoint: DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}
//
//roster:endpoint DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}
func (s *GroupsService) Delete(ctx context.Context, groupID int) error {
	if err := checkID("groupID", groupID); err != nil {
		return err
	}
	return s.c.call(ctx, http.MethodDelete, pathGroup, nil, nil, id(groupID))
}

// membersBody is the members request of UserAddToGroupStrategyV1.cs: {"users": [...]}, with
// a lower-case key.
type membersBody struct {
	Users []ArtifactRef `json:"users"`
}

// AddMembers adds users to the group.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}/members
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}/members
func (s *GroupsService) AddMembers(ctx context.Context, groupID int, userIDs ...int) error {
	return s.members(ctx, http.MethodPost, groupID, userIDs)
}

// RemoveMembers removes users from the group. The request is a DELETE with a JSON body, as
// UserRemoveFromGroupStrategyV1.cs sends it.
//
// Endpoint: DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}/members
//
//roster:endpoint DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/groups/{groupID}/members
func (s *GroupsService) RemoveMembers(ctx context.Context, groupID int, userIDs ...int) error {
	return s.members(ctx, http.MethodDelete, groupID, userIDs)
}

func (s *GroupsService) members(ctx context.Context, method string, groupID int, userIDs []int) error {
	if err := checkID("groupID", groupID); err != nil {
		return err
	}
	users, err := idsField("userIDs", userIDs)
	if err != nil {
		return err
	}
	return s.c.call(ctx, method, pathGroupMembers, membersBody{users}, nil, id(groupID))
}

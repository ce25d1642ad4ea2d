package relativity

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rosterhq/roster/internal/paging"
)

// Paths of the workspace user endpoints, as the endpoint catalogue writes them.
const (
	pathWorkspaceMe     = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/users/me"
	pathAllUsers        = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/all-users"
	pathActiveUsers     = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/active-users"
	pathUsersWithAccess = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/users-with-access"
	pathQueryUsers      = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/query-users"
)

// WorkspaceUsersService lists and queries the users of a workspace. Every method takes a
// workspace Artifact ID, or AdminWorkspace (-1) for the instance's users. A user's Artifact
// ID can differ between workspaces.
type WorkspaceUsersService service

// CurrentUser is the calling user as a workspace sees it.
type CurrentUser struct {
	ArtifactID         int    `json:"ArtifactID"`
	Name               string `json:"Name"`
	FirstName          string `json:"FirstName"`
	LastName           string `json:"LastName"`
	ItemListPageLength int    `json:"ItemListPageLength"`
	ShowFilters        bool   `json:"ShowFilters"`
	CreatedOn          Date   `json:"CreatedOn"`
	// AclUserID is the user's ID in the workspace's access control lists.
	AclUserID int `json:"AclUserID"`
}

// WorkspaceUser is one user of a workspace list.
type WorkspaceUser struct {
	ArtifactID int    `json:"ArtifactID"`
	Name       string `json:"Name"`
	// Email is in the field list but missing from the doc's samples: it may be empty.
	Email string `json:"Email"`
}

// WorkspaceUserList is the reply of the workspace user lists. The doc names the list
// ActiveUsers in all three of them.
type WorkspaceUserList struct {
	// LoggedInUserID is the calling user's Artifact ID.
	LoggedInUserID int             `json:"LoggedInUserID"`
	Users          []WorkspaceUser `json:"ActiveUsers"`
}

// Me returns the calling user as the workspace sees it.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/users/me
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/users/me
func (s *WorkspaceUsersService) Me(ctx context.Context, workspaceID int) (*CurrentUser, error) {
	var out CurrentUser
	if err := s.get(ctx, pathWorkspaceMe, workspaceID, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AllUsers returns every user of the workspace; includeDeleted adds deleted users. The
// endpoint is called all-users; this is not a walk over pages (the list is not paged).
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/all-users
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/all-users
func (s *WorkspaceUsersService) AllUsers(ctx context.Context, workspaceID int, includeDeleted bool) (*WorkspaceUserList, error) {
	var out WorkspaceUserList
	q := url.Values{"includeDeleted": {strconv.FormatBool(includeDeleted)}}
	if err := s.get(ctx, pathAllUsers, workspaceID, q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ActiveUsersOptions are the parameters of ActiveUsers.
type ActiveUsersOptions struct {
	// IncludeCurrentUser adds the calling user to the list (sent as the integer 0 or 1,
	// the type the doc gives it).
	IncludeCurrentUser bool
	// EnforceChoiceLimitForUI applies the ChoiceLimitForUI instance setting: when the list
	// is longer than the limit, the server returns no users at all.
	EnforceChoiceLimitForUI bool
}

// ActiveUsers returns the active users of the workspace.
//
// With opts.EnforceChoiceLimitForUI, an empty list does not prove the workspace has no
// active users: Relativity returns none when there are more than its ChoiceLimitForUI
// setting allows. To tell the two apart, ask again without it or use Query.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/active-users
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/active-users
func (s *WorkspaceUsersService) ActiveUsers(ctx context.Context, workspaceID int, opts ActiveUsersOptions) (*WorkspaceUserList, error) {
	inc := "0"
	if opts.IncludeCurrentUser {
		inc = "1"
	}
	q := url.Values{
		"includeCurrentUser":      {inc},
		"enforceChoiceLimitForUI": {strconv.FormatBool(opts.EnforceChoiceLimitForUI)},
	}
	var out WorkspaceUserList
	if err := s.get(ctx, pathActiveUsers, workspaceID, q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UsersWithAccess returns the users who have Relativity access to the workspace.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/users-with-access
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/users-with-access
func (s *WorkspaceUsersService) UsersWithAccess(ctx context.Context, workspaceID int) (*WorkspaceUserList, error) {
	var out WorkspaceUserList
	if err := s.get(ctx, pathUsersWithAccess, workspaceID, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *WorkspaceUsersService) get(ctx context.Context, tmpl string, workspaceID int, q url.Values, out any) error {
	if err := checkWorkspace(workspaceID); err != nil {
		return err
	}
	req, err := s.c.newRequest(ctx, http.MethodGet, tmpl, id(workspaceID))
	if err != nil {
		return err
	}
	if q != nil {
		if err := req.SetQuery(q); err != nil {
			return err
		}
	}
	return s.c.core.Do(req, out)
}

// UserQuery is a query for the users of a workspace.
type UserQuery struct {
	// Condition filters the users, e.g. Field("Email Address").Eq("jane@example.com") or
	// Field("User Type").In("Internal"); empty matches all.
	Condition Condition
	// Sort orders the users, e.g. SortBy("FullName", Ascending).
	Sort []Sort
	// Start is the index of the first result, from 0; Length the page size (at least 1).
	Start, Length int
}

// userQueryBody is the request as the doc's sample spells it: "Query" with "Sort".
type userQueryBody struct {
	Query struct {
		Condition Condition `json:"Condition"`
		Sort      []Sort    `json:"Sort,omitempty"`
	} `json:"Query"`
	Start  int `json:"Start"`
	Length int `json:"Length"`
}

func (q *UserQuery) body() (*userQueryBody, error) {
	if err := checkSorts("UserQuery.Sort", q.Sort); err != nil {
		return nil, err
	}
	if err := checkPage(q.Start, q.Length); err != nil {
		return nil, err
	}
	b := &userQueryBody{Start: q.Start, Length: q.Length}
	b.Query.Condition, b.Query.Sort = q.Condition, q.Sort
	return b, nil
}

// UserQueryResult is one page of a user query.
type UserQueryResult struct {
	DataResults []QueryUser `json:"DataResults"`
	// ResultCount is the number of results on this page.
	ResultCount int `json:"ResultCount"`
	// TotalResultCount is the number of all matches.
	TotalResultCount int `json:"TotalResultCount"`
	// CurrentStartIndex is the index of DataResults[0] among all matches.
	CurrentStartIndex int `json:"CurrentStartIndex"`
}

// QueryUser is one user of a query's results.
type QueryUser struct {
	ArtifactID int `json:"ArtifactID"`
	// FullName is "Last, First".
	FullName string `json:"FullName"`
	Email    string `json:"Email"`
}

// Query returns one page of the workspace's users that match q. The query is sent with POST
// but changes nothing, so it is retried like a read.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/query-users
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/query-users
func (s *WorkspaceUsersService) Query(ctx context.Context, workspaceID int, q UserQuery) (*UserQueryResult, error) {
	if err := checkWorkspace(workspaceID); err != nil {
		return nil, err
	}
	b, err := q.body()
	if err != nil {
		return nil, err
	}
	var out UserQueryResult
	if err := s.c.query(ctx, pathQueryUsers, b, &out, id(workspaceID)); err != nil {
		return nil, err
	}
	return &out, nil
}

// QueryAll runs the query page by page from q.Start, q.Length users a page, and yields every
// matching user, up to the TotalResultCount of the pages. q is copied, never changed. Invalid
// input yields its error once, before anything is sent.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/query-users
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/{workspaceID}/query-users
func (s *WorkspaceUsersService) QueryAll(ctx context.Context, workspaceID int, q UserQuery) iter.Seq2[QueryUser, error] {
	if err := checkWorkspace(workspaceID); err != nil {
		return failed[QueryUser](err)
	}
	q.Sort = append([]Sort(nil), q.Sort...)
	if _, err := q.body(); err != nil {
		return failed[QueryUser](err)
	}
	return walk(ctx, q.Start, q.Length, func(u QueryUser) string { return id(u.ArtifactID) }, func(ctx context.Context, start, length int) (paging.Page[QueryUser], error) {
		pq := q
		pq.Start, pq.Length = start, length
		r, err := s.Query(ctx, workspaceID, pq)
		if err != nil {
			return paging.Page[QueryUser]{}, err
		}
		return pageFrom("query users", start, r.CurrentStartIndex, r.DataResults, r.TotalResultCount)
	})
}

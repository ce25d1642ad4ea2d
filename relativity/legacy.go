package relativity

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/rosterhq/roster/internal/paging"
)

// Paths of the legacy services, as the endpoint catalogue writes them.
const (
	pathRetrieveUsersBy = "/Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby"
	pathRetrieveAll     = "/Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveall"
	pathGroupsByUser    = "/Relativity.REST/api/Relativity.groups/workspace/-1/groups/query-by-user/{userID}"
)

// LegacyService calls the older Relativity.Users (User Information Manager) and
// Relativity.groups services, which Relativity-Identity has no equivalent for: finding users
// across the instance by condition, and a user's groups. Relativity's own REST test client
// calls them (relativitydev/relativity.testing.framework.api,
// Strategies/Users/UserGetByEmailStrategy.cs, UserExistsByEmailStrategy.cs and
// UserGetGroupsStrategy.cs).
type LegacyService service

// LegacyUser is a user as the legacy user service lists it. Only ArtifactID and Email are
// known from its clients; the other fields are filled when the server sends them.
type LegacyUser struct {
	ArtifactID   int    `json:"ArtifactID"`
	Email        string `json:"Email"`
	EmailAddress string `json:"EmailAddress"`
	FirstName    string `json:"FirstName"`
	LastName     string `json:"LastName"`
	FullName     string `json:"FullName"`
}

// LegacyUserQuery is a query of the legacy user service.
type LegacyUserQuery struct {
	// Condition filters the users: the test client sends ('Email' == 'x'), i.e.
	// Field("Email").Eq(x).
	Condition Condition
	// Start is the index of the first result, counted from 1 as this service does (the
	// test client sends 1); Length the page size (at least 1).
	Start, Length int
}

// legacyUserQueryBody is spelled as UserGetByEmailStrategy.cs sends it: lower-case start,
// length and query.
type legacyUserQueryBody struct {
	Start  int `json:"start"`
	Length int `json:"length"`
	Query  struct {
		Condition Condition `json:"Condition"`
	} `json:"query"`
}

// LegacyUserQueryResult is a page of the legacy user query. Its clients read only
// DataResults; the counts are filled when the server sends them.
type LegacyUserQueryResult struct {
	DataResults       []LegacyUser `json:"DataResults"`
	ResultCount       int          `json:"ResultCount"`
	TotalResultCount  int          `json:"TotalResultCount"`
	CurrentStartIndex int          `json:"CurrentStartIndex"`
}

// RetrieveUsersBy returns the instance's users that match q, one page. The query is sent
// with POST but changes nothing, so it is retried like a read.
//
// Endpoint: POST /Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby
//
//roster:endpoint POST /Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby
func (s *LegacyService) RetrieveUsersBy(ctx context.Context, q LegacyUserQuery) (*LegacyUserQueryResult, error) {
	if q.Start < 1 {
		return nil, vendor.Invalid("LegacyUserQuery.Start", "counts from 1, got %d", q.Start)
	}
	if q.Length < 1 {
		return nil, vendor.Invalid("LegacyUserQuery.Length", "must be at least 1, got %d", q.Length)
	}
	b := legacyUserQueryBody{Start: q.Start, Length: q.Length}
	b.Query.Condition = q.Condition
	var out LegacyUserQueryResult
	if err := s.c.query(ctx, pathRetrieveUsersBy, b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RetrieveUsersByAll runs the query page by page from q.Start (counted from 1), q.Length
// users a page, and yields every matching user. It stops at the reported TotalResultCount,
// or, when the server reports none, at the first short page. Invalid input yields its error
// once, before anything is sent.
//
// Endpoint: POST /Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby
//
//roster:endpoint POST /Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveusersby
func (s *LegacyService) RetrieveUsersByAll(ctx context.Context, q LegacyUserQuery) iter.Seq2[LegacyUser, error] {
	if q.Start < 1 {
		return failed[LegacyUser](vendor.Invalid("LegacyUserQuery.Start", "counts from 1, got %d", q.Start))
	}
	if q.Length < 1 {
		return failed[LegacyUser](vendor.Invalid("LegacyUserQuery.Length", "must be at least 1, got %d", q.Length))
	}
	o := paging.Options{First: 1, Start: q.Start, Limit: q.Length}
	key := func(u LegacyUser) string { return id(u.ArtifactID) }
	return paging.Walk(ctx, o, key, func(ctx context.Context, start, length int) (paging.Page[LegacyUser], error) {
		pq := q
		pq.Start, pq.Length = start, length
		r, err := s.RetrieveUsersBy(ctx, pq)
		if err != nil {
			return paging.Page[LegacyUser]{}, err
		}
		// The counts are not known from any client of this service: trust a total only
		// when one came.
		return paging.Page[LegacyUser]{Items: r.DataResults, Total: r.TotalResultCount, HasTotal: r.TotalResultCount > 0}, nil
	})
}

// RetrieveAllUsers returns every user of the instance.
//
// Endpoint: GET /Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveall
//
//roster:endpoint GET /Relativity.REST/api/Relativity.Users/workspace/-1/users/retrieveall
func (s *LegacyService) RetrieveAllUsers(ctx context.Context) ([]LegacyUser, error) {
	var out []LegacyUser
	if err := s.c.call(ctx, http.MethodGet, pathRetrieveAll, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GroupsQuery is a query of a user's groups.
type GroupsQuery struct {
	// Condition filters the groups; empty matches all.
	Condition Condition
	// Fields are the group fields whose values each result carries, e.g. Name.
	Fields []FieldIdentifier
	// Start is the index of the first result as the server counts (the test client's
	// query helpers start at 1); Length the page size (at least 1).
	Start, Length int
}

// groupsQueryBody is spelled as UserGetGroupsStrategy.cs sends it.
type groupsQueryBody struct {
	Request struct {
		Condition Condition         `json:"Condition"`
		Fields    []FieldIdentifier `json:"Fields,omitempty"`
	} `json:"Request"`
	Start  int `json:"Start"`
	Length int `json:"Length"`
}

// QueryGroupsByUser returns one page of the groups the user belongs to. The query is sent
// with POST but changes nothing, so it is retried like a read.
//
// Endpoint: POST /Relativity.REST/api/Relativity.groups/workspace/-1/groups/query-by-user/{userID}
//
//roster:endpoint POST /Relativity.REST/api/Relativity.groups/workspace/-1/groups/query-by-user/{userID}
func (s *LegacyService) QueryGroupsByUser(ctx context.Context, userID int, q GroupsQuery) (*QueryResultSlim, error) {
	if err := checkID("userID", userID); err != nil {
		return nil, err
	}
	if err := checkPage(q.Start, q.Length); err != nil {
		return nil, err
	}
	for i, f := range q.Fields {
		if f.Name == "" {
			return nil, vendor.Invalid(fmt.Sprintf("GroupsQuery.Fields[%d]", i), "no name")
		}
	}
	var b groupsQueryBody
	b.Request.Condition, b.Request.Fields = q.Condition, q.Fields
	b.Start, b.Length = q.Start, q.Length
	var out QueryResultSlim
	if err := s.c.query(ctx, pathGroupsByUser, b, &out, id(userID)); err != nil {
		return nil, err
	}
	return &out, nil
}

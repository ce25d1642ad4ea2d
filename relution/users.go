package relution

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"slices"

	"github.com/google/uuid"
)

// UsersService reads and updates users and their group memberships.
//
// Relution's REST guide documents only the CSV import for users; every method here comes from
// a public client that calls it (Danny-mtb/Relution-User-Sync and sebastianspicker/appport). Creating and deleting single users has no known
// endpoint: import them with ImportJobs.
type UsersService service

// User is a Relution user as the user endpoints return it (Danny-mtb/Relution-User-Sync and sebastianspicker/appport). UUIDs come in upper
// case and are compared as values, so case does not matter.
type User struct {
	UUID uuid.UUID `json:"uuid"`
	// Name is the login name: the CSV's "name" column (formerly "userid").
	Name             string    `json:"name"`
	OrganizationUUID uuid.UUID `json:"organizationUuid"`
	// Activated is false for a user who has not confirmed the account yet.
	Activated bool `json:"activated"`
	// Locked users cannot log in.
	Locked    bool   `json:"locked"`
	Email     string `json:"email"`
	GivenName string `json:"givenName"`
	// Surname is the object's spelling; the CSV column is "surName".
	Surname string `json:"surname"`
	// Phone is in international format (+49...), as the server requires for imports.
	Phone          string `json:"phone"`
	Position       string `json:"position"`
	Country        string `json:"country"`
	ManagedAppleID string `json:"managedAppleId"`
	// Version counts the changes: 1 when created, one more per update.
	Version      int64 `json:"version"`
	CreatedDate  Time  `json:"createdDate"`
	ModifiedDate Time  `json:"modifiedDate"`
}

// UserUpdate is a partial update of a user: only the fields that are set (non-nil) are sent,
// so the server keeps the others. Set a field to a pointer to "" to clear it.
type UserUpdate struct {
	Email          *string `json:"email,omitempty"`
	GivenName      *string `json:"givenName,omitempty"`
	Surname        *string `json:"surname,omitempty"`
	Phone          *string `json:"phone,omitempty"`
	Position       *string `json:"position,omitempty"`
	Country        *string `json:"country,omitempty"`
	ManagedAppleID *string `json:"managedAppleId,omitempty"`
	Activated      *bool   `json:"activated,omitempty"`
	Locked         *bool   `json:"locked,omitempty"`
}

func (u UserUpdate) empty() bool { return u == UserUpdate{} }

// GroupRef names a group a user belongs to.
type GroupRef struct {
	UUID uuid.UUID `json:"uuid"`
	Name string    `json:"name"`
}

// userGroups is the bare {"groups":[...]} reply of the user-groups endpoints (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
type userGroups struct {
	Groups []GroupRef `json:"groups"`
}

// List runs one users query and returns that page. Query.Searches matches the login name,
// email and names; Filter and SortOrder take the user's field names ("name", "email", ...).
// The query is sent with POST but changes nothing, so it is retried like a read.
//
// Source: appport's client (sebastianspicker/appport client.rs), which looks users up with
// searches (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
//
// Endpoint: POST /api/management/v1/security/users/baseInfo/query
//
//roster:endpoint POST /api/management/v1/security/users/baseInfo/query
func (s *UsersService) List(ctx context.Context, q Query) (*Page[User], error) {
	return query[User](ctx, (*service)(s), q, "/api/management/v1/security/users/baseInfo/query")
}

// All runs the users query page by page from q.Offset, q.Limit users a page (100 when unset),
// and yields every user. q is copied, never changed. An invalid q yields its error once,
// before anything is sent.
//
// Source: as List.
//
// Endpoint: POST /api/management/v1/security/users/baseInfo/query
//
//roster:endpoint POST /api/management/v1/security/users/baseInfo/query
func (s *UsersService) All(ctx context.Context, q Query) iter.Seq2[User, error] {
	// Checked here because paging would replace a negative limit or offset silently.
	if err := q.Validate(); err != nil {
		return failed[User](invalidQuery(err))
	}
	return all(ctx, q, s.List)
}

// Get returns the user with the given UUID. An unknown user is an error matching ErrNotFound.
//
// Source: Danny-mtb/Relution-User-Sync (relution-sync.py), which reads the bare user object
// this endpoint returns (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
//
// Endpoint: GET /api/v1/security/users/{userUuid}
//
//roster:endpoint GET /api/v1/security/users/{userUuid}
func (s *UsersService) Get(ctx context.Context, id uuid.UUID) (*User, error) {
	if err := checkUUID("user", id); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/api/v1/security/users/{userUuid}", wireUUID(id))
	if err != nil {
		return nil, err
	}
	var u User
	if err := s.c.core.Do(req, &u); err != nil {
		return nil, err
	}
	// A 200 without a user (an empty body) would otherwise pass as a zero User.
	if u.UUID == uuid.Nil {
		return nil, s.c.core.BadReply(req, "the reply has no user")
	}
	return &u, nil
}

// Update changes the fields of the user that upd sets and returns the updated user when the
// reply shows it, nil otherwise. An update that sets nothing is refused before anything is
// sent. No source shows the reply, so any 2xx reply is success, whatever its body (an empty
// one, the user, an array, an envelope), unless it is an envelope that says the update
// failed. It is a write: after a lost reply it is not resent, and the error matches
// ErrMaybeApplied.
//
// Source: Danny-mtb/Relution-User-Sync (relution-sync.py) sends a partial body
// ({"managedAppleId": ...}) here (Danny-mtb/Relution-User-Sync and sebastianspicker/appport). Whether the server merges a partial body or
// replaces the user is not established (no public source shows it); the wire contract the SDK tests against
// merges it.
//
// Endpoint: PUT /api/v1/security/users/{userUuid}
//
//roster:endpoint PUT /api/v1/security/users/{userUuid}
func (s *UsersService) Update(ctx context.Context, id uuid.UUID, upd UserUpdate) (*User, error) {
	if err := checkUUID("user", id); err != nil {
		return nil, err
	}
	if upd.empty() {
		return nil, vendor.Invalid("update", "sets no field")
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPut, "/api/v1/security/users/{userUuid}", wireUUID(id))
	if err != nil {
		return nil, err
	}
	if err := req.SetJSON(upd); err != nil {
		return nil, err
	}
	payload, err := writeReply((*service)(s), req)
	if err != nil {
		return nil, err
	}
	return replyObject(payload, func(u *User) bool { return u.UUID != uuid.Nil }), nil
}

// SetGroups puts the user into groups and returns the user's groups as the server reports
// them afterwards: nil when the reply does not list them. No source shows the reply, so any
// 2xx reply is success, whatever its body ({"groups":[...]}, an array of groups, an
// envelope, nothing), unless it is an envelope that says the call failed. With no groups it
// sends an empty list.
//
// Notes §8.4 cannot say whether Relution replaces the user's groups with the list or adds the
// list to them; the wire contract the SDK is tested against replaces. Read the result, or call
// ListGroups, rather than rely on either. It is a write: after a lost reply it is not resent,
// and the error matches ErrMaybeApplied.
//
// Source: Danny-mtb/Relution-User-Sync (relution-sync.py) sends a JSON array of group UUIDs
// and checks for 200 (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
//
// Endpoint: PUT /api/v1/security/users/{userUuid}/groups
//
//roster:endpoint PUT /api/v1/security/users/{userUuid}/groups
func (s *UsersService) SetGroups(ctx context.Context, id uuid.UUID, groups ...uuid.UUID) ([]GroupRef, error) {
	if err := checkUUID("user", id); err != nil {
		return nil, err
	}
	// Not nil: an empty list must go out as [], not null.
	body := make([]string, 0, len(groups))
	for i, g := range groups {
		if err := checkUUID(fmt.Sprintf("groups[%d]", i), g); err != nil {
			return nil, err
		}
		body = append(body, wireUUID(g))
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPut, "/api/v1/security/users/{userUuid}/groups", wireUUID(id))
	if err != nil {
		return nil, err
	}
	if err := req.SetJSON(body); err != nil {
		return nil, err
	}
	payload, err := writeReply((*service)(s), req)
	if err != nil || len(payload) == 0 {
		return nil, err
	}
	if payload[0] == '[' {
		var groups []GroupRef
		if json.Unmarshal(payload, &groups) == nil && !slices.ContainsFunc(groups, func(g GroupRef) bool { return g.UUID == uuid.Nil }) {
			return groups, nil
		}
		return nil, nil
	}
	var out userGroups
	if json.Unmarshal(payload, &out) != nil {
		return nil, nil
	}
	return out.Groups, nil
}

// ListGroups returns the groups the user belongs to.
//
// Source: appport's client (sebastianspicker/appport client.rs, dto.rs Groups), which reads
// the bare {"groups":[...]} reply (Danny-mtb/Relution-User-Sync and sebastianspicker/appport).
//
// Endpoint: GET /api/management/v1/security/users/{userUuid}/groups
//
//roster:endpoint GET /api/management/v1/security/users/{userUuid}/groups
func (s *UsersService) ListGroups(ctx context.Context, id uuid.UUID) ([]GroupRef, error) {
	if err := checkUUID("user", id); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/api/management/v1/security/users/{userUuid}/groups", wireUUID(id))
	if err != nil {
		return nil, err
	}
	var out userGroups
	if err := s.c.core.Do(req, &out); err != nil {
		return nil, err
	}
	return out.Groups, nil
}

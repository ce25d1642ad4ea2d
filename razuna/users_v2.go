package razuna

import (
	"context"
	"net/url"
	"strings"
)

// UsersV2Service adds, reads, updates and deletes users through API v2 with Config.APIKey
// (razuna/razuna-docs "docs/api/User API2.md"; razuna/razuna global/api2/user.cfc). The key's
// user must be in the SystemAdmin or Administrator group. The key is sent in the form body,
// never in the URL.
type UsersV2Service service

// UserV2 is a user as v2 getuser returns it.
type UserV2 struct {
	ID        string
	LoginName string
	Email     string
	FirstName string
	LastName  string
}

// AddedUser is what v2 add returns.
type AddedUser struct {
	// ID is the new user's id.
	ID string
	// APIKey is the new user's API key: the server makes one for a user added to the
	// Administrator group, and none otherwise. It is a credential.
	APIKey string
}

// Add adds a user. The fields are as for UsersService.Add, except that GroupSystemAdmin is
// refused: v2 ignores it silently and would add the user without a group. A taken login
// name or email is an error matching ErrConflict; the ID returned with it is the existing
// user's.
//
// Endpoint: POST /global/api2/user.cfc?method=add
//
//roster:endpoint POST /global/api2/user.cfc?method=add
func (s *UsersV2Service) Add(ctx context.Context, u NewUser) (*AddedUser, error) {
	f, err := u.form()
	if err != nil {
		return nil, err
	}
	if u.GroupID == GroupSystemAdmin {
		return nil, vendor.Invalid("NewUser.GroupID", "API v2 cannot add a user to the SystemAdmin group (it ignores the group)")
	}
	r, err := s.c.v2(ctx, "/global/api2/user.cfc?method=add", f, false, "userid")
	if err != nil {
		return existingV2(err), err
	}
	return &AddedUser{ID: r.fields["userid"], APIKey: r.fields["apikey"]}, nil
}

// Get returns the API key's user. An unknown key is an error matching ErrUnauthorized.
//
// Endpoint: POST /global/api2/user.cfc?method=getuser
//
//roster:endpoint POST /global/api2/user.cfc?method=getuser
func (s *UsersV2Service) Get(ctx context.Context) (*UserV2, error) {
	r, err := s.c.v2(ctx, "/global/api2/user.cfc?method=getuser", url.Values{}, true, "rows")
	if err != nil {
		return nil, err
	}
	row := r.rows[0]
	return &UserV2{
		ID:        row["user_id"],
		LoginName: row["user_login_name"],
		Email:     row["user_email"],
		FirstName: row["user_first_name"],
		LastName:  row["user_last_name"],
	}, nil
}

// Update changes the fields set in data of the user ref finds and returns the user's id.
// data is checked and sent as for UsersService.Update.
//
// Endpoint: POST /global/api2/user.cfc?method=update
//
//roster:endpoint POST /global/api2/user.cfc?method=update
func (s *UsersV2Service) Update(ctx context.Context, ref UserRef, data UserData) (string, error) {
	f := url.Values{}
	if err := ref.form(f); err != nil {
		return "", err
	}
	pairs, hash, err := data.pairs()
	if err != nil {
		return "", err
	}
	f.Set("userdata", pairs)
	r, err := s.c.v2(ctx, "/global/api2/user.cfc?method=update", f, false, "", hash, strings.ToLower(hash))
	if err != nil {
		return "", err
	}
	return r.fields["userid"], nil
}

// Delete deletes the user ref finds and returns its id. An unknown user is an error
// matching ErrNotFound.
//
// Endpoint: POST /global/api2/user.cfc?method=delete
//
//roster:endpoint POST /global/api2/user.cfc?method=delete
func (s *UsersV2Service) Delete(ctx context.Context, ref UserRef) (string, error) {
	f := url.Values{}
	if err := ref.form(f); err != nil {
		return "", err
	}
	r, err := s.c.v2(ctx, "/global/api2/user.cfc?method=delete", f, false, "")
	if err != nil {
		return "", err
	}
	return r.fields["userid"], nil
}

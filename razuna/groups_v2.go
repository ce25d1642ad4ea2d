package razuna

import (
	"context"
	"net/url"
	"strings"
)

// GroupsV2Service reads groups through API v2 with Config.APIKey (razuna/razuna
// global/api2/group.cfc).
type GroupsV2Service service

// GroupMember is a user as getusersofgroups lists it.
type GroupMember struct {
	ID        string
	FirstName string
	LastName  string
	Email     string
}

// Users lists the users of the groups with the given ids. Groups none of which exists are
// an error matching ErrNotFound. Several ids are sent as one comma-separated grp_id value:
// the method's name and its "Group(s)" message say it takes a list, and CFML lists are
// comma-separated; no published example sends more than one.
//
// Endpoint: POST /global/api2/group.cfc?method=getusersofgroups
//
//roster:endpoint POST /global/api2/group.cfc?method=getusersofgroups
func (s *GroupsV2Service) Users(ctx context.Context, groupIDs ...string) ([]GroupMember, error) {
	if len(groupIDs) == 0 {
		return nil, vendor.Invalid("groupIDs", "none given")
	}
	for _, g := range groupIDs {
		if err := checkGroupID("groupIDs", g, false); err != nil {
			return nil, err
		}
	}
	r, err := s.c.v2(ctx, "/global/api2/group.cfc?method=getusersofgroups",
		url.Values{"grp_id": {strings.Join(groupIDs, ",")}}, true, "")
	if err != nil {
		return nil, err
	}
	out := make([]GroupMember, 0, len(r.rows))
	for _, row := range r.rows {
		out = append(out, GroupMember{
			ID:        row["user_id"],
			FirstName: row["user_first_name"],
			LastName:  row["user_last_name"],
			Email:     row["user_email"],
		})
	}
	return out, nil
}

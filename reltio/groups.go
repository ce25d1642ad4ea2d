package reltio

import (
	"context"
	"fmt"
	"net/http"
)

// GroupsService manages the customer's user groups. A user in a group gets the group's
// roles.
//
// Source: the "Groups Management API" pages of Reltio's documentation
// (https://docs.reltio.com, User Management API).
// Reltio's OpenAPI exports have no group operations, and no source shows a way to delete a
// group.
type GroupsService service

// Group is a customer group of users.
type Group struct {
	// GroupID identifies the group, e.g. "SALES_GROUP"; users name it in their Groups.
	GroupID     string `json:"groupId"`
	GroupName   string `json:"groupName,omitempty"`
	Description string `json:"description,omitempty"`
	// Roles maps a role to the tenants it applies to for the group's users.
	Roles Roles `json:"roles,omitempty"`
}

func checkGroup(field string, g *Group) error {
	if err := vendor.CheckText(field+".GroupID", g.GroupID); err != nil {
		return err
	}
	return checkRoles(field+".Roles", g.Roles)
}

// List returns the customer's groups.
//
// Endpoint: GET /customers/{customerId}/groups
//
//roster:endpoint GET /customers/{customerId}/groups
func (s *GroupsService) List(ctx context.Context) ([]Group, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	var out []Group
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}/groups", nil, nil, &out, cust); err != nil {
		return nil, err
	}
	return out, nil
}

// Create creates groups and returns them as stored (the groups as sent when the reply has
// none). It is a write: after a lost reply it is not resent.
//
// Endpoint: POST /customers/{customerId}/groups
//
//roster:endpoint POST /customers/{customerId}/groups
func (s *GroupsService) Create(ctx context.Context, groups []Group) ([]Group, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, vendor.Invalid("groups", "empty: nothing to create")
	}
	seen := map[string]bool{}
	for i := range groups {
		field := fmt.Sprintf("groups[%d]", i)
		if err := checkGroup(field, &groups[i]); err != nil {
			return nil, err
		}
		if seen[groups[i].GroupID] {
			return nil, vendor.Invalid(field+".GroupID", "%q given twice", groups[i].GroupID)
		}
		seen[groups[i].GroupID] = true
	}
	var out []Group
	if err := (*service)(s).do(ctx, http.MethodPost, "/customers/{customerId}/groups", nil, groups, &out, cust); err != nil {
		return nil, err
	}
	if out == nil {
		return append([]Group(nil), groups...), nil
	}
	return out, nil
}

// Get returns the group groupID.
//
// Endpoint: GET /customers/{customerId}/groups/{groupId}
//
//roster:endpoint GET /customers/{customerId}/groups/{groupId}
func (s *GroupsService) Get(ctx context.Context, groupID string) (*Group, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if err := vendor.CheckText("groupID", groupID); err != nil {
		return nil, err
	}
	var out Group
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}/groups/{groupId}", nil, nil, &out, cust, groupID); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update replaces the group g.GroupID with g and returns it as stored.
//
// Endpoint: PUT /customers/{customerId}/groups/{groupId}
//
//roster:endpoint PUT /customers/{customerId}/groups/{groupId}
func (s *GroupsService) Update(ctx context.Context, g Group) (*Group, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if err := checkGroup("Group", &g); err != nil {
		return nil, err
	}
	var out Group
	if err := (*service)(s).do(ctx, http.MethodPut, "/customers/{customerId}/groups/{groupId}", nil, g, &out, cust, g.GroupID); err != nil {
		return nil, err
	}
	if out.GroupID == "" {
		return &g, nil
	}
	return &out, nil
}

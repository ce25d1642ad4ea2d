package reltio

import (
	"context"
	"fmt"
	"net/http"
)

// PermissionsService reads and sets what roles may do: the permissions of Reltio's system
// roles and of the customer's own roles.
//
// Source: Reltio's "Configuration" OpenAPI export (getSystemRolePermissionsByRole,
// createCustomRolePermissions, getCustomRolePermissionsByRole, updateCustomRolePermissions,
// deleteCustomRolePermissions; kept in https://github.com/JoelSnipes/ReltioApiCollection,
// openApiSpec/Configuration.json), and for the list of custom role permissions the "Role and
// User Management APIs" table of Reltio's documentation
// (https://documentation.reltio.com/security/listofnewapis.html).
type PermissionsService service

// Privilege is something a permission allows.
type Privilege string

// The privileges Reltio's examples use.
const (
	Read    Privilege = "READ"
	Create  Privilege = "CREATE"
	Update  Privilege = "UPDATE"
	Delete  Privilege = "DELETE"
	Execute Privilege = "EXECUTE"
)

// RolePermissions is what a role may do, service by service.
type RolePermissions struct {
	RoleName           string       `json:"roleName"`
	ServicePermissions []Permission `json:"servicePermissions"`
}

// Permission is what a role may do with a service ("dataloader", "MDM") or, nested, with one
// of its resources ("config", "data", "entities").
type Permission struct {
	ID                  string       `json:"id"`
	AllowedPrivileges   []Privilege  `json:"allowedPrivileges,omitempty"`
	ResourcePermissions []Permission `json:"resourcePermissions,omitempty"`
}

func checkRolePermissions(field string, rp *RolePermissions) error {
	if err := checkID(field+".RoleName", rp.RoleName); err != nil {
		return err
	}
	return checkPermissions(field+".ServicePermissions", rp.ServicePermissions, 0)
}

// maxDepth bounds the nesting of resource permissions: Reltio's examples go three deep.
const maxDepth = 32

func checkPermissions(field string, ps []Permission, depth int) error {
	if depth > maxDepth {
		return vendor.Invalid(field, "nested more than %d levels", maxDepth)
	}
	for i := range ps {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := vendor.CheckText(f+".ID", ps[i].ID); err != nil {
			return err
		}
		for _, p := range ps[i].AllowedPrivileges {
			if err := checkID(f+".AllowedPrivileges", string(p)); err != nil {
				return err
			}
		}
		if err := checkPermissions(f+".ResourcePermissions", ps[i].ResourcePermissions, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// System returns the permissions of a system role, e.g. "ROLE_DATALOADER".
//
// Endpoint: GET /roles/permissions/{roleName}
//
//roster:endpoint GET /roles/permissions/{roleName}
func (s *PermissionsService) System(ctx context.Context, roleName string) (*RolePermissions, error) {
	if err := checkID("roleName", roleName); err != nil {
		return nil, err
	}
	var out RolePermissions
	if err := (*service)(s).do(ctx, http.MethodGet, "/roles/permissions/{roleName}", nil, nil, &out, roleName); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the permissions of every customer-specific role. Reltio's OpenAPI export has
// no such operation; its documentation's API table lists it.
//
// Endpoint: GET /customers/{customerId}/roles/permissions
//
//roster:endpoint GET /customers/{customerId}/roles/permissions
func (s *PermissionsService) List(ctx context.Context) ([]RolePermissions, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	var out []RolePermissions
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}/roles/permissions", nil, nil, &out, cust); err != nil {
		return nil, err
	}
	return out, nil
}

// Create sets the permissions of customer-specific roles and returns them as stored (as
// sent when the reply has none). It is a write: after a lost reply it is not resent.
//
// Endpoint: POST /customers/{customerId}/roles/permissions
//
//roster:endpoint POST /customers/{customerId}/roles/permissions
func (s *PermissionsService) Create(ctx context.Context, perms []RolePermissions) ([]RolePermissions, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if len(perms) == 0 {
		return nil, vendor.Invalid("perms", "empty: nothing to create")
	}
	seen := map[string]bool{}
	for i := range perms {
		field := fmt.Sprintf("perms[%d]", i)
		if err := checkRolePermissions(field, &perms[i]); err != nil {
			return nil, err
		}
		if seen[perms[i].RoleName] {
			return nil, vendor.Invalid(field+".RoleName", "%q given twice", perms[i].RoleName)
		}
		seen[perms[i].RoleName] = true
	}
	var out []RolePermissions
	if err := (*service)(s).do(ctx, http.MethodPost, "/customers/{customerId}/roles/permissions", nil, perms, &out, cust); err != nil {
		return nil, err
	}
	if out == nil {
		return append([]RolePermissions(nil), perms...), nil
	}
	return out, nil
}

// Get returns the permissions of a customer-specific role. A role without permissions is an
// error matching ErrNotFound ("No permissions found for role ...").
//
// Endpoint: GET /customers/{customerId}/roles/permissions/{roleName}
//
//roster:endpoint GET /customers/{customerId}/roles/permissions/{roleName}
func (s *PermissionsService) Get(ctx context.Context, roleName string) (*RolePermissions, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if err := checkID("roleName", roleName); err != nil {
		return nil, err
	}
	var out RolePermissions
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}/roles/permissions/{roleName}", nil, nil, &out, cust, roleName); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update replaces the permissions of the customer-specific role rp.RoleName and returns them
// as stored.
//
// Endpoint: PUT /customers/{customerId}/roles/permissions/{roleName}
//
//roster:endpoint PUT /customers/{customerId}/roles/permissions/{roleName}
func (s *PermissionsService) Update(ctx context.Context, rp RolePermissions) (*RolePermissions, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if err := checkRolePermissions("RolePermissions", &rp); err != nil {
		return nil, err
	}
	var out RolePermissions
	if err := (*service)(s).do(ctx, http.MethodPut, "/customers/{customerId}/roles/permissions/{roleName}", nil, rp, &out, cust, rp.RoleName); err != nil {
		return nil, err
	}
	if out.RoleName == "" {
		return &rp, nil
	}
	return &out, nil
}

// Delete deletes the permissions of a customer-specific role.
//
// Endpoint: DELETE /customers/{customerId}/roles/permissions/{roleName}
//
//roster:endpoint DELETE /customers/{customerId}/roles/permissions/{roleName}
func (s *PermissionsService) Delete(ctx context.Context, roleName string) error {
	cust, err := s.c.customerID()
	if err != nil {
		return err
	}
	if err := checkID("roleName", roleName); err != nil {
		return err
	}
	return (*service)(s).do(ctx, http.MethodDelete, "/customers/{customerId}/roles/permissions/{roleName}", nil, nil, nil, cust, roleName)
}

package reltio

import (
	"context"
	"net/http"
	"net/url"
)

// RolesService lists and sets the customer's roles.
//
// Source: Reltio's "Configuration" OpenAPI export (getRolesByCustomer, addCustomerRoles,
// updateCustomerRoles; kept in https://github.com/JoelSnipes/ReltioApiCollection,
// openApiSpec/Configuration.json) and the "Role and User Management APIs" table of Reltio's
// documentation (https://documentation.reltio.com/security/listofnewapis.html).
type RolesService service

// RoleListOptions are the options of RolesService.List.
type RoleListOptions struct {
	// ForClients lists the roles that can be given to API clients (for=clients, the only
	// value Reltio's spec allows; it does not document its meaning further).
	ForClients bool
}

// List returns the names of the roles the customer's users can have: system roles such as
// ROLE_API and the customer's own.
//
// Endpoint: GET /customers/{customerId}/roles
//
//roster:endpoint GET /customers/{customerId}/roles
func (s *RolesService) List(ctx context.Context, opts ...RoleListOptions) ([]string, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	var q url.Values
	for _, o := range opts {
		if o.ForClients {
			q = url.Values{"for": {"clients"}}
		}
	}
	var out []string
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}/roles", q, nil, &out, cust); err != nil {
		return nil, err
	}
	return out, nil
}

func checkRoleNames(roles []string, allowEmpty bool) error {
	if len(roles) == 0 && !allowEmpty {
		return vendor.Invalid("roles", "empty: name at least one role")
	}
	seen := map[string]bool{}
	for _, r := range roles {
		if err := checkID("roles", r); err != nil {
			return err
		}
		if seen[r] {
			return vendor.Invalid("roles", "%q given twice", r)
		}
		seen[r] = true
	}
	return nil
}

// Add adds customer-specific roles and returns the customer as the server reports it.
//
// Endpoint: POST /customers/{customerId}/roles
//
//roster:endpoint POST /customers/{customerId}/roles
func (s *RolesService) Add(ctx context.Context, roles ...string) (*Customer, error) {
	return s.set(ctx, http.MethodPost, roles, false)
}

// Replace replaces the customer-specific roles with roles (none removes them all) and
// returns the customer as the server reports it.
//
// Endpoint: PUT /customers/{customerId}/roles
//
//roster:endpoint PUT /customers/{customerId}/roles
func (s *RolesService) Replace(ctx context.Context, roles ...string) (*Customer, error) {
	return s.set(ctx, http.MethodPut, roles, true)
}

func (s *RolesService) set(ctx context.Context, method string, roles []string, allowEmpty bool) (*Customer, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if err := checkRoleNames(roles, allowEmpty); err != nil {
		return nil, err
	}
	body := append(make([]string, 0, len(roles)), roles...)
	var out Customer
	if err := (*service)(s).do(ctx, method, "/customers/{customerId}/roles", nil, body, &out, cust); err != nil {
		return nil, err
	}
	return &out, nil
}

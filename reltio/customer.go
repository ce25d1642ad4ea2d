package reltio

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// CustomersService reads the customer.
//
// Source: Reltio's "Configuration" OpenAPI export (getCustomerById; kept in
// https://github.com/JoelSnipes/ReltioApiCollection, openApiSpec/Configuration.json).
type CustomersService service

// Customer is a Reltio customer: the owner of tenants and users. The OpenAPI schema and its
// examples disagree on some field shapes; the fields below read both.
type Customer struct {
	ID string `json:"id"`
	// Tenants are the customer's tenant ids, the ids user roles name. It may be empty
	// although the customer has tenants: do not rely on it to find them.
	Tenants     []string `json:"tenants"`
	Description string   `json:"description"`
	// PasswordPolicy is the customer's password policy, when the server includes it.
	PasswordPolicy            *PasswordPolicy `json:"passwordPolicy"`
	CaseSensitiveLoginEnabled bool            `json:"caseSensitiveLoginEnabled"`
	// ApplicationClients are the ids of the customer's API clients.
	ApplicationClients []string `json:"applicationClients"`
	// CustomerSpecificRoles are the customer's own roles (strings in Reltio's examples,
	// {"role": ...} objects in its schema: both are read).
	CustomerSpecificRoles []string `json:"-"`
	// ExternalProviderConfig is the SSO configuration, as the server sent it (an array in
	// Reltio's examples, an object in its schema).
	ExternalProviderConfig json.RawMessage `json:"externalProviderConfig"`
}

// UnmarshalJSON reads a customer, with customerSpecificRoles as strings or role objects.
func (c *Customer) UnmarshalJSON(data []byte) error {
	type plain Customer
	var r struct {
		plain
		Roles []json.RawMessage `json:"customerSpecificRoles"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return err
	}
	*c = Customer(r.plain)
	for _, raw := range r.Roles {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			c.CustomerSpecificRoles = append(c.CustomerSpecificRoles, s)
			continue
		}
		var o struct {
			Role string `json:"role"`
		}
		if json.Unmarshal(raw, &o) == nil && o.Role != "" {
			c.CustomerSpecificRoles = append(c.CustomerSpecificRoles, o.Role)
		}
	}
	if t := bytes.TrimSpace(c.ExternalProviderConfig); string(t) == "null" {
		c.ExternalProviderConfig = nil
	}
	return nil
}

// Get returns the customer Config.Customer names.
//
// Endpoint: GET /customers/{customerId}
//
//roster:endpoint GET /customers/{customerId}
func (s *CustomersService) Get(ctx context.Context) (*Customer, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	var out Customer
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}", nil, nil, &out, cust); err != nil {
		return nil, err
	}
	return &out, nil
}

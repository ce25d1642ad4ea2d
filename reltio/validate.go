package reltio

import (
	"strings"
	"unicode"
)

// checkUser checks a user before it is sent. field names the user in errors ("users[2]").
// A password is refused unless create is set: Reltio documents it for create only.
func checkUser(field string, u *User, create bool) error {
	if err := vendor.CheckText(field+".Username", u.Username); err != nil {
		return err
	}
	if err := vendor.CheckText(field+".Email", u.Email); err != nil {
		return err
	}
	if !strings.Contains(u.Email, "@") || strings.ContainsFunc(u.Email, unicode.IsSpace) {
		return vendor.Invalid(field+".Email", "%q is not an email address", u.Email)
	}
	if u.Customer == "" {
		return vendor.Invalid(field+".Customer", "missing: set it, or Config.Customer")
	}
	if err := vendor.CheckText(field+".Customer", u.Customer); err != nil {
		return err
	}
	switch {
	case !create && u.Password != "":
		return vendor.Invalid(field+".Password", "can only be set when the user is created; no Reltio source shows a way to change it with an update")
	case create && u.Password != "":
		if err := vendor.CheckSecret(field+".Password", u.Password); err != nil {
			return err
		}
	}
	if err := checkRoles(field+".Permissions.Roles", u.Permissions.Roles); err != nil {
		return err
	}
	return checkGroups(field+".Groups", u.Groups)
}

// checkRoles checks a role map: role names are words without blanks, each role names at
// least one tenant, and no tenant twice (Reltio's schema makes the lists unique).
func checkRoles(field string, roles Roles) error {
	for role, tenants := range roles {
		if err := checkID(field, role); err != nil {
			return err
		}
		if len(tenants) == 0 {
			return vendor.Invalid(field+"["+role+"]", "no tenants: give the tenant ids the role applies to, or leave the role out")
		}
		seen := make(map[string]bool, len(tenants))
		for _, t := range tenants {
			if err := checkID(field+"["+role+"]", t); err != nil {
				return err
			}
			if seen[t] {
				return vendor.Invalid(field+"["+role+"]", "tenant %q given twice", t)
			}
			seen[t] = true
		}
	}
	return nil
}

// checkGroups checks a list of group ids: non-empty ids without control characters, none
// twice. Blanks are let through: no source shows what a group id may hold.
func checkGroups(field string, groups []string) error {
	seen := make(map[string]bool, len(groups))
	for _, g := range groups {
		if err := vendor.CheckText(field, g); err != nil {
			return err
		}
		if seen[g] {
			return vendor.Invalid(field, "group %q given twice", g)
		}
		seen[g] = true
	}
	return nil
}

// checkID refuses an empty identifier (a role, tenant or group id) or one holding blanks or
// control characters, which no Reltio id has.
func checkID(field, id string) error {
	switch {
	case id == "":
		return vendor.Invalid(field, "empty id")
	case strings.ContainsFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return vendor.Invalid(field, "%q holds a blank or control character", id)
	}
	return nil
}

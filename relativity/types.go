package relativity

import (
	"context"
	"net/http"
)

// AvailableTypes returns the user types a user can be given (UserRequest.Type). Relativity
// ships Internal (663) and External (672); administrators can add more. The type is for
// reference only: it grants nothing.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/available-types
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/available-types
func (s *UsersService) AvailableTypes(ctx context.Context) ([]Ref, error) {
	var out []Ref
	if err := s.c.call(ctx, http.MethodGet, pathAvailableTypes, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// TypeByName returns the type called name (compared exactly) from types, and whether there
// is one.
func TypeByName(types []Ref, name string) (Ref, bool) {
	for _, t := range types {
		if t.Name == name {
			return t, true
		}
	}
	return Ref{}, false
}

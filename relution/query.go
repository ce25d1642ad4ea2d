package relution

import (
	"fmt"
	"reflect"
	"strings"
)

// Query is the body of Relution's POST .../query endpoints (the vendor doc's scripts and sebastianspicker/appport), such
// as the device and user baseInfo queries and an import job's entity states.
// The zero Query asks for everything in the server's order.
type Query struct {
	// Limit is the page size; 0 leaves it to the server, which then answers
	// without a limit.
	Limit int `json:"limit,omitempty"`
	// Offset is the number of entries to skip.
	Offset int `json:"offset,omitempty"`
	// GetNonpagedCount asks the server to report the count of all matches,
	// ignoring Limit and Offset (the envelope's nonpagedCount).
	GetNonpagedCount bool `json:"getNonpagedCount,omitempty"`
	// GetItems is sent as true by the clients seen in use (appport); its
	// meaning is not documented. Leave it false unless a server needs it.
	GetItems bool `json:"getItems,omitempty"`
	// SortOrder orders the results; nil keeps the server's order.
	SortOrder *SortOrder `json:"sortOrder,omitempty"`
	// Filter selects the entries; nil matches all. Build it with And, Or,
	// StringEnum and the other constructors of this package.
	Filter Filter `json:"filter,omitempty"`
	// Searches are free-text terms; the users query matches them against
	// the login name, email and names.
	Searches []string `json:"searches,omitempty"`
}

// SortOrder is the sort part of a Query: the fields to sort by, the first
// one deciding first.
type SortOrder struct {
	SortFields []SortField `json:"sortFields"`
}

// SortField is one field of a SortOrder.
type SortField struct {
	// Name is the field to sort by, as the vendor names it
	// ("lastConnectionDate", "line").
	Name string `json:"name"`
	// Ascending sorts from the smallest value; false sorts from the largest.
	Ascending bool `json:"ascending"`
}

// SortBy returns a SortOrder of fields, in order. With no fields it returns
// nil, so that the server's order is kept.
func SortBy(fields ...SortField) *SortOrder {
	if len(fields) == 0 {
		return nil
	}
	return &SortOrder{SortFields: fields}
}

// Asc sorts by the field name in ascending order.
func Asc(name string) SortField { return SortField{Name: name, Ascending: true} }

// Desc sorts by the field name in descending order.
func Desc(name string) SortField { return SortField{Name: name} }

// String returns s in the form GET list endpoints take as their sortOrder
// parameter (sebastianspicker/appport, relution-io/relution-sdk and mwaylabs/uikit): field names joined by commas, each descending one
// prefixed by "-". Ascending ones carry no "+", which the server also
// accepts, because a "+" left unescaped in a URL reads as a space.
func (s *SortOrder) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	for i, f := range s.SortFields {
		if i > 0 {
			b.WriteByte(',')
		}
		if !f.Ascending {
			b.WriteByte('-')
		}
		b.WriteString(f.Name)
	}
	return b.String()
}

// queryErr is the *ValidationError of an invalid part of a Query or Filter: field is its
// path in the JSON body, such as "filter.filters[1].fieldName" or "limit".
func queryErr(field, reason string) *ValidationError {
	return &ValidationError{Vendor: string(vendor), Field: field, Reason: reason}
}

// Validate reports the first part of q the server would refuse or
// misread, as a *ValidationError (matching ErrInvalidInput) whose Field is the part's path
// in the JSON body, such as "filter.filters[1].fieldName": a negative limit or offset, an unnamed sort
// field, or an invalid filter (see Filter).
func (q Query) Validate() error {
	if q.Limit < 0 {
		return queryErr("limit", fmt.Sprintf("negative (%d)", q.Limit))
	}
	if q.Offset < 0 {
		return queryErr("offset", fmt.Sprintf("negative (%d)", q.Offset))
	}
	if q.SortOrder != nil {
		// An empty list would go out as "sortFields":null.
		if len(q.SortOrder.SortFields) == 0 {
			return queryErr("sortOrder.sortFields", "empty")
		}
		for i, f := range q.SortOrder.SortFields {
			if strings.TrimSpace(f.Name) == "" {
				return queryErr(fmt.Sprintf("sortOrder.sortFields[%d].name", i), "empty")
			}
			// A GET list joins the fields with commas: "a,b" would become two sort keys.
			if strings.ContainsRune(f.Name, ',') {
				return queryErr(fmt.Sprintf("sortOrder.sortFields[%d].name", i), fmt.Sprintf("%q holds a comma", f.Name))
			}
		}
	}
	if q.Filter != nil {
		if err := validateFilter("filter", q.Filter, 0); err != nil {
			return err
		}
	}
	return nil
}

// isNil reports whether f is nil or holds a nil pointer: a caller may put a
// nil *StringFilter into a Filter, and calling its methods would panic.
func isNil(f Filter) bool {
	if f == nil {
		return true
	}
	v := reflect.ValueOf(f)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

package relution

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// docScript6Body is the query body of doc.txt's script 6, "Query Devices in
// an Organization", as the vendor wrote it.
const docScript6Body = `{
"limit": 100,
"offset": 0,
"getNonpagedCount": true,
"sortOrder": {
"sortFields": [
{
"name": "lastConnectionDate",
"ascending": false
}
]
},
"filter": {
"type": "logOp",
"operation": "AND",
"filters": [
{
"type": "stringEnum",
"fieldName": "platform",
"values": [
"ANDROID",
"ANDROID_ENTERPRISE",
"IOS"
]
},
{
"type": "stringEnum",
"fieldName": "status",
"values": [
"COMPLIANT"
]
}
]
}
}`

// TestQueryDocScript6 builds the doc's device query with the constructors.
// Offset 0 is the server's default and Query leaves it out, so the doc's
// "offset":0 is removed before comparing.
func TestQueryDocScript6(t *testing.T) {
	t.Parallel()
	q := Query{
		Limit:            100,
		GetNonpagedCount: true,
		SortOrder:        SortBy(Desc("lastConnectionDate")),
		Filter: And(
			StringEnum("platform", "ANDROID", "ANDROID_ENTERPRISE", "IOS"),
			StringEnum("status", "COMPLIANT"),
		),
	}
	if err := q.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	got, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(docScript6Body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["offset"] != 0.0 {
		t.Fatalf("doc offset = %v, want 0", doc["offset"])
	}
	delete(doc, "offset")
	want, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	sameJSONQuery(t, got, string(want))
}

func TestQueryJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query Query
		want  string
	}{
		{"zero query is an empty object", Query{}, `{}`},
		{
			"doc's entity states query",
			Query{SortOrder: SortBy(Asc("line"))},
			`{"sortOrder":{"sortFields":[{"name":"line","ascending":true}]}}`,
		},
		{
			"appport's devices of a user",
			Query{
				Filter: And(
					StringEq("userUuid", "U"),
					StringEnum("platform", "WINDOWS"),
				),
				SortOrder:        SortBy(Desc("lastConnectionDate")),
				GetItems:         true,
				GetNonpagedCount: true,
				Limit:            100,
				Offset:           200,
			},
			`{"filter":{"type":"logOp","operation":"AND","filters":[{"type":"string","fieldName":"userUuid","value":"U"},{"type":"stringEnum","fieldName":"platform","values":["WINDOWS"]}]},"sortOrder":{"sortFields":[{"name":"lastConnectionDate","ascending":false}]},"getItems":true,"getNonpagedCount":true,"limit":100,"offset":200}`,
		},
		{"searches", Query{Searches: []string{"user1"}}, `{"searches":["user1"]}`},
		{"empty And leaves the filter out", Query{Filter: And(nil)}, `{}`},
		{"empty SortBy leaves the sort out", Query{SortOrder: SortBy()}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			sameJSONQuery(t, got, tt.want)
		})
	}
}

func TestQueryValidate(t *testing.T) {
	t.Parallel()
	var nilFilter *StringFilter
	tests := []struct {
		name  string
		query Query
		want  *ValidationError
	}{
		{"zero", Query{}, nil},
		{"negative limit", Query{Limit: -1}, queryErr("limit", "negative (-1)")},
		{"negative offset", Query{Offset: -3}, queryErr("offset", "negative (-3)")},
		{"empty sort", Query{SortOrder: &SortOrder{}}, queryErr("sortOrder.sortFields", "empty")},
		{"unnamed sort field", Query{SortOrder: SortBy(Asc("line"), Desc(" "))}, queryErr("sortOrder.sortFields[1].name", "empty")},
		{"sort field with a comma", Query{SortOrder: SortBy(Asc("line,status"))}, queryErr("sortOrder.sortFields[0].name", `"line,status" holds a comma`)},
		{"nil pointer filter", Query{Filter: nilFilter}, queryErr("filter", "nil filter")},
		{"leaf filter", Query{Filter: StringEq("", "x")}, queryErr("filter.fieldName", "empty")},
		{
			"nested filter",
			Query{Filter: And(StringEnum[string]("platform", "IOS"), StringEnum[string](""))},
			queryErr("filter.filters[1].fieldName", "empty"),
		},
		{"range", Query{Filter: LongRange[int64]("line", nil, nil)}, queryErr("filter", "neither min nor max set")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.query.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v, want nil", err)
				}
				return
			}
			var qe *ValidationError
			if !errors.As(err, &qe) {
				t.Fatalf("Validate: %v (%T), want *ValidationError", err, err)
			}
			if diff := cmp.Diff(tt.want, qe); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueryErrorMessage(t *testing.T) {
	t.Parallel()
	err := Query{Filter: And(NotNull("a"), NotNull(""))}.Validate()
	if got, want := err.Error(), "relution: invalid filter.filters[1].fieldName: empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestSortOrderString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    *SortOrder
		want string
	}{
		{"nil", nil, ""},
		{"one descending", SortBy(Desc("creationDate")), "-creationDate"},
		{"mixed", SortBy(Asc("name"), Desc("creationDate")), "name,-creationDate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.s.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

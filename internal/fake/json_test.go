package fake

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type inner struct {
	Name string `json:"name"`
}

type outer struct {
	Limit  int               `json:"limit"`
	Ok     *bool             `json:"ok,omitempty"`
	Items  []inner           `json:"items"`
	Child  *inner            `json:"child"`
	Labels map[string]string `json:"labels"`
	Any    any               `json:"any"`
}

func TestDecodeJSONRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{"empty", "", "empty body"},
		{"only white space", " \n\t ", "empty body"},
		{"unknown field", `{"limit":1,"foo":2}`, `unknown field "foo"`},
		{"unknown field in nested struct", `{"child":{"name":"a","x":1}}`, `unknown field "child.x"`},
		{"unknown field in array element", `{"items":[{"name":"a"},{"nme":"b"}]}`, `unknown field "items[1].nme"`},
		{"key differs only by case", `{"Limit":1}`, `unknown field "Limit"`},
		{"nested key differs only by case", `{"items":[{"NAME":"a"}]}`, `unknown field "items[0].NAME"`},
		{"duplicate top-level key", `{"limit":1,"limit":2}`, `duplicate key "limit"`},
		{"duplicate key in nested object", `{"child":{"name":"a","name":"b"}}`, `duplicate key "name" in $.child`},
		{"duplicate key in array element", `{"items":[{"name":"a"},{"name":"b","name":"c"}]}`, `duplicate key "name" in $.items[1]`},
		{"duplicate key in array in array", `{"any":[[{}],[{"k":1,"k":1}]]}`, `duplicate key "k" in $.any[1][0]`},
		{"duplicate key in map field", `{"labels":{"a":"1","a":"2"}}`, `duplicate key "a" in $.labels`},
		{"duplicate key through escape", `{"limit":1,"\u006cimit":2}`, `duplicate key "limit"`},
		{"wrong type", `{"limit":"10"}`, `field "limit": wrong type: got string, want integer`},
		{"fraction for integer", `{"limit":1.5}`, `field "limit": wrong type: got number 1.5, want integer`},
		{"wrong nested type", `{"items":[{"name":7}]}`, `field "items.name": wrong type: got number, want string`},
		{"array for object", `[]`, `wrong type: got array, want object`},
		{"trailing value", `{"limit":1} {"limit":2}`, "trailing data after JSON value"},
		{"trailing garbage", `{"limit":1}x`, "trailing data after JSON value"},
		{"trailing close", `{"limit":1}}`, "trailing data after JSON value"},
		{"truncated", `{"limit":`, "malformed JSON: unexpected end of input"},
		{"missing colon", `{"limit" 1}`, "malformed JSON: invalid character '1' after object key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v outer
			err := DecodeJSON([]byte(tt.body), &v)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("DecodeJSON(%q) = %v, want a *DecodeError", tt.body, err)
			}
			if de.Reason != tt.want || err.Error() != tt.want {
				t.Errorf("DecodeJSON(%q) reason = %q, want %q", tt.body, de.Reason, tt.want)
			}
		})
	}
}

func TestDecodeJSONAccepts(t *testing.T) {
	t.Parallel()
	yes := true
	body := `
	{"limit": 5, "ok": true, "items": [{"name": "a"}, {"name": "b"}],
	 "child": {"name": "c"}, "labels": {"a": "1", "A": "2"},
	 "any": {"free": [1, {"Form": null}]}}
	`
	var got outer
	if err := DecodeJSON([]byte(body), &got); err != nil {
		t.Fatalf("DecodeJSON: %v", err)
	}
	want := outer{
		Limit:  5,
		Ok:     &yes,
		Items:  []inner{{"a"}, {"b"}},
		Child:  &inner{"c"},
		Labels: map[string]string{"a": "1", "A": "2"},
		Any:    map[string]any{"free": []any{1.0, map[string]any{"Form": nil}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DecodeJSON mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeJSONIntoMapAndAny(t *testing.T) {
	t.Parallel()
	var m map[string]any
	if err := DecodeJSON([]byte(`{"anything":{"goes":1}}`), &m); err != nil {
		t.Fatalf("DecodeJSON into map: %v", err)
	}
	if err := DecodeJSON([]byte(`{"a":{"b":1,"b":2}}`), &m); err == nil {
		t.Error("DecodeJSON into map accepted a duplicate key")
	}
	var list []string
	if err := DecodeJSON([]byte(`["a","b"]`), &list); err != nil {
		t.Fatalf("DecodeJSON into slice: %v", err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, list); diff != "" {
		t.Errorf("slice mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckDuplicateKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string // "" means no error
	}{
		{"flat", `{"a":1,"b":2}`, ""},
		{"same key in sibling objects", `[{"a":1},{"a":2}]`, ""},
		{"same key at different depths", `{"a":{"a":{"a":1}}}`, ""},
		{"keys differing by case", `{"a":1,"A":2}`, ""},
		{"string value equal to a key", `{"a":"a","b":"a"}`, ""},
		{"several values", `{"a":1} {"a":2}`, ""},
		{"top level", `{"a":1,"b":2,"a":3}`, `duplicate key "a"`},
		{"after nested value", `{"a":{"x":[1,2]},"a":1}`, `duplicate key "a"`},
		{"deep", `{"f":{"filters":[{"t":1},{"t":2,"t":3}]}}`, `duplicate key "t" in $.f.filters[1]`},
		{"malformed", `{"a":}`, "malformed JSON: invalid character '}' looking for beginning of value"},
		{"empty", ``, "empty body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckDuplicateKeys([]byte(tt.body))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("CheckDuplicateKeys(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

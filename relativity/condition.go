package relativity

import (
	"fmt"
	"strconv"
	"strings"
)

// Condition is a query condition in Relativity's query language, built with the functions
// below so that field names and values are always quoted and escaped (never pasted into the
// text). The zero Condition is empty and matches everything.
//
//	relativity.Field("Email Address").Eq("jane@example.com") // 'Email Address' == 'jane@example.com'
//	relativity.Field("User Type").In("Internal")             // 'User Type' IN ['Internal']
//
// The syntax is that of "Query for resources"
// (https://platform.relativity.com/Server2025/Content/REST_API/Resource_Tasks/Querying_for_resources.htm):
// field names and strings in single quotes, a backslash escaping a quote or a backslash.
// Which field names a service accepts is the server's business: the doc's samples use
// 'User Type' and 'FullName' for workspace users, and 'Name' for groups.
type Condition struct{ text string }

// String returns the condition as it is sent.
func (c Condition) String() string { return c.text }

// IsZero reports whether c is empty (matches everything).
func (c Condition) IsZero() bool { return c.text == "" }

// RawCondition returns a condition from text written by hand, for the forms the builder
// lacks (MonthOf, OBJECT ...). The text is sent as it is: never build it from input.
func RawCondition(text string) Condition { return Condition{text: text} }

// FieldName names a field in a condition; make one with Field.
type FieldName struct{ name string }

// Field returns the field called name, quoted as 'name' in the condition.
func Field(name string) FieldName { return FieldName{name: name} }

// String returns the field name as the condition writes it: quoted, 'name'.
func (f FieldName) String() string { return quote(f.name) }

func (f FieldName) cmp(op string, v any) Condition {
	return Condition{text: f.String() + " " + op + " " + literal(v)}
}

// Eq is 'F' == v. v is a string, an integer, a bool, or a Date (strings are quoted).
func (f FieldName) Eq(v any) Condition { return f.cmp("==", v) }

// Ne is 'F' <> v.
func (f FieldName) Ne(v any) Condition { return f.cmp("<>", v) }

// Gt is 'F' > v.
func (f FieldName) Gt(v any) Condition { return f.cmp(">", v) }

// Ge is 'F' >= v.
func (f FieldName) Ge(v any) Condition { return f.cmp(">=", v) }

// Lt is 'F' < v.
func (f FieldName) Lt(v any) Condition { return f.cmp("<", v) }

// Le is 'F' <= v.
func (f FieldName) Le(v any) Condition { return f.cmp("<=", v) }

// In is 'F' IN ['a', 'b']. With no values it matches nothing (an empty set).
func (f FieldName) In(values ...string) Condition {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = quote(v)
	}
	return Condition{text: f.String() + " IN [" + strings.Join(parts, ", ") + "]"}
}

// InIDs is 'F' IN [1, 2], for Artifact IDs.
func (f FieldName) InIDs(ids ...int) Condition {
	parts := make([]string, len(ids))
	for i, v := range ids {
		parts[i] = strconv.Itoa(v)
	}
	return Condition{text: f.String() + " IN [" + strings.Join(parts, ", ") + "]"}
}

// Like is 'F' LIKE ['a', 'b'], the form of the User Manager (REST) page's sample
// ('FullName' LIKE ['John']), with each value matched literally: its wildcards % and _ are
// escaped.
func (f FieldName) Like(values ...string) Condition {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = quote(escapeWildcards(v))
	}
	return Condition{text: f.String() + " LIKE [" + strings.Join(parts, ", ") + "]"}
}

// StartsWith is 'F' STARTSWITH 'v', v matched literally.
func (f FieldName) StartsWith(v string) Condition {
	return Condition{text: f.String() + " STARTSWITH " + quote(escapeWildcards(v))}
}

// EndsWith is 'F' ENDSWITH 'v', v matched literally.
func (f FieldName) EndsWith(v string) Condition {
	return Condition{text: f.String() + " ENDSWITH " + quote(escapeWildcards(v))}
}

// Contains is 'F' CONTAINS 'v'.
func (f FieldName) Contains(v string) Condition {
	return Condition{text: f.String() + " CONTAINS " + quote(v)}
}

// IsSet is 'F' ISSET: the field has a value.
func (f FieldName) IsSet() Condition { return Condition{text: f.String() + " ISSET"} }

// And joins conditions with AND, each in parentheses; empty ones are left out.
func And(cs ...Condition) Condition { return join(" AND ", cs) }

// Or joins conditions with OR, each in parentheses; empty ones are left out.
func Or(cs ...Condition) Condition { return join(" OR ", cs) }

// Not negates c; the negation of the empty condition is empty too.
func Not(c Condition) Condition {
	if c.IsZero() {
		return c
	}
	return Condition{text: "NOT (" + c.text + ")"}
}

func join(op string, cs []Condition) Condition {
	var parts []string
	for _, c := range cs {
		if !c.IsZero() {
			parts = append(parts, "("+c.text+")")
		}
	}
	if len(parts) == 1 {
		return Condition{text: strings.TrimSuffix(strings.TrimPrefix(parts[0], "("), ")")}
	}
	return Condition{text: strings.Join(parts, op)}
}

// quote writes s as a single-quoted string: a backslash escapes a quote and a backslash, and
// control characters are written as \uXXXX, as the query language allows.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// escapeWildcards makes % and _ literal, as [%] and [_] (Query for resources page). '[' is
// written [[] too: the page does not say so, but the bracket form is SQL Server's LIKE
// syntax, which these operators follow, and an unescaped '[' would open a character class.
func escapeWildcards(s string) string {
	if !strings.ContainsAny(s, "%_[") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '%', '_', '[':
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func literal(v any) string {
	switch t := v.(type) {
	case string:
		return quote(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case int32:
		return strconv.FormatInt(int64(t), 10)
	case bool:
		return strconv.FormatBool(t)
	case Date:
		// The query language wants ISO 8601 with Z (only the date part is compared).
		tm, err := t.Time()
		if err != nil || t.IsZero() {
			return quote(t.String())
		}
		return quote(tm.Format("2006-01-02T15:04:05.000Z"))
	case fmt.Stringer:
		return quote(t.String())
	}
	return quote(fmt.Sprint(v))
}

// MarshalText writes the condition's text, so it travels as a JSON string.
func (c Condition) MarshalText() ([]byte, error) { return []byte(c.text), nil }

// UnmarshalText reads a condition's text as it is.
func (c *Condition) UnmarshalText(b []byte) error { c.text = string(b); return nil }

package relutiontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

// kind is how a field can be filtered and sorted.
type kind int

const (
	kString  kind = iota
	kStrings      // a list of strings: a string filter matches when any element does
	kLong
	kDate // epoch milliseconds; 0 counts as null
	kBool
	kMap
)

// field reads one filterable field of a T; exactly one reader is set, the
// one for its kind.
type field[T any] struct {
	kind kind
	str  func(T) string
	strs func(T) []string
	num  func(T) int64
	b    func(T) bool
	m    func(T) map[string]string
}

func strField[T any](f func(T) string) field[T]            { return field[T]{kind: kString, str: f} }
func strsField[T any](f func(T) []string) field[T]         { return field[T]{kind: kStrings, strs: f} }
func longField[T any](f func(T) int64) field[T]            { return field[T]{kind: kLong, num: f} }
func dateField[T any](f func(T) int64) field[T]            { return field[T]{kind: kDate, num: f} }
func boolField[T any](f func(T) bool) field[T]             { return field[T]{kind: kBool, b: f} }
func mapField[T any](f func(T) map[string]string) field[T] { return field[T]{kind: kMap, m: f} }

// schema lists what a resource's queries may name.
type schema[T any] struct {
	fields map[string]field[T]
	search []string // fields a "searches" term is matched against
}

// sortKey is one entry of a sort order.
type sortKey struct {
	Name      string
	Ascending bool
}

// listQuery is a query after parsing, whether it came as a POST body or as
// GET parameters.
type listQuery struct {
	limit, offset int
	nonpaged      bool
	sort          []sortKey
	filter        json.RawMessage // nil: none
	searches      []string
}

// queryBody is the POST query body; pointers tell "absent" from zero.
type queryBody struct {
	Limit            *int            `json:"limit"`
	Offset           *int            `json:"offset"`
	GetNonpagedCount *bool           `json:"getNonpagedCount"`
	GetItems         *bool           `json:"getItems"` // accepted, no effect: its meaning is undocumented
	SortOrder        *sortOrderBody  `json:"sortOrder"`
	Filter           json.RawMessage `json:"filter"`
	Searches         []string        `json:"searches"`
}

type sortOrderBody struct {
	SortFields []sortFieldBody `json:"sortFields"`
}

type sortFieldBody struct {
	Name      string `json:"name"`
	Ascending *bool  `json:"ascending"` // absent means ascending
}

// queryError is a 400 whose code says which part of the query is wrong.
type queryError struct {
	code, msg string
}

func (e *queryError) Error() string { return e.msg }

func filterErr(format string, args ...any) error {
	return &queryError{code: "INVALID_FILTER", msg: fmt.Sprintf(format, args...)}
}

func badQuery(format string, args ...any) error {
	return &queryError{code: "INVALID_QUERY", msg: fmt.Sprintf(format, args...)}
}

// parseQueryBody reads a POST query body. An empty body is the empty query:
// the vendor's own script sends one for the CSV report only with a sort, so
// every key is optional.
func parseQueryBody(data []byte) (listQuery, error) {
	var q listQuery
	if len(bytes.TrimSpace(data)) == 0 {
		return q, nil
	}
	var b queryBody
	if err := fake.DecodeJSON(data, &b); err != nil {
		return q, &queryError{code: "INVALID_REQUEST_BODY", msg: "invalid query body: " + err.Error()}
	}
	if b.Limit != nil {
		if *b.Limit < 0 {
			return q, badQuery("limit must not be negative")
		}
		q.limit = *b.Limit
	}
	if b.Offset != nil {
		if *b.Offset < 0 {
			return q, badQuery("offset must not be negative")
		}
		q.offset = *b.Offset
	}
	q.nonpaged = b.GetNonpagedCount != nil && *b.GetNonpagedCount
	if b.SortOrder != nil {
		for i, f := range b.SortOrder.SortFields {
			if f.Name == "" {
				return q, &queryError{code: "INVALID_SORT_ORDER", msg: fmt.Sprintf("sortOrder.sortFields[%d].name is empty", i)}
			}
			q.sort = append(q.sort, sortKey{Name: f.Name, Ascending: f.Ascending == nil || *f.Ascending})
		}
	}
	if len(b.Filter) > 0 && string(b.Filter) != "null" {
		q.filter = b.Filter
	}
	q.searches = b.Searches
	return q, nil
}

// parseListParams reads the query parameters of a GET list. Which of them an
// endpoint accepts at all is checked by the router.
func parseListParams(v url.Values) (listQuery, error) {
	var q listQuery
	var err error
	if s := v.Get("limit"); s != "" {
		if q.limit, err = strconv.Atoi(s); err != nil || q.limit < 0 {
			return q, badQuery("limit %q is not a non-negative integer", s)
		}
	}
	if s := v.Get("offset"); s != "" {
		if q.offset, err = strconv.Atoi(s); err != nil || q.offset < 0 {
			return q, badQuery("offset %q is not a non-negative integer", s)
		}
	}
	for _, name := range []string{"getNonpagedCount", "getItems", "getPings", "recursive"} {
		if s, ok := v[name]; ok && s[0] != "true" && s[0] != "false" {
			return q, badQuery("%s must be true or false, not %q", name, s[0])
		}
	}
	q.nonpaged = v.Get("getNonpagedCount") == "true"
	if s, ok := v["sortOrder"]; ok {
		if q.sort, err = parseSortParam(s[0]); err != nil {
			return q, err
		}
	}
	if s, ok := v["filter"]; ok {
		var raw json.RawMessage
		if err := fake.DecodeJSON([]byte(s[0]), &raw); err != nil {
			return q, filterErr("filter parameter: %v", err)
		}
		if string(raw) != "null" {
			q.filter = raw
		}
	}
	return q, nil
}

// parseSortParam reads "-creationDate,+name,name". A "+" that arrives as a
// space (an unescaped "+" in a query string decodes to one) still means
// ascending.
func parseSortParam(s string) ([]sortKey, error) {
	var out []sortKey
	for _, term := range strings.Split(s, ",") {
		asc := true
		term = strings.TrimPrefix(term, " ")
		switch {
		case strings.HasPrefix(term, "-"):
			asc, term = false, term[1:]
		case strings.HasPrefix(term, "+"):
			term = term[1:]
		}
		if term == "" || strings.TrimSpace(term) != term {
			return nil, &queryError{code: "INVALID_SORT_ORDER", msg: fmt.Sprintf("sortOrder %q has an empty or malformed field name", s)}
		}
		out = append(out, sortKey{Name: term, Ascending: asc})
	}
	return out, nil
}

// filterKeys lists, per filter type, the keys it may carry besides "type".
var filterKeys = map[string][]string{
	"logOp":          {"operation", "filters"},
	"string":         {"fieldName", "value"},
	"containsString": {"fieldName", "contains"},
	"like":           {"fieldName", "like"},
	"stringEnum":     {"fieldName", "values"},
	"longEnum":       {"fieldName", "values"},
	"boolean":        {"fieldName", "value"},
	"long":           {"fieldName", "value"},
	"longRange":      {"fieldName", "min", "max"},
	"doubleRange":    {"fieldName", "min", "max"},
	"stringRange":    {"fieldName", "min", "max"},
	"dateRange":      {"fieldName", "min", "max"},
	"stringMap":      {"fieldName", "key", "value"},
	"null":           {"fieldName", "isNull"},
}

// optionalKeys are, per filter type, the keys it may leave out.
var optionalKeys = map[string][]string{
	"longRange":   {"min", "max"},
	"doubleRange": {"min", "max"},
	"stringRange": {"min", "max"},
	"dateRange":   {"min", "max"},
	"stringMap":   {"key", "value"},
	"null":        {"isNull"},
}

// compileFilter turns a filter object into a predicate, refusing unknown
// types, keys and fields before anything is evaluated.
func compileFilter[T any](raw json.RawMessage, sch *schema[T], path string) (func(T) bool, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, filterErr("%s: a filter must be a JSON object", path)
	}
	var typ string
	if err := strictValue(obj["type"], &typ); err != nil || typ == "" {
		return nil, filterErr("%s: missing or invalid \"type\"", path)
	}
	keys, ok := filterKeys[typ]
	if !ok {
		return nil, filterErr("%s: unknown filter type %q", path, typ)
	}
	for k := range obj {
		if k != "type" && !slices.Contains(keys, k) {
			return nil, filterErr("%s: unknown key %q in filter of type %q", path, k, typ)
		}
	}
	for _, k := range keys {
		if v, ok := obj[k]; (!ok || string(v) == "null") && !slices.Contains(optionalKeys[typ], k) {
			return nil, filterErr("%s: filter of type %q needs %q", path, typ, k)
		}
	}
	if typ == "logOp" {
		return compileLogOp(obj, sch, path)
	}

	var name string
	if err := strictValue(obj["fieldName"], &name); err != nil {
		return nil, filterErr("%s: fieldName: %v", path, err)
	}
	f, ok := sch.fields[name]
	if !ok {
		return nil, filterErr("%s: unknown field %q", path, name)
	}
	wrongKind := func() error {
		return filterErr("%s: filter type %q does not apply to field %q", path, typ, name)
	}
	isString := f.kind == kString || f.kind == kStrings
	isNumber := f.kind == kLong || f.kind == kDate

	switch typ {
	case "string", "containsString", "like", "stringEnum":
		if !isString {
			return nil, wrongKind()
		}
		var match func(string) bool
		switch typ {
		case "string":
			var want string
			if err := strictValue(obj["value"], &want); err != nil {
				return nil, filterErr("%s: value: %v", path, err)
			}
			match = func(s string) bool { return strings.EqualFold(s, want) }
		case "containsString":
			var sub string
			if err := strictValue(obj["contains"], &sub); err != nil {
				return nil, filterErr("%s: contains: %v", path, err)
			}
			sub = strings.ToLower(sub)
			match = func(s string) bool { return strings.Contains(strings.ToLower(s), sub) }
		case "like":
			var pat string
			if err := strictValue(obj["like"], &pat); err != nil {
				return nil, filterErr("%s: like: %v", path, err)
			}
			re := likePattern(pat)
			match = re.MatchString
		case "stringEnum":
			var vals []string
			if err := strictValue(obj["values"], &vals); err != nil {
				return nil, filterErr("%s: values: %v", path, err)
			}
			match = func(s string) bool {
				for _, v := range vals {
					if strings.EqualFold(s, v) {
						return true
					}
				}
				return false
			}
		}
		return stringPredicate(f, match), nil

	case "stringRange":
		if !isString {
			return nil, wrongKind()
		}
		var lo, hi *string
		if err := optionalValue(obj["min"], &lo); err != nil {
			return nil, filterErr("%s: min: %v", path, err)
		}
		if err := optionalValue(obj["max"], &hi); err != nil {
			return nil, filterErr("%s: max: %v", path, err)
		}
		return stringPredicate(f, func(s string) bool {
			s = strings.ToLower(s)
			return (lo == nil || s >= strings.ToLower(*lo)) && (hi == nil || s <= strings.ToLower(*hi))
		}), nil

	case "long", "longEnum", "longRange", "dateRange":
		if !isNumber || (typ == "dateRange" && f.kind != kDate) {
			return nil, wrongKind()
		}
		switch typ {
		case "long":
			var want int64
			if err := strictValue(obj["value"], &want); err != nil {
				return nil, filterErr("%s: value: %v", path, err)
			}
			return func(t T) bool { return f.num(t) == want }, nil
		case "longEnum":
			var vals []int64
			if err := strictValue(obj["values"], &vals); err != nil {
				return nil, filterErr("%s: values: %v", path, err)
			}
			return func(t T) bool { return slices.Contains(vals, f.num(t)) }, nil
		default:
			var lo, hi *int64
			if err := optionalValue(obj["min"], &lo); err != nil {
				return nil, filterErr("%s: min: %v", path, err)
			}
			if err := optionalValue(obj["max"], &hi); err != nil {
				return nil, filterErr("%s: max: %v", path, err)
			}
			return func(t T) bool {
				n := f.num(t)
				if f.kind == kDate && n == 0 {
					return false // null dates are in no range
				}
				return (lo == nil || n >= *lo) && (hi == nil || n <= *hi)
			}, nil
		}

	case "doubleRange":
		if !isNumber {
			return nil, wrongKind()
		}
		var lo, hi *float64
		if err := optionalValue(obj["min"], &lo); err != nil {
			return nil, filterErr("%s: min: %v", path, err)
		}
		if err := optionalValue(obj["max"], &hi); err != nil {
			return nil, filterErr("%s: max: %v", path, err)
		}
		return func(t T) bool {
			n := float64(f.num(t))
			return (lo == nil || n >= *lo) && (hi == nil || n <= *hi)
		}, nil

	case "boolean":
		if f.kind != kBool {
			return nil, wrongKind()
		}
		var want bool
		if err := strictValue(obj["value"], &want); err != nil {
			return nil, filterErr("%s: value: %v", path, err)
		}
		return func(t T) bool { return f.b(t) == want }, nil

	case "stringMap":
		if f.kind != kMap {
			return nil, wrongKind()
		}
		var key, val *string
		if err := optionalValue(obj["key"], &key); err != nil {
			return nil, filterErr("%s: key: %v", path, err)
		}
		if err := optionalValue(obj["value"], &val); err != nil {
			return nil, filterErr("%s: value: %v", path, err)
		}
		return func(t T) bool {
			for k, v := range f.m(t) {
				if (key == nil || k == *key) && (val == nil || strings.EqualFold(v, *val)) {
					return true
				}
			}
			return false
		}, nil

	case "null":
		var isNull *bool
		if err := optionalValue(obj["isNull"], &isNull); err != nil {
			return nil, filterErr("%s: isNull: %v", path, err)
		}
		// The UI kit's notNull helper leaves isNull out: absent means "is not null".
		wantNull := isNull != nil && *isNull
		return func(t T) bool { return fieldIsNull(f, t) == wantNull }, nil
	}
	return nil, filterErr("%s: unknown filter type %q", path, typ)
}

func compileLogOp[T any](obj map[string]json.RawMessage, sch *schema[T], path string) (func(T) bool, error) {
	var op string
	if err := strictValue(obj["operation"], &op); err != nil {
		return nil, filterErr("%s: operation: %v", path, err)
	}
	op = strings.ToUpper(op)
	if op != "AND" && op != "OR" && op != "NAND" && op != "NOR" {
		return nil, filterErr("%s: unknown logOp operation %q", path, op)
	}
	var raws []json.RawMessage
	if err := strictValue(obj["filters"], &raws); err != nil {
		return nil, filterErr("%s: filters: %v", path, err)
	}
	var subs []func(T) bool
	for i, r := range raws {
		if string(r) == "null" {
			continue // the UI kit drops null children too
		}
		p, err := compileFilter(r, sch, fmt.Sprintf("%s.filters[%d]", path, i))
		if err != nil {
			return nil, err
		}
		subs = append(subs, p)
	}
	if len(subs) == 0 {
		// An empty logOp restricts nothing, whatever its operation.
		return func(T) bool { return true }, nil
	}
	anyOf := func(t T) bool {
		for _, p := range subs {
			if p(t) {
				return true
			}
		}
		return false
	}
	allOf := func(t T) bool {
		for _, p := range subs {
			if !p(t) {
				return false
			}
		}
		return true
	}
	switch op {
	case "AND":
		return allOf, nil
	case "OR":
		return anyOf, nil
	case "NAND":
		return func(t T) bool { return !allOf(t) }, nil
	default: // NOR
		return func(t T) bool { return !anyOf(t) }, nil
	}
}

// strictValue decodes one filter value, refusing wrong types.
func strictValue(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return fmt.Errorf("missing")
	}
	return fake.DecodeJSON(raw, v)
}

// optionalValue decodes a value that may be absent or null.
func optionalValue(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return fake.DecodeJSON(raw, v)
}

func stringPredicate[T any](f field[T], match func(string) bool) func(T) bool {
	if f.kind == kStrings {
		return func(t T) bool {
			return slices.ContainsFunc(f.strs(t), match)
		}
	}
	return func(t T) bool { return match(f.str(t)) }
}

func fieldIsNull[T any](f field[T], t T) bool {
	switch f.kind {
	case kString:
		return f.str(t) == ""
	case kStrings:
		return len(f.strs(t)) == 0
	case kDate:
		return f.num(t) == 0
	case kMap:
		return len(f.m(t)) == 0
	}
	return false // numbers and booleans always have a value
}

// likePattern turns an SQL LIKE pattern into an anchored, case-insensitive
// regular expression: % is any run of characters, _ exactly one.
func likePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?is)\A`)
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String()) // cannot fail: every literal is quoted
}

// selectItems filters and sorts n items (read through at) and returns the
// matches in order. Ties keep the order of at, which is each resource's
// natural order.
func selectItems[T any](n int, at func(int) T, sch *schema[T], q listQuery) ([]T, error) {
	var pred func(T) bool
	if q.filter != nil {
		var err error
		if pred, err = compileFilter(q.filter, sch, "filter"); err != nil {
			return nil, err
		}
	}
	search, err := searchPredicate(sch, q.searches)
	if err != nil {
		return nil, err
	}
	for _, k := range q.sort {
		f, ok := sch.fields[k.Name]
		if !ok {
			return nil, &queryError{code: "INVALID_SORT_ORDER", msg: fmt.Sprintf("cannot sort by unknown field %q", k.Name)}
		}
		if f.kind == kMap {
			return nil, &queryError{code: "INVALID_SORT_ORDER", msg: fmt.Sprintf("cannot sort by map field %q", k.Name)}
		}
	}
	var out []T
	for i := range n {
		t := at(i)
		if (pred == nil || pred(t)) && (search == nil || search(t)) {
			out = append(out, t)
		}
	}
	sortItems(out, sch, q.sort)
	return out, nil
}

// searchPredicate matches items where every term is a substring
// (ignoring case) of at least one search field.
func searchPredicate[T any](sch *schema[T], terms []string) (func(T) bool, error) {
	var lower []string
	for _, s := range terms {
		if s = strings.TrimSpace(s); s != "" {
			lower = append(lower, strings.ToLower(s))
		}
	}
	if len(lower) == 0 {
		return nil, nil
	}
	if len(sch.search) == 0 {
		return nil, badQuery("this resource does not support searches")
	}
	return func(t T) bool {
		for _, term := range lower {
			found := false
			for _, name := range sch.search {
				if strings.Contains(strings.ToLower(sch.fields[name].str(t)), term) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}, nil
}

// sortItems sorts stably by keys read once per item, so that a sort over
// many synthetic devices does not rebuild a string per comparison.
func sortItems[T any](items []T, sch *schema[T], keys []sortKey) {
	if len(keys) == 0 || len(items) < 2 {
		return
	}
	strKeys := make([][]string, len(keys))
	numKeys := make([][]int64, len(keys))
	for j, k := range keys {
		f := sch.fields[k.Name]
		switch f.kind {
		case kString, kStrings:
			strKeys[j] = make([]string, len(items))
			for i, t := range items {
				if f.kind == kString {
					strKeys[j][i] = strings.ToLower(f.str(t))
				} else {
					strKeys[j][i] = strings.ToLower(strings.Join(f.strs(t), ","))
				}
			}
		default:
			numKeys[j] = make([]int64, len(items))
			for i, t := range items {
				switch f.kind {
				case kBool:
					if f.b(t) {
						numKeys[j][i] = 1
					}
				default:
					numKeys[j][i] = f.num(t)
				}
			}
		}
	}
	perm := make([]int, len(items))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool {
		x, y := perm[a], perm[b]
		for j, k := range keys {
			c := 0
			if strKeys[j] != nil {
				c = strings.Compare(strKeys[j][x], strKeys[j][y])
			} else {
				c = compareInt(numKeys[j][x], numKeys[j][y])
			}
			if c != 0 {
				if !k.Ascending {
					c = -c
				}
				return c < 0
			}
		}
		return false
	})
	sorted := make([]T, len(items))
	for i, p := range perm {
		sorted[i] = items[p]
	}
	copy(items, sorted)
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// page cuts one page out of the matches.
func page[T any](all []T, q listQuery) []T {
	if q.offset >= len(all) {
		return []T{}
	}
	end := len(all)
	if q.limit > 0 && q.limit < math.MaxInt-q.offset && q.offset+q.limit < end {
		end = q.offset + q.limit
	}
	return all[q.offset:end]
}

package relution

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Filter is a condition of a Query (relution-io/relution-sdk src/query and sebastianspicker/appport): one of the XxxFilter types
// of this package, which marshal to the vendor's JSON with its "type" key.
// Build filters with the constructors (And, StringEq, StringEnum, ...) or
// as struct literals.
//
// Validate reports what the server would refuse: an empty fieldName, a
// logOp without filters, an enum without values, a range without bounds or
// with min above max. Query.Validate calls it for the query's filter.
type Filter interface {
	Validate() error
	// filter seals the interface: the server knows only these types.
	filter()
}

// maxFilterDepth bounds the nesting of logOp filters. No real query comes
// close; it keeps a filter that contains itself (possible through shared
// slices) from recursing until the stack runs out.
const maxFilterDepth = 64

// LogicalOp is the operation of a LogOpFilter.
type LogicalOp string

// The operations of a LogOpFilter. The server reads them without regard to
// case; these are the upper-case forms current clients send.
const (
	OpAnd  LogicalOp = "AND"
	OpOr   LogicalOp = "OR"
	OpNand LogicalOp = "NAND" // not all of the filters match
	OpNor  LogicalOp = "NOR"  // none of the filters matches
)

// LogOpFilter (type "logOp") combines filters with a logical operation.
type LogOpFilter struct {
	Operation LogicalOp `json:"operation"`
	Filters   []Filter  `json:"filters"`
}

// StringFilter (type "string") matches a field equal to Value, ignoring case.
type StringFilter struct {
	FieldName string `json:"fieldName"`
	Value     string `json:"value"`
}

// ContainsStringFilter (type "containsString") matches a field that contains
// Contains, ignoring case.
type ContainsStringFilter struct {
	FieldName string `json:"fieldName"`
	Contains  string `json:"contains"`
}

// LikeFilter (type "like") matches a field against a pattern in which "%"
// stands for any run of characters and "_" for one, ignoring case.
type LikeFilter struct {
	FieldName string `json:"fieldName"`
	Like      string `json:"like"`
}

// StringEnumFilter (type "stringEnum") matches a field equal to one of
// Values.
type StringEnumFilter struct {
	FieldName string   `json:"fieldName"`
	Values    []string `json:"values"`
}

// LongEnumFilter (type "longEnum") matches a number field equal to one of
// Values.
type LongEnumFilter struct {
	FieldName string  `json:"fieldName"`
	Values    []int64 `json:"values"`
}

// BooleanFilter (type "boolean") matches a boolean field equal to Value.
type BooleanFilter struct {
	FieldName string `json:"fieldName"`
	Value     bool   `json:"value"`
}

// LongFilter (type "long") matches a number field equal to Value.
type LongFilter struct {
	FieldName string `json:"fieldName"`
	Value     int64  `json:"value"`
}

// LongRangeFilter (type "longRange") matches a number field between Min and
// Max, both inclusive; a nil bound leaves that side open.
type LongRangeFilter struct {
	FieldName string `json:"fieldName"`
	Min       *int64 `json:"min,omitempty"`
	Max       *int64 `json:"max,omitempty"`
}

// DoubleRangeFilter (type "doubleRange") matches a decimal field between Min
// and Max, both inclusive; a nil bound leaves that side open.
type DoubleRangeFilter struct {
	FieldName string   `json:"fieldName"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
}

// StringRangeFilter (type "stringRange") matches a text field between Min
// and Max, both inclusive; a nil bound leaves that side open.
type StringRangeFilter struct {
	FieldName string  `json:"fieldName"`
	Min       *string `json:"min,omitempty"`
	Max       *string `json:"max,omitempty"`
}

// DateRangeFilter (type "dateRange") matches a date field between Min and
// Max, both inclusive; a zero time leaves that side open. The wire carries
// epoch milliseconds, so sub-millisecond parts are dropped.
type DateRangeFilter struct {
	FieldName string
	Min       time.Time
	Max       time.Time
}

// StringMapFilter (type "stringMap") matches a map-valued field that has an
// entry with the given Key, Value, or both; nil leaves that part free.
type StringMapFilter struct {
	FieldName string  `json:"fieldName"`
	Key       *string `json:"key,omitempty"`
	Value     *string `json:"value,omitempty"`
}

// NullFilter (type "null") matches a field that is null when IsNull is set,
// and one that is not null otherwise. The vendor's own UI sends "not null"
// by leaving isNull out, so false is never sent.
type NullFilter struct {
	FieldName string `json:"fieldName"`
	IsNull    bool   `json:"isNull,omitempty"`
}

func (LogOpFilter) filter()          {}
func (StringFilter) filter()         {}
func (ContainsStringFilter) filter() {}
func (LikeFilter) filter()           {}
func (StringEnumFilter) filter()     {}
func (LongEnumFilter) filter()       {}
func (BooleanFilter) filter()        {}
func (LongFilter) filter()           {}
func (LongRangeFilter) filter()      {}
func (DoubleRangeFilter) filter()    {}
func (StringRangeFilter) filter()    {}
func (DateRangeFilter) filter()      {}
func (StringMapFilter) filter()      {}
func (NullFilter) filter()           {}

// And matches what all of filters match. Nil filters are left out, and with
// none left And returns nil (no filter), like the vendor's UI kit; so
// optional conditions can be passed as nil.
func And(filters ...Filter) Filter { return logOp(OpAnd, filters, true) }

// Or matches what any of filters matches. Nil filters are left out as in
// And, but an Or of nothing is not "no filter": it would match nothing, and
// dropping it would widen the query to everything (a deployment to the whole
// fleet). It stays an empty Or, which Query.Validate refuses.
func Or(filters ...Filter) Filter { return logOp(OpOr, filters, false) }

// Nand matches what not all of filters match. Nil filters are left out; with
// none left it stays empty and Query.Validate refuses it, as for Or.
func Nand(filters ...Filter) Filter { return logOp(OpNand, filters, false) }

// Nor matches what none of filters matches. Nil filters are left out; with
// none left it stays empty and Query.Validate refuses it, as for Or.
func Nor(filters ...Filter) Filter { return logOp(OpNor, filters, false) }

func logOp(op LogicalOp, filters []Filter, emptyIsNone bool) Filter {
	var kept []Filter
	for _, f := range filters {
		if !isNil(f) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 && emptyIsNone {
		return nil
	}
	return LogOpFilter{Operation: op, Filters: kept}
}

// StringEq matches the field equal to value, ignoring case. The value may be a plain string
// or one of the package's string types: StringEq("status", relution.StatusCompliant).
func StringEq[S ~string](field string, value S) Filter {
	return StringFilter{FieldName: field, Value: string(value)}
}

// Contains matches the field containing s, ignoring case.
func Contains(field, s string) Filter {
	return ContainsStringFilter{FieldName: field, Contains: s}
}

// Like matches the field against pattern, where "%" stands for any run of
// characters and "_" for one, ignoring case.
func Like(field, pattern string) Filter { return LikeFilter{FieldName: field, Like: pattern} }

// StringEnum matches the field equal to one of values. The values may be plain strings or
// one of the package's string types (Platform, DeviceStatus, ...).
func StringEnum[S ~string](field string, values ...S) Filter {
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	return StringEnumFilter{FieldName: field, Values: vs}
}

// Integer is any integer type a number filter takes: LongRange("versionCode",
// relution.Ptr(5), nil) needs no int64 conversion.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

// LongEnum matches the number field equal to one of values.
func LongEnum[N Integer](field string, values ...N) Filter {
	vs := make([]int64, len(values))
	for i, v := range values {
		vs[i] = int64(v)
	}
	return LongEnumFilter{FieldName: field, Values: vs}
}

// Bool matches the boolean field equal to v.
func Bool(field string, v bool) Filter { return BooleanFilter{FieldName: field, Value: v} }

// Long matches the number field equal to v.
func Long[N Integer](field string, v N) Filter { return LongFilter{FieldName: field, Value: int64(v)} }

// LongRange matches the number field between min and max, both inclusive;
// nil leaves a side open: LongRange("versionCode", relution.Ptr(5), nil).
func LongRange[N Integer](field string, min, max *N) Filter {
	return LongRangeFilter{FieldName: field, Min: toInt64(min), Max: toInt64(max)}
}

func toInt64[N Integer](v *N) *int64 {
	if v == nil {
		return nil
	}
	n := int64(*v)
	return &n
}

// DoubleRange matches the decimal field between min and max, both
// inclusive; nil leaves a side open.
func DoubleRange(field string, min, max *float64) Filter {
	return DoubleRangeFilter{FieldName: field, Min: min, Max: max}
}

// StringRange matches the text field between min and max, both inclusive;
// nil leaves a side open.
func StringRange[S ~string](field string, min, max *S) Filter {
	return StringRangeFilter{FieldName: field, Min: toString(min), Max: toString(max)}
}

func toString[S ~string](v *S) *string {
	if v == nil {
		return nil
	}
	s := string(*v)
	return &s
}

// DateRange matches the date field between from and to, both inclusive; a
// zero time leaves a side open.
func DateRange(field string, from, to time.Time) Filter {
	return DateRangeFilter{FieldName: field, Min: from, Max: to}
}

// StringMap matches the map-valued field having an entry with the given
// key, value, or both; nil leaves that part free.
func StringMap(field string, key, value *string) Filter {
	return StringMapFilter{FieldName: field, Key: key, Value: value}
}

// IsNull matches the field being null.
func IsNull(field string) Filter { return NullFilter{FieldName: field, IsNull: true} }

// NotNull matches the field not being null.
func NotNull(field string) Filter { return NullFilter{FieldName: field} }

// The MarshalJSON methods add the "type" key to the fields. Each converts
// to a local type without methods, whose fields encoding/json then flattens
// into the outer struct.

// MarshalJSON encodes f as a "logOp" filter.
func (f LogOpFilter) MarshalJSON() ([]byte, error) {
	// A filter containing itself would otherwise recurse through the
	// nested MarshalJSON calls until the stack runs out.
	if err := checkDepth(f, 0); err != nil {
		return nil, err
	}
	type plain LogOpFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"logOp", plain(f)})
}

// MarshalJSON encodes f as a "string" filter.
func (f StringFilter) MarshalJSON() ([]byte, error) {
	type plain StringFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"string", plain(f)})
}

// MarshalJSON encodes f as a "containsString" filter.
func (f ContainsStringFilter) MarshalJSON() ([]byte, error) {
	type plain ContainsStringFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"containsString", plain(f)})
}

// MarshalJSON encodes f as a "like" filter.
func (f LikeFilter) MarshalJSON() ([]byte, error) {
	type plain LikeFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"like", plain(f)})
}

// MarshalJSON encodes f as a "stringEnum" filter.
func (f StringEnumFilter) MarshalJSON() ([]byte, error) {
	type plain StringEnumFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"stringEnum", plain(f)})
}

// MarshalJSON encodes f as a "longEnum" filter.
func (f LongEnumFilter) MarshalJSON() ([]byte, error) {
	type plain LongEnumFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"longEnum", plain(f)})
}

// MarshalJSON encodes f as a "boolean" filter.
func (f BooleanFilter) MarshalJSON() ([]byte, error) {
	type plain BooleanFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"boolean", plain(f)})
}

// MarshalJSON encodes f as a "long" filter.
func (f LongFilter) MarshalJSON() ([]byte, error) {
	type plain LongFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"long", plain(f)})
}

// MarshalJSON encodes f as a "longRange" filter.
func (f LongRangeFilter) MarshalJSON() ([]byte, error) {
	type plain LongRangeFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"longRange", plain(f)})
}

// MarshalJSON encodes f as a "doubleRange" filter.
func (f DoubleRangeFilter) MarshalJSON() ([]byte, error) {
	type plain DoubleRangeFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"doubleRange", plain(f)})
}

// MarshalJSON encodes f as a "stringRange" filter.
func (f StringRangeFilter) MarshalJSON() ([]byte, error) {
	type plain StringRangeFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"stringRange", plain(f)})
}

// MarshalJSON encodes f as a "dateRange" filter, its bounds in epoch
// milliseconds.
func (f DateRangeFilter) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Type      string `json:"type"`
		FieldName string `json:"fieldName"`
		Min       *int64 `json:"min,omitempty"`
		Max       *int64 `json:"max,omitempty"`
	}{"dateRange", f.FieldName, epochMilli(f.Min), epochMilli(f.Max)})
}

// MarshalJSON encodes f as a "stringMap" filter.
func (f StringMapFilter) MarshalJSON() ([]byte, error) {
	type plain StringMapFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"stringMap", plain(f)})
}

// MarshalJSON encodes f as a "null" filter.
func (f NullFilter) MarshalJSON() ([]byte, error) {
	type plain NullFilter
	return json.Marshal(struct {
		Type string `json:"type"`
		plain
	}{"null", plain(f)})
}

// epochMilli returns t in epoch milliseconds, or nil for the zero time.
func epochMilli(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

// The Validate methods report, as a *ValidationError whose Field is the path
// inside the filter, the first problem the server would refuse.

// Validate reports an unknown operation, no filters, or an invalid filter
// among them.
func (f LogOpFilter) Validate() error { return f.validate("", 0) }

// Validate reports an empty field name.
func (f StringFilter) Validate() error { return fieldNameError("", f.FieldName) }

// Validate reports an empty field name.
func (f ContainsStringFilter) Validate() error { return fieldNameError("", f.FieldName) }

// Validate reports an empty field name.
func (f LikeFilter) Validate() error { return fieldNameError("", f.FieldName) }

// Validate reports an empty field name or no values.
func (f StringEnumFilter) Validate() error {
	return firstError(fieldNameError("", f.FieldName), valuesError("", len(f.Values)))
}

// Validate reports an empty field name or no values.
func (f LongEnumFilter) Validate() error {
	return firstError(fieldNameError("", f.FieldName), valuesError("", len(f.Values)))
}

// Validate reports an empty field name.
func (f BooleanFilter) Validate() error { return fieldNameError("", f.FieldName) }

// Validate reports an empty field name.
func (f LongFilter) Validate() error { return fieldNameError("", f.FieldName) }

// Validate reports an empty field name, no bounds, or Min above Max.
func (f LongRangeFilter) Validate() error {
	if err := fieldNameError("", f.FieldName); err != nil {
		return err
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		return queryErr("min", fmt.Sprintf("%d is above max %d", *f.Min, *f.Max))
	}
	return boundsError("", f.Min == nil && f.Max == nil)
}

// Validate reports an empty field name, no bounds, a bound that is not a
// finite number (JSON has no NaN or infinity), or Min above Max.
func (f DoubleRangeFilter) Validate() error {
	if err := fieldNameError("", f.FieldName); err != nil {
		return err
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min", f.Min}, {"max", f.Max}} {
		if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
			return queryErr(b.name, fmt.Sprintf("%v is not a finite number", *b.v))
		}
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		return queryErr("min", fmt.Sprintf("%v is above max %v", *f.Min, *f.Max))
	}
	return boundsError("", f.Min == nil && f.Max == nil)
}

// Validate reports an empty field name or no bounds. It does not compare
// Min with Max: the server's collation (case, locale) is unknown, so a
// byte-wise comparison could refuse a range the server accepts.
func (f StringRangeFilter) Validate() error {
	return firstError(fieldNameError("", f.FieldName), boundsError("", f.Min == nil && f.Max == nil))
}

// Validate reports an empty field name, no bounds, or Min after Max.
func (f DateRangeFilter) Validate() error {
	if err := fieldNameError("", f.FieldName); err != nil {
		return err
	}
	if !f.Min.IsZero() && !f.Max.IsZero() && f.Min.UnixMilli() > f.Max.UnixMilli() {
		return queryErr("min", fmt.Sprintf("%s is after max %s",
			f.Min.UTC().Format(time.RFC3339Nano), f.Max.UTC().Format(time.RFC3339Nano)))
	}
	return boundsError("", f.Min.IsZero() && f.Max.IsZero())
}

// Validate reports an empty field name, or neither Key nor Value set (a
// filter that selects nothing in particular is most likely a mistake).
func (f StringMapFilter) Validate() error {
	if err := fieldNameError("", f.FieldName); err != nil {
		return err
	}
	if f.Key == nil && f.Value == nil {
		return queryErr("", "neither key nor value set")
	}
	return nil
}

// Validate reports an empty field name.
func (f NullFilter) Validate() error { return fieldNameError("", f.FieldName) }

func (f LogOpFilter) validate(path string, depth int) error {
	if depth >= maxFilterDepth {
		return queryErr(path, fmt.Sprintf("logOp filters nested more than %d deep", maxFilterDepth))
	}
	switch LogicalOp(strings.ToUpper(string(f.Operation))) {
	case OpAnd, OpOr, OpNand, OpNor:
	case "":
		return queryErr(join(path, "operation"), "empty")
	default:
		return queryErr(join(path, "operation"), fmt.Sprintf("%q is not AND, OR, NAND or NOR", f.Operation))
	}
	if len(f.Filters) == 0 {
		return queryErr(join(path, "filters"), "empty")
	}
	for i, child := range f.Filters {
		if err := validateFilter(fmt.Sprintf("%s[%d]", join(path, "filters"), i), child, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// validateFilter validates f as the part at path of a query.
func validateFilter(path string, f Filter, depth int) error {
	if isNil(f) {
		return queryErr(path, "nil filter")
	}
	var err error
	switch f := f.(type) {
	case LogOpFilter:
		return f.validate(path, depth)
	case *LogOpFilter:
		return f.validate(path, depth)
	default:
		err = f.Validate()
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return queryErr(join(path, ve.Field), ve.Reason)
	}
	return err
}

// checkDepth fails when logOp filters nest deeper than maxFilterDepth,
// counting as validate does.
func checkDepth(f Filter, depth int) error {
	var children []Filter
	switch f := f.(type) {
	case LogOpFilter:
		children = f.Filters
	case *LogOpFilter:
		if f != nil {
			children = f.Filters
		}
	default:
		return nil
	}
	if depth >= maxFilterDepth {
		return fmt.Errorf("relution: logOp filters nested more than %d deep", maxFilterDepth)
	}
	for _, c := range children {
		if err := checkDepth(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func fieldNameError(path, name string) error {
	if strings.TrimSpace(name) == "" {
		return queryErr(join(path, "fieldName"), "empty")
	}
	return nil
}

func valuesError(path string, n int) error {
	if n == 0 {
		return queryErr(join(path, "values"), "empty")
	}
	return nil
}

func boundsError(path string, open bool) error {
	if open {
		return queryErr(path, "neither min nor max set")
	}
	return nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// join appends a key to a path, leaving out the dot at the root.
func join(path, key string) string {
	switch {
	case path == "":
		return key
	case key == "":
		return path
	}
	return path + "." + key
}

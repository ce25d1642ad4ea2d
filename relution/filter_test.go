package relution

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sameJSON fails t unless got and want hold the same JSON value, whatever
// the key order and spacing.
func sameJSONQuery(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %s: %v", want, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("JSON (-want +got):\n%s\ngot: %s", diff, got)
	}
}

func queryPtr[T any](v T) *T { return &v }

func TestFilterJSON(t *testing.T) {
	t.Parallel()
	from := time.Date(2024, 1, 2, 3, 4, 5, 678_900_000, time.UTC)
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{
			"logOp",
			And(StringEq("userUuid", "U"), StringEnum("platform", "WINDOWS")),
			`{"type":"logOp","operation":"AND","filters":[
				{"type":"string","fieldName":"userUuid","value":"U"},
				{"type":"stringEnum","fieldName":"platform","values":["WINDOWS"]}]}`,
		},
		{"or", Or(Bool("locked", true)), `{"type":"logOp","operation":"OR","filters":[{"type":"boolean","fieldName":"locked","value":true}]}`},
		{"nand", Nand(Long("version", 1)), `{"type":"logOp","operation":"NAND","filters":[{"type":"long","fieldName":"version","value":1}]}`},
		{"nor drops nil", Nor(nil, IsNull("phone"), And()), `{"type":"logOp","operation":"NOR","filters":[{"type":"null","fieldName":"phone","isNull":true}]}`},
		{"string", StringEq("name", `Ketchup "H"`), `{"type":"string","fieldName":"name","value":"Ketchup \"H\""}`},
		{"containsString", Contains("email", "@company"), `{"type":"containsString","fieldName":"email","contains":"@company"}`},
		{"like", Like("name", "user_%"), `{"type":"like","fieldName":"name","like":"user_%"}`},
		{"stringEnum", StringEnum("status", "COMPLIANT", "INACTIVE"), `{"type":"stringEnum","fieldName":"status","values":["COMPLIANT","INACTIVE"]}`},
		{"longEnum", LongEnum("line", 2, 1<<62), `{"type":"longEnum","fieldName":"line","values":[2,4611686018427387904]}`},
		{"boolean false is sent", Bool("activated", false), `{"type":"boolean","fieldName":"activated","value":false}`},
		{"long zero is sent", Long("version", 0), `{"type":"long","fieldName":"version","value":0}`},
		{"longRange", LongRange("line", queryPtr[int64](2), queryPtr[int64](9)), `{"type":"longRange","fieldName":"line","min":2,"max":9}`},
		{"longRange zero min is sent", LongRange("line", queryPtr[int64](0), nil), `{"type":"longRange","fieldName":"line","min":0}`},
		{"doubleRange", DoubleRange("size", nil, queryPtr(1.5)), `{"type":"doubleRange","fieldName":"size","max":1.5}`},
		{"stringRange", StringRange("name", queryPtr("a"), queryPtr("m")), `{"type":"stringRange","fieldName":"name","min":"a","max":"m"}`},
		{"dateRange", DateRange("lastConnectionDate", from, time.Time{}), `{"type":"dateRange","fieldName":"lastConnectionDate","min":1704164645678}`},
		{"dateRange before 1970", DateRange("d", time.Time{}, time.UnixMilli(-1500)), `{"type":"dateRange","fieldName":"d","max":-1500}`},
		{"stringMap", StringMap("properties", queryPtr("k"), nil), `{"type":"stringMap","fieldName":"properties","key":"k"}`},
		{"stringMap empty value is sent", StringMap("properties", queryPtr("k"), queryPtr("")), `{"type":"stringMap","fieldName":"properties","key":"k","value":""}`},
		{"null", IsNull("serialNumber"), `{"type":"null","fieldName":"serialNumber","isNull":true}`},
		{"not null leaves isNull out", NotNull("serialNumber"), `{"type":"null","fieldName":"serialNumber"}`},
		{"pointer filter", &StringFilter{FieldName: "a", Value: "b"}, `{"type":"string","fieldName":"a","value":"b"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			sameJSONQuery(t, got, tt.want)
			if err := tt.filter.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestLogOpConstructors(t *testing.T) {
	t.Parallel()
	var nilPtr *StringFilter
	tests := []struct {
		name string
		got  Filter
		want Filter
	}{
		{"no children is no filter", And(), nil},
		{"And of only nils is no filter", And(nil, nilPtr, And(nil)), nil},
		// An Or of nothing matches nothing: it must not turn into "no filter".
		{"Or of only nils stays an empty Or", Or(nil, nilPtr, And(nil)), LogOpFilter{Operation: OpOr}},
		{"empty Nor stays", Nor(), LogOpFilter{Operation: OpNor}},
		{"nil children dropped", And(nil, Long("a", 1), nil), LogOpFilter{Operation: OpAnd, Filters: []Filter{LongFilter{FieldName: "a", Value: 1}}}},
	}
	if err := (Query{Filter: Or()}).Validate(); err == nil {
		t.Error("Query.Validate accepts an empty Or")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFilterValidate(t *testing.T) {
	t.Parallel()
	var nilPtr *LogOpFilter
	deep := Filter(StringEq("a", "b"))
	for range maxFilterDepth + 1 {
		deep = And(deep)
	}
	tests := []struct {
		name   string
		filter Filter
		want   *ValidationError // nil: valid
	}{
		{"empty fieldName", StringEq("", "x"), queryErr("fieldName", "empty")},
		{"blank fieldName", Contains(" \t", "x"), queryErr("fieldName", "empty")},
		{"like", Like("", "%"), queryErr("fieldName", "empty")},
		{"boolean", Bool("", true), queryErr("fieldName", "empty")},
		{"long", Long("", 1), queryErr("fieldName", "empty")},
		{"null", NotNull(""), queryErr("fieldName", "empty")},
		{"stringEnum without values", StringEnum[string]("platform"), queryErr("values", "empty")},
		{"longEnum without values", LongEnum[int64]("line"), queryErr("values", "empty")},
		{"longRange min > max", LongRange("line", queryPtr[int64](5), queryPtr[int64](4)), queryErr("min", "5 is above max 4")},
		{"longRange min == max", LongRange("line", queryPtr[int64](5), queryPtr[int64](5)), nil},
		{"longRange open both sides", LongRange[int64]("line", nil, nil), queryErr("", "neither min nor max set")},
		{"doubleRange min > max", DoubleRange("s", queryPtr(2.5), queryPtr(1.0)), queryErr("min", "2.5 is above max 1")},
		{"doubleRange NaN", DoubleRange("s", queryPtr(math.NaN()), nil), queryErr("min", "NaN is not a finite number")},
		{"doubleRange Inf", DoubleRange("s", nil, queryPtr(math.Inf(1))), queryErr("max", "+Inf is not a finite number")},
		{"stringRange not compared", StringRange("s", queryPtr("b"), queryPtr("A")), nil},
		{"stringRange open", StringRange[string]("s", nil, nil), queryErr("", "neither min nor max set")},
		{
			"dateRange from after to",
			DateRange("d", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
			queryErr("min", "2024-02-01T00:00:00Z is after max 2024-01-01T00:00:00Z"),
		},
		{"dateRange zero both", DateRange("d", time.Time{}, time.Time{}), queryErr("", "neither min nor max set")},
		{"stringMap neither", StringMap("p", nil, nil), queryErr("", "neither key nor value set")},
		{"stringMap value only", StringMap("p", nil, queryPtr("v")), nil},
		{"logOp empty", LogOpFilter{Operation: OpAnd}, queryErr("filters", "empty")},
		{"logOp no operation", LogOpFilter{Filters: []Filter{NotNull("a")}}, queryErr("operation", "empty")},
		{"logOp bad operation", LogOpFilter{Operation: "XOR", Filters: []Filter{NotNull("a")}}, queryErr("operation", `"XOR" is not AND, OR, NAND or NOR`)},
		{"logOp lower case operation", LogOpFilter{Operation: "nor", Filters: []Filter{NotNull("a")}}, nil},
		{"logOp nil child", LogOpFilter{Operation: OpOr, Filters: []Filter{NotNull("a"), nil}}, queryErr("filters[1]", "nil filter")},
		{"logOp nil pointer child", LogOpFilter{Operation: OpOr, Filters: []Filter{nilPtr}}, queryErr("filters[0]", "nil filter")},
		{
			"nested path",
			And(NotNull("a"), Or(StringEq("b", "c"), StringEq("", "d"))),
			queryErr("filters[1].filters[1].fieldName", "empty"),
		},
		{"too deep", deep, queryErr(strings.Repeat("filters[0].", maxFilterDepth-1)+"filters[0]", "logOp filters nested more than 64 deep")},
		{"pointer logOp", &LogOpFilter{Operation: OpAnd}, queryErr("filters", "empty")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.filter.Validate()
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

// TestFilterCycle builds a logOp that contains itself through a shared
// slice: Validate and json.Marshal must fail, not exhaust the stack.
func TestFilterCycle(t *testing.T) {
	t.Parallel()
	l := LogOpFilter{Operation: OpAnd, Filters: make([]Filter, 2)}
	l.Filters[0] = l
	l.Filters[1] = l
	if err := l.Validate(); err == nil {
		t.Error("Validate: nil error for a cyclic filter")
	}
	if _, err := json.Marshal(Query{Filter: l}); err == nil {
		t.Error("Marshal: nil error for a cyclic filter")
	}
}

// TestFilterDepthLimit checks that Validate and MarshalJSON draw the line
// at the same depth.
func TestFilterDepthLimit(t *testing.T) {
	t.Parallel()
	f := Filter(StringEq("a", "b"))
	for range maxFilterDepth {
		f = And(f)
	}
	if err := f.Validate(); err != nil {
		t.Errorf("Validate at the limit: %v", err)
	}
	if _, err := json.Marshal(f); err != nil {
		t.Errorf("Marshal at the limit: %v", err)
	}
	f = And(f)
	if err := f.Validate(); err == nil {
		t.Error("Validate past the limit: nil error")
	}
	if _, err := json.Marshal(f); err == nil {
		t.Error("Marshal past the limit: nil error")
	}
}

func BenchmarkQueryMarshal(b *testing.B) {
	q := Query{
		Limit:     100,
		SortOrder: SortBy(Desc("lastConnectionDate")),
		Filter: And(
			StringEnum("platform", "ANDROID", "ANDROID_ENTERPRISE", "IOS"),
			Or(StringEq("userUuid", "U"), NotNull("serialNumber")),
			DateRange("lastConnectionDate", time.UnixMilli(1), time.Time{}),
		),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(q); err != nil {
			b.Fatal(err)
		}
	}
}

// The calls a newcomer writes first compile and send what they mean: typed enums in string
// filters, plain ints as number bounds.
func TestFilterConstructorsTakeTypedValues(t *testing.T) {
	t.Parallel()
	type versionCode int32
	tests := []struct {
		f    Filter
		want string
	}{
		{StringEq("status", StatusCompliant), `{"type":"string","fieldName":"status","value":"COMPLIANT"}`},
		{StringEq("name", "Pixel"), `{"type":"string","fieldName":"name","value":"Pixel"}`},
		{LongRange("versionCode", Ptr(5), nil), `{"type":"longRange","fieldName":"versionCode","min":5}`},
		{LongRange("versionCode", nil, Ptr(versionCode(7))), `{"type":"longRange","fieldName":"versionCode","max":7}`},
		{Long("line", 3), `{"type":"long","fieldName":"line","value":3}`},
		{LongEnum("line", 2, 3), `{"type":"longEnum","fieldName":"line","values":[2,3]}`},
		{StringRange("platform", Ptr(PlatformAndroid), nil), `{"type":"stringRange","fieldName":"platform","min":"ANDROID"}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.f)
		if err != nil || string(got) != tt.want {
			t.Errorf("%#v = %s, %v; want %s", tt.f, got, err, tt.want)
		}
	}
}

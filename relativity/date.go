package relativity

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// dateLayout is how Relativity writes dates: no zone, 0 to 9 fraction digits
// ("2020-04-29T20:04:24.617", "2021-05-07T13:45:59.61", "2007-01-01T00:00:00"). Parsing with
// ".999999999" accepts any number of fraction digits, none included.
const dateLayout = "2006-01-02T15:04:05.999999999"

// Date is a Relativity date-time: CreatedOn, LastModifiedOn, DisableOnDate, LastLoginDate.
//
// Relativity writes dates without a zone and with 0 to 9 fraction digits; Date reads them as
// UTC. A Date read from a reply keeps the text exactly as the server wrote it and sends it
// back unchanged: LastModifiedOn, compared by the server to detect concurrent changes, must
// match to the last digit.
//
// A date the package cannot parse does not fail the reply it came in: Time reports the
// error, so only that field's use fails. The zero Date is "no date" and is sent as null.
type Date struct {
	t   time.Time
	raw string // the text as read; empty for dates made with NewDate
	err error  // why raw could not be parsed
}

// NewDate returns the Date of t, in UTC. It is sent with as many fraction digits as t needs
// (none for whole seconds).
func NewDate(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return Date{t: t.UTC()}
}

// ParseDate parses Relativity's date format. A trailing "Z" is accepted and ignored (the
// dates are UTC either way); any other zone is refused.
func ParseDate(s string) (Date, error) {
	t, err := parseDate(s)
	if err != nil {
		return Date{}, err
	}
	return Date{t: t, raw: s}, nil
}

func parseDate(s string) (time.Time, error) {
	v := strings.TrimSuffix(s, "Z")
	t, err := time.Parse(dateLayout, v)
	if err != nil || len(v) < len("2006-01-02T15:04:05") {
		return time.Time{}, fmt.Errorf("relativity: date %q is not of the form 2006-01-02T15:04:05.999", s)
	}
	return t, nil
}

// Time returns the date as a UTC time, or the error that kept it from being parsed. The zero
// Date gives the zero time and no error.
func (d Date) Time() (time.Time, error) { return d.t, d.err }

// IsZero reports whether d holds no date (a null or missing field).
func (d Date) IsZero() bool { return d.raw == "" && d.t.IsZero() && d.err == nil }

// Raw returns the text as the server wrote it, or "" for a date made with NewDate.
func (d Date) Raw() string { return d.raw }

// String returns the text as read, or the date in Relativity's format.
func (d Date) String() string {
	switch {
	case d.raw != "":
		return d.raw
	case d.err != nil:
		return "invalid date"
	case d.t.IsZero():
		return ""
	}
	return d.t.Format(dateLayout)
}

// Equal reports whether d and o are the same instant (or both zero).
func (d Date) Equal(o Date) bool {
	if d.err != nil || o.err != nil {
		return d.raw == o.raw && d.err != nil && o.err != nil
	}
	return d.t.Equal(o.t)
}

// errBadDate is the error of a date field that holds something other than a string.
var errBadDate = errors.New("relativity: date is not a string")

// UnmarshalJSON reads a date string or null. A string that is not a date, or a value that is
// not a string, is kept as an error that Time reports; the decoding of the reply goes on.
func (d *Date) UnmarshalJSON(data []byte) error {
	*d = Date{}
	if string(data) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		d.err = fmt.Errorf("%w: %.40s", errBadDate, data)
		return nil
	}
	if s == "" {
		return nil
	}
	d.raw = s
	d.t, d.err = parseDate(s)
	return nil
}

// MarshalJSON writes the text as read (so LastModifiedOn goes back exactly as the server
// wrote it), the date in Relativity's format, or null for the zero Date. A value read from a
// reply that was not a string cannot be sent back: that is an error.
func (d Date) MarshalJSON() ([]byte, error) {
	switch {
	case d.raw != "":
		return json.Marshal(d.raw)
	case d.err != nil:
		return nil, d.err
	case d.t.IsZero():
		return []byte("null"), nil
	}
	return json.Marshal(d.t.Format(dateLayout))
}

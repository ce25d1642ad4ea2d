package relativity

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestDateParsesEveryFractionLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2007-01-01T00:00:00", time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2021-05-07T13:45:59.6", time.Date(2021, 5, 7, 13, 45, 59, 600000000, time.UTC)},
		{"2021-05-07T13:45:59.61", time.Date(2021, 5, 7, 13, 45, 59, 610000000, time.UTC)},
		{"2020-04-29T20:04:24.617", time.Date(2020, 4, 29, 20, 4, 24, 617000000, time.UTC)},
		{"2020-04-29T20:04:24.6170000", time.Date(2020, 4, 29, 20, 4, 24, 617000000, time.UTC)},
		{"2020-04-29T20:04:24.123456789", time.Date(2020, 4, 29, 20, 4, 24, 123456789, time.UTC)},
		{"2020-04-29T20:04:24.617Z", time.Date(2020, 4, 29, 20, 4, 24, 617000000, time.UTC)},
	} {
		var d Date
		if err := json.Unmarshal([]byte(`"`+tt.in+`"`), &d); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		got, err := d.Time()
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%s: Time() = %v, %v; want %v UTC", tt.in, got, err, tt.want)
		}
		// Sent back exactly as read: LastModifiedOn must match to the last digit.
		out, err := json.Marshal(d)
		if err != nil || string(out) != `"`+tt.in+`"` {
			t.Errorf("%s: marshal = %s, %v", tt.in, out, err)
		}
	}
}

// A bad date fails only its own field: the rest of the reply decodes.
func TestBadDateFailsOnlyItsField(t *testing.T) {
	t.Parallel()
	var u UserResponse
	body := `{"ArtifactID": 7, "FirstName": "A", "CreatedOn": "yesterday", "LastModifiedOn": 12, "LastLoginDate": null}`
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatalf("whole reply failed: %v", err)
	}
	if u.ArtifactID != 7 || u.FirstName != "A" {
		t.Errorf("u = %+v", u)
	}
	if _, err := u.CreatedOn.Time(); err == nil {
		t.Error("CreatedOn: no error for \"yesterday\"")
	}
	if u.CreatedOn.Raw() != "yesterday" {
		t.Errorf("CreatedOn.Raw() = %q", u.CreatedOn.Raw())
	}
	if _, err := u.LastModifiedOn.Time(); !errors.Is(err, errBadDate) {
		t.Errorf("LastModifiedOn: %v", err)
	}
	if !u.LastLoginDate.IsZero() {
		t.Error("null LastLoginDate is not zero")
	}
	// A number cannot be sent back: an Update with it is refused before sending.
	r := u.Request()
	r.EmailAddress, r.LastName, r.Type.ArtifactID, r.Client.Value.ArtifactID, r.ItemListPageLength = "a@b.c", "B", 663, 1, 5
	var ve *ValidationError
	if err := r.validate(); !errors.As(err, &ve) || ve.Field != "UserRequest.LastModifiedOn" {
		t.Errorf("validate = %v", err)
	}
}

func TestNewDate(t *testing.T) {
	t.Parallel()
	d := NewDate(time.Date(2026, 3, 1, 12, 0, 0, 500000000, time.FixedZone("CET", 3600)))
	out, err := json.Marshal(d)
	if err != nil || string(out) != `"2026-03-01T11:00:00.5"` {
		t.Errorf("marshal = %s, %v", out, err)
	}
	if out, _ := json.Marshal(Date{}); string(out) != "null" {
		t.Errorf("zero Date = %s", out)
	}
	if !NewDate(time.Time{}).IsZero() {
		t.Error("NewDate(zero) is not zero")
	}
	if _, err := ParseDate("2026-03-01T11:00:00+01:00"); err == nil {
		t.Error("ParseDate accepted a zone")
	}
	if _, err := ParseDate("2026-03-01"); err == nil {
		t.Error("ParseDate accepted a date without time")
	}
}

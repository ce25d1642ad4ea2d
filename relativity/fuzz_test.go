package relativity

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// The seed corpus of each target is in testdata/fuzz/<Target>: the doc's samples and the
// odd replies of the tests. Run one with: go test ./relativity -fuzz FuzzDecodeUser

// FuzzDecodeUser decodes any reply as a user: a reply the JSON decoder accepts never panics,
// and its Request can be written back unless it holds a date that was not a string.
func FuzzDecodeUser(f *testing.F) {
	f.Add([]byte(`{"ArtifactID":1017952,"LastModifiedOn":"2021-05-07T13:45:59.61","Type":{"Name":"External","ArtifactID":672,"Guids":[]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var u UserResponse
		if err := decode(http.Header{}, body, &u); err != nil {
			return
		}
		r := u.Request()
		_, err := json.Marshal(userBody{r})
		badDate := u.LastModifiedOn.err != nil && u.LastModifiedOn.raw == "" ||
			u.DisableOnDate.err != nil && u.DisableOnDate.raw == ""
		if err != nil && !badDate {
			t.Fatalf("cannot write back %q: %v", body, err)
		}
		if err == nil && u.LastModifiedOn.raw != "" {
			out, _ := json.Marshal(u.LastModifiedOn)
			var back string
			if json.Unmarshal(out, &back) != nil || back != u.LastModifiedOn.raw {
				t.Fatalf("LastModifiedOn %q written back as %s", u.LastModifiedOn.raw, out)
			}
		}
	})
}

// FuzzDate reads any JSON value as a Date: never an error for the reply, and a string comes
// back exactly as it was read.
func FuzzDate(f *testing.F) {
	f.Add(`"2020-04-29T20:04:24.617"`)
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			return
		}
		var d Date
		if err := d.UnmarshalJSON([]byte(strings.TrimSpace(in))); err != nil {
			t.Fatalf("UnmarshalJSON(%q) = %v", in, err)
		}
		var s string
		if json.Unmarshal([]byte(in), &s) != nil || s == "" {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("Marshal after %q: %v", in, err)
		}
		var back string
		if json.Unmarshal(out, &back) != nil || back != s {
			t.Fatalf("%q written back as %s", s, out)
		}
		if tm, err := d.Time(); err == nil && !tm.IsZero() && tm.Location().String() != "UTC" {
			t.Fatalf("%q parsed in %v", s, tm.Location())
		}
	})
}

// FuzzParseError reads any error body: never a panic, and text that is not JSON becomes at
// most one short line of valid UTF-8.
func FuzzParseError(f *testing.F) {
	f.Add([]byte(`{"ErrorType":"Relativity.Services.Exceptions.ServiceException","Identifier":"","Message":"Artifact matching that Artifact ID not found."}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		info := parseError(400, http.Header{}, body)
		if json.Valid(body) && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
			return
		}
		if len(info.Message) > 200 || strings.Contains(info.Message, "\n") || !utf8.ValidString(info.Message) {
			t.Fatalf("message %q from %q", info.Message, body)
		}
	})
}

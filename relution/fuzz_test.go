package relution

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzReply feeds the reply handling arbitrary bodies: checkReply and decode must never
// panic; nullEmptyUUIDs keeps a valid body valid and never changes an invalid one into a
// valid one; a failed verdict comes with something to say.
func FuzzReply(f *testing.F) {
	for _, seed := range []string{
		`{"status":"0","errors":{},"exception":null,"total":1,"results":[{"uuid":"01995C17-6BD0-7F84-87E9-21A1498B386F","userUuid":""}]}`,
		`{"status":"-1","message":"nope","errors":{"2047":"dup"},"exception":{"className":"X","errorCode":"E"},"results":[]}`,
		`{"uuid":"01995C17-6BD0-7F84-87E9-21A1498B386F","status":"FAILED"}`,
		`{"status":"ERROR","results":[]}`,
		`[{"uuid":""}]`,
		`{"a uuid" : "" , "x":"uuid\"\""}`,
		``,
		`<html>502</html>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		info, failed := checkReply(nil, 200, nil, body)
		if failed && info.Code == "" && info.Message == "" && info.Detail == "" {
			t.Fatalf("a failed verdict says nothing: %q", body)
		}
		out := nullEmptyUUIDs(body)
		if json.Valid(body) != json.Valid(out) {
			t.Fatalf("nullEmptyUUIDs(%q) = %q changes validity", body, out)
		}
		if !bytes.Equal(out, body) && !bytes.Contains(out, []byte("null")) {
			t.Fatalf("nullEmptyUUIDs(%q) = %q changed something else", body, out)
		}
		var env envelope[Device]
		_ = decode(nil, body, &env)
		var u User
		_ = decode(nil, body, &u)
	})
}

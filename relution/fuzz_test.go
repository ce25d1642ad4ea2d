package relution

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
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
		// The byte scan agrees with a full parse.
		if want := referenceVerdict(body); failed != want {
			t.Fatalf("checkReply(%q) failed = %v, a full parse says %v", body, failed, want)
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

// referenceVerdict is checkReply's rule on a full parse of the body.
func referenceVerdict(body []byte) bool {
	var head struct {
		Status json.RawMessage `json:"status"`
		errorBody
		Results seen `json:"results"`
	}
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(body, &head) != nil {
		return false
	}
	status := head.Status
	if !head.Results {
		if n, err := strconv.ParseFloat(strings.Trim(string(status), `"`), 64); err != nil || n >= 0 {
			status = nil
		}
	}
	return head.errorBody.failed(status)
}

// seen records that a key was there, even with a null value.
type seen bool

func (p *seen) UnmarshalJSON([]byte) error { *p = true; return nil }

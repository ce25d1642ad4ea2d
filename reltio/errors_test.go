package reltio

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rosterhq/roster/internal/rest"
)

// errorSamples are Reltio's error bodies: the examples of its OpenAPI exports, its MCP
// server's nested shape, and what a proxy may put in front of it.
var errorSamples = []struct {
	name   string
	status int
	body   string
	want   rest.ErrorInfo
}{
	{"oauth invalid_token", 401,
		`{"error":"invalid_token","error_description":"Invalid access token: 0b0e3c1e-aaaa"}`,
		rest.ErrorInfo{Code: "invalid_token", Message: "Invalid access token: 0b0e3c1e-aaaa"}},
	{"oauth invalid_grant", 400,
		`{"error": "invalid_grant", "error_description": "Invalid Username or Password"}`,
		rest.ErrorInfo{Code: "invalid_grant", Message: "Invalid Username or Password"}},
	{"business 404", 404,
		`{"errorCode": 404, "errorMessage": "User user@reltio.com is not found"}`,
		rest.ErrorInfo{Code: "404", Message: "User user@reltio.com is not found"}},
	{"already in use", 500,
		`{"errorCode": 500, "errorMessage": "Username user1@reltio.com is already in use", "innerErrorData": {"exception": "com.reltio.auth.exception.AuthServiceException:Username user1@reltio.com is already in use", "stack": ["com.reltio.auth.provider.user.impl.CassandraUserDetailsService.checkNewUsernameOrEmail at CassandraUserDetailsService.java, line 253"]}}`,
		rest.ErrorInfo{Code: "500", Message: "Username user1@reltio.com is already in use",
			Detail: "com.reltio.auth.exception.AuthServiceException:Username user1@reltio.com is already in use", Kind: rest.ErrConflict, Refused: true}},
	{"other 500", 500,
		`{"errorCode": 500, "errorMessage": "user@reltio.com cannot revoke user1@reltio.com tokens."}`,
		rest.ErrorInfo{Code: "500", Message: "user@reltio.com cannot revoke user1@reltio.com tokens."}},
	{"in use but 400", 400,
		`{"errorCode": 400, "errorMessage": "Group 'G' is already in use"}`,
		rest.ErrorInfo{Code: "400", Message: "Group 'G' is already in use"}},
	{"platform error", 400,
		`{"severity":"Error","errorMessage":"Bad entity","errorCode":10016,"errorDetailMessage":"attribute FirstName is unknown","errorData":{"exception":"x.Y"}}`,
		rest.ErrorInfo{Code: "10016", Message: "Bad entity", Detail: "attribute FirstName is unknown"}},
	{"error data", 400,
		`{"errorCode":"10016","errorMessage":"Bad entity","errorData":{"exception":"com.reltio.X"}}`,
		rest.ErrorInfo{Code: "10016", Message: "Bad entity", Detail: "com.reltio.X"}},
	{"nested", 400,
		`{"status":"failed","error":{"errorCode":10061,"errorMessage":"Task not found","errorData":{"exception":"WorkflowException"}}}`,
		rest.ErrorInfo{Code: "10061", Message: "Task not found", Detail: "WorkflowException"}},
	{"bulk array", 400,
		`[{"index":0,"successful":false,"errorCode":400,"errorMessage":"first"},{"errorMessage":"second"}]`,
		rest.ErrorInfo{Code: "400", Message: "first"}},
	{"plain text", 502, "Bad Gateway\nnginx", rest.ErrorInfo{Message: "Bad Gateway"}},
	{"html", 503, "<html><body>Service Unavailable</body></html>", rest.ErrorInfo{}},
	{"empty", 403, "", rest.ErrorInfo{}},
	{"json as text with blanks", 404, "  \n{\"errorCode\":404,\"errorMessage\":\"gone\"}", rest.ErrorInfo{Code: "404", Message: "gone"}},
	{"malformed json", 400, `{"errorMessage": "cut`, rest.ErrorInfo{}},
	{"wrong types", 400, `{"errorCode":{"a":1},"errorMessage":["x"],"error":7}`, rest.ErrorInfo{Code: "7"}},
}

func TestParseError(t *testing.T) {
	t.Parallel()
	for _, tt := range errorSamples {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := parseError(tt.status, nil, []byte(tt.body))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("parseError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrorLongLine(t *testing.T) {
	t.Parallel()
	got := parseError(502, nil, []byte(strings.Repeat("x", 1000)))
	if len(got.Message) != maxLine {
		t.Errorf("message is %d bytes, want %d", len(got.Message), maxLine)
	}
}

func FuzzParseError(f *testing.F) {
	for _, s := range errorSamples {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		info := parseError(status, nil, body)
		if info.Kind != nil && !errors.Is(info.Kind, rest.ErrConflict) {
			t.Fatalf("Kind %v", info.Kind)
		}
		if (info.Kind != nil) != info.Refused || info.MaybeApplied {
			t.Fatalf("Kind %v, Refused %v, MaybeApplied %v", info.Kind, info.Refused, info.MaybeApplied)
		}
		if info.Kind != nil && (status < 500 || !alreadyInUse(info.Message)) {
			t.Fatalf("conflict for status %d, message %q", status, info.Message)
		}
		again := parseError(status, nil, body)
		if diff := cmp.Diff(info, again, cmpopts.EquateErrors()); diff != "" {
			t.Fatalf("not deterministic:\n%s", diff)
		}
	})
}

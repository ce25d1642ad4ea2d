package reltio

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/rest"
)

// errorBody holds every error shape Reltio's services use, tried in this order:
//
//   - OAuth / Spring Security (the token endpoint and every 401):
//     {"error": "invalid_token", "error_description": "Token is invalid: <token>"}
//   - the Auth service's own errors (403, 404, 400, 500 on users, groups, customers):
//     {"errorCode": 404, "errorMessage": "...", "innerErrorData": {"exception": "...", "stack": [...]}}
//   - the platform's general errors: {"severity": "Error", "errorCode": 10016, "errorMessage":
//     "...", "errorDetailMessage": "...", "errorData": {"exception": "..."}}
//   - the nested variant: {"status": "failed", "error": {"errorCode": ..., "errorMessage": ...}}
//
// Sources: the UnauthorizedErrorModel, TokenResponseError, APIErrorRepresentation and Error
// schemas and the error examples of Reltio's OpenAPI exports
// (https://github.com/JoelSnipes/ReltioApiCollection, openApiSpec/), and the nested shape from
// Reltio's MCP server tests (https://github.com/reltio-ai/reltio-mcp-server,
// tests/unit/test_tools_workflow.py). Every field is optional and typed loosely: errorCode is
// a number in every example but a string would not surprise.
type errorBody struct {
	// Error is the OAuth code (a string) or, in the nested shape, the whole error object.
	Error              json.RawMessage `json:"error"`
	ErrorDescription   json.RawMessage `json:"error_description"`
	ErrorCode          json.RawMessage `json:"errorCode"`
	ErrorMessage       json.RawMessage `json:"errorMessage"`
	ErrorDetailMessage json.RawMessage `json:"errorDetailMessage"`
	InnerErrorData     *errorData      `json:"innerErrorData"`
	ErrorData          *errorData      `json:"errorData"`
}

type errorData struct {
	Exception json.RawMessage `json:"exception"`
}

// text returns a JSON string's value, a number's or a boolean's text, and "" for anything
// else (null, objects, arrays, malformed input).
func text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	case '{', '[', 'n':
		return ""
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	if string(raw) == "true" || string(raw) == "false" {
		return string(raw)
	}
	return ""
}

// info reads the fields of b, descending once into a nested "error" object.
func (b *errorBody) info(depth int) rest.ErrorInfo {
	var info rest.ErrorInfo
	if trimmed := bytes.TrimSpace(b.Error); len(trimmed) > 0 && trimmed[0] == '{' && depth == 0 {
		var inner errorBody
		if json.Unmarshal(trimmed, &inner) == nil {
			info = inner.info(depth + 1)
		}
	} else {
		info.Code = text(b.Error)
		info.Message = text(b.ErrorDescription)
	}
	if info.Code == "" {
		info.Code = text(b.ErrorCode)
	}
	if info.Message == "" {
		info.Message = text(b.ErrorMessage)
	}
	if info.Detail == "" {
		info.Detail = text(b.ErrorDetailMessage)
	}
	for _, d := range []*errorData{b.InnerErrorData, b.ErrorData} {
		if info.Detail == "" && d != nil {
			info.Detail = text(d.Exception)
		}
	}
	return info
}

// maxLine bounds a message taken from a body that is not JSON.
const maxLine = 200

// parseError reads a non-success body in any of Reltio's error shapes. Some 4xx replies are
// JSON sent as text/plain, so JSON is recognised by its first byte, not the Content-Type. A
// bulk reply's array gives its first element. A 500 whose message says "already in use"
// (Reltio's answer to a duplicate username) matches ErrConflict.
func parseError(status int, _ http.Header, body []byte) rest.ErrorInfo {
	var info rest.ErrorInfo
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
	case trimmed[0] == '{' || trimmed[0] == '[':
		if trimmed[0] == '[' {
			var arr []json.RawMessage
			if json.Unmarshal(trimmed, &arr) != nil || len(arr) == 0 {
				break
			}
			trimmed = bytes.TrimSpace(arr[0])
		}
		var b errorBody
		if json.Unmarshal(trimmed, &b) == nil {
			info = b.info(0)
		}
	default:
		// A proxy's plain text: its first line is the best message there is; HTML is not.
		line, _, _ := strings.Cut(string(trimmed), "\n")
		line = strings.TrimSpace(line)
		if len(line) > maxLine {
			line = line[:maxLine]
		}
		if !strings.HasPrefix(line, "<") {
			info.Message = line
		}
	}
	if status >= 500 && alreadyInUse(info.Message) {
		// Reltio's duplicate check runs before anything is stored: the 500 refuses the write.
		info.Kind, info.Refused = rest.ErrConflict, true
	}
	return info
}

// alreadyInUse reports whether msg is Reltio's duplicate-username message, "Username
// user1@reltio.com is already in use" (the 500 example of addUsersToCollection).
func alreadyInUse(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "already in use")
}

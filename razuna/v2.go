package razuna

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/rest"
)

// API v2 (razuna/razuna global/api2/*.cfc; razuna/razuna-docs "docs/api/User API2.md")
// answers JSON: a struct as an object with lower-case keys, a query as
// {"COLUMNS":[...],"DATA":[[...],...]} whose wrapper keys are upper case and whose column
// names are whatever the database reports. Numbers the code sets come as numbers, values of
// queries built in code as strings. So keys are matched without regard to case and scalars
// are read as text. An uncaught exception is {"message":..,"errorcode":..,"detail":..}
// (global/api2/Application.cfc, onError).

// v2reply is one decoded v2 body.
type v2reply struct {
	page   bool              // the exception object
	code   string            // responsecode as text; "" when the body has none (a query of users)
	fields map[string]string // the object's scalar members by lower-case key
	rows   []map[string]string
}

func (r *v2reply) failed() bool { return r.page || r.code != "" && r.code != "0" }

func (r *v2reply) message() string { return r.fields["message"] }

// scalar returns a JSON scalar as text: a string's value, a number as written, true/false;
// null as "". Objects and arrays are not scalars.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	case 'n':
		return "", string(raw) == "null"
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), true
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		return strconv.FormatBool(b), true
	}
	return "", false
}

var errNotV2 = errors.New("not a Razuna v2 reply")

// parseV2 decodes a v2 body. It never panics.
func parseV2(body []byte) (*v2reply, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotV2, err)
	}
	r := &v2reply{fields: map[string]string{}}
	var cols, data json.RawMessage
	for k, v := range obj {
		switch lk := strings.ToLower(k); lk {
		case "columns":
			cols = v
		case "data":
			data = v
		default:
			if s, ok := scalar(v); ok {
				r.fields[lk] = s
			}
		}
	}
	if cols != nil && data != nil {
		if err := r.query(cols, data); err != nil {
			return nil, err
		}
	}
	if c, ok := r.fields["responsecode"]; ok {
		r.code = strings.TrimSpace(c)
	}
	if r.code == "" && len(r.rows) > 0 {
		if c, ok := r.rows[0]["responsecode"]; ok {
			r.code = strings.TrimSpace(c)
			r.fields["message"] = r.rows[0]["message"]
			r.rows = nil
		}
	}
	if r.code == "" && r.rows == nil && cols == nil {
		if _, ok := r.fields["errorcode"]; ok {
			r.page = true
		} else {
			return nil, fmt.Errorf("%w: no responsecode, no rows", errNotV2)
		}
	}
	return r, nil
}

func (r *v2reply) query(cols, data json.RawMessage) error {
	var names []string
	if err := json.Unmarshal(cols, &names); err != nil {
		return fmt.Errorf("%w: COLUMNS: %v", errNotV2, err)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(data, &rows); err != nil {
		return fmt.Errorf("%w: DATA: %v", errNotV2, err)
	}
	r.rows = make([]map[string]string, 0, len(rows))
	for i, row := range rows {
		if len(row) != len(names) {
			return fmt.Errorf("%w: row %d has %d values for %d columns", errNotV2, i, len(row), len(names))
		}
		m := make(map[string]string, len(names))
		for j, n := range names {
			s, _ := scalar(row[j])
			m[strings.ToLower(n)] = s
		}
		r.rows = append(r.rows, m)
	}
	return nil
}

// v2 messages (razuna/razuna global/api2/user.cfc, group.cfc, authentication.cfc).
const (
	msgV2BadKey        = "Login not valid!"
	msgV2NoAccess      = "No permissible data or action found for user!"
	msgV2GroupNotFound = "Group(s) with the ID could not be found"
)

func kindOfV2(msg string) error {
	switch {
	case msg == msgUserExists:
		return ErrConflict
	case msg == msgUserNotFound, msg == msgV2GroupNotFound:
		return ErrNotFound
	case strings.HasPrefix(msg, msgV2BadKey):
		return ErrUnauthorized
	case strings.HasPrefix(msg, msgV2NoAccess):
		return ErrForbidden
	}
	return nil
}

// checkReplyV2 turns a result with a code other than 0, and the exception object, into an
// *Error; as in v1, an exception after a write may come after part of it was applied.
func checkReplyV2(req *rest.Request, _ int, _ http.Header, body []byte) (rest.ErrorInfo, bool) {
	r, err := parseV2(body)
	if err != nil || !r.failed() {
		return rest.ErrorInfo{}, false
	}
	if !r.page {
		return rest.ErrorInfo{Message: r.message(), Kind: kindOfV2(r.message())}, true
	}
	info := rest.ErrorInfo{Code: r.fields["errorcode"], Message: r.message(), Detail: r.fields["detail"]}
	switch methodOf(req) {
	case "add", "update", "delete":
		info.MaybeApplied = !raisedBeforeWrite(info.Message)
	}
	return info, true
}

// parseErrorV2 reads a non-2xx v2 body, which may be the exception object.
func parseErrorV2(_ int, _ http.Header, body []byte) rest.ErrorInfo {
	info, _ := checkReplyV2(nil, 0, nil, body)
	return info
}

func decodeV2(_ http.Header, body []byte, out any) error {
	p, ok := out.(*v2reply)
	if !ok {
		return fmt.Errorf("razuna: cannot decode a v2 reply into %T", out)
	}
	r, err := parseV2(body)
	if err != nil {
		return err
	}
	*p = *r
	return nil
}

// v2 POSTs form to a v2 endpoint; the core adds api_key to the form.
func (c *Client) v2(ctx context.Context, tmpl string, form url.Values, read bool, need string, secrets ...string) (*v2reply, error) {
	if c.v2core == nil {
		return nil, vendor.Invalid("APIKey", "missing: API v2 calls need an API key")
	}
	req, err := c.v2core.NewRequest(ctx, http.MethodPost, tmpl)
	if err != nil {
		return nil, vendor.Own(err)
	}
	req.SetForm(form)
	req.AddSecrets(secrets...)
	if read {
		req.MarkReadOnly()
	}
	var r v2reply
	if err := c.v2core.Do(req, &r); err != nil {
		return nil, err
	}
	if need == "rows" && len(r.rows) == 0 {
		return nil, c.v2core.BadReply(req, "no rows in the reply")
	}
	if need != "" && need != "rows" && r.fields[need] == "" {
		return nil, c.v2core.BadReply(req, "no %q in the reply", need)
	}
	return &r, nil
}

// existingV2 returns the user an add conflicted with.
func existingV2(err error) *AddedUser {
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrConflict) {
		return nil
	}
	r, perr := parseV2(e.Body)
	if perr != nil || r.fields["userid"] == "" {
		return nil
	}
	return &AddedUser{ID: r.fields["userid"]}
}

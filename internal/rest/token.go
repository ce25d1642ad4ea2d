package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/auth"
)

// sendToken sends an OAuth2 token request through this client: its HTTP client, logger and
// redactor, without the authorizer (which is waiting for this token), retried like a read
// (a POST that only asks for a token applies nothing). A 429 is waited out within MaxWait,
// and one that persists is an *Error matching ErrRateLimited; a refused grant (400 or 401
// with an OAuth2 error) matches ErrUnauthorized.
func (c *Client) sendToken(ctx context.Context, tr auth.TokenRequest) (auth.TokenReply, error) {
	req, err := c.NewRequestURL(ctx, http.MethodPost, tr.URL)
	if err != nil {
		return auth.TokenReply{}, err
	}
	req.SkipAuth().MarkReadOnly()
	for k, vs := range tr.Header {
		req.Header()[k] = append([]string(nil), vs...)
	}
	if tr.BasicUser != "" {
		hr := http.Request{Header: http.Header{}}
		hr.SetBasicAuth(tr.BasicUser, tr.BasicPass)
		h := hr.Header.Get("Authorization")
		req.Header().Set("Authorization", h)
		// A server may echo the credentials in any of these forms.
		req.AddSecrets(tr.BasicPass, strings.TrimPrefix(h, "Basic "))
	}
	req.SetForm(tr.Form)
	req.parseError = parseOAuthError
	var reply auth.TokenReply
	if err := c.Do(req, &reply); err != nil {
		return auth.TokenReply{}, err
	}
	if reply.AccessToken == "" {
		return auth.TokenReply{}, c.BadReply(req, "the token reply has no access_token")
	}
	return reply, nil
}

// parseOAuthError reads an OAuth2 error reply (RFC 6749 §5.2). Any "error" at 400 or 401 is a
// refused grant or client: ErrUnauthorized. error_description may echo a token; the core
// redacts it like every message, then caps it.
func parseOAuthError(status int, _ http.Header, body []byte) ErrorInfo {
	var r struct {
		Error       string          `json:"error"`
		Description json.RawMessage `json:"error_description"`
	}
	if json.Unmarshal(body, &r) != nil {
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		if strings.HasPrefix(line, "<") {
			line = ""
		}
		return ErrorInfo{Message: line}
	}
	info := ErrorInfo{Code: r.Error}
	var desc string
	if json.Unmarshal(r.Description, &desc) != nil {
		desc = string(r.Description)
	}
	info.Message = desc
	if r.Error != "" && (status == http.StatusBadRequest || status == http.StatusUnauthorized) {
		info.Kind = ErrUnauthorized
	}
	return info
}

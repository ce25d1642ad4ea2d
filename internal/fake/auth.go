package fake

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
)

// CheckBasic reports whether r carries HTTP Basic credentials equal to user
// and pass. Both parts are always compared, in constant time, so that a fake
// used as a template for real code does not teach a timing leak. An empty
// user never matches: a fake set up without credentials must not accept
// everyone.
func CheckBasic(r *http.Request, user, pass string) bool {
	if user == "" {
		return false
	}
	gotUser, gotPass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u := subtle.ConstantTimeCompare([]byte(gotUser), []byte(user))
	p := subtle.ConstantTimeCompare([]byte(gotPass), []byte(pass))
	return u&p == 1
}

// CheckHeaderToken reports whether header name of r holds exactly token,
// compared in constant time. An empty token never matches.
func CheckHeaderToken(r *http.Request, name, token string) bool {
	if token == "" {
		return false
	}
	vals := r.Header.Values(name)
	if len(vals) != 1 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(vals[0]), []byte(token)) == 1
}

// WriteJSON writes v as the JSON reply with the given status. HTML-sensitive
// characters are written as they are, as Java servers do, rather than as
// encoding/json's \u003c escapes. A value that cannot be encoded (a bug in
// the fake, not the client) becomes a plain-text 500.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "fake: cannot encode reply: "+err.Error(), http.StatusInternalServerError)
		return
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	// As a servlet container sends a buffered reply: a client can size its buffer from it.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

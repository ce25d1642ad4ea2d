package relativity

import (
	"context"
	"encoding/base64"
	"net/http"
)

// basicLatin1 is HTTP Basic with the user name and password encoded as ISO-8859-1, as the
// User Manager (REST) page's sample client encodes them
// (Encoding.GetEncoding("ISO-8859-1").GetBytes("user:password")). For ASCII it is the same
// as Go's SetBasicAuth (UTF-8); beyond ASCII the bytes differ, and a server decoding Latin-1
// would refuse UTF-8 credentials. A shared auth.Basic with an encoding option would replace
// it.
type basicLatin1 struct {
	password string
	encoded  string // base64 of the Latin-1 "user:password"
}

// newBasicLatin1 encodes the credentials, or names the field holding a character Latin-1
// cannot carry.
func newBasicLatin1(user, password string) (basicLatin1, error) {
	u, ok := latin1(user)
	if !ok {
		return basicLatin1{}, invalid("Username", "holds a character outside ISO-8859-1, which Relativity's Basic authentication cannot carry")
	}
	p, ok := latin1(password)
	if !ok {
		return basicLatin1{}, invalid("Password", "holds a character outside ISO-8859-1, which Relativity's Basic authentication cannot carry")
	}
	raw := append(append(u, ':'), p...)
	return basicLatin1{password: password, encoded: base64.StdEncoding.EncodeToString(raw)}, nil
}

func latin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}

// Authorize sets the Authorization header.
func (b basicLatin1) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Basic "+b.encoded)
	return nil
}

// Secrets returns the password, the base64 credentials and the whole header value, so that
// a server echoing any of them is scrubbed.
func (b basicLatin1) Secrets() []string {
	return []string{b.password, b.encoded, "Basic " + b.encoded}
}

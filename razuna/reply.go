package razuna

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// The v1 API answers every call with HTTP 200 and one small XML document whose root is
// <Response>. A result carries <responsecode> (0 ok, 1 failed) and a few lower-case fields;
// an uncaught server exception is written as <Response><error><message/><errorcode/>
// <detail/></error></Response> instead (razuna/razuna global/api/Application.cfc, onError).
// With __BDRETURNFORMAT=plain the document comes bare; without it the engine wraps it as a
// string in a WDDX packet, which is the fallback decoded here (OpenBD cfWDDX: "<", ">" and
// "&" escaped, each control character written as <char code='hh'/>).

// reply is one decoded v1 document.
type reply struct {
	// page is true for the exception page (<Response><error>); Code is then empty.
	page bool
	// code is <responsecode>, trimmed: "0" or "1".
	code string
	// fields holds every other child of <Response> by lower-case name, trimmed: message,
	// sessiontoken, hostid, userid, loginname, email, firstname, lastname. For the
	// exception page it holds the children of <error>: message, errorcode, detail.
	fields map[string]string
}

func (r *reply) get(name string) string { return r.fields[name] }

// failed reports whether the reply is the exception page or a result with code 1.
func (r *reply) failed() bool { return r.page || r.code != "0" }

// maxDepth bounds the nesting the decoder accepts: a Razuna document is three levels deep.
const maxDepth = 8

// errNotReply is what parseReply returns for a body that is no Razuna document.
var errNotReply = errors.New("not a Razuna reply")

// parseReply decodes a v1 body: bare XML, or XML wrapped in a WDDX packet. It never panics;
// a body of any other shape is an error wrapping errNotReply.
func parseReply(body []byte) (*reply, error) {
	body = bytes.TrimSpace(body)
	if isWDDX(body) {
		inner, err := unwrapWDDX(body)
		if err != nil {
			return nil, err
		}
		body = bytes.TrimSpace(inner)
	}
	return parseXML(body)
}

// isWDDX reports whether body starts (after an optional XML declaration) with <wddxPacket.
func isWDDX(body []byte) bool {
	if bytes.HasPrefix(body, []byte("<?xml")) {
		end := bytes.Index(body, []byte("?>"))
		if end < 0 {
			return false
		}
		body = bytes.TrimSpace(body[end+2:])
	}
	return bytes.HasPrefix(body, []byte("<wddxPacket"))
}

// unwrapWDDX returns the text of the packet's <data><string>: its character data, with every
// <char code='hh'/> replaced by that byte.
func unwrapWDDX(body []byte) ([]byte, error) {
	d := newDecoder(body)
	var out bytes.Buffer
	var path []string
	inString, found := false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: WDDX packet: %v", errNotReply, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if len(path) > maxDepth {
				return nil, fmt.Errorf("%w: WDDX packet nested too deep", errNotReply)
			}
			switch {
			case len(path) == 1 && t.Name.Local != "wddxPacket":
				return nil, fmt.Errorf("%w: root <%s>, want <wddxPacket>", errNotReply, t.Name.Local)
			case len(path) == 3 && path[1] == "data" && t.Name.Local == "string":
				if found {
					return nil, fmt.Errorf("%w: WDDX packet holds more than one string", errNotReply)
				}
				inString, found = true, true
			case inString && t.Name.Local == "char":
				b, err := charCode(t)
				if err != nil {
					return nil, err
				}
				out.WriteByte(b)
			case inString:
				return nil, fmt.Errorf("%w: <%s> inside a WDDX string", errNotReply, t.Name.Local)
			}
		case xml.EndElement:
			if len(path) == 3 && inString {
				inString = false
			}
			path = path[:len(path)-1]
		case xml.CharData:
			if len(path) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the WDDX packet", errNotReply)
			}
			if inString {
				out.Write(t)
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("%w: WDDX packet without a string", errNotReply)
	}
	return out.Bytes(), nil
}

// charCode reads the byte of a WDDX <char code='hh'/>.
func charCode(t xml.StartElement) (byte, error) {
	for _, a := range t.Attr {
		if a.Name.Local == "code" {
			n, err := strconv.ParseUint(a.Value, 16, 8)
			if err != nil {
				return 0, fmt.Errorf("%w: WDDX char code %q", errNotReply, a.Value)
			}
			return byte(n), nil
		}
	}
	return 0, fmt.Errorf("%w: WDDX char without a code", errNotReply)
}

func newDecoder(body []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(body))
	// The server declares UTF-8 and escapes everything else as character references; a
	// document declaring another charset is refused rather than misread.
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8") {
			return input, nil
		}
		return nil, fmt.Errorf("charset %q", charset)
	}
	return d
}

// parseXML decodes a bare <Response> document. Element names are matched without regard to
// case: the code writes them in lower case, the vendor doc shows <ResponseCode>.
func parseXML(body []byte) (*reply, error) {
	d := newDecoder(body)
	r := &reply{fields: map[string]string{}}
	var path []string
	var text strings.Builder
	sawCode, root := false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNotReply, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			path = append(path, name)
			text.Reset()
			switch {
			case len(path) > maxDepth:
				return nil, fmt.Errorf("%w: nested too deep", errNotReply)
			case len(path) == 1:
				if root {
					return nil, fmt.Errorf("%w: two root elements", errNotReply)
				}
				if name != "response" {
					return nil, fmt.Errorf("%w: root <%s>, want <Response>", errNotReply, t.Name.Local)
				}
				root = true
			case len(path) == 2 && name == "error":
				r.page = true
			}
		case xml.EndElement:
			leaf := strings.TrimSpace(text.String())
			switch {
			case len(path) == 2 && path[1] == "responsecode":
				r.code, sawCode = leaf, true
			case len(path) == 2 && path[1] != "error":
				r.fields[path[1]] = leaf
			case len(path) == 3 && path[1] == "error":
				r.fields[path[2]] = leaf
			}
			text.Reset()
			path = path[:len(path)-1]
		case xml.CharData:
			if len(path) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside <Response>", errNotReply)
			}
			if len(path) > 1 {
				text.Write(t)
			}
		}
	}
	switch {
	case !root:
		return nil, fmt.Errorf("%w: no <Response> element", errNotReply)
	case r.page:
		r.code = ""
	case !sawCode:
		return nil, fmt.Errorf("%w: <Response> without <responsecode>", errNotReply)
	case r.code != "0" && r.code != "1":
		return nil, fmt.Errorf("%w: responsecode %q", errNotReply, r.code)
	}
	return r, nil
}

// The messages of the v1 API (razuna/razuna global/api/user.cfc and authentication.cfc). The
// text is the only thing that tells one failure from another.
const (
	msgSessionTimeout = "Session timeout"
	msgUserExists     = "User already exists"
	msgUserNotFound   = "User with the ID could not be found"
	msgNotSysAdmin    = "User is not a System Administrator"
	msgAccessDenied   = "Access Denied"
)

// restartMessage matches the exception a server raises after a restart for a session token
// that is still valid in its database but gone from the application's memory:
// "application.razuna.userid[<token>] doesn't exist." (the token, or the literal
// "arguments.sessiontoken", in the brackets).
var restartMessage = regexp.MustCompile(`^application\.razuna\.(userid|hostid|prefix)\[[^\]]*\] doesn't exist\.$`)

// restartKey returns "userid", "hostid" or "prefix" when msg is a restart message, else "".
func restartKey(msg string) string {
	m := restartMessage.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	return m[1]
}

// kindOf returns the sentinel a v1 failure message matches, or nil.
func kindOf(r *reply) error {
	if r.page {
		return nil
	}
	switch r.get("message") {
	case msgSessionTimeout:
		return ErrUnauthorized
	case msgUserExists:
		return ErrConflict
	case msgUserNotFound:
		return ErrNotFound
	case msgNotSysAdmin:
		return ErrForbidden
	}
	// A failed login says it in the token field.
	if r.get("sessiontoken") == msgAccessDenied {
		return ErrUnauthorized
	}
	return nil
}

// beforeWrite lists exception messages the engine raises before a method's body runs (a
// missing or mistyped argument, an unknown method) or that the update method raises while it
// reads its userdata, before it writes anything. Any other exception page after a write may
// come after part of the change was applied (a user created, then an unknown group id fails).
var beforeWrite = []string{
	"Value not provided for required argument ",
	"The argument ",
	"an invalid request was attempted",
	"the parameter is not an Array",
	"[Invalid JSON]",
}

func raisedBeforeWrite(msg string) bool {
	for _, p := range beforeWrite {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

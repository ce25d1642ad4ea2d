package fake

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// XML writes XML replies. The zero value writes what WriteXML writes; set
// fields for a vendor whose server writes differently:
//
//	razunaXML := fake.XML{ContentType: "text/html;charset=utf-8", ASCII: true}
//	razunaXML.Write(w, http.StatusOK, reply)
type XML struct {
	// ContentType is the reply's Content-Type; empty means
	// "text/xml; charset=UTF-8".
	ContentType string
	// ASCII writes every non-ASCII character of text and attribute values
	// as a hexadecimal character reference with lower-case digits
	// ("J&#xfc;rgen"), and ' and " as &apos; and &quot;, as Razuna's OpenBD
	// engine escapes them. CDATA sections, comments and names are left as
	// they are (a character reference means nothing there).
	ASCII bool
}

// xmlDeclaration starts every document.
const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// Marshal returns the document: the XML declaration, a newline, then v as
// encoding/xml marshals it (struct tags and all), escaped as x says.
func (x XML) Marshal(v any) ([]byte, error) {
	doc, err := xml.Marshal(v)
	if err != nil {
		return nil, err
	}
	if x.ASCII {
		doc = asciiXML(doc)
	}
	return append([]byte(xmlDeclaration), doc...), nil
}

// Write writes v as the reply with the given status (see Marshal). A value
// that cannot be marshalled (a bug in the fake, not the client) becomes a
// plain-text 500.
func (x XML) Write(w http.ResponseWriter, status int, v any) {
	doc, err := x.Marshal(v)
	if err != nil {
		http.Error(w, "fake: cannot encode reply: "+err.Error(), http.StatusInternalServerError)
		return
	}
	ct := x.ContentType
	if ct == "" {
		ct = "text/xml; charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(doc)
}

// EscapeText escapes s for use as character data or an attribute value in a
// document built by hand, the way Marshal escapes text.
func (x XML) EscapeText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer never fail
	if !x.ASCII {
		return b.String()
	}
	return string(asciiXML(b.Bytes()))
}

// WriteXML writes v, marshalled by encoding/xml after the XML declaration,
// as text/xml; charset=UTF-8 with the given status. Text is escaped as
// encoding/xml escapes it (&lt; &amp; &#34; &#39;, UTF-8 as is); XML{ASCII:
// true} escapes as Razuna does.
func WriteXML(w http.ResponseWriter, status int, v any) { XML{}.Write(w, status, v) }

// asciiXML rewrites a marshalled document: in character data and attribute
// values, non-ASCII runes become &#x..; and encoding/xml's &#39; and &#34;
// become &apos; and &quot;. It tracks markup so that CDATA sections,
// comments, processing instructions and names pass unchanged.
func asciiXML(doc []byte) []byte {
	const (
		text = iota
		tag
		attr
		skip // CDATA, comment, processing instruction or directive: until end
	)
	var out bytes.Buffer
	state, end := text, ""
	for i := 0; i < len(doc); {
		rest := doc[i:]
		switch state {
		case skip:
			j := bytes.Index(rest, []byte(end))
			if j < 0 {
				out.Write(rest)
				return out.Bytes()
			}
			out.Write(rest[:j+len(end)])
			i += j + len(end)
			state = text
			continue
		case tag:
			switch doc[i] {
			case '"':
				state = attr
			case '>':
				state = text
			}
			out.WriteByte(doc[i])
			i++
			continue
		}
		// text or attr
		c := doc[i]
		switch {
		case state == text && c == '<':
			for _, m := range []struct{ start, end string }{
				{"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}, {"<!", ">"},
			} {
				if bytes.HasPrefix(rest, []byte(m.start)) {
					state, end = skip, m.end
					break
				}
			}
			if state == text {
				state = tag
			}
			out.WriteByte(c)
			i++
		case state == attr && c == '"':
			state = tag
			out.WriteByte(c)
			i++
		case bytes.HasPrefix(rest, []byte("&#39;")):
			out.WriteString("&apos;")
			i += len("&#39;")
		case bytes.HasPrefix(rest, []byte("&#34;")):
			out.WriteString("&quot;")
			i += len("&#34;")
		case c < utf8.RuneSelf:
			out.WriteByte(c)
			i++
		default:
			r, n := utf8.DecodeRune(rest)
			out.WriteString("&#x" + strconv.FormatInt(int64(r), 16) + ";") // lower-case digits, as OpenBD writes them
			i += n
		}
	}
	return out.Bytes()
}

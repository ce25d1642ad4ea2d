package redact

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MinSecret is the length in bytes below which a secret is ignored: a two-letter password
// would otherwise turn every "http://" into "hREDACTEDREDACTEDp://". The core refuses such
// passwords, tokens and client secrets; a short user name or client id is hidden only where it
// stands whole (AddWhole).
const MinSecret = 4

// matcher is a snapshot of a Redactor's secrets, taken once per call to a redaction method.
//
// It does not compare a list of pre-encoded forms of each secret: a server or proxy may
// encode any character of a secret in any of several ways, and mix them (upper- or lower-case
// percent escapes, "+" for a space, JSON "\/" and "\uXXXX" escapes, HTML entities, a JSON
// escape whose characters are themselves percent-escaped, an escape escaped once more: JSON
// inside a JSON string, "&amp;amp;"). Instead it walks the text once and,
// at each position where a secret could start, decodes the text unit by unit against the
// secret. A second pass decodes base64 runs (a Basic Authorization header echoed back) and
// hides the runs whose plain text holds a secret.
type matcher struct {
	strong  []string // secrets of at least MinSecret bytes, longest first
	whole   []string // values hidden only where they stand whole (user names, client ids)
	strongB [][]byte
	start   [256]bool // bytes at which a secret may start in some encoding
	minLen  int       // shortest strong secret
}

func newMatcher(strong, whole []string) *matcher {
	m := &matcher{}
	for _, s := range strong {
		if len(s) >= MinSecret {
			m.strong = append(m.strong, s)
		}
	}
	for _, s := range whole {
		if s != "" && !slices.Contains(m.strong, s) {
			m.whole = append(m.whole, s)
		}
	}
	byLen := func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	}
	slices.SortFunc(m.strong, byLen)
	m.strong = slices.Compact(m.strong)
	slices.SortFunc(m.whole, byLen)
	m.whole = slices.Compact(m.whole)
	for _, s := range m.strong {
		m.strongB = append(m.strongB, []byte(s))
		m.minLen = len(s) // sorted longest first: the last is the shortest
	}
	for _, s := range append(slices.Clone(m.strong), m.whole...) {
		m.start[s[0]] = true
		if s[0] == ' ' {
			m.start['+'] = true
		}
		m.start['%'], m.start['\\'], m.start['&'] = true, true, true
	}
	return m
}

func (m *matcher) empty() bool { return m == nil || len(m.strong) == 0 && len(m.whole) == 0 }

// span is a part [start, end) of a text that holds a secret.
type span struct{ start, end int }

// How much of a secret's start, cut off at the end of a text, is hidden: in a body (a reply
// truncated by the server or by a read limit) from 4 bytes on; in a message (a vendor's text
// that its hook cut short) from 8, so that a short word at the end of a message that happens
// to start a secret stays readable.
const (
	bodyCut = 4
	textCut = 8
)

// spans finds every part of s that holds a secret, sorted and merged. With cut > 0, the start
// of a strong secret (at least cut bytes of it) that runs into the end of s counts too.
func (m *matcher) spans(s string, cut int) []span {
	if m.empty() {
		return nil
	}
	var out []span
	// What fails to match from a position does not depend on where the match started: one
	// memo per secret keeps a hostile text (every byte an escape) linear.
	memos := make([]map[uint64]struct{}, len(m.strong)+len(m.whole))
	for i := 0; i < len(s); i++ {
		if !m.start[s[i]] {
			continue
		}
		end := -1
		c, esc := s[i], isEscapeStart(s[i])
		var buf [4]unit
		var us []unit
		if esc {
			us = units(s, i, buf[:0])
		}
		// canStart reports whether sec may start at i: a cheap test before matchFrom.
		canStart := func(sec string) bool {
			if !esc {
				return c == sec[0]
			}
			for _, u := range us {
				if u.matches(sec) || int(u.n) > len(sec) && u.matchesPrefix(sec) {
					return true
				}
			}
			return false
		}
		for j, sec := range m.strong {
			if !canStart(sec) {
				continue
			}
			if e := matchFrom(s, i, sec, 0, cut, &memos[j]); e > end {
				end = e
			}
		}
		for j, sec := range m.whole {
			if !canStart(sec) {
				continue
			}
			if e := matchFrom(s, i, sec, 0, 0, &memos[len(m.strong)+j]); e > end && delimBefore(s, i) && delimAfter(s, e) {
				end = e
			}
		}
		if end > i {
			out = append(out, span{i, end})
		}
	}
	out = m.base64Spans(s, out)
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	merged := out[:1]
	for _, sp := range out[1:] {
		last := &merged[len(merged)-1]
		if sp.start < last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// text returns s with every secret replaced by Mask.
func (m *matcher) text(s string, cut int) string {
	if s == "" || m.empty() {
		return s
	}
	sp := m.spans(s, cut)
	if len(sp) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := 0
	for _, x := range sp {
		b.WriteString(s[prev:x.start])
		b.WriteString(Mask)
		prev = x.end
	}
	b.WriteString(s[prev:])
	return b.String()
}

// matchFrom returns the end of the text at s[p:] that decodes to sec[k:], or -1. memo records
// the (p, k) states already known to fail, so that text with many ways to decode ("\\\\\\"
// against a secret of backslashes) stays linear.
func matchFrom(s string, p int, sec string, k int, cut int, memo *map[uint64]struct{}) int {
	// Plain bytes need no decoding.
	for p < len(s) && k < len(sec) && s[p] == sec[k] && !isEscapeStart(s[p]) {
		p++
		k++
	}
	if k == len(sec) {
		return p
	}
	if p >= len(s) {
		if cut > 0 && k >= cut {
			return p
		}
		return -1
	}
	if !isEscapeStart(s[p]) {
		return -1 // a plain byte that differs
	}
	var buf [4]unit
	us := units(s, p, buf[:0])
	for _, u := range us {
		if !u.matches(sec[k:]) {
			continue
		}
		key := uint64(u.next)<<32 | uint64(k+int(u.n))
		if len(us) > 1 {
			if _, failed := (*memo)[key]; failed {
				continue
			}
		}
		if e := matchFrom(s, u.next, sec, k+int(u.n), cut, memo); e >= 0 {
			return e
		}
		if len(us) > 1 {
			if *memo == nil {
				*memo = map[uint64]struct{}{}
			}
			(*memo)[key] = struct{}{}
		}
	}
	if cut > 0 && k >= cut && incompleteEscape(s, p) {
		return len(s)
	}
	return -1
}

func isEscapeStart(c byte) bool { return c == '%' || c == '\\' || c == '&' || c == '+' }

// incompleteEscape reports whether s[p:] is the start of an escape cut off by the end of s.
func incompleteEscape(s string, p int) bool {
	return len(s)-p < 12 && isEscapeStart(s[p])
}

// unit is one decoded piece of text: the bytes it stands for and where the next one starts.
type unit struct {
	b    [4]byte
	n    uint8
	next int
}

func (u unit) matches(rest string) bool {
	if int(u.n) > len(rest) {
		return false
	}
	for i := range int(u.n) {
		if u.b[i] != rest[i] {
			return false
		}
	}
	return true
}

// matchesPrefix reports whether rest is a prefix of the unit's bytes (a secret ending in the
// middle of a multi-byte character).
func (u unit) matchesPrefix(rest string) bool {
	return len(rest) <= int(u.n) && string(u.b[:len(rest)]) == rest
}

func byteUnit(c byte, next int) unit { return unit{b: [4]byte{c}, n: 1, next: next} }

func runeUnit(r rune, next int) (unit, bool) {
	if r < 0 || r > utf8.MaxRune || utf16.IsSurrogate(r) {
		return unit{}, false
	}
	u := unit{next: next}
	u.n = uint8(utf8.EncodeRune(u.b[:], r))
	return u, true
}

// units returns the ways the text at p can be read: escapes first (they consume more), then
// the byte itself. An escape may be written once more inside another (a JSON document inside
// a JSON string: "\\u0026"; an HTML-escaped text shown in an HTML page: "&amp;amp;").
func units(s string, p int, out []unit) []unit {
	c := s[p]
	switch c {
	case '%', '\\', '&':
		for _, rd := range readers {
			if c != '&' {
				if u, ok := jsonEscapeWith(s, p, rd); ok {
					out = append(out, u)
				}
			}
			if u, ok := htmlEntityWith(s, p, rd); ok {
				out = append(out, u)
			}
		}
		if b, ok := pctByte(s, p); ok {
			out = append(out, byteUnit(b, p+3))
		}
	case '+':
		out = append(out, byteUnit(' ', p+1))
	}
	return append(out, byteUnit(c, p+1))
}

// A reader reads one character of an escape sequence.
type reader func(s string, q int) (byte, int, bool)

// readers are the ways the characters of an escape may be written: as is or percent-escaped,
// or escaped once more.
var readers = []reader{readPct, readNested}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pctByte decodes a percent escape at p, in either case.
func pctByte(s string, p int) (byte, bool) {
	if p+2 >= len(s) || s[p] != '%' {
		return 0, false
	}
	hi, ok1 := unhex(s[p+1])
	lo, ok2 := unhex(s[p+2])
	return hi<<4 | lo, ok1 && ok2
}

// readPct reads one character of a JSON escape, itself perhaps percent-escaped.
func readPct(s string, q int) (byte, int, bool) {
	if q >= len(s) {
		return 0, q, false
	}
	if b, ok := pctByte(s, q); ok {
		return b, q + 3, true
	}
	return s[q], q + 1, true
}

// readNested reads one character of an escape sequence that is itself escaped once: a JSON
// escape of an ASCII character (\u0026, \\, \", \/) or an HTML entity (&amp;), perhaps
// percent-escaped.
func readNested(s string, q int) (byte, int, bool) {
	if q >= len(s) {
		return 0, q, false
	}
	switch c, _, _ := readPct(s, q); c {
	case '\\':
		if u, ok := jsonEscapeWith(s, q, readPct); ok && u.n == 1 && u.b[0] < utf8.RuneSelf {
			return u.b[0], u.next, true
		}
	case '&':
		if u, ok := htmlEntityWith(s, q, readPct); ok && u.n == 1 && u.b[0] < utf8.RuneSelf {
			return u.b[0], u.next, true
		}
	}
	return readPct(s, q)
}

// jsonEscape decodes a JSON string escape at p: \" \\ \/ \b \f \n \r \t \uXXXX (with
// surrogate pairs).
func jsonEscape(s string, p int) (unit, bool) { return jsonEscapeWith(s, p, readPct) }

func jsonEscapeWith(s string, p int, readPct reader) (unit, bool) {
	c, q, ok := readPct(s, p)
	if !ok || c != '\\' {
		return unit{}, false
	}
	c, q, ok = readPct(s, q)
	if !ok {
		return unit{}, false
	}
	switch c {
	case '"', '\\', '/':
		return byteUnit(c, q), true
	case 'b':
		return byteUnit('\b', q), true
	case 'f':
		return byteUnit('\f', q), true
	case 'n':
		return byteUnit('\n', q), true
	case 'r':
		return byteUnit('\r', q), true
	case 't':
		return byteUnit('\t', q), true
	case 'u':
	default:
		return unit{}, false
	}
	r, q, ok := hex4(s, q)
	if !ok {
		return unit{}, false
	}
	if utf16.IsSurrogate(r) {
		// A pair: \uD83D\uDE00.
		c1, q1, ok1 := readPct(s, q)
		c2, q2, ok2 := readPct(s, q1)
		if !ok1 || !ok2 || c1 != '\\' || c2 != 'u' {
			return unit{}, false
		}
		r2, q3, ok := hex4(s, q2)
		if !ok {
			return unit{}, false
		}
		r, q = utf16.DecodeRune(r, r2), q3
	}
	return runeUnit(r, q)
}

func hex4(s string, q int) (rune, int, bool) {
	var r rune
	for range 4 {
		c, next, ok := readPct(s, q)
		if !ok {
			return 0, q, false
		}
		d, ok := unhex(c)
		if !ok {
			return 0, q, false
		}
		r = r<<4 | rune(d)
		q = next
	}
	return r, q, true
}

// htmlEntity decodes an HTML character reference at p: &amp; &lt; &gt; &quot; &apos; (in any
// case) and numeric ones (&#39; &#x27;).
func htmlEntity(s string, p int) (unit, bool) { return htmlEntityWith(s, p, readPct) }

func htmlEntityWith(s string, p int, readChar reader) (unit, bool) {
	c, q, ok := readChar(s, p)
	if !ok || c != '&' {
		return unit{}, false
	}
	var name [12]byte
	n := 0
	for {
		c, next, ok := readChar(s, q)
		if !ok {
			return unit{}, false
		}
		q = next
		if c == ';' {
			break
		}
		if n == len(name) {
			return unit{}, false
		}
		name[n] = c
		n++
	}
	ent := name[:n]
	if len(ent) > 1 && ent[0] == '#' {
		var r rune
		digits := ent[1:]
		base := rune(10)
		if digits[0] == 'x' || digits[0] == 'X' {
			base, digits = 16, digits[1:]
		}
		if len(digits) == 0 || len(digits) > 8 {
			return unit{}, false
		}
		for _, d := range digits {
			v, ok := unhex(d)
			if !ok || rune(v) >= base {
				return unit{}, false
			}
			r = r*base + rune(v)
		}
		return runeUnit(r, q)
	}
	switch strings.ToLower(string(ent)) {
	case "amp":
		return byteUnit('&', q), true
	case "lt":
		return byteUnit('<', q), true
	case "gt":
		return byteUnit('>', q), true
	case "quot":
		return byteUnit('"', q), true
	case "apos":
		return byteUnit('\'', q), true
	}
	return unit{}, false
}

// isDelim reports whether c ends a whole value: a user name stands whole in "user=bob&",
// `"bob"`, "/users/bob/" or "user bob not found", not in "bobby" or "bob.smith".
func isDelim(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte("\"'`=&?#;,/\\<>()[]{}|!*+", c) >= 0
}

// delimBefore reports whether the character before s[i], decoded, ends a value.
func delimBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	c := s[i-1]
	switch {
	case i >= 3 && s[i-3] == '%':
		if b, ok := pctByte(s, i-3); ok {
			c = b
		}
	case i >= 6 && s[i-6] == '\\' && s[i-5] == 'u':
		if u, ok := jsonEscape(s, i-6); ok {
			c = u.b[0]
			if u.n > 1 {
				c = 'x'
			}
		}
	case i >= 2 && s[i-2] == '\\':
		if u, ok := jsonEscape(s, i-2); ok {
			c = u.b[0]
		}
	case c == ';':
		if a := strings.LastIndexByte(s[max(0, i-12):i], '&'); a >= 0 {
			if u, ok := htmlEntity(s, max(0, i-12)+a); ok && u.next == i {
				c = u.b[0]
				if u.n > 1 {
					c = 'x'
				}
			}
		}
	}
	return isDelim(c)
}

// delimAfter reports whether the character at s[e], decoded, ends a value.
func delimAfter(s string, e int) bool {
	if e >= len(s) {
		return true
	}
	var buf [4]unit
	u := units(s, e, buf[:0])[0]
	if u.n > 1 {
		return false
	}
	return isDelim(u.b[0])
}

// isB64 reports whether c belongs to the standard or the URL-safe base64 alphabet.
func isB64(c byte) bool { return b64val[c] != 0xff }

var b64val = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// decodeB64 decodes base64 text of either alphabet, ignoring a trailing partial group.
func decodeB64(dst []byte, src []byte) []byte {
	dst = dst[:0]
	for len(src) >= 4 {
		a, b, c, d := b64val[src[0]], b64val[src[1]], b64val[src[2]], b64val[src[3]]
		dst = append(dst, a<<2|b>>4, b<<4|c>>2, c<<6|d)
		src = src[4:]
	}
	switch len(src) {
	case 2:
		dst = append(dst, b64val[src[0]]<<2|b64val[src[1]]>>4)
	case 3:
		a, b, c := b64val[src[0]], b64val[src[1]], b64val[src[2]]
		dst = append(dst, a<<2|b>>4, b<<4|c>>2)
	}
	return dst
}

// base64Spans adds the base64 runs of s whose plain text holds a strong secret: a server
// that echoes "Authorization: Basic dXNlcjpwYXNz" leaks the password although the text
// never shows it. A run is tried at all four alignments, so that a run glued to the word
// before it ("Basic+dXNl..." in a form) is still read right. Percent escapes and JSON
// escapes are decoded first ("dXNlcjpw%2BYXNz", "dXNlcjpw\/YXNz").
func (m *matcher) base64Spans(s string, out []span) []span {
	if len(m.strong) == 0 {
		return out
	}
	minRun := (m.minLen*4 + 2) / 3
	view, pos := plainView(s)
	for i := 0; i < len(view); {
		if !isB64(view[i]) {
			i++
			continue
		}
		j := i
		for j < len(view) && isB64(view[j]) {
			j++
		}
		end := j
		for end < len(view) && view[end] == '=' {
			end++
		}
		if j-i >= minRun && m.b64Holds(view[i:j], minRun, 1) {
			if pos == nil {
				out = append(out, span{i, end})
			} else {
				out = append(out, span{int(pos[i]), int(pos[end])})
			}
		}
		i = end
	}
	return out
}

// escapesB64 reports whether s holds an escape that may stand for a character of a base64
// run: a percent escape of "+", "/" or "=", or a JSON escape.
func escapesB64(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			if b, ok := pctByte(s, i); ok && (b == '+' || b == '/' || b == '=' || b == '\\') {
				return true
			}
		case '\\':
			return true
		}
	}
	return false
}

// b64Holds reports whether the base64 run holds a strong secret, read at any of the four
// alignments; with depth > 0 also inside base64 runs of its plain text (base64 of base64).
func (m *matcher) b64Holds(run []byte, minRun, depth int) bool {
	var dec []byte
	for a := 0; a < 4 && len(run)-a >= minRun; a++ {
		dec = decodeB64(dec, run[a:])
		for _, sec := range m.strongB {
			if bytes.Contains(dec, sec) {
				return true
			}
		}
		if depth == 0 {
			continue
		}
		for i := 0; i < len(dec); {
			if !isB64(dec[i]) {
				i++
				continue
			}
			j := i
			for j < len(dec) && isB64(dec[j]) {
				j++
			}
			if j-i >= minRun && m.b64Holds(dec[i:j], minRun, depth-1) {
				return true
			}
			i = j
		}
	}
	return false
}

// plainView returns s with percent escapes and JSON escapes of ASCII characters decoded, and
// for each byte of the view the position in s where it starts (one more entry for the end).
// Without escapes it returns s itself and a nil map.
func plainView(s string) ([]byte, []int32) {
	if !escapesB64(s) {
		return []byte(s), nil
	}
	view := make([]byte, 0, len(s))
	pos := make([]int32, 0, len(s)+1)
	for p := 0; p < len(s); {
		pos = append(pos, int32(p))
		// A JSON escape is decoded only when it stands for a character of a base64 run:
		// "\\bDp3" is a backslash before a run more often than a backspace.
		if u, ok := jsonEscape(s, p); ok && u.n == 1 && (isB64(u.b[0]) || u.b[0] == '=') {
			view = append(view, u.b[0])
			p = u.next
			continue
		}
		if b, ok := pctByte(s, p); ok {
			view = append(view, b)
			p += 3
			continue
		}
		view = append(view, s[p])
		p++
	}
	pos = append(pos, int32(len(s)))
	return view, pos
}

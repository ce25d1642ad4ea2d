package relativitytest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small interpreter of Relativity's query conditions, for the forms the doc and the
// relativity package's builder write: 'F' == 'v', <>, <, <=, >, >=, IN [...], LIKE [...],
// STARTSWITH, ENDSWITH, CONTAINS, ISSET, AND, OR, NOT and parentheses. A field the queried
// object does not have is an error, as on the server.

// fieldValue returns a field's value (text, or a number when num) and whether the object
// has the field.
type fieldValue func(name string) (v string, num bool, ok bool)

type pred func(fieldValue) bool

type token struct {
	kind string // "str", "num", "word", "op"
	text string
}

func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
					switch s[j] {
					case 'u':
						if j+4 >= len(s) {
							return nil, fmt.Errorf("bad escape")
						}
						n, err := strconv.ParseUint(s[j+1:j+5], 16, 32)
						if err != nil {
							return nil, fmt.Errorf("bad escape")
						}
						b.WriteRune(rune(n))
						j += 4
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(s[j])
					}
					continue
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, token{"str", b.String()})
			i = j + 1
		case strings.ContainsRune("[](),", rune(c)):
			out = append(out, token{"op", string(c)})
			i++
		case c == '=' || c == '<' || c == '>' || c == '!':
			j := i + 1
			for j < len(s) && strings.ContainsRune("=<>", rune(s[j])) {
				j++
			}
			out = append(out, token{"op", s[i:j]})
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			out = append(out, token{"num", s[i:j]})
			i = j
		default:
			j := i
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
					break
				}
				j += n
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q", c)
			}
			out = append(out, token{"word", strings.ToUpper(s[i:j])})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks   []token
	pos    int
	fields map[string]bool
}

// parseCondition compiles text; fields are the field names the object has. The empty
// condition matches everything.
func parseCondition(text string, fields map[string]bool) (pred, error) {
	if strings.TrimSpace(text) == "" {
		return func(fieldValue) bool { return true }, nil
	}
	toks, err := lex(text)
	if err != nil {
		return nil, fmt.Errorf("cannot parse condition: %v", err)
	}
	p := &parser{toks: toks, fields: fields}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("cannot parse condition: unexpected %q", p.toks[p.pos].text)
	}
	return e, nil
}

func (p *parser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{}
}

func (p *parser) next() token { t := p.peek(); p.pos++; return t }

func (p *parser) or() (pred, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == (token{"word", "OR"}) {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(f fieldValue) bool { return a(f) || b(f) }
	}
	return l, nil
}

func (p *parser) and() (pred, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.peek() == (token{"word", "AND"}) {
		p.pos++
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(f fieldValue) bool { return a(f) && b(f) }
	}
	return l, nil
}

func (p *parser) not() (pred, error) {
	if p.peek() == (token{"word", "NOT"}) {
		p.pos++
		e, err := p.not()
		if err != nil {
			return nil, err
		}
		return func(f fieldValue) bool { return !e(f) }, nil
	}
	if p.peek() == (token{"op", "("}) {
		p.pos++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next() != (token{"op", ")"}) {
			return nil, fmt.Errorf("cannot parse condition: missing )")
		}
		return e, nil
	}
	return p.comparison()
}

func (p *parser) value() (token, error) {
	t := p.next()
	switch {
	case t.kind == "str", t.kind == "num":
		return t, nil
	case t == token{"word", "TRUE"}, t == token{"word", "FALSE"}:
		return token{"str", strings.ToLower(t.text)}, nil
	}
	return t, fmt.Errorf("cannot parse condition: expected a value, got %q", t.text)
}

func (p *parser) list() ([]token, error) {
	if p.peek() != (token{"op", "["}) {
		v, err := p.value()
		return []token{v}, err
	}
	p.pos++
	var out []token
	for p.peek() != (token{"op", "]"}) {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.peek() == (token{"op", ","}) {
			p.pos++
		}
	}
	p.pos++
	return out, nil
}

func (p *parser) comparison() (pred, error) {
	ft := p.next()
	if ft.kind != "str" {
		return nil, fmt.Errorf("cannot parse condition: expected a quoted field name, got %q", ft.text)
	}
	field := ft.text
	if !p.fields[field] {
		return nil, fmt.Errorf("the field '%s' does not exist", field)
	}
	op := p.next()
	switch op {
	case token{"word", "ISSET"}:
		return func(f fieldValue) bool { v, _, _ := f(field); return v != "" }, nil
	case token{"word", "IN"}:
		vals, err := p.list()
		if err != nil {
			return nil, err
		}
		return func(f fieldValue) bool {
			v, _, _ := f(field)
			for _, x := range vals {
				if strings.EqualFold(v, x.text) {
					return true
				}
			}
			return false
		}, nil
	case token{"word", "LIKE"}, token{"word", "STARTSWITH"}, token{"word", "ENDSWITH"}, token{"word", "CONTAINS"}:
		vals, err := p.list()
		if err != nil {
			return nil, err
		}
		var res []*regexp.Regexp
		for _, x := range vals {
			res = append(res, textPattern(op.text, x.text))
		}
		return func(f fieldValue) bool {
			v, _, _ := f(field)
			for _, re := range res {
				if re.MatchString(v) {
					return true
				}
			}
			return false
		}, nil
	}
	if op.kind != "op" {
		return nil, fmt.Errorf("cannot parse condition: unknown operator %q", op.text)
	}
	val, err := p.value()
	if err != nil {
		return nil, err
	}
	var cmp func(int) bool
	switch op.text {
	case "==":
		cmp = func(c int) bool { return c == 0 }
	case "<>":
		cmp = func(c int) bool { return c != 0 }
	case "<":
		cmp = func(c int) bool { return c < 0 }
	case "<=":
		cmp = func(c int) bool { return c <= 0 }
	case ">":
		cmp = func(c int) bool { return c > 0 }
	case ">=":
		cmp = func(c int) bool { return c >= 0 }
	default:
		return nil, fmt.Errorf("cannot parse condition: unknown operator %q", op.text)
	}
	return func(f fieldValue) bool {
		v, num, _ := f(field)
		if num && val.kind == "num" {
			a, _ := strconv.Atoi(v)
			b, _ := strconv.Atoi(val.text)
			return cmp(a - b)
		}
		return cmp(strings.Compare(strings.ToLower(v), strings.ToLower(val.text)))
	}, nil
}

// textPattern turns a text operator's value into a case-blind regexp: % and _ are wildcards
// in LIKE, [x] is x literally. LIKE without a wildcard matches anywhere in the value.
func textPattern(op, v string) *regexp.Regexp {
	var b strings.Builder
	wild := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '[' && i+2 < len(v) && v[i+2] == ']':
			b.WriteString(regexp.QuoteMeta(string(v[i+1])))
			i += 2
		case (c == '%' || c == '_') && op == "LIKE":
			wild = true
			if c == '%' {
				b.WriteString(".*")
			} else {
				b.WriteString(".")
			}
		default:
			r, n := utf8.DecodeRuneInString(v[i:])
			b.WriteString(regexp.QuoteMeta(string(r)))
			i += n - 1
		}
	}
	expr := b.String()
	switch {
	case op == "STARTSWITH":
		expr = "^" + expr
	case op == "ENDSWITH":
		expr = expr + "$"
	case op == "LIKE" && wild:
		expr = "^" + expr + "$"
	}
	return regexp.MustCompile("(?is)" + expr)
}

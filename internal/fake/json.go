package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// DecodeError is the error DecodeJSON and CheckDuplicateKeys return for a body a
// strict server must refuse. Reason is one line meant for the fake's error body,
// so a failing client test says what the client sent wrong.
type DecodeError struct {
	Reason string
}

// Error returns Reason.
func (e *DecodeError) Error() string { return e.Reason }

func decodeErrorf(format string, args ...any) *DecodeError {
	return &DecodeError{Reason: fmt.Sprintf(format, args...)}
}

// DecodeJSON decodes exactly one JSON value from data into v, refusing what
// encoding/json lets through: an empty body, duplicate keys at any depth,
// object keys that match no field of a target struct (including keys that
// match only when case is ignored, which encoding/json accepts), values of
// the wrong type, and anything after the value except white space.
//
// Every failure is a *DecodeError.
func DecodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return decodeErrorf("empty body")
	}
	if err := scanValue(data, true); err != nil {
		return err
	}
	if err := checkExactKeys(data, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return translateDecodeError(err)
	}
	return nil
}

// CheckDuplicateKeys reports the first object key that appears twice in the
// same object, anywhere in data. Keys are compared after unescaping, so "a"
// and "\u0061" are the same key. data may hold several JSON values one after
// another; malformed JSON is a *DecodeError too.
func CheckDuplicateKeys(data []byte) error {
	return scanValue(data, false)
}

// frame is one open object or array during the token scan.
type frame struct {
	object    bool
	keys      map[string]struct{}
	expectKey bool
	path      string // where this container sits, for the error message
	lastKey   string
	index     int
}

func (f *frame) childPath() string {
	if f.object {
		return f.path + "." + f.lastKey
	}
	return f.path + "[" + strconv.Itoa(f.index) + "]"
}

// scanValue walks data token by token because encoding/json keeps the last of
// two equal keys without a word. With single set it stops after the first
// value and refuses anything that follows it.
func scanValue(data []byte, single bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*frame
	values := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return decodeErrorf("malformed JSON: unexpected end of input")
			}
			if values == 0 {
				return decodeErrorf("empty body")
			}
			return nil
		}
		if err != nil {
			if single && values > 0 && len(stack) == 0 {
				return decodeErrorf("trailing data after JSON value")
			}
			return decodeErrorf("malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
		}
		if single && values > 0 && len(stack) == 0 {
			return decodeErrorf("trailing data after JSON value")
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expectKey {
			// A key: Token only yields a string here, or the closing brace.
			if key, ok := tok.(string); ok {
				if _, dup := top.keys[key]; dup {
					where := ""
					if top.path != "$" {
						where = " in " + top.path
					}
					return decodeErrorf("duplicate key %q%s", key, where)
				}
				top.keys[key] = struct{}{}
				top.lastKey = key
				top.expectKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			path := "$"
			if top != nil {
				path = top.childPath()
			}
			f := &frame{object: tok == json.Delim('{'), path: path}
			if f.object {
				f.keys = make(map[string]struct{})
				f.expectKey = true
			}
			stack = append(stack, f)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A complete value (scalar or closed container) ends here.
		if len(stack) == 0 {
			values++
			continue
		}
		parent := stack[len(stack)-1]
		if parent.object {
			parent.expectKey = true
		} else {
			parent.index++
		}
	}
}

// checkExactKeys refuses keys that encoding/json would fold onto a struct
// field of another spelling ("Name" for "name"): the real servers are
// case-sensitive, so a client that gets the case wrong must fail its tests.
// Unknown keys of other spellings are left to DisallowUnknownFields.
func checkExactKeys(data []byte, t reflect.Type) error {
	if t == nil || !needsKeyCheck(t, map[reflect.Type]bool{}) {
		return nil
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return translateDecodeError(err)
	}
	return walkKeys(tree, t, "")
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
)

// needsKeyCheck says whether t contains a struct anywhere, so that bodies
// decoded into maps or any skip the second parse.
func needsKeyCheck(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return needsKeyCheck(t.Elem(), seen)
	case reflect.Struct:
		return true
	}
	return false
}

func walkKeys(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // a type mismatch, reported by the real decode
		}
		fields := jsonFields(t)
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			val := obj[key]
			ft, ok := fields[key]
			if !ok {
				return decodeErrorf("unknown field %q", joinPath(path, key))
			}
			if err := walkKeys(val, ft, joinPath(path, key)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, el := range arr {
			if err := walkKeys(el, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			val := obj[key]
			if err := walkKeys(val, t.Elem(), joinPath(path, key)); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps each JSON key a struct accepts, spelled exactly as
// encoding/json writes it, to the field's type; embedded structs without a
// tag contribute their own fields, as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type)
	var add func(t reflect.Type, depth int)
	add = func(t reflect.Type, depth int) {
		if depth > 8 {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					add(ft, depth+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, taken := out[name]; !taken || depth == 0 {
				out[name] = f.Type
			}
		}
	}
	add(t, 0)
	return out
}

// translateDecodeError rewrites encoding/json's messages into the fake's own
// wording, which names the JSON field rather than the Go type.
func translateDecodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		got := typeErr.Value
		if typeErr.Field == "" {
			return decodeErrorf("wrong type: got %s, want %s", got, jsonKind(typeErr.Type))
		}
		return decodeErrorf("field %q: wrong type: got %s, want %s", typeErr.Field, got, jsonKind(typeErr.Type))
	case errors.As(err, &syntaxErr):
		return decodeErrorf("malformed JSON: %s", syntaxErr.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return decodeErrorf("malformed JSON: unexpected end of input")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field ") {
		return decodeErrorf("%s", msg)
	}
	return decodeErrorf("invalid JSON: %s", msg)
}

// jsonKind names the JSON kind a Go type expects, for error messages.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.String()
}

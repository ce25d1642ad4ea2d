package rest

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinels that errors from every vendor package match with errors.Is.
var (
	ErrNotFound     = errors.New("not found")
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrConflict     = errors.New("conflict")
	ErrRateLimited  = errors.New("rate limited")
	ErrUnavailable  = errors.New("service unavailable")
	// ErrMaybeApplied marks a change whose reply was lost, or was a 5xx (which does not prove
	// the change was refused): the server may have applied it. roster did not send it again;
	// check the server's state before retrying yourself.
	ErrMaybeApplied = errors.New("change may have been applied")
	// ErrInvalidInput is wrapped by every *ValidationError.
	ErrInvalidInput = errors.New("invalid input")
)

// Error is a failed call: a non-success reply, a reply the vendor marks as failed, a reply
// that could not be read, or a transport failure (StatusCode 0).
// Every field is redacted: no token, password or session value survives into it.
type Error struct {
	Vendor     string // package that made the call, e.g. "relution"
	StatusCode int    // HTTP status; 0 when no reply arrived
	Method     string
	URL        string // redacted
	Code       string // the vendor's error code, when it sent one
	Message    string // the vendor's message
	Detail     string // more vendor text (an exception class, a field list)
	// Body is the reply body, redacted, at most 1 MiB (a few KiB for a body over the
	// client's reply cap).
	Body []byte
	// Header holds the reply's headers, with the values of sensitive ones redacted.
	Header http.Header
	// RetryAfter is the wait the server asked for in Retry-After, also when it was longer
	// than the retry policy's MaxWait (the call then failed at once with ErrRateLimited).
	RetryAfter time.Duration
	// RequestID is the vendor's id for the request (X-Request-Id and similar headers), to
	// quote to the vendor's support.
	RequestID string

	kind         error // a sentinel a vendor hook or the retry rule chose
	maybeApplied bool
	cause        error  // redacted transport or decode error
	what         string // what failed when there is no status or cause ("decode reply: ...")
}

// Error returns one line: vendor, method, URL, status, code and message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Vendor != "" {
		b.WriteString(e.Vendor)
		b.WriteString(": ")
	}
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	switch {
	case e.StatusCode != 0:
		fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
		if e.what != "" {
			b.WriteString(": ")
			b.WriteString(e.what)
		}
	case e.what != "":
		b.WriteString(e.what)
	case e.cause != nil:
		b.WriteString(e.cause.Error())
	default:
		b.WriteString("failed")
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.maybeApplied {
		b.WriteString(" (the change may have been applied; not resent)")
	}
	return b.String()
}

// Is matches the sentinels by status code, vendor signal and retry outcome.
func (e *Error) Is(target error) bool {
	if target == nil {
		return false
	}
	if e.kind == target {
		return true
	}
	switch target {
	case ErrMaybeApplied:
		return e.maybeApplied
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrUnavailable:
		switch e.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

// Unwrap returns the (redacted) transport error, if any.
func (e *Error) Unwrap() error { return e.cause }

// ValidationError is input refused before anything was sent.
type ValidationError struct {
	Vendor string // package that refused it, e.g. "relution"; empty in the core's own checks
	Field  string // the offending field or parameter, e.g. "BaseURL" or "users.csv line 3"
	Reason string
}

// Error returns "<vendor>: invalid <field>: <reason>", or "<vendor>: invalid input: <reason>"
// without a field.
func (e *ValidationError) Error() string {
	var prefix string
	if e.Vendor != "" {
		prefix = e.Vendor + ": "
	}
	if e.Field == "" {
		return prefix + "invalid input: " + e.Reason
	}
	return prefix + "invalid " + e.Field + ": " + e.Reason
}

// Unwrap makes errors.Is(err, ErrInvalidInput) true.
func (e *ValidationError) Unwrap() error { return ErrInvalidInput }

// Invalid returns a *ValidationError with no vendor; vendor packages use Vendor.Invalid.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Vendor is a vendor package's name as it prefixes every error the package returns.
type Vendor string

// Invalid returns a *ValidationError of this vendor.
func (v Vendor) Invalid(field, format string, args ...any) error {
	return &ValidationError{Vendor: string(v), Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Own returns err with this vendor's prefix when it is a *ValidationError without one (the
// core's checks of a path parameter), and err unchanged otherwise.
func (v Vendor) Own(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) && ve.Vendor == "" {
		c := *ve
		c.Vendor = string(v)
		return &c
	}
	return err
}

// minSecret is the shortest password, token or client secret a client accepts: a shorter
// one would be scrubbed from every message it occurs in by accident ("hREDACTEDp://").
const minSecret = 4

// CheckSecret refuses a password, token or client secret that is empty, shorter than 4
// bytes, or holds a control character (which no HTTP header or form can carry intact).
func (v Vendor) CheckSecret(field, value string) error {
	switch {
	case value == "":
		return v.Invalid(field, "missing")
	case len(value) < minSecret:
		return v.Invalid(field, "shorter than %d characters", minSecret)
	case HasControl(value):
		return v.Invalid(field, "holds a control character")
	}
	return nil
}

// CheckName refuses a user name or client id that is empty or holds a control character,
// and for HTTP Basic (basic) one holding ':', which would end the user part. Names are never
// refused for their length.
func (v Vendor) CheckName(field, value string, basic bool) error {
	switch {
	case value == "":
		return v.Invalid(field, "missing")
	case HasControl(value):
		return v.Invalid(field, "holds a control character")
	case basic && strings.Contains(value, ":"):
		return v.Invalid(field, "holds ':', which HTTP Basic cannot carry in a user name")
	}
	return nil
}

// CheckText refuses a required text value that is blank, holds a control character, or is
// not valid UTF-8: what a vendor would store garbled, or fail on after writing other fields.
func (v Vendor) CheckText(field, value string) error {
	switch {
	case strings.TrimSpace(value) == "":
		return v.Invalid(field, "missing")
	case HasControl(value):
		return v.Invalid(field, "holds a control character")
	case !utf8.ValidString(value):
		return v.Invalid(field, "not valid UTF-8")
	}
	return nil
}

// HasControl reports whether s holds a control character (C0, DEL or C1).
func HasControl(s string) bool { return strings.IndexFunc(s, unicode.IsControl) >= 0 }

// IsNil reports whether v is nil or a nil pointer, map, slice, func, chan or interface held in
// an interface (a nil *bytes.Reader passed as an io.Reader), which would panic on first use.
func IsNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

// redactedError carries a transport error's text after redaction while keeping the original
// reachable for errors.Is (context.DeadlineExceeded, net errors).
type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }

package rest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
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

// Error is a failed call: a non-success reply, or a transport failure (StatusCode 0).
// Every field is redacted: no token, password or session value survives into it.
type Error struct {
	Vendor     string // package that made the call, e.g. "relution"
	StatusCode int    // HTTP status; 0 when no reply arrived
	Method     string
	URL        string // redacted
	Code       string // the vendor's error code, when it sent one
	Message    string // the vendor's message
	Detail     string // more vendor text (an exception class, a field list)
	Body       []byte // the reply body, redacted, at most 1 MiB

	kind         error // a sentinel a vendor hook or the retry rule chose
	maybeApplied bool
	cause        error // redacted transport error
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
	Field  string // the offending field or parameter, e.g. "BaseURL" or "users.csv line 3"
	Reason string
}

// Error returns "invalid <field>: <reason>", or "invalid input: <reason>" without a field.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return "invalid input: " + e.Reason
	}
	return "invalid " + e.Field + ": " + e.Reason
}

// Unwrap makes errors.Is(err, ErrInvalidInput) true.
func (e *ValidationError) Unwrap() error { return ErrInvalidInput }

// Invalid returns a *ValidationError.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// redactedError carries a transport error's text after redaction while keeping the original
// reachable for errors.Is (context.DeadlineExceeded, net errors).
type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }

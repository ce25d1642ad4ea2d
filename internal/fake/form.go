package fake

import (
	"net/url"
	"slices"
	"strings"
)

// DecodeForm parses an application/x-www-form-urlencoded body strictly: it
// refuses a field that is neither in required nor in optional, a field given
// twice, a field without a name or with a malformed escape, and a required
// field that is absent. A field that is present with an empty value counts
// as present (Razuna's update wants userid, userloginname and useremail all
// present, empty or not); the handler judges values. Problems are reported
// in body order (unknown or repeated fields), then in required's order
// (missing ones), one at a time.
//
// Every failure is a *DecodeError; its Reason names the field. The values
// are returned as url.Values with one value per field.
func DecodeForm(body []byte, required, optional []string) (url.Values, error) {
	form := url.Values{}
	for part := range strings.SplitSeq(string(body), "&") {
		if part == "" {
			continue // "a=1&&b=2": empty parts carry nothing, as url.ParseQuery agrees
		}
		k, v, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			return nil, decodeErrorf("malformed form field name %q", k)
		}
		if name == "" {
			return nil, decodeErrorf("form field without a name")
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, decodeErrorf("form field %q: malformed value", name)
		}
		if !slices.Contains(required, name) && !slices.Contains(optional, name) {
			return nil, decodeErrorf("unknown form field %q", name)
		}
		if _, dup := form[name]; dup {
			return nil, decodeErrorf("form field %q given more than once", name)
		}
		form[name] = []string{value}
	}
	for _, name := range required {
		if _, ok := form[name]; !ok {
			return nil, decodeErrorf("missing form field %q", name)
		}
	}
	return form, nil
}

package fake

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeForm(t *testing.T) {
	t.Parallel()
	required := []string{"grant_type", "username"}
	optional := []string{"scope"}
	tests := []struct {
		name, body string
		want       url.Values
		err        string
	}{
		{"required only", "grant_type=password&username=ada", url.Values{"grant_type": {"password"}, "username": {"ada"}}, ""},
		{"with optional, escapes and plus", "username=a%2Bb+c&scope=x+y&grant_type=password", url.Values{"grant_type": {"password"}, "username": {"a+b c"}, "scope": {"x y"}}, ""},
		{"empty value counts as present", "grant_type=&username=", url.Values{"grant_type": {""}, "username": {""}}, ""},
		{"name without equals is an empty value", "grant_type&username=a", url.Values{"grant_type": {""}, "username": {"a"}}, ""},
		{"empty parts skipped", "&grant_type=p&&username=a&", url.Values{"grant_type": {"p"}, "username": {"a"}}, ""},
		{"unknown field", "grant_type=p&username=a&client_id=x", nil, `unknown form field "client_id"`},
		{"unknown before missing", "client_secret=s", nil, `unknown form field "client_secret"`},
		{"repeated field", "grant_type=p&username=a&username=b", nil, `form field "username" given more than once`},
		{"repeated optional field", "grant_type=p&username=a&scope=1&scope=1", nil, `form field "scope" given more than once`},
		{"missing field", "grant_type=p", nil, `missing form field "username"`},
		{"missing in required order", "", nil, `missing form field "grant_type"`},
		{"case matters", "Grant_type=p&username=a", nil, `unknown form field "Grant_type"`},
		{"escaped name is unescaped", "grant%5Ftype=p&username=a", url.Values{"grant_type": {"p"}, "username": {"a"}}, ""},
		{"malformed name", "gr%zzant=p", nil, `malformed form field name "gr%zzant"`},
		{"malformed value names the field only", "grant_type=p&username=s3cr%zz", nil, `form field "username": malformed value`},
		{"no name", "=x&grant_type=p&username=a", nil, "form field without a name"},
		{"semicolon is part of a name", "grant_type=p;username=a", nil, `missing form field "username"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeForm([]byte(tt.body), required, optional)
			if tt.err != "" {
				var de *DecodeError
				if !errors.As(err, &de) || de.Reason != tt.err {
					t.Fatalf("DecodeForm(%q) = %v, %v; want *DecodeError %q", tt.body, got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeForm(%q): %v", tt.body, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DecodeForm(%q) (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

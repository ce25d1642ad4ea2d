package relativity

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rosterhq/roster/internal/rest"
)

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no base URL", Config{Username: "u", Password: "pass"}, "BaseURL"},
		{"no credentials", Config{BaseURL: "https://h"}, "Username"},
		{"both", Config{BaseURL: "https://h", Username: "u", Password: "pass", ClientID: "c", ClientSecret: "secret"}, "Username"},
		{"user without password", Config{BaseURL: "https://h", Username: "u"}, "Password"},
		{"password without user", Config{BaseURL: "https://h", Password: "pass"}, "Username"},
		{"colon in user", Config{BaseURL: "https://h", Username: "a:b", Password: "pass"}, "Username"},
		{"short password", Config{BaseURL: "https://h", Username: "u", Password: "p"}, "Password"},
		{"client without secret", Config{BaseURL: "https://h", ClientID: "c"}, "ClientSecret"},
		{"secret without client", Config{BaseURL: "https://h", ClientSecret: "secret"}, "ClientID"},
		{"bad version", Config{BaseURL: "https://h", Username: "u", Password: "pass", Version: "1"}, "Version"},
		{"scope with newline", Config{BaseURL: "https://h", ClientID: "c", ClientSecret: "secret", Scope: "a\nb"}, "Scope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient(tt.cfg)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("NewClient = %v, want a *ValidationError for %s", err, tt.field)
			}
			if !errors.Is(err, ErrInvalidInput) || !strings.HasPrefix(err.Error(), "relativity: ") {
				t.Errorf("error %q", err)
			}
			if tt.cfg.Password != "" && strings.Contains(err.Error(), tt.cfg.Password) {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
	for _, cfg := range []Config{
		{BaseURL: "https://h", Username: "u@example.com", Password: "pass"},
		{BaseURL: "https://h/prefix", ClientID: "c", ClientSecret: "secret", Version: "v2"},
	} {
		if _, err := NewClient(cfg); err != nil {
			t.Errorf("NewClient(%s) = %v", cfg.BaseURL, err)
		}
	}
}

func TestParseError(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		want rest.ErrorInfo
	}{
		{`{"ErrorType":"Relativity.Services.Exceptions.ServiceException","Identifier":"","Message":"Artifact matching that Artifact ID not found."}`,
			rest.ErrorInfo{Code: "Relativity.Services.Exceptions.ServiceException", Message: "Artifact matching that Artifact ID not found."}},
		{`{"ErrorType":"X","Identifier":"abc","Message":"m"}`, rest.ErrorInfo{Code: "X", Message: "m", Detail: "abc"}},
		{"<html><body>404 - File or directory not found.</body></html>", rest.ErrorInfo{}},
		{"Service unavailable\nsecond line", rest.ErrorInfo{Message: "Service unavailable"}},
		{"", rest.ErrorInfo{}},
	} {
		got := parseError(404, http.Header{}, []byte(tt.body))
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%q (-want +got):\n%s", tt.body, d)
		}
	}
}

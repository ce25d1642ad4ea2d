package fake

import (
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCheckBasic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		set        func(r *http.Request)
		user, pass string
		want       bool
	}{
		{"match", func(r *http.Request) { r.SetBasicAuth("admin", "s3cret") }, "admin", "s3cret", true},
		{"empty password allowed", func(r *http.Request) { r.SetBasicAuth("admin", "") }, "admin", "", true},
		{"wrong password", func(r *http.Request) { r.SetBasicAuth("admin", "nope") }, "admin", "s3cret", false},
		{"wrong user", func(r *http.Request) { r.SetBasicAuth("root", "s3cret") }, "admin", "s3cret", false},
		{"prefix of password", func(r *http.Request) { r.SetBasicAuth("admin", "s3cre") }, "admin", "s3cret", false},
		{"no header", func(*http.Request) {}, "admin", "s3cret", false},
		{"bearer instead", func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }, "admin", "s3cret", false},
		{"empty configured user", func(r *http.Request) { r.SetBasicAuth("", "") }, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/", nil)
			tt.set(r)
			if got := CheckBasic(r, tt.user, tt.pass); got != tt.want {
				t.Errorf("CheckBasic = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckHeaderToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []string
		token  string
		want   bool
	}{
		{"match", []string{"tok"}, "tok", true},
		{"wrong", []string{"tik"}, "tok", false},
		{"missing", nil, "tok", false},
		{"empty configured token", []string{""}, "", false},
		{"two values", []string{"tok", "tok"}, "tok", false},
		{"case matters", []string{"TOK"}, "tok", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/", nil)
			for _, v := range tt.values {
				r.Header.Add("x-user-access-token", v) // header names are case-insensitive
			}
			if got := CheckHeaderToken(r, "X-User-Access-Token", tt.token); got != tt.want {
				t.Errorf("CheckHeaderToken = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteJSON(w, http.StatusCreated, map[string]string{"q": "a<b&c"})
	if w.Code != http.StatusCreated {
		t.Errorf("status = %d, want 201", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if got, want := w.Body.String(), `{"q":"a<b&c"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}

	w = httptest.NewRecorder()
	WriteJSON(w, http.StatusOK, math.Inf(1))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("unencodable value: status = %d, want 500", w.Code)
	}
}

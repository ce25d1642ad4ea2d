package razuna

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseV2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       *v2reply
	}{
		{"struct, number code", `{"responsecode":0,"message":"User has been added successfully","userid":"A-B","apikey":"K"}`,
			&v2reply{code: "0", fields: map[string]string{"responsecode": "0", "message": "User has been added successfully", "userid": "A-B", "apikey": "K"}}},
		{"struct, string code, upper keys", `{"RESPONSECODE":"1","MESSAGE":"User already exists","USERID":"A-B"}`,
			&v2reply{code: "1", fields: map[string]string{"responsecode": "1", "message": "User already exists", "userid": "A-B"}}},
		{"query of users", `{"COLUMNS":["USER_ID","user_login_name"],"DATA":[["1","admin"],[2,"x"]]}`,
			&v2reply{fields: map[string]string{}, rows: []map[string]string{{"user_id": "1", "user_login_name": "admin"}, {"user_id": "2", "user_login_name": "x"}}}},
		{"query of a failure", `{"columns":["responsecode","message"],"data":[[1,"Login not valid! Check..."]]}`,
			&v2reply{code: "1", fields: map[string]string{"message": "Login not valid! Check..."}}},
		{"exception", `{"message":"boom","errorcode":"","detail":"d"}`,
			&v2reply{page: true, fields: map[string]string{"message": "boom", "errorcode": "", "detail": "d"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseV2([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(v2reply{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{"a":1}`, `{"COLUMNS":["A"],"DATA":[["1","2"]]}`, `{"COLUMNS":"A","DATA":[]}`} {
		if r, err := parseV2([]byte(bad)); !errors.Is(err, errNotV2) {
			t.Errorf("parseV2(%q) = %+v, %v", bad, r, err)
		}
	}
}

func TestKindOfV2(t *testing.T) {
	t.Parallel()
	for msg, want := range map[string]error{
		"User already exists":                     ErrConflict,
		"User with the ID could not be found":     ErrNotFound,
		"Group(s) with the ID could not be found": ErrNotFound,
		"Login not valid! Check user API Key and ensure with your administrator that the user has appropriate permissions for access.":                                                         ErrUnauthorized,
		"No permissible data or action found for user! If you believe this is a mistake then please check with your administrator to ensure that you have appropriate permissions for access.": ErrForbidden,
		"Something else": nil,
	} {
		if got := kindOfV2(msg); got != want {
			t.Errorf("kindOfV2(%q) = %v, want %v", msg, got, want)
		}
	}
}

func FuzzParseV2(f *testing.F) {
	for _, s := range []string{`{"responsecode":0,"message":"ok","userid":"1"}`, `{"COLUMNS":["A"],"DATA":[["1"]]}`,
		`{"message":"m","errorcode":"c","detail":"d"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseV2(body)
		if err != nil {
			if !errors.Is(err, errNotV2) {
				t.Fatalf("error %v does not wrap errNotV2", err)
			}
			return
		}
		_ = r.failed()
		_ = kindOfV2(r.message())
	})
}

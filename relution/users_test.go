package relution_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// The users, groups and apps tests share this stub server ("uga" keeps its names apart from
// the other tests of the package). It records every request exactly as it arrived and
// answers with what the test's handler writes, so the tests can assert the wire request.

// ugaRequest is one request as the stub saw it.
type ugaRequest struct {
	Method string
	Path   string // escaped, as sent
	Query  url.Values
	Header http.Header
	Body   []byte
}

type ugaStub struct {
	URL  string
	mu   sync.Mutex
	reqs []ugaRequest
}

func (s *ugaStub) requests() []ugaRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ugaRequest(nil), s.reqs...)
}

// newUGAStub starts a stub server answering with handle, and a client of it that makes one
// attempt per call (so a request count is the number of calls).
func newUGAStub(t *testing.T, handle func(w http.ResponseWriter, r *ugaRequest)) (*relution.Client, *ugaStub) {
	t.Helper()
	stub := &ugaStub{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := ugaRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
		stub.mu.Lock()
		stub.reqs = append(stub.reqs, req)
		stub.mu.Unlock()
		handle(w, &req)
	}))
	t.Cleanup(srv.Close)
	stub.URL = srv.URL
	return ugaClient(t, srv.URL, 1), stub
}

// ugaClient returns a client of baseURL that makes up to attempts sends per call, waiting
// a millisecond between them.
func ugaClient(t *testing.T, baseURL string, attempts int) *relution.Client {
	t.Helper()
	c, err := relution.NewClient(relution.Config{
		BaseURL:     baseURL,
		AccessToken: "stub-token",
		Retry:       relution.RetryPolicy{MaxAttempts: attempts, MinWait: time.Millisecond, MaxWait: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ugaJSON answers status with body.
func ugaJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// ugaResults answers 200 with a results envelope around items (JSON objects).
func ugaResults(w http.ResponseWriter, items ...string) {
	ugaJSON(w, http.StatusOK, fmt.Sprintf(`{"status":"0","message":"","errors":{},"total":%d,"results":[%s]}`,
		len(items), strings.Join(items, ",")))
}

const ugaNotFound = `{"status":"-1","message":"User not found","errors":{},"exception":{"className":"com.mwaysolutions.relution.common.domain.RelutionException","cause":null,"errorCode":"USER_NOT_FOUND","httpStatus":404,"message":"User not found"},"total":0,"results":[]}`

// ugaNoCall is a handler for tests in which no request may be sent.
func ugaNoCall(t *testing.T) func(http.ResponseWriter, *ugaRequest) {
	return func(w http.ResponseWriter, r *ugaRequest) {
		t.Errorf("unexpected request %s %s", r.Method, r.Path)
		ugaJSON(w, http.StatusTeapot, `{}`)
	}
}

// ugaInvalid checks that err is a *ValidationError for field that wraps ErrInvalidInput.
func ugaInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var ve *relution.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, relution.ErrInvalidInput) {
		t.Fatalf("error = %v, want a *ValidationError wrapping ErrInvalidInput", err)
	}
	if !strings.Contains(ve.Field, field) {
		t.Errorf("ValidationError.Field = %q, want it to name %q", ve.Field, field)
	}
}

// ugaJSONEqual compares two JSON texts as values.
func ugaJSONEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("JSON body mismatch (-want +got):\n%s\ngot: %s", diff, got)
	}
}

const (
	ugaUserID  = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	ugaUserUP  = "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
	ugaGroupID = "11111111-2222-4333-8444-555555555555"
	ugaOrgUP   = "01995C17-6BD0-7F84-87E9-21A1498B386F"
)

const ugaUserJSON = `{"uuid":"` + ugaUserUP + `","name":"user1","organizationUuid":"` + ugaOrgUP + `",
 "activated":true,"locked":false,"email":"user1@company.com","givenName":"Heinz","surname":"Ketchup",
 "phone":"+49234346345","position":"user1 position","country":"user1 country",
 "managedAppleId":"user1.id@company.com","version":2,"createdDate":1467968221000,"modifiedDate":1467968222500,
 "preferences":{"unknown":"tolerated"}}`

func ugaUser() relution.User {
	return relution.User{
		UUID:             uuid.MustParse(ugaUserID),
		Name:             "user1",
		OrganizationUUID: uuid.MustParse(ugaOrgUP),
		Activated:        true,
		Email:            "user1@company.com",
		GivenName:        "Heinz",
		Surname:          "Ketchup",
		Phone:            "+49234346345",
		Position:         "user1 position",
		Country:          "user1 country",
		ManagedAppleID:   "user1.id@company.com",
		Version:          2,
		CreatedDate:      relution.Time{time.UnixMilli(1467968221000).UTC()},
		ModifiedDate:     relution.Time{time.UnixMilli(1467968222500).UTC()},
	}
}

func TestUsersList(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		ugaJSON(w, http.StatusOK, `{"status":"0","total":1,"nonpagedCount":7,"results":[`+ugaUserJSON+`]}`)
	})
	page, err := c.Users.List(t.Context(), relution.Query{
		Limit: 1, GetNonpagedCount: true, Searches: []string{"user1"},
		SortOrder: relution.SortBy(relution.Asc("name")),
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]relution.User{ugaUser()}, page.Items); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if page.Total != 7 {
		t.Errorf("Total = %d, want the nonpagedCount 7", page.Total)
	}
	reqs := stub.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/api/management/v1/security/users/baseInfo/query" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if got := r.Header.Get("X-User-Access-Token"); got != "stub-token" {
		t.Errorf("token header = %q", got)
	}
	ugaJSONEqual(t, r.Body, `{"limit":1,"getNonpagedCount":true,"searches":["user1"],
		"sortOrder":{"sortFields":[{"name":"name","ascending":true}]}}`)
}

func TestUsersListRefusesBadQuery(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, ugaNoCall(t))
	_, err := c.Users.List(t.Context(), relution.Query{Limit: -1})
	ugaInvalid(t, err, "limit")
	_, err = c.Users.List(t.Context(), relution.Query{Filter: relution.StringEq("", "x")})
	ugaInvalid(t, err, "fieldName")
	for _, err := range c.Users.All(t.Context(), relution.Query{Offset: -5}) {
		ugaInvalid(t, err, "offset")
	}
	if n := len(stub.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

// TestUsersAll pages 250 users by 100 without changing the caller's Query.
func TestUsersAll(t *testing.T) {
	t.Parallel()
	const total = 250
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		var q struct{ Limit, Offset int }
		if err := json.Unmarshal(r.Body, &q); err != nil {
			t.Errorf("body %s: %v", r.Body, err)
		}
		var items []string
		for i := q.Offset; i < min(q.Offset+q.Limit, total); i++ {
			items = append(items, fmt.Sprintf(`{"uuid":"%s","name":"u%03d"}`, uuid.NewSHA1(uuid.Nil, []byte{byte(i)}), i))
		}
		ugaResults(w, items...)
	})
	q := relution.Query{Searches: []string{"u"}}
	var names []string
	for u, err := range c.Users.All(t.Context(), q) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, u.Name)
	}
	if len(names) != total || names[0] != "u000" || names[total-1] != "u249" {
		t.Errorf("got %d users %q...%q, want u000...u249", len(names), names[0], names[len(names)-1])
	}
	if q.Limit != 0 || q.Offset != 0 {
		t.Errorf("caller's Query changed: %+v", q)
	}
	var pages []string
	for _, r := range stub.requests() {
		var q map[string]any
		_ = json.Unmarshal(r.Body, &q)
		pages = append(pages, fmt.Sprintf("%v/%v", q["offset"], q["limit"]))
	}
	if diff := cmp.Diff([]string{"<nil>/100", "100/100", "200/100"}, pages); diff != "" {
		t.Errorf("pages offset/limit (-want +got):\n%s", diff)
	}
}

func TestUsersGet(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		if r.Path == "/api/v1/security/users/"+ugaUserUP {
			ugaJSON(w, http.StatusOK, ugaUserJSON)
			return
		}
		ugaJSON(w, http.StatusNotFound, ugaNotFound)
	})
	u, err := c.Users.Get(t.Context(), uuid.MustParse(ugaUserID))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ugaUser(), *u); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	if r := stub.requests()[0]; r.Method != http.MethodGet || len(r.Body) != 0 || r.Header.Get("Accept") != "application/json" {
		t.Errorf("request %s %s body %q Accept %q", r.Method, r.Path, r.Body, r.Header.Get("Accept"))
	}

	_, err = c.Users.Get(t.Context(), uuid.New())
	var re *relution.Error
	if !errors.Is(err, relution.ErrNotFound) || !errors.As(err, &re) || re.Code != "USER_NOT_FOUND" {
		t.Errorf("unknown user: error = %v, want ErrNotFound with code USER_NOT_FOUND", err)
	}
}

func TestUsersGetRefusesEmptyReply(t *testing.T) {
	t.Parallel()
	c, _ := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) { w.WriteHeader(http.StatusOK) })
	if u, err := c.Users.Get(t.Context(), uuid.New()); err == nil {
		t.Errorf("Get with an empty reply = %+v, want an error", u)
	}
}

func TestUsersUpdate(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) { ugaJSON(w, http.StatusOK, ugaUserJSON) })
	apple, empty, locked := "new.id@company.com", "", true
	u, err := c.Users.Update(t.Context(), uuid.MustParse(ugaUserID), relution.UserUpdate{
		ManagedAppleID: &apple, Phone: &empty, Locked: &locked,
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "user1" {
		t.Errorf("returned user %+v", u)
	}
	r := stub.requests()[0]
	if r.Method != http.MethodPut || r.Path != "/api/v1/security/users/"+ugaUserUP {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	// Only the fields set go out; a pointer to "" clears the phone.
	ugaJSONEqual(t, r.Body, `{"managedAppleId":"new.id@company.com","phone":"","locked":true}`)
}

func TestUsersValidation(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, ugaNoCall(t))
	ctx := t.Context()
	email := "x@example.com"
	for _, tt := range []struct {
		name, field string
		call        func() error
	}{
		{"Get zero", "user", func() error { _, err := c.Users.Get(ctx, uuid.Nil); return err }},
		{"Update zero", "user", func() error {
			_, err := c.Users.Update(ctx, uuid.Nil, relution.UserUpdate{Email: &email})
			return err
		}},
		{"Update empty", "update", func() error {
			_, err := c.Users.Update(ctx, uuid.New(), relution.UserUpdate{})
			return err
		}},
		{"SetGroups zero user", "user", func() error { _, err := c.Users.SetGroups(ctx, uuid.Nil, uuid.New()); return err }},
		{"SetGroups zero group", "groups[1]", func() error {
			_, err := c.Users.SetGroups(ctx, uuid.New(), uuid.New(), uuid.Nil)
			return err
		}},
		{"ListGroups zero", "user", func() error { _, err := c.Users.ListGroups(ctx, uuid.Nil); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) { ugaInvalid(t, tt.call(), tt.field) })
	}
	if n := len(stub.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestUsersSetGroups(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		ugaJSON(w, http.StatusOK, `{"groups":[{"uuid":"11111111-2222-4333-8444-555555555555","name":"Sales"}]}`)
	})
	g1 := uuid.MustParse(ugaGroupID)
	g2 := uuid.MustParse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
	got, err := c.Users.SetGroups(t.Context(), uuid.MustParse(ugaUserID), g1, g2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]relution.GroupRef{{UUID: g1, Name: "Sales"}}, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if _, err := c.Users.SetGroups(t.Context(), uuid.MustParse(ugaUserID)); err != nil {
		t.Fatal(err)
	}
	reqs := stub.requests()
	if r := reqs[0]; r.Method != http.MethodPut || r.Path != "/api/v1/security/users/"+ugaUserUP+"/groups" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if got, want := string(reqs[0].Body), `["11111111-2222-4333-8444-555555555555","AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"]`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	if got := string(reqs[1].Body); got != `[]` {
		t.Errorf("body with no groups = %s, want []", got)
	}
}

func TestUsersListGroups(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		ugaJSON(w, http.StatusOK, `{"groups":[{"uuid":"11111111-2222-4333-8444-555555555555","name":"Sales"},{"uuid":"AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE","name":"HR"}]}`)
	})
	got, err := c.Users.ListGroups(t.Context(), uuid.MustParse(ugaUserID))
	if err != nil {
		t.Fatal(err)
	}
	want := []relution.GroupRef{
		{UUID: uuid.MustParse(ugaGroupID), Name: "Sales"},
		{UUID: uuid.MustParse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"), Name: "HR"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if r := stub.requests()[0]; r.Method != http.MethodGet || r.Path != "/api/management/v1/security/users/"+ugaUserUP+"/groups" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
}

// TestUserJSONRoundTrip checks that a User marshalled by encoding/json (dates as RFC 3339)
// decodes back to itself.
func TestUserJSONRoundTrip(t *testing.T) {
	t.Parallel()
	want := ugaUser()
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got relution.User
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// ugaFake starts the fake server and a client of it.
func ugaFake(t *testing.T, opts ...relutiontest.Option) (*relution.Client, *relutiontest.Server) {
	t.Helper()
	srv := relutiontest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// TestUsersAgainstFake runs every users call against the strict fake, which refuses any
// path, parameter or JSON key outside the wire contract.
func TestUsersAgainstFake(t *testing.T) {
	t.Parallel()
	c, srv := ugaFake(t, relutiontest.WithClock(func() time.Time { return time.UnixMilli(1800000000000) }))
	ctx := t.Context()
	maxID := uuid.MustParse(relutiontest.MaxUUID)

	page, err := c.Users.List(ctx, relution.Query{Searches: []string{"muster"}, GetNonpagedCount: true,
		SortOrder: relution.SortBy(relution.Desc("name"))})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range page.Items {
		names = append(names, u.Name)
	}
	if diff := cmp.Diff([]string{"max", "eva"}, names); diff != "" || page.Total != 2 {
		t.Errorf("search (-want +got):\n%s\nTotal %d", diff, page.Total)
	}

	names = nil
	for u, err := range c.Users.All(ctx, relution.Query{Limit: 1, Filter: relution.Bool("activated", true)}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, u.Name)
	}
	if diff := cmp.Diff([]string{"admin", "eva", "max"}, names); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}

	u, err := c.Users.Get(ctx, maxID)
	if err != nil {
		t.Fatal(err)
	}
	if u.UUID != maxID || u.Email != "max@organame.example" || u.Phone != "+4912345678" || u.CreatedDate.IsZero() {
		t.Errorf("Get = %+v", u)
	}

	apple, phone := "max.apple@organame.example", "+4987654321"
	u, err = c.Users.Update(ctx, maxID, relution.UserUpdate{ManagedAppleID: &apple, Phone: &phone})
	if err != nil {
		t.Fatal(err)
	}
	if u.ManagedAppleID != apple || u.Phone != phone || u.Version != 2 || !u.ModifiedDate.Equal(time.UnixMilli(1800000000000)) {
		t.Errorf("Update = %+v", u)
	}
	if stored, _ := srv.User(relutiontest.MaxUUID); stored.ManagedAppleID != apple || stored.Position != "Sales" {
		t.Errorf("stored after Update = %+v (the other fields must stay)", stored)
	}
	bad := "0171 1234"
	if _, err := c.Users.Update(ctx, maxID, relution.UserUpdate{Phone: &bad}); err == nil {
		t.Error("Update with a national phone number succeeded")
	}

	groups, err := c.Users.SetGroups(ctx, maxID, uuid.MustParse(relutiontest.SalesBerlinGroupUUID), uuid.MustParse(relutiontest.AdministratorsGroupUUID))
	if err != nil {
		t.Fatal(err)
	}
	listed, err := c.Users.ListGroups(ctx, maxID)
	if err != nil {
		t.Fatal(err)
	}
	want := []relution.GroupRef{
		{UUID: uuid.MustParse(relutiontest.AdministratorsGroupUUID), Name: "Administrators"},
		{UUID: uuid.MustParse(relutiontest.SalesBerlinGroupUUID), Name: "Sales Berlin"},
	}
	if diff := cmp.Diff(want, listed); diff != "" {
		t.Errorf("ListGroups after SetGroups (-want +got):\n%s", diff)
	}
	if len(groups) != 2 {
		t.Errorf("SetGroups returned %+v", groups)
	}

	if _, err := c.Users.Get(ctx, uuid.New()); !errors.Is(err, relution.ErrNotFound) {
		t.Errorf("Get unknown user: %v, want ErrNotFound", err)
	}
	if _, err := c.Users.SetGroups(ctx, maxID, uuid.New()); err == nil {
		t.Error("SetGroups with an unknown group succeeded")
	}
}

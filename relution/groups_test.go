package relution_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func TestGroupsListParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts relution.Query
		want url.Values
	}{
		{"zero", relution.Query{}, url.Values{}},
		{"all", relution.Query{
			Limit: 10, Offset: 20, GetNonpagedCount: true, GetItems: true,
			SortOrder: relution.SortBy(relution.Desc("name"), relution.Asc("uuid")),
			Filter:    relution.And(relution.Contains("name", "a&b"), relution.StringEq("type", "GROUP")),
		}, url.Values{
			"limit":            {"10"},
			"offset":           {"20"},
			"getNonpagedCount": {"true"},
			"getItems":         {"true"},
			"sortOrder":        {"-name,uuid"},
			"filter": {`{"type":"logOp","operation":"AND","filters":[` +
				`{"type":"containsString","fieldName":"name","contains":"a\u0026b"},` +
				`{"type":"string","fieldName":"type","value":"GROUP"}]}`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
				ugaJSON(w, http.StatusOK, `{"items":[{"uuid":"11111111-2222-4333-8444-555555555555","name":"Sales","description":"Sales team","organizationUuid":"`+ugaOrgUP+`","type":"GROUP"}]}`)
			})
			page, err := c.Groups.List(t.Context(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			want := []relution.Group{{
				UUID: uuid.MustParse(ugaGroupID), Name: "Sales", Description: "Sales team",
				OrganizationUUID: uuid.MustParse(ugaOrgUP), Type: relution.PrincipalGroup,
			}}
			if diff := cmp.Diff(want, page.Items); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
			if page.Total != 1 {
				t.Errorf("Total = %d, want the page's length 1 without a nonpagedCount", page.Total)
			}
			r := stub.requests()[0]
			if r.Method != http.MethodGet || r.Path != "/api/v1/security/groups" || len(r.Body) != 0 {
				t.Errorf("request %s %s body %q", r.Method, r.Path, r.Body)
			}
			if diff := cmp.Diff(tt.want, r.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

// ugaGroupsHandler serves n groups from an items envelope, paged by limit and offset, with
// the nonpagedCount when asked.
func ugaGroupsHandler(t *testing.T, n int) func(http.ResponseWriter, *ugaRequest) {
	return func(w http.ResponseWriter, r *ugaRequest) {
		limit, _ := strconv.Atoi(r.Query.Get("limit"))
		offset, _ := strconv.Atoi(r.Query.Get("offset"))
		if limit == 0 {
			limit = n
		}
		var items []string
		for i := offset; i < min(offset+limit, n); i++ {
			items = append(items, fmt.Sprintf(`{"uuid":"%s","name":"g%d","type":"USER"}`, uuid.NewSHA1(uuid.Nil, []byte{byte(i)}), i))
		}
		count := ""
		if r.Query.Get("getNonpagedCount") == "true" {
			count = fmt.Sprintf(`,"nonpagedCount":%d`, n)
		}
		ugaJSON(w, http.StatusOK, `{"items":[`+strings.Join(items, ",")+`]`+count+`}`)
	}
}

func TestGroupsAll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  relution.Query
		pages []string // limit/offset of each request
	}{
		// All always asks for the count, so it stops once it has seen them all, without an
		// empty last page.
		{"default page size", relution.Query{}, []string{"100/", "100/100"}},
		{"counted", relution.Query{Limit: 100, GetNonpagedCount: true}, []string{"100/", "100/100"}},
		{"from offset", relution.Query{Limit: 150, Offset: 50}, []string{"150/50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, stub := newUGAStub(t, ugaGroupsHandler(t, 200))
			before := tt.opts
			n := 0
			for _, err := range c.Groups.All(t.Context(), tt.opts) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if want := 200 - before.Offset; n != want {
				t.Errorf("%d groups, want %d", n, want)
			}
			var pages []string
			for _, r := range stub.requests() {
				pages = append(pages, r.Query.Get("limit")+"/"+r.Query.Get("offset"))
			}
			if diff := cmp.Diff(tt.pages, pages); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupsListMembers(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		if !strings.EqualFold(r.Path, "/api/management/v1/security/groups/"+ugaGroupID+"/members") {
			ugaJSON(w, http.StatusNotFound, `{"status":"-1","message":"Group not found","errorCode":"GROUP_NOT_FOUND"}`)
			return
		}
		ugaJSON(w, http.StatusOK, `{"items":[{"uuid":"`+ugaUserUP+`","type":"USER","name":"user1"},`+
			`{"uuid":"AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE","type":"GROUP","name":"Nested"}],"nonpagedCount":12}`)
	})
	group := uuid.MustParse(ugaGroupID)
	page, err := c.Groups.ListMembers(t.Context(), group, relution.MemberListOptions{
		Recursive:   true,
		Filter:      relution.StringEq("uuid", ugaUserUP),
		ListOptions: relution.ListOptions{Limit: 2, GetNonpagedCount: true, GetItems: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &relution.Page[relution.Member]{Total: 12, Items: []relution.Member{
		{UUID: uuid.MustParse(ugaUserID), Type: relution.PrincipalUser, Name: "user1"},
		{UUID: uuid.MustParse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"), Type: relution.PrincipalGroup, Name: "Nested"},
	}}
	if diff := cmp.Diff(want.Items, page.Items); diff != "" || page.Total != want.Total {
		t.Errorf("members (-want +got):\n%s\nTotal %d", diff, page.Total)
	}
	r := stub.requests()[0]
	if r.Method != http.MethodGet || r.Path != "/api/management/v1/security/groups/11111111-2222-4333-8444-555555555555/members" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	wantQuery := url.Values{
		"recursive": {"true"}, "limit": {"2"}, "getNonpagedCount": {"true"}, "getItems": {"true"},
		"filter": {`{"type":"string","fieldName":"uuid","value":"` + ugaUserUP + `"}`},
	}
	if diff := cmp.Diff(wantQuery, r.Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}

	_, err = c.Groups.ListMembers(t.Context(), uuid.New(), relution.MemberListOptions{})
	var re *relution.Error
	if !errors.Is(err, relution.ErrNotFound) || !errors.As(err, &re) || re.Code != "GROUP_NOT_FOUND" {
		t.Errorf("unknown group: error = %v, want ErrNotFound with code GROUP_NOT_FOUND", err)
	}
	if q := stub.requests()[1].Query; len(q) != 0 {
		t.Errorf("nil options sent parameters %v", q)
	}
}

func TestGroupsAllMembers(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, ugaGroupsHandler(t, 5))
	opts := relution.MemberListOptions{Recursive: true, ListOptions: relution.ListOptions{Limit: 2}}
	var names []string
	for m, err := range c.Groups.AllMembers(t.Context(), uuid.MustParse(ugaGroupID), opts) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m.Name)
	}
	if diff := cmp.Diff([]string{"g0", "g1", "g2", "g3", "g4"}, names); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	for _, r := range stub.requests() {
		if r.Query.Get("recursive") != "true" {
			t.Errorf("page request without recursive=true: %v", r.Query)
		}
	}
	if n := len(stub.requests()); n != 3 {
		t.Errorf("%d requests, want 3 (2+2+1)", n)
	}
}

func TestGroupsValidation(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, ugaNoCall(t))
	ctx := t.Context()
	first := func(seq func(func(relution.Member, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	for _, tt := range []struct {
		name, field string
		call        func() error
	}{
		{"List negative limit", "limit", func() error {
			_, err := c.Groups.List(ctx, relution.Query{Limit: -1})
			return err
		}},
		{"List empty sort", "sortOrder", func() error {
			_, err := c.Groups.List(ctx, relution.Query{SortOrder: &relution.SortOrder{}})
			return err
		}},
		{"All negative offset", "offset", func() error {
			for _, err := range c.Groups.All(ctx, relution.Query{Offset: -1}) {
				return err
			}
			return nil
		}},
		{"ListMembers zero", "group", func() error { _, err := c.Groups.ListMembers(ctx, uuid.Nil, relution.MemberListOptions{}); return err }},
		{"ListMembers bad filter", "filter", func() error {
			_, err := c.Groups.ListMembers(ctx, uuid.New(), relution.MemberListOptions{Filter: relution.StringEnum[string]("type")})
			return err
		}},
		{"AllMembers zero", "group", func() error { return first(c.Groups.AllMembers(ctx, uuid.Nil, relution.MemberListOptions{})) }},
		{"AllMembers negative limit", "limit", func() error {
			return first(c.Groups.AllMembers(ctx, uuid.New(), relution.MemberListOptions{ListOptions: relution.ListOptions{Limit: -3}}))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) { ugaInvalid(t, tt.call(), tt.field) })
	}
	if n := len(stub.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

// TestGroupsAgainstFake runs the group calls against the strict fake.
func TestGroupsAgainstFake(t *testing.T) {
	t.Parallel()
	c, _ := ugaFake(t)
	ctx := t.Context()

	page, err := c.Groups.List(ctx, relution.Query{
		Limit: 2, GetNonpagedCount: true, GetItems: true,
		SortOrder: relution.SortBy(relution.Desc("name")), Filter: relution.Like("name", "%s%"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range page.Items {
		names = append(names, g.Name)
	}
	if diff := cmp.Diff([]string{"Sales Berlin", "Sales"}, names); diff != "" || page.Total != 4 {
		t.Errorf("List (-want +got):\n%s\nTotal %d", diff, page.Total)
	}

	names = nil
	for g, err := range c.Groups.All(ctx, relution.Query{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		if g.Type != relution.PrincipalGroup || g.OrganizationUUID != uuid.MustParse(relutiontest.OrgUUID) {
			t.Errorf("group %+v", g)
		}
		names = append(names, g.Name)
	}
	if diff := cmp.Diff([]string{"Administrators", "Organame Device User", "Sales", "Sales Berlin"}, names); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}

	sales := uuid.MustParse(relutiontest.SalesGroupUUID)
	members, err := c.Groups.ListMembers(ctx, sales, relution.MemberListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []relution.Member{
		{UUID: uuid.MustParse(relutiontest.MaxUUID), Type: relution.PrincipalUser, Name: "max"},
		{UUID: uuid.MustParse(relutiontest.SalesBerlinGroupUUID), Type: relution.PrincipalGroup, Name: "Sales Berlin"},
	}
	if diff := cmp.Diff(want, members.Items); diff != "" {
		t.Errorf("ListMembers (-want +got):\n%s", diff)
	}

	var all []relution.Member
	for m, err := range c.Groups.AllMembers(ctx, sales, relution.MemberListOptions{
		Recursive:   true,
		ListOptions: relution.ListOptions{Limit: 1, GetItems: true},
	}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, m)
	}
	want = append(want, relution.Member{UUID: uuid.MustParse(relutiontest.EvaUUID), Type: relution.PrincipalUser, Name: "eva"})
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("AllMembers recursive (-want +got):\n%s", diff)
	}

	// appport's membership test: filter the members on the user's UUID.
	one, err := c.Groups.ListMembers(ctx, sales, relution.MemberListOptions{
		Recursive:   true,
		Filter:      relution.StringEq("uuid", relutiontest.EvaUUID),
		ListOptions: relution.ListOptions{GetNonpagedCount: true},
	})
	if err != nil || one.Total != 1 || len(one.Items) != 1 || one.Items[0].Name != "eva" {
		t.Errorf("membership filter = %+v, %v", one, err)
	}

	if _, err := c.Groups.ListMembers(ctx, uuid.New(), relution.MemberListOptions{}); !errors.Is(err, relution.ErrNotFound) {
		t.Errorf("ListMembers of an unknown group: %v, want ErrNotFound", err)
	}
}

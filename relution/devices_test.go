package relution_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func lastRequest(t *testing.T, srv *relutiontest.Server) relutiontest.Request {
	t.Helper()
	reqs := srv.Kit().Requests()
	if len(reqs) == 0 {
		t.Fatal("no request sent")
	}
	return reqs[len(reqs)-1]
}

func TestDevicesListFiltersOnTheServer(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	page, err := c.Devices.List(t.Context(), relution.Query{
		Filter:    relution.And(relution.StringEnum("platform", relution.PlatformIOS), relution.Bool("name", false)),
		SortOrder: relution.SortBy(relution.Asc("name")),
	})
	// boolean on a string field is refused by the server, as a 400 with its code.
	var e *relution.Error
	if !errors.As(err, &e) || e.StatusCode != 400 || e.Code != "INVALID_FILTER" {
		t.Fatalf("err = %v, page %v; want 400 INVALID_FILTER", err, page)
	}
	page, err = c.Devices.List(t.Context(), relution.Query{
		Filter:    relution.StringEnum("platform", relution.PlatformIOS),
		SortOrder: relution.SortBy(relution.Asc("name")),
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range page.Items {
		names = append(names, d.Name)
		if d.OrganizationUUID.String() != strings.ToLower(relutiontest.OrgUUID) {
			t.Errorf("%s: organization %s", d.Name, d.OrganizationUUID)
		}
	}
	if diff := cmp.Diff([]string{"iPad Air", "iPhone 15"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if r := lastRequest(t, srv); r.Method != "POST" || r.Path != "/api/v2/devices/baseInfo/query" {
		t.Errorf("sent %s %s", r.Method, r.Path)
	}
}

func TestDevicesAllPagesWithoutChangingTheQuery(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t, relutiontest.WithDevices(250))
	q := relution.Query{Limit: 100, Offset: 6}
	n := 0
	for _, err := range c.Devices.All(t.Context(), q) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 250 {
		t.Errorf("walked %d devices from offset 6, want 250", n)
	}
	if q.Limit != 100 || q.Offset != 6 || q.GetNonpagedCount {
		t.Errorf("All changed the caller's query: %+v", q)
	}
	// 3 pages, and no request for an empty fourth: the nonpaged count stops the walk.
	if got := len(srv.Kit().Requests()); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
	// An invalid query yields its error once and sends nothing.
	for _, err := range c.Devices.All(t.Context(), relution.Query{Limit: -1}) {
		if !errors.Is(err, relution.ErrInvalidInput) {
			t.Errorf("err = %v, want ErrInvalidInput", err)
		}
	}
	if got := len(srv.Kit().Requests()); got != 3 {
		t.Errorf("an invalid query was sent")
	}
}

func TestDeviceSubresources(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	ctx := t.Context()
	pixel := uuid.MustParse(relutiontest.PixelUUID)

	if _, err := c.Devices.ListActions(ctx, pixel, relution.ActionListOptions{
		SortOrder:   relution.SortBy(relution.Desc("creationDate")),
		ListOptions: relution.ListOptions{Limit: 10, GetNonpagedCount: true},
	}); err != nil {
		t.Fatal(err)
	}
	r := lastRequest(t, srv)
	want := url.Values{"limit": {"10"}, "sortOrder": {"-creationDate"}, "getNonpagedCount": {"true"}, "getPings": {"false"}}
	if r.Path != "/api/management/v1/devices/"+relutiontest.PixelUUID+"/actions" || !cmp.Equal(want, r.Query) {
		t.Errorf("sent %s ? %v", r.Path, r.Query)
	}

	// getItems, as appport sends it, on both GET lists of a device.
	if _, err := c.Devices.ListActions(ctx, pixel, relution.ActionListOptions{
		IncludePings: true,
		ListOptions:  relution.ListOptions{GetItems: true},
	}); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, srv); !cmp.Equal(url.Values{"getItems": {"true"}, "getPings": {"true"}}, r.Query) {
		t.Errorf("actions with getItems: sent %v", r.Query)
	}
	if _, err := c.Devices.ListInstalledApps(ctx, pixel, relution.InstalledAppListOptions{
		Locale:      "en",
		ListOptions: relution.ListOptions{GetItems: true, GetNonpagedCount: true, Limit: 5},
	}); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, srv); !cmp.Equal(url.Values{"getItems": {"true"}, "getNonpagedCount": {"true"}, "locale": {"en"}, "limit": {"5"}}, r.Query) {
		t.Errorf("installed apps with getItems: sent %v", r.Query)
	}
	// A GET list has no free-text search: Searches are refused, not dropped.
	n := len(srv.Kit().Requests())
	if _, err := c.Groups.List(ctx, relution.Query{Searches: []string{"sales"}}); !errors.Is(err, relution.ErrInvalidInput) {
		t.Errorf("Groups.List with Searches: err = %v, want ErrInvalidInput", err)
	}
	if len(srv.Kit().Requests()) != n {
		t.Errorf("a refused list was sent")
	}

	actions, err := c.Devices.ListActions(ctx, pixel, relution.ActionListOptions{})
	if err != nil || len(actions.Items) == 0 {
		t.Fatalf("ListActions = %v, %v", actions, err)
	}
	a, err := c.Devices.GetAction(ctx, pixel, actions.Items[0].UUID)
	if err != nil || a.UUID != actions.Items[0].UUID || a.Type == "" {
		t.Fatalf("GetAction = %+v, %v", a, err)
	}
	if _, err := c.Devices.GetAction(ctx, pixel, uuid.New()); !errors.Is(err, relution.ErrNotFound) {
		t.Errorf("unknown action: err = %v, want ErrNotFound", err)
	}

	installed, err := c.Devices.QueryInstalledApps(ctx, pixel, relution.Query{Filter: relution.Bool("hasUpdateAvailable", true)})
	if err != nil {
		t.Fatal(err)
	}
	for _, app := range installed.Items {
		if !app.HasUpdateAvailable {
			t.Errorf("%s has no update but matched the filter", app.Name)
		}
	}
	if r := lastRequest(t, srv); r.Path != "/api/management/v2/devices/"+relutiontest.PixelUUID+"/installedApps/baseInfo/query" {
		t.Errorf("sent %s", r.Path)
	}

	before := len(srv.Kit().Requests())
	for name, call := range map[string]func() error{
		"actions": func() error { _, err := c.Devices.ListActions(ctx, uuid.Nil, relution.ActionListOptions{}); return err },
		"action":  func() error { _, err := c.Devices.GetAction(ctx, pixel, uuid.Nil); return err },
		"installed": func() error {
			_, err := c.Devices.ListInstalledApps(ctx, pixel, relution.InstalledAppListOptions{
				ListOptions: relution.ListOptions{Offset: -1},
			})
			return err
		},
		"query": func() error { _, err := c.Devices.QueryInstalledApps(ctx, uuid.Nil, relution.Query{}); return err },
	} {
		if err := call(); !errors.Is(err, relution.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if after := len(srv.Kit().Requests()); after != before {
		t.Errorf("invalid input sent %d requests", after-before)
	}
}

func TestDeviceAllVariants(t *testing.T) {
	t.Parallel()
	c, srv := newImportClient(t)
	ctx := t.Context()
	pixel := uuid.MustParse(relutiontest.PixelUUID)
	var apps, actions int
	for _, err := range c.Devices.AllInstalledApps(ctx, pixel, relution.Query{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		apps++
	}
	for _, err := range c.Devices.AllActions(ctx, pixel, relution.ActionListOptions{ListOptions: relution.ListOptions{Limit: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		actions++
	}
	if apps != 3 || actions != 2 {
		t.Errorf("walked %d apps and %d actions, want 3 and 2", apps, actions)
	}
	// One request per item at page size 1, and no empty last page thanks to the count.
	if n := len(srv.Kit().Requests()); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
	for _, err := range c.Devices.AllActions(ctx, uuid.Nil, relution.ActionListOptions{}) {
		if !errors.Is(err, relution.ErrInvalidInput) {
			t.Errorf("zero device: err = %v", err)
		}
	}
}

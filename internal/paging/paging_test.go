package paging

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// call is one request Walk made.
type call struct{ Offset, Limit int }

// list serves items in pages like a well-behaved server, recording calls.
type list struct {
	items    []int
	total    bool // report the total
	total0   int  // reported total when set (else len(items))
	ignore   bool // ignore paging: answer everything
	size     int  // the server's own page size, answered whatever the limit (0: the limit)
	failAt   int  // offset that fails (-1: never)
	calls    []call
	fetchErr error
}

func (l *list) fetch(_ context.Context, offset, limit int) (Page[int], error) {
	l.calls = append(l.calls, call{offset, limit})
	if offset == l.failAt {
		return Page[int]{}, l.fetchErr
	}
	p := Page[int]{HasTotal: l.total, Total: len(l.items)}
	if l.total0 != 0 {
		p.Total = l.total0
	}
	switch {
	case l.ignore || limit == 0:
		p.Items = l.items
	case offset < len(l.items):
		n := limit
		if l.size > 0 {
			n = l.size
		}
		p.Items = l.items[offset:min(offset+n, len(l.items))]
	}
	return p, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestWalk(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name       string
		list       list
		start      int
		limit      int
		stopAfter  int // break after this many items (0: never)
		wantItems  []int
		wantCalls  []call
		wantErrors int
	}{
		{
			name:      "stops on short page",
			list:      list{items: seq(5), failAt: -1},
			limit:     2,
			wantItems: seq(5),
			wantCalls: []call{{0, 2}, {2, 2}, {4, 2}},
		},
		{
			name:      "exact multiple ends on empty page without total",
			list:      list{items: seq(4), failAt: -1},
			limit:     2,
			wantItems: seq(4),
			wantCalls: []call{{0, 2}, {2, 2}, {4, 2}},
		},
		{
			name:      "stops on total",
			list:      list{items: seq(4), total: true, failAt: -1},
			limit:     2,
			wantItems: seq(4),
			wantCalls: []call{{0, 2}, {2, 2}},
		},
		{
			name:      "total smaller than items seen stops after the page",
			list:      list{items: seq(6), total: true, total0: 1, failAt: -1},
			limit:     2,
			wantItems: []int{0, 1},
			wantCalls: []call{{0, 2}},
		},
		{
			name:      "page longer than limit: server ignored paging",
			list:      list{items: seq(7), ignore: true, failAt: -1},
			limit:     3,
			wantItems: seq(7),
			wantCalls: []call{{0, 3}},
		},
		{
			name:      "server caps the page size, total reported: read to the total",
			list:      list{items: seq(1200), total: true, size: 500, failAt: -1},
			limit:     1000,
			wantItems: seq(1200),
			wantCalls: []call{{0, 1000}, {500, 1000}, {1000, 1000}},
		},
		{
			name:      "server caps the page size, no total: the short first page is taken as the last",
			list:      list{items: seq(1200), size: 500, failAt: -1},
			limit:     1000,
			wantItems: seq(500),
			wantCalls: []call{{0, 1000}},
		},
		{
			name:      "pages longer than limit with a total: advance by the page",
			list:      list{items: seq(7), total: true, size: 4, failAt: -1},
			limit:     2,
			wantItems: seq(7),
			wantCalls: []call{{0, 2}, {4, 2}},
		},
		{
			name:      "page longer than limit reaching the total: one request",
			list:      list{items: seq(7), total: true, ignore: true, failAt: -1},
			limit:     3,
			wantItems: seq(7),
			wantCalls: []call{{0, 3}},
		},
		{
			name:      "total overstates the list: ends on the empty page",
			list:      list{items: seq(5), total: true, total0: 9, size: 2, failAt: -1},
			limit:     3,
			wantItems: seq(5),
			wantCalls: []call{{0, 3}, {2, 3}, {4, 3}, {5, 3}},
		},

		{
			name:      "empty list",
			list:      list{failAt: -1},
			limit:     10,
			wantCalls: []call{{0, 10}},
		},
		{
			name:      "start offset",
			list:      list{items: seq(5), total: true, failAt: -1},
			start:     3,
			limit:     1,
			wantItems: []int{3, 4},
			wantCalls: []call{{3, 1}, {4, 1}},
		},
		{
			name:       "error yielded once, then stop",
			list:       list{items: seq(5), failAt: 2, fetchErr: boom},
			limit:      2,
			wantItems:  []int{0, 1},
			wantCalls:  []call{{0, 2}, {2, 2}},
			wantErrors: 1,
		},
		{
			name:      "early break fetches no further page",
			list:      list{items: seq(10), failAt: -1},
			limit:     2,
			stopAfter: 3,
			wantItems: []int{0, 1, 2},
			wantCalls: []call{{0, 2}, {2, 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := tt.list
			var items []int
			var errs []error
			for v, err := range Walk(t.Context(), Options{Start: tt.start, Limit: tt.limit}, strconv.Itoa, l.fetch) {
				if err != nil {
					errs = append(errs, err)
					if v != 0 {
						t.Errorf("value with error = %d, want zero", v)
					}
					continue
				}
				items = append(items, v)
				if tt.stopAfter > 0 && len(items) == tt.stopAfter {
					break
				}
			}
			if diff := cmp.Diff(tt.wantItems, items); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCalls, l.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if len(errs) != tt.wantErrors {
				t.Fatalf("errors = %v, want %d", errs, tt.wantErrors)
			}
			for _, err := range errs {
				if !errors.Is(err, boom) {
					t.Errorf("error = %v, want %v", err, boom)
				}
			}
		})
	}
}

func TestWalkCancelledBetweenPages(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	l := list{items: seq(10), failAt: -1}
	var items []int
	var errs []error
	for v, err := range Walk(ctx, Options{Limit: 2}, strconv.Itoa, l.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
		cancel() // the walk must not ask for the second page
	}
	if diff := cmp.Diff([]int{0, 1}, items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if len(l.calls) != 1 {
		t.Errorf("calls = %v, want one", l.calls)
	}
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("errors = %v, want one context.Canceled", errs)
	}
}

func BenchmarkWalk(b *testing.B) {
	l := list{items: seq(10_000), total: true, failAt: -1}
	b.ReportAllocs()
	for b.Loop() {
		l.calls = l.calls[:0]
		n := 0
		for _, err := range Walk(context.Background(), Options{Limit: 100}, strconv.Itoa, l.fetch) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10_000 {
			b.Fatalf("n = %d", n)
		}
	}
}

package paging

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// list is a server's list: fetch answers offset-paged requests over items, counting from
// first, and reports the total when withTotal.
func serverList(items []string, first int, withTotal bool, calls *int) func(context.Context, int, int) (Page[string], error) {
	return func(_ context.Context, offset, limit int) (Page[string], error) {
		*calls++
		i := offset - first
		if i < 0 || i > len(items) {
			return Page[string]{}, errors.New("offset out of range")
		}
		end := min(i+limit, len(items))
		return Page[string]{Items: items[i:end], Total: len(items), HasTotal: withTotal}, nil
	}
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "item-" + strconv.Itoa(i)
	}
	return out
}

func collect(t *testing.T, seq func(func(string, error) bool)) ([]string, error) {
	t.Helper()
	var got []string
	for it, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, it)
	}
	return got, nil
}

func self(s string) string { return s }

// A 1-based list with a total of 201 is read to its end: 201 items, not 200.
func TestWalkOneBasedTotal201(t *testing.T) {
	t.Parallel()
	items := ids(201)
	var calls int
	got, err := collect(t, Walk(t.Context(), Options{First: 1, Limit: 100}, self, serverList(items, 1, true, &calls)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 201 || got[200] != "item-200" {
		t.Fatalf("walked %d items, want 201", len(got))
	}
	if calls != 3 {
		t.Errorf("%d requests, want 3", calls)
	}
}

func TestWalkZeroBasedEndsWithoutAskingPastTheTotal(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 99, 100, 101, 250} {
		for _, withTotal := range []bool{true, false} {
			var calls int
			got, err := collect(t, Walk(t.Context(), Options{Limit: 100}, self, serverList(ids(n), 0, withTotal, &calls)))
			if err != nil {
				t.Fatalf("n=%d total=%v: %v", n, withTotal, err)
			}
			if len(got) != n {
				t.Errorf("n=%d total=%v: walked %d", n, withTotal, len(got))
			}
		}
	}
}

// A server that ignores offset and cycles through 7 items, one a page, while it reports a
// total of 1 on the page and a huge count: the walk ends with an error, not after 20,000 items.
func TestWalkEndsOnRotatingServer(t *testing.T) {
	t.Parallel()
	var calls int
	fetch := func(_ context.Context, _, _ int) (Page[string], error) {
		calls++
		return Page[string]{Items: []string{"item-" + strconv.Itoa(calls%7)}, Total: 100_000_000, HasTotal: true}, nil
	}
	got, err := collect(t, Walk(t.Context(), Options{Limit: 1}, self, fetch))
	if err == nil || !strings.Contains(err.Error(), "ignores paging") {
		t.Fatalf("err = %v, want the server ignores paging", err)
	}
	if calls > 8 || len(got) > 7 {
		t.Errorf("%d requests and %d items before the walk stopped, want at most 8 and 7", calls, len(got))
	}
}

// A server that ignores offset and answers full pages of the first items: the second page
// repeats the first.
func TestWalkEndsOnServerIgnoringOffset(t *testing.T) {
	t.Parallel()
	items := ids(300)
	var calls int
	fetch := func(_ context.Context, _, limit int) (Page[string], error) {
		calls++
		return Page[string]{Items: items[:limit], Total: 300, HasTotal: true}, nil
	}
	_, err := collect(t, Walk(t.Context(), Options{Limit: 100}, self, fetch))
	if err == nil || calls != 2 {
		t.Fatalf("err = %v after %d requests, want an error after 2", err, calls)
	}
}

// Items added during the walk shift the pages: a page that shares some items with the one
// before is growth, not a server ignoring paging.
func TestWalkGrowthIsNotRepetition(t *testing.T) {
	t.Parallel()
	items := ids(30)
	var calls int
	fetch := func(_ context.Context, offset, limit int) (Page[string], error) {
		calls++
		if calls == 2 {
			items = append([]string{"new-0", "new-1"}, items...) // two inserted at the front
		}
		end := min(offset+limit, len(items))
		return Page[string]{Items: items[offset:end], Total: len(items), HasTotal: true}, nil
	}
	got, err := collect(t, Walk(t.Context(), Options{Limit: 10}, self, fetch))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 32 {
		t.Errorf("walked %d items, want 32", len(got))
	}
}

// A total that grows forever cannot keep a walk going: past the first total plus a margin
// the walk fails.
func TestWalkStopsPastFirstTotal(t *testing.T) {
	t.Parallel()
	var calls int
	fetch := func(_ context.Context, offset, limit int) (Page[string], error) {
		calls++
		page := make([]string, limit)
		for i := range page {
			page[i] = "item-" + strconv.Itoa(offset+i)
		}
		return Page[string]{Items: page, Total: offset + 2*limit, HasTotal: true}, nil
	}
	_, err := collect(t, Walk(t.Context(), Options{Limit: 10}, self, fetch))
	if err == nil || !strings.Contains(err.Error(), "said holds 20") {
		t.Fatalf("err = %v, want the walk to fail past the first total", err)
	}
	if calls > 4 {
		t.Errorf("%d requests, want at most 4", calls)
	}
}

func TestWalkStartAndBadLimit(t *testing.T) {
	t.Parallel()
	var calls int
	got, err := collect(t, Walk(t.Context(), Options{First: 1, Start: 51, Limit: 25}, self, serverList(ids(100), 1, true, &calls)))
	if err != nil || len(got) != 50 || got[0] != "item-50" {
		t.Fatalf("from 51: %d items starting %v (err %v), want 50 from item-50", len(got), got[:min(1, len(got))], err)
	}
	if _, err := collect(t, Walk(t.Context(), Options{}, self, serverList(nil, 0, true, &calls))); err == nil {
		t.Error("a zero page size was accepted")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls = 0
	if _, err := collect(t, Walk(ctx, Options{Limit: 5}, self, serverList(ids(10), 0, true, &calls))); !errors.Is(err, context.Canceled) || calls != 0 {
		t.Errorf("cancelled walk: err %v after %d requests", err, calls)
	}
}

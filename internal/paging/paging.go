// Package paging walks offset-paged lists and polls long-running work until
// it is done. Vendor packages wrap these helpers in their All and Wait
// methods, so the stop rules below are written once.
package paging

import (
	"context"
	"iter"
	"math"
)

// Page is one page of a list as a vendor answered it.
type Page[T any] struct {
	// Items are the entries of this page, in the vendor's order.
	Items []T
	// Total is the vendor's overall count of the list (ignoring paging),
	// meaningful only when HasTotal is set.
	Total int
	// HasTotal says that the vendor reported Total. Relution reports it only
	// when asked (getNonpagedCount), so zero alone cannot mean "unknown".
	HasTotal bool
}

// Offset walks an offset-paged list, starting at offset start and asking
// for limit items a page. fetch gets the offset and limit of one page and
// returns that page. Each next page is asked for at the offset just past the
// items seen so far.
//
// When a page reports a total (HasTotal), the total decides: the walk goes on
// until the items seen reach it, whatever the pages' lengths. A server that
// caps its page size below limit (asked for 1000, answers 500 with a total of
// 1200) is thus read to the end, and a page longer than limit just advances
// further. The walk also stops on an empty page, so a total that overstates
// the list ends cleanly. A total smaller than the items already seen is not an
// error: the walk just stops after that page.
//
// Without a total, a page shorter than limit is taken as the last one, so a
// server that silently caps the page size is read only up to its first page:
// ask such a server for its total, or for no more than its cap. A page with
// more items than limit means the server ignored paging: its items are all
// yielded and the walk stops, because asking for the next offset would read
// the same items again. An empty page ends the walk too.
//
// limit <= 0 means a single request with limit 0 (Relution's "no limit"),
// total or not. A negative start counts as 0. The walk also stops when yield
// returns false (no further fetch), or on an error, which is yielded once as
// (zero, err).
//
// The walk checks ctx before every request, so a walk whose ctx is done
// yields ctx.Err() instead of asking fetch for another page.
func Offset[T any](ctx context.Context, start, limit int, fetch func(ctx context.Context, offset, limit int) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if limit < 0 {
			limit = 0
		}
		offset := max(start, 0)
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, offset, limit)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			n := len(page.Items)
			switch {
			case limit == 0, n == 0:
				return
			case !page.HasTotal && n != limit:
				// Short: the last page. Long: the server ignored paging.
				return
			case offset > math.MaxInt-n:
				// No real list is this long; stop rather than wrap around.
				return
			}
			offset += n
			if page.HasTotal && offset >= page.Total {
				return
			}
		}
	}
}

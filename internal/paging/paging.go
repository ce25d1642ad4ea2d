// Package paging walks offset-paged lists and polls long-running work until
// it is done. Vendor packages wrap these helpers in their All and Wait
// methods, so the stop rules below are written once.
package paging

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
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

// Options says how Walk pages a list.
type Options struct {
	// First is the index of the server's first item: 0 for most lists, 1 where the vendor
	// counts from one (Relativity's legacy retrieveusersby, sent with start 1).
	First int
	// Start is where the caller starts; values below First count as First.
	Start int
	// Limit is the page size; it must be positive.
	Limit int
}

// Walk walks an offset-paged list: fetch gets the offset and limit of one page and returns
// it, and every item is yielded in order. Each next page is asked for just past the items
// seen so far.
//
// The walk ends:
//   - on an empty page, or one shorter than the limit when the server reports no total;
//   - when the items seen reach the total the latest page reports (HasTotal), whatever the
//     pages' lengths (a server that caps its page size below the limit is read to the end);
//   - with an error when a page equals an earlier page of the walk (by the identities key
//     gives its items): the server ignores the offset, perhaps cycling through its items.
//     A page that shares only some items with earlier ones (the list grew during the walk)
//     goes on. A nil key turns this guard off;
//   - with an error when the walk runs past the first total the server reported by more than
//     a margin (a tenth of it, at least one page): the server's total or paging is wrong,
//     and the walk would not end;
//   - on an error from fetch or ctx (checked before every request), yielded once as
//     (zero, err), or when yield returns false.
//
// The guard keeps one 64-bit hash per page, never the items.
func Walk[T any](ctx context.Context, o Options, key func(T) string, fetch func(ctx context.Context, offset, limit int) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if o.Limit <= 0 {
			yield(zero, errors.New("paging: page size must be positive"))
			return
		}
		offset := max(o.Start, o.First)
		seen := map[uint64]int{} // page hash -> offset it was fetched at
		firstTotal, hasFirstTotal := 0, false
		walked := 0
		seed := maphash.MakeSeed()
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, offset, o.Limit)
			if err != nil {
				yield(zero, err)
				return
			}
			n := len(page.Items)
			if key != nil && n > 0 {
				var h maphash.Hash
				h.SetSeed(seed)
				for _, it := range page.Items {
					h.WriteString(key(it))
					h.WriteByte(0)
				}
				sum := h.Sum64()
				if at, ok := seen[sum]; ok {
					yield(zero, fmt.Errorf("paging: the page at offset %d repeats the page at offset %d: the server ignores paging", offset, at))
					return
				}
				seen[sum] = offset
			}
			if page.HasTotal && !hasFirstTotal {
				firstTotal, hasFirstTotal = page.Total, true
			}
			if hasFirstTotal && walked+n > firstTotal+max(firstTotal/10, o.Limit) {
				yield(zero, fmt.Errorf("paging: the server sent %d items for a list it said holds %d: its paging or its total is wrong", walked+n, firstTotal))
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			walked += n
			switch {
			case n == 0:
				return
			case !page.HasTotal && n != o.Limit:
				// Short: the last page. Long: the server ignored paging.
				return
			case offset > math.MaxInt-n:
				return
			}
			offset += n
			if page.HasTotal && offset-o.First >= page.Total {
				return
			}
		}
	}
}

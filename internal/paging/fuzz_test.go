package paging

import (
	"context"
	"strconv"
	"testing"
)

// FuzzWalk plays a server that answers pages made from the input, cycling through them
// whatever offset is asked for, with or without a total. Whatever it sends, the walk must end,
// within one request more than the server has distinct pages (or at the total's margin), and
// never yield more items than the server sent.
func FuzzWalk(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, uint8(2), true, uint32(100_000_000))
	f.Add([]byte{7, 7, 7}, uint8(1), true, uint32(1))
	f.Add([]byte{0, 1, 0, 1, 0, 1}, uint8(2), false, uint32(0))
	f.Add([]byte{}, uint8(3), true, uint32(5))
	f.Fuzz(func(t *testing.T, data []byte, limit uint8, withTotal bool, total uint32) {
		lim := int(limit%8) + 1
		// Pages: consecutive runs of lim bytes; each byte an item id.
		var pages [][]string
		for i := 0; i < len(data); i += lim {
			var page []string
			for _, b := range data[i:min(i+lim, len(data))] {
				page = append(page, strconv.Itoa(int(b)))
			}
			pages = append(pages, page)
		}
		calls, sent := 0, 0
		fetch := func(_ context.Context, _, _ int) (Page[string], error) {
			calls++
			if calls > len(pages)+1000 {
				t.Fatalf("walk still going after %d requests over %d distinct pages", calls, len(pages))
			}
			if len(pages) == 0 {
				return Page[string]{HasTotal: withTotal, Total: int(total)}, nil
			}
			p := pages[(calls-1)%len(pages)]
			sent += len(p)
			return Page[string]{Items: p, Total: int(total), HasTotal: withTotal}, nil
		}
		got := 0
		for _, err := range Walk(context.Background(), Options{Limit: lim}, self, fetch) {
			if err != nil {
				break
			}
			got++
		}
		if got > sent {
			t.Fatalf("yielded %d items, server sent %d", got, sent)
		}
		if calls > len(pages)+1 {
			t.Fatalf("%d requests over %d distinct pages: the guard let a repeated page through", calls, len(pages))
		}
	})
}

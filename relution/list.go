package relution

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"

	"github.com/rosterhq/roster/internal/paging"
)

// What every Relution list shares: the GET list parameters (limit, offset, getNonpagedCount,
// getItems, sortOrder as a string, filter as JSON, as sebastianspicker/appport and
// mwaylabs/uikit send them), the two envelopes a page comes in, and the walk over all pages.

// defaultPageSize is the page size All uses when the Query sets no Limit (appport's choice).
const defaultPageSize = 100

// listParams are the query parameters shared by Relution's GET lists (sebastianspicker/appport, relution-io/relution-sdk and mwaylabs/uikit): the
// parts of a Query that travel in the URL, sortOrder as a string and the filter as JSON.
type listParams struct {
	Limit            int    `url:"limit,omitempty"`
	Offset           int    `url:"offset,omitempty"`
	GetNonpagedCount bool   `url:"getNonpagedCount,omitempty"`
	GetItems         bool   `url:"getItems,omitempty"`
	SortOrder        string `url:"sortOrder,omitempty"`
	Filter           string `url:"filter,omitempty"`
}

// newListParams validates q as a Query would be and turns it into URL parameters, so that a
// GET list refuses exactly what a POST query refuses. Searches have no URL form: a GET list
// refuses them rather than drop them.
func newListParams(q Query) (listParams, error) {
	if err := q.Validate(); err != nil {
		return listParams{}, invalidQuery(err)
	}
	if len(q.Searches) > 0 {
		return listParams{}, vendor.Invalid("query searches", "this list takes no free-text search")
	}
	p := listParams{
		Limit:            q.Limit,
		Offset:           q.Offset,
		GetNonpagedCount: q.GetNonpagedCount,
		GetItems:         q.GetItems,
		SortOrder:        q.SortOrder.String(),
	}
	if q.Filter != nil {
		data, err := json.Marshal(q.Filter)
		if err != nil {
			return listParams{}, vendor.Invalid("filter", "cannot encode: %v", err)
		}
		p.Filter = string(data)
	}
	return p, nil
}

// getPage sends a GET list with query options and decodes a results envelope.
func getPage[T any](ctx context.Context, s *service, opts any, tmpl string, params ...string) (*Page[T], error) {
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, tmpl, params...)
	if err != nil {
		return nil, err
	}
	if err := req.SetQuery(opts); err != nil {
		return nil, err
	}
	env, err := do[T](s, req)
	if err != nil {
		return nil, err
	}
	return env.page(), nil
}

// itemsPage sends a GET list and decodes its items envelope.
func itemsPage[T any](ctx context.Context, s *service, params any, tmpl string, args ...string) (*Page[T], error) {
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, tmpl, args...)
	if err != nil {
		return nil, err
	}
	if err := req.SetQuery(params); err != nil {
		return nil, err
	}
	var env itemsEnvelope[T]
	if err := s.c.core.Do(req, &env); err != nil {
		return nil, err
	}
	p := &Page[T]{Items: env.Items, Total: len(env.Items)}
	if env.NonpagedCount != nil {
		p.Total, p.HasTotal = *env.NonpagedCount, true
	}
	return p, nil
}

// all pages a Query-based list.
func all[T keyed](ctx context.Context, q Query, list func(context.Context, Query) (*Page[T], error)) iter.Seq2[T, error] {
	if err := q.Validate(); err != nil {
		return failed[T](invalidQuery(err))
	}
	return walk(ctx, q.Offset, q.Limit, func(ctx context.Context, offset, limit int) (*Page[T], error) {
		pq := q
		pq.Offset, pq.Limit = offset, limit
		// The reported total is what stops the walk on a server that ignores offset and
		// keeps answering full pages.
		pq.GetNonpagedCount = true
		return list(ctx, pq)
	})
}

// walk pages a list whose options the caller has validated, with the core's paging.Walk:
// limit 0 becomes defaultPageSize; a reported nonpaged count lets paging stop without
// asking for an empty last page; a page equal to an earlier one (a server that ignores
// offset) ends the walk with an error, as does a walk far past the first reported total.
func walk[T keyed](ctx context.Context, start, limit int, list func(ctx context.Context, offset, limit int) (*Page[T], error)) iter.Seq2[T, error] {
	if limit == 0 {
		limit = defaultPageSize
	}
	return paging.Walk(ctx, paging.Options{Start: start, Limit: limit}, T.key,
		func(ctx context.Context, offset, limit int) (Page[T], error) {
			p, err := list(ctx, offset, limit)
			if err != nil {
				return Page[T]{}, err
			}
			return *p, nil
		})
}

// listOptions are the options of a GET list that allPages can walk: paging gives access to
// their offset, limit and count request.
type listOptions[O any] interface {
	*O
	paging() (offset, limit *int, count *bool)
}

func (q *Query) paging() (*int, *int, *bool) {
	return &q.Offset, &q.Limit, &q.GetNonpagedCount
}

// ListOptions are the paging fields every Relution GET list takes (limit, offset,
// getNonpagedCount, getItems: the parameters mwaylabs/appport sends). The options of each
// list embed it, so its paging method serves them all.
type ListOptions struct {
	// Limit is the page size; 0 leaves it to the server (no limit). All asks for 100 a page
	// when it is 0.
	Limit int
	// Offset is the number of items to skip.
	Offset int
	// GetNonpagedCount asks for the count of all matching items in Page.Total.
	GetNonpagedCount bool
	// GetItems is sent as true by the clients seen in use (appport: getItems=true); its
	// meaning is not documented.
	GetItems bool
}

func (o *ListOptions) paging() (*int, *int, *bool) {
	return &o.Offset, &o.Limit, &o.GetNonpagedCount
}

// query returns the paging fields as a Query, for the checks and parameters Query has.
func (o ListOptions) query() Query {
	return Query{Limit: o.Limit, Offset: o.Offset, GetNonpagedCount: o.GetNonpagedCount, GetItems: o.GetItems}
}

// allPages walks a GET list page by page from the caller's offset, its limit a page (100
// when unset). invalid, the caller's check of opts, is yielded once before anything is sent.
func allPages[O any, PO listOptions[O], T keyed](ctx context.Context, opts O, invalid error, list func(context.Context, O) (*Page[T], error)) iter.Seq2[T, error] {
	if invalid != nil {
		return failed[T](invalid)
	}
	start, limit, _ := PO(&opts).paging()
	return walk(ctx, *start, *limit, func(ctx context.Context, offset, limit int) (*Page[T], error) {
		po := opts
		off, lim, count := PO(&po).paging()
		*off, *lim = offset, limit
		// The count is what stops the walk on a server that ignores offset.
		*count = true
		return list(ctx, po)
	})
}

// keyed items let a walk notice a server that ignores offset. A key need not be readable:
// the 16 bytes of a UUID are its cheapest identity.
type keyed interface{ key() string }

func (d Device) key() string       { return string(d.UUID[:]) }
func (d DeviceAction) key() string { return string(d.UUID[:]) }
func (u User) key() string         { return string(u.UUID[:]) }
func (g Group) key() string        { return string(g.UUID[:]) }
func (m Member) key() string       { return string(m.UUID[:]) }
func (a App) key() string          { return string(a.UUID[:]) }
func (r LineReport) key() string   { return strconv.Itoa(r.Line) }
func (a InstalledApp) key() string { return a.Identifier + "\x00" + a.VersionName }

// failed returns a sequence that yields err once: how All reports input it refuses.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

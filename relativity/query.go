package relativity

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/rosterhq/roster/internal/paging"
)

// What the query endpoints share: the slim result of query-eligible-groups and of the legacy
// groups query, and the walk over all pages. The queries page on a 0-based Start (the doc's
// samples send "Start": 0) and a Length.

// QueryResultSlim is a page of a slim object query (query-eligible-groups, the legacy groups
// query).
type QueryResultSlim struct {
	// TotalCount is the number of all matches.
	TotalCount int `json:"TotalCount"`
	// Objects are this page's matches.
	Objects  []SlimObject `json:"Objects"`
	IDWindow []int        `json:"IDWindow"`
	// CurrentStartIndex is the index of Objects[0] among all matches.
	CurrentStartIndex int        `json:"CurrentStartIndex"`
	ResultCount       int        `json:"ResultCount"`
	ObjectType        ObjectType `json:"ObjectType"`
	RankWindow        []any      `json:"RankWindow"`
	// Fields describe the Values of each object, in order (empty unless fields were asked
	// for).
	Fields []any `json:"Fields"`
}

// SlimObject is one match of a slim query: its Artifact ID and the values of the fields the
// query asked for, in order.
type SlimObject struct {
	ArtifactID int   `json:"ArtifactID"`
	Values     []any `json:"Values"`
}

// ObjectType names the type of the objects of a slim result ("Group", ArtifactTypeID 3).
type ObjectType struct {
	ArtifactID     int      `json:"ArtifactID"`
	Name           string   `json:"Name"`
	Guids          []string `json:"Guids"`
	ArtifactTypeID int      `json:"ArtifactTypeID"`
}

// failed returns an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// walk yields every item of a 0-based Start/Length query from start on, length items a page,
// until the reported total. key gives an item's identity, so that a server that ignores
// Start (and answers the same page again) ends the walk with an error instead of looping.
func walk[T any](ctx context.Context, start, length int, key func(T) string, fetch func(ctx context.Context, start, length int) (paging.Page[T], error)) iter.Seq2[T, error] {
	return paging.Walk(ctx, paging.Options{First: 0, Start: start, Limit: length}, key, fetch)
}

// pageFrom checks that a reply answered the page asked for and returns it as a Page.
func pageFrom[T any](what string, asked, got int, items []T, total int) (paging.Page[T], error) {
	if len(items) > 0 && got != asked {
		return paging.Page[T]{}, fmt.Errorf("relativity: %s: asked for results from Start %d, the reply's CurrentStartIndex is %d: the server counts Start otherwise, and walking on would skip or repeat results", what, asked, got)
	}
	return paging.Page[T]{Items: items, Total: total, HasTotal: true}, nil
}

func idsField(field string, ids []int) ([]ArtifactRef, error) {
	if len(ids) == 0 {
		return nil, vendor.Invalid(field, "missing: at least one Artifact ID")
	}
	out := make([]ArtifactRef, len(ids))
	for i, n := range ids {
		if n <= 0 {
			return nil, vendor.Invalid(field+"["+strconv.Itoa(i)+"]", "Artifact ID must be positive, got %d", n)
		}
		out[i] = ArtifactRef{ArtifactID: n}
	}
	return out, nil
}

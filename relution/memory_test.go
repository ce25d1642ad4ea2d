package relution_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterhq/roster/relution"
)

// These tests assert memory bounds, which are facts of the code, not timings: they fail if a
// change buffers an upload or keeps the devices of a walk.

// liveHeap tracks the peak of the live heap (/gc/heap/live:bytes, what the last GC marked)
// while an operation runs, forcing a GC every few milliseconds so that the figure follows
// the operation.
type liveHeap struct {
	stop, done chan struct{}
	base       uint64
	peak       atomic.Uint64
	samples    atomic.Int64
}

func readLive() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func trackLiveHeap() *liveHeap {
	runtime.GC()
	h := &liveHeap{stop: make(chan struct{}), done: make(chan struct{}), base: readLive()}
	go func() {
		defer close(h.done)
		for {
			select {
			case <-h.stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			runtime.GC()
			if v := readLive(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			h.samples.Add(1)
		}
	}()
	return h
}

// growth stops tracking and returns the peak growth over the start in bytes.
func (h *liveHeap) growth() (uint64, int64) {
	close(h.stop)
	<-h.done
	p := h.peak.Load()
	if p < h.base {
		return 0, h.samples.Load()
	}
	return p - h.base, h.samples.Load()
}

// A 100 MB upload streams: the live heap grows by at most 16 MiB.
func TestUpload100MBLiveHeapBound(t *testing.T) {
	const size = 100 << 20
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got.Store(n)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"0","total":1,"results":[{"uuid":"01995C17-6BD0-7F84-87E9-21A1498B386F","name":"users.csv","contentType":"text/csv","size":104857600}]}`)
	}))
	defer srv.Close()
	c, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: "test-token"})
	if err != nil {
		t.Fatal(err)
	}
	h := trackLiveHeap()
	_, err = c.ImportJobs.Upload(context.Background(), "users.csv", genCSV{size}, size)
	grew, samples := h.growth()
	if err != nil {
		t.Fatal(err)
	}
	if got.Load() < size {
		t.Fatalf("the server got %d bytes, want %d", got.Load(), size)
	}
	t.Logf("live heap grew by %.1f MiB at most (%d samples)", float64(grew)/(1<<20), samples)
	if samples < 3 {
		t.Fatalf("only %d samples: the bound proves nothing", samples)
	}
	if grew > 16<<20 {
		t.Errorf("a 100 MB upload grew the live heap by %.1f MiB, want at most 16 MiB", float64(grew)/(1<<20))
	}
}

// A walk over 100,000 devices holds at most two pages at a time: the page being read and
// the page being yielded.
func TestDevicesWalkHoldsAtMostTwoPages(t *testing.T) {
	c, url, token := outOfProcessFakeURL(t, 100_000, 0)
	const limit = 500

	// What one page costs: its JSON body, read whole, plus its decoded devices.
	body := []byte(`{"limit":500,"getNonpagedCount":true}`)
	req, _ := http.NewRequest("POST", url+"/api/v2/devices/baseInfo/query", bytes.NewReader(body))
	req.Header.Set("X-User-Access-Token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	runtime.GC()
	before := readLive()
	page, err := c.Devices.List(context.Background(), relution.Query{Limit: limit})
	if err != nil || len(page.Items) != limit {
		t.Fatalf("List: %d devices, %v", len(page.Items), err)
	}
	runtime.GC()
	decoded := readLive() - before
	runtime.KeepAlive(page)
	pageCost := uint64(len(raw)) + decoded
	page = nil

	// The live heap is read with the walk paused inside the loop, twice a page: a GC then
	// sees exactly what the walk holds, with no allocation racing it.
	runtime.GC()
	base := readLive()
	var grew uint64
	samples := 0
	n := 0
	for _, err := range c.Devices.All(context.Background(), relution.Query{Limit: limit}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n%(limit/2) == 0 {
			runtime.GC()
			if v := readLive(); v > base {
				grew = max(grew, v-base)
			}
			samples++
		}
	}
	if n != 100_006 {
		t.Fatalf("walked %d devices", n)
	}
	t.Logf("one page: %d KiB JSON + %d KiB decoded; the walk's live heap grew by %d KiB at most (%d samples)",
		len(raw)>>10, decoded>>10, grew>>10, samples)
	if samples < 10 {
		t.Fatalf("only %d samples: the bound proves nothing", samples)
	}
	if grew > 2*pageCost {
		t.Errorf("the walk held %d KiB, more than two pages (%d KiB)", grew>>10, 2*pageCost>>10)
	}
}

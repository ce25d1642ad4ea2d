package relution_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// benchServerEnv makes the test binary serve a relutiontest fake instead of running tests,
// so a benchmark or a memory test can measure the client's heap and allocations without the
// fake's in the same process. Its value is "devices polls": synthetic devices and RUNNING
// polls per import job.
const benchServerEnv = "RELUTION_BENCH_FAKE"

func TestMain(m *testing.M) {
	if v := os.Getenv(benchServerEnv); v != "" {
		var devices, polls int
		fmt.Sscan(v, &devices, &polls)
		srv := relutiontest.NewServer(relutiontest.WithDevices(devices), relutiontest.WithImportPolls(polls))
		fmt.Println(srv.URL, srv.Token)
		// Serve until the parent closes our stdin.
		_, _ = io.Copy(io.Discard, os.Stdin)
		srv.Close()
		return
	}
	os.Exit(m.Run())
}

// outOfProcessFake starts a relutiontest server in a child process (this test binary) and
// returns a client for it; the child ends when tb's cleanup runs.
func outOfProcessFake(tb testing.TB, devices, polls int) *relution.Client {
	tb.Helper()
	c, _, _ := outOfProcessFakeURL(tb, devices, polls)
	return c
}

// outOfProcessFakeURL is outOfProcessFake, also returning the fake's URL and token.
func outOfProcessFakeURL(tb testing.TB, devices, polls int) (*relution.Client, string, string) {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d %d", benchServerEnv, devices, polls))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	var once sync.Once
	tb.Cleanup(func() { once.Do(func() { stdin.Close(); _ = cmd.Wait() }) })
	var url, token string
	if _, err := fmt.Fscan(bufio.NewReader(stdout), &url, &token); err != nil {
		tb.Fatal(err)
	}
	c, err := relution.NewClient(relution.Config{BaseURL: url, AccessToken: token})
	if err != nil {
		tb.Fatal(err)
	}
	return c, url, token
}

// heapPeak samples the bytes of live and unswept heap objects until stopped and reports the
// peak above the level at start.
type heapPeak struct {
	stop chan struct{}
	done chan struct{}
	base uint64
	peak atomic.Uint64
}

func heapObjects(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{}), done: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	h.base = heapObjects(s)
	go func() {
		defer close(h.done)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			if v := heapObjects(s); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// MiB returns the peak growth in MiB.
func (h *heapPeak) MiB() float64 {
	close(h.stop)
	<-h.done
	p := h.peak.Load()
	if p < h.base {
		return 0
	}
	return float64(p-h.base) / (1 << 20)
}

// usersCSV writes n data lines; every fifth line has one field too few.
func usersCSV(n int) string {
	var b strings.Builder
	b.WriteString("name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2\n")
	for i := 1; i <= n; i++ {
		if i%5 == 0 {
			fmt.Fprintf(&b, "user%d,user%d@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,pos,country,id%d@company.com,43\n", i, i, i)
			continue
		}
		fmt.Fprintf(&b, "user%d,user%d@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,pos,country,id%d@company.com,43,Sales\n", i, i, i)
	}
	return b.String()
}

// BenchmarkImportUsers5000 is the end-to-end figure: 5,000 lines, 1,000 with the
// wrong field count (warnings: the file goes up, as the vendor's script sends it), 2 RUNNING
// polls at the default poll interval, and all 5,000 reports read. The fake runs in another
// process, so allocs/op and B/op are the client's own. Most of each op is the poll waits
// (1 s, then 1.5 s), as in the vendor's script.
func BenchmarkImportUsers5000(b *testing.B) {
	benchImport(b, relution.WaitOptions{})
}

// BenchmarkImportUsers5000NoWait is the same with 1 ms polls: the cost of the work itself.
func BenchmarkImportUsers5000NoWait(b *testing.B) {
	benchImport(b, relution.WaitOptions{Interval: time.Millisecond, MaxInterval: time.Millisecond})
}

func benchImport(b *testing.B, wait relution.WaitOptions) {
	csv := usersCSV(5000)
	ctx := context.Background()
	c := outOfProcessFake(b, 0, 2)
	b.ReportAllocs()
	b.ResetTimer()
	var lines int
	for b.Loop() {
		// Overwrite: every round stores the same 4,000 users again, so the counts stay.
		job, err := c.ImportJobs.ImportUsers(ctx, strings.NewReader(csv), relution.ImportOptions{
			Role:      "Organame Device User",
			Overwrite: true,
			Wait:      wait,
		})
		if err != nil {
			b.Fatal(err)
		}
		if job.SuccessCount != 4000 || job.FailureCount != 1000 || len(job.Warnings) != 1000 {
			b.Fatalf("counts %d/%d/%d, %d warnings", job.SuccessCount, job.SkippedCount, job.FailureCount, len(job.Warnings))
		}
		lines = 0
		for r, err := range c.ImportJobs.AllReports(ctx, job.UUID) {
			if err != nil {
				b.Fatal(err)
			}
			if r.Line != lines+2 {
				b.Fatalf("report line %d after %d", r.Line, lines+1)
			}
			lines++
		}
	}
	if lines != 5000 {
		b.Fatalf("read %d reports, want 5000", lines)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/5000, "ns/report")
}

// genCSV is an io.ReaderAt of size bytes of CSV-like text made on the fly, so the file
// itself costs no memory.
type genCSV struct{ size int64 }

func (g genCSV) ReadAt(p []byte, off int64) (int, error) {
	if off >= g.size {
		return 0, io.EOF
	}
	const line = "user,user@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345\n"
	n := 0
	for n < len(p) && off+int64(n) < g.size {
		p[n] = line[(off+int64(n))%int64(len(line))]
		n++
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// BenchmarkUpload100MB uploads a 100 MB CSV to a loopback server that discards it and
// reports the client's peak heap growth (goal: at most 16 MiB).
func BenchmarkUpload100MB(b *testing.B) {
	const size = 100 << 20
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got.Store(n)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"0","total":1,"results":[{"uuid":"01995C17-6BD0-7F84-87E9-21A1498B386F","name":"users.csv","contentType":"text/csv","size":104857600}]}`)
	}))
	defer srv.Close()
	c, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	var peak float64
	for i := 0; i < b.N; i++ {
		h := startHeapPeak()
		if _, err := c.ImportJobs.Upload(context.Background(), "users.csv", genCSV{size}, size); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, h.MiB())
		if got.Load() < size {
			b.Fatalf("server got %d bytes", got.Load())
		}
	}
	b.ReportMetric(peak, "peak-heap-MiB")
}

// BenchmarkDevicesAll100k walks 100,000 devices with page size 500 from a fake in another
// process, and reports the client's peak heap growth (it should stay near one page) and the
// bytes allocated per device.
func BenchmarkDevicesAll100k(b *testing.B) {
	c := outOfProcessFake(b, 100_000, 0)
	var peak float64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h := startHeapPeak()
		n := 0
		for _, err := range c.Devices.All(context.Background(), relution.Query{Limit: 500}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		peak = max(peak, h.MiB())
		if n != 100_006 {
			b.Fatalf("walked %d devices", n)
		}
	}
	b.ReportMetric(peak, "peak-heap-MiB")
}

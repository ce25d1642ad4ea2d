package paging

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeTimer fires at once and records every wait asked for, so backoff
// sequences are tested without sleeping.
type fakeTimer struct{ waits []time.Duration }

func (f *fakeTimer) timer(d time.Duration) (<-chan time.Time, func() bool) {
	f.waits = append(f.waits, d)
	c := make(chan time.Time, 1)
	c <- time.Time{}
	return c, func() bool { return false }
}

// doneAfter returns a check that reports its call number and is done on
// call n.
func doneAfter(n int) func(context.Context) (int, bool, error) {
	calls := 0
	return func(context.Context) (int, bool, error) {
		calls++
		return calls, calls >= n, nil
	}
}

func TestPollBackoff(t *testing.T) {
	t.Parallel()
	s := time.Second
	tests := []struct {
		name  string
		opts  PollOptions
		calls int
		want  []time.Duration
	}{
		{
			name:  "defaults grow 1.5x to 10s",
			calls: 10,
			want: []time.Duration{
				s, 1500 * time.Millisecond, 2250 * time.Millisecond, 3375 * time.Millisecond,
				5062500 * time.Microsecond, 7593750 * time.Microsecond, 10 * s, 10 * s, 10 * s,
			},
		},
		{
			name:  "done at once: no wait",
			calls: 1,
		},
		{
			name:  "max below interval: fixed",
			opts:  PollOptions{Interval: 3 * s, MaxInterval: s},
			calls: 4,
			want:  []time.Duration{3 * s, 3 * s, 3 * s},
		},
		{
			name:  "max equal to interval: fixed",
			opts:  PollOptions{Interval: 2 * s, MaxInterval: 2 * s},
			calls: 3,
			want:  []time.Duration{2 * s, 2 * s},
		},
		{
			name:  "interval above default max: fixed at interval",
			opts:  PollOptions{Interval: 20 * s},
			calls: 3,
			want:  []time.Duration{20 * s, 20 * s},
		},
		{
			name:  "custom cap",
			opts:  PollOptions{Interval: 100 * time.Millisecond, MaxInterval: 200 * time.Millisecond},
			calls: 5,
			want: []time.Duration{
				100 * time.Millisecond, 150 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond,
			},
		},
		{
			name:  "huge cap does not overflow",
			opts:  PollOptions{Interval: 1 << 62, MaxInterval: 1<<63 - 1},
			calls: 4,
			want:  []time.Duration{1 << 62, 3 << 61, 1<<63 - 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ft := &fakeTimer{}
			var seen []int
			got, err := poll(t.Context(), tt.opts, doneAfter(tt.calls), func(v int) { seen = append(seen, v) }, ft.timer)
			if err != nil {
				t.Fatalf("poll: %v", err)
			}
			if got != tt.calls {
				t.Errorf("value = %d, want %d", got, tt.calls)
			}
			if diff := cmp.Diff(tt.want, ft.waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			wantSeen := make([]int, tt.calls)
			for i := range wantSeen {
				wantSeen[i] = i + 1
			}
			if diff := cmp.Diff(wantSeen, seen); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPollCheckError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	calls := 0
	check := func(context.Context) (string, bool, error) {
		calls++
		if calls == 3 {
			return "broken", false, boom
		}
		return "running", false, nil
	}
	progressCalls := 0
	ft := &fakeTimer{}
	v, err := poll(t.Context(), PollOptions{}, check, func(string) { progressCalls++ }, ft.timer)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if v != "broken" || calls != 3 || progressCalls != 2 {
		t.Errorf("value %q, %d checks, %d progress calls; want \"broken\", 3, 2", v, calls, progressCalls)
	}
}

// TestPollCancelMidWait uses the real timer with an hour's interval: that the
// test finishes at all proves Poll returns mid-wait.
func TestPollCancelMidWait(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	checked := make(chan struct{})
	check := func(context.Context) (int, bool, error) {
		close(checked)
		return 7, false, nil
	}
	go func() {
		<-checked
		cancel()
	}()
	v, err := Poll(ctx, PollOptions{Interval: time.Hour}, check, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if v != 7 {
		t.Errorf("value = %d, want the last check's 7", v)
	}
}

func TestPollCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	called := false
	_, err := Poll(ctx, PollOptions{}, func(context.Context) (int, bool, error) {
		called = true
		return 0, true, nil
	}, nil)
	if !errors.Is(err, context.Canceled) || called {
		t.Errorf("err = %v, check called = %v; want context.Canceled and no check", err, called)
	}
}

func TestPollDeadline(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	_, err := Poll(ctx, PollOptions{Interval: time.Hour}, func(context.Context) (int, bool, error) {
		return 0, false, nil
	}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

package paging

import (
	"context"
	"time"
)

// Default waits of Poll, as DESIGN §2 fixes them: the vendor's script polls
// every second; 10 s keeps a long job from being polled for minutes without
// hammering the server.
const (
	DefaultInterval    = time.Second
	DefaultMaxInterval = 10 * time.Second
)

// PollOptions sets the rhythm of Poll.
type PollOptions struct {
	// Interval is the first wait, after the first check. Zero or negative
	// means DefaultInterval.
	Interval time.Duration
	// MaxInterval caps the wait, which grows 1.5x after every check. Zero or
	// negative means DefaultMaxInterval. A MaxInterval below Interval means
	// a fixed wait of Interval.
	MaxInterval time.Duration
}

// Poll calls check at once and then again after each wait until check
// reports done or an error, or ctx is done. The first wait is
// opts.Interval, each further wait 1.5x the last, up to opts.MaxInterval.
//
// It returns the value of the last check: with a nil error when check
// reported done, with check's error when it failed, and with ctx.Err() when
// ctx ended first (at once, also in the middle of a wait). progress, if not
// nil, is called with the value of every check that did not fail.
func Poll[T any](ctx context.Context, opts PollOptions, check func(ctx context.Context) (v T, done bool, err error), progress func(T)) (T, error) {
	return poll(ctx, opts, check, progress, newTimer)
}

// newTimer is the production timer of poll. Tests pass their own to poll
// instead of swapping a package variable, so they can run in parallel.
func newTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

func poll[T any](ctx context.Context, opts PollOptions, check func(context.Context) (T, bool, error), progress func(T), timer func(time.Duration) (<-chan time.Time, func() bool)) (T, error) {
	wait, ceiling := pollWaits(opts)
	var last T
	for {
		if err := ctx.Err(); err != nil {
			return last, err
		}
		v, done, err := check(ctx)
		if err != nil {
			return v, err
		}
		last = v
		if progress != nil {
			progress(v)
		}
		if done {
			return v, nil
		}
		c, stop := timer(wait)
		select {
		case <-ctx.Done():
			stop()
			return last, ctx.Err()
		case <-c:
		}
		wait = nextWait(wait, ceiling)
	}
}

// pollWaits returns the first wait and the cap, with the defaults applied.
func pollWaits(opts PollOptions) (first, ceiling time.Duration) {
	first, ceiling = opts.Interval, opts.MaxInterval
	if first <= 0 {
		first = DefaultInterval
	}
	if ceiling <= 0 {
		ceiling = DefaultMaxInterval
	}
	if ceiling < first {
		ceiling = first
	}
	return first, ceiling
}

// nextWait grows wait by half, in integer nanoseconds so the sequence is
// exact (1s, 1.5s, 2.25s, ...), without overflowing near the cap.
func nextWait(wait, ceiling time.Duration) time.Duration {
	if wait >= ceiling || wait/2 > ceiling-wait {
		return ceiling
	}
	return wait + wait/2
}

package scim

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"
)

// fakeClock is a clock that moves only when told, and a sleep that moves
// it: the pacer's decisions are checked without spending time.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }
func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return nil
}

func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// send makes n requests of class c at even spacing over d, each answered
// with status.
func (c *fakeClock) send(t *testing.T, p *pacer, cl class, n int, d time.Duration, status int) {
	t.Helper()
	for range n {
		if err := p.wait(context.Background(), cl, false, c.now, c.sleep); err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(d / time.Duration(n))
		p.observe(cl, status, http.Header{}, c.t)
	}
}

func limitOf(p *pacer, c class) rate.Limit { return p.lanes[c].lim.Limit() }

func TestPacerLearnsFrom429(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(nil, nil)
	if got := limitOf(p, writes); got != rate.Inf {
		t.Fatalf("a fresh pacer paces writes at %v, want no limit", got)
	}
	// 30 writes in half a second, then the provider refuses one.
	clock.send(t, p, writes, 30, 500*time.Millisecond, http.StatusOK)
	p.observe(writes, http.StatusTooManyRequests, headers("Retry-After", "1"), clock.t)
	first := limitOf(p, writes)
	if want := rate.Limit(30 * slowDown); first != want {
		t.Errorf("after the first 429, writes at %v/s, want %v/s (a little under the 30/s the provider refused)", first, want)
	}
	if got := limitOf(p, reads); got != rate.Inf {
		t.Errorf("a 429 on a write paces reads at %v, want no limit: the lanes learn apart", got)
	}
	// Retry-After holds the lane: the next write waits a second.
	before := clock.t
	clock.send(t, p, writes, 1, 0, http.StatusOK)
	if waited := clock.t.Sub(before); waited < time.Second {
		t.Errorf("the write after a 429 with Retry-After: 1 went after %s, want at least 1s", waited)
	}
	// Answers to requests sent before the slow-down teach nothing more.
	p.observe(writes, http.StatusTooManyRequests, headers("Retry-After", "1"), clock.t.Add(-500*time.Millisecond))
	if got := limitOf(p, writes); got != first {
		t.Errorf("a 429 within the hold changed the rate to %v, want %v", got, first)
	}
	// A later 429 takes a tenth off.
	clock.send(t, p, writes, 20, time.Second, http.StatusOK)
	p.observe(writes, http.StatusTooManyRequests, headers("Retry-After", "1"), clock.t)
	second := limitOf(p, writes)
	if want := first * slowDown; second != want {
		t.Errorf("after a second 429, writes at %v/s, want %v/s", second, want)
	}
	// While none come and writes are busy, the rate climbs back to just
	// under the rate last refused (in a few steps), then above it only
	// slowly: at most slowRaise every raiseEvery.
	climbStart := clock.t
	clock.send(t, p, writes, 400, 10*time.Second, http.StatusOK)
	third := limitOf(p, writes)
	steps := float64(clock.t.Sub(climbStart) / raiseEvery)
	if goal := first * underCeil; third < goal || float64(third) > float64(goal)*math.Pow(slowRaise, steps) {
		t.Errorf("after %s without a 429, writes at %v/s, want from %v/s to %v/s", clock.t.Sub(climbStart), third, goal, float64(goal)*math.Pow(slowRaise, steps))
	}
	// An idle lane learns nothing.
	clock.t = clock.t.Add(time.Minute)
	p.observe(writes, http.StatusOK, http.Header{}, clock.t)
	if got := limitOf(p, writes); got != third {
		t.Errorf("after an idle minute, writes at %v/s, want %v/s unchanged", got, third)
	}
}

func TestPacerRetryAfterZeroTeachesNothing(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(nil, nil)
	clock.send(t, p, writes, 10, time.Second, http.StatusOK)
	p.observe(writes, http.StatusTooManyRequests, headers("Retry-After", "0"), clock.t)
	if got := limitOf(p, writes); got != rate.Inf {
		t.Errorf("after a 429 asking no wait, writes at %v, want no limit", got)
	}
}

func TestPacerLongWindow(t *testing.T) {
	// 600 a minute: the provider takes 600 writes in the first seconds,
	// then asks for 57 seconds.
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(nil, nil)
	clock.send(t, p, writes, 600, 3*time.Second, http.StatusOK)
	if err := p.wait(context.Background(), writes, false, clock.now, clock.sleep); err != nil {
		t.Fatal(err)
	}
	p.observe(writes, http.StatusTooManyRequests, headers("Retry-After", "57"), clock.t)
	if got := limitOf(p, writes); got < 9.5 || got > 10.5 {
		t.Errorf("after a 429 asking 57s at 600 writes in 3s, writes at %v/s, want about 10/s (600 a minute)", got)
	}
}

func TestPacerHeaders(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		h      http.Header
		want   rate.Limit
		resume time.Duration // how long the lane is held
	}{
		{"RateLimit spread", headers("RateLimit-Limit", "100", "RateLimit-Remaining", "40", "RateLimit-Reset", "4"), 10, 0},
		{"X-RateLimit delta", headers("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "30", "X-RateLimit-Reset", "10"), 3, 0},
		{"X-RateLimit Unix time", headers("X-RateLimit-Remaining", "50", "X-RateLimit-Reset", "1767225610"), 5, 0},
		{"policy", headers("RateLimit-Policy", "600;w=60", "RateLimit-Remaining", "599", "RateLimit-Reset", "60"), 10, 0},
		{"one header", headers("RateLimit", "limit=100, remaining=20, reset=2"), 10, 0},
		{"structured", headers("RateLimit", `"default";r=6;t=3`), 2, 0},
		{"spent", headers("RateLimit-Limit", "100", "RateLimit-Remaining", "0", "RateLimit-Reset", "5"), 0.2, 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacer(nil, nil)
			p.observe(reads, http.StatusOK, tc.h, at)
			if got := limitOf(p, reads); got != tc.want {
				t.Errorf("reads at %v/s, want %v/s", got, tc.want)
			}
			if got := p.lanes[reads].resume.Sub(at); got != tc.resume && !(tc.resume == 0 && got < 0) {
				t.Errorf("reads held for %s, want %s", got, tc.resume)
			}
			if got := limitOf(p, writes); got != rate.Inf {
				t.Errorf("writes at %v, want no limit", got)
			}
		})
	}
}

func TestPacerFixedRateCaps(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(&Rate{N: 120, Per: time.Minute}, nil)
	start := clock.t
	for range 5 {
		if err := p.wait(context.Background(), reads, false, clock.now, clock.sleep); err != nil {
			t.Fatal(err)
		}
		if err := p.wait(context.Background(), writes, false, clock.now, clock.sleep); err != nil {
			t.Fatal(err)
		}
	}
	// 10 requests at 2/s, reads and writes together: the first goes at
	// once, each of the others half a second after the one before.
	if waited := clock.t.Sub(start); waited < 4*time.Second {
		t.Errorf("10 requests under rate=120/m took %s of waits, want at least 4.5s", waited)
	}
}

func TestPacerLongerThanTeamctlWaits(t *testing.T) {
	// A Retry-After past Retry.MaxDelay fails its request (do); it holds
	// nothing and teaches nothing, or every later write would wait it.
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(nil, nil)
	p.maxHold = 30 * time.Second
	clock.send(t, p, writes, 10, time.Second, http.StatusOK)
	p.observe(writes, http.StatusTooManyRequests, headers("Retry-After", "120"), clock.t)
	if got := limitOf(p, writes); got != rate.Inf {
		t.Errorf("after a 429 asking 120s, writes at %v, want no limit", got)
	}
	before := clock.t
	clock.send(t, p, writes, 1, 0, http.StatusOK)
	if waited := clock.t.Sub(before); waited != 0 {
		t.Errorf("the write after a 429 asking 120s waited %s, want none", waited)
	}
	p.observe(reads, http.StatusOK, headers("RateLimit-Remaining", "0", "RateLimit-Reset", "3600"), clock.t)
	if got := p.lanes[reads].resume; got.After(clock.t) {
		t.Errorf("a spent budget resetting in an hour holds reads until %s, want no hold", got)
	}
}

func TestPacerParallelism(t *testing.T) {
	p := newPacer(nil, nil)
	answer := func(n, status int) {
		for range n {
			p.observe(writes, status, http.Header{}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		}
	}
	var got []int
	got = append(got, p.parallelism(writes)) // 4 to start
	answer(4, http.StatusOK)
	got = append(got, p.parallelism(writes)) // a round answered: 8
	answer(2, http.StatusOK)
	got = append(got, p.parallelism(writes)) // fewer answers than in flight: stays
	answer(8, http.StatusCreated)
	got = append(got, p.parallelism(writes)) // 16
	answer(16, http.StatusOK)
	got = append(got, p.parallelism(writes)) // at most 16
	answer(10, http.StatusOK)
	answer(1, http.StatusServiceUnavailable)
	got = append(got, p.parallelism(writes)) // a 503: halved
	p.strain(writes)
	got = append(got, p.parallelism(writes)) // a connection failed: halved
	answer(1, http.StatusTooManyRequests)
	got = append(got, p.parallelism(writes)) // a 429: halved, not below 2
	answer(1, http.StatusTooManyRequests)
	got = append(got, p.parallelism(writes))
	want := []int{4, 8, 8, 16, 16, 8, 4, 2, 2}
	// Reads go their own way: a first round of them starts at 4.
	if got := p.parallelism(reads); got != startParallel {
		t.Errorf("reads start at %d in flight, want %d", got, startParallel)
	}
	if d := gocmp.Diff(want, got); d != "" {
		t.Errorf("parallelism over the rounds mismatch (-want +got):\n%s", d)
	}
}

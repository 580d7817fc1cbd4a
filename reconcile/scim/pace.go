package scim

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing (SPEC §9, rate=). Every request of a Workspace waits its turn on
// one pacer, so that an apply stays under the provider's rate limit rather
// than learning it by hitting it again and again. Reads and writes are two
// lanes, because providers ration them apart (Slack: 1,000 reads and 600
// writes a minute); each lane learns its rate on its own:
//
//   - from RateLimit-* or X-RateLimit-* headers, when the provider sends
//     them: what remains of the budget is spread over the time to its
//     reset;
//   - otherwise from 429 answers (but for those with Retry-After: 0,
//     which ask no wait): the first sets the lane to a little
//     under the rate the provider just refused, each later one takes a
//     tenth off (multiplicative decrease); while none come and the lane
//     is busy, the rate climbs back to just under the last rate refused,
//     then above it only slowly (1% every 2 seconds), so that a steady
//     limit is met rarely.
//
// Retry-After (on a 429 or a 503) holds back every request of its lane
// until that time. rate=N/s or N/m caps every request, reads and writes
// together; learning may go lower, never higher.

// class is the budget of the provider a request spends.
type class int

const (
	reads class = iota
	writes
)

func classOf(method string) class {
	if method == http.MethodGet || method == http.MethodHead {
		return reads
	}
	return writes
}

func (c class) String() string {
	if c == reads {
		return "reads"
	}
	return "writes"
}

// Rate is a rate= option: at most N requests in Per.
type Rate struct {
	N   int
	Per time.Duration
}

func (r Rate) limit() rate.Limit { return rate.Limit(float64(r.N) / r.Per.Seconds()) }

func (r Rate) String() string {
	if r.Per == time.Minute {
		return fmt.Sprintf("%d/m", r.N)
	}
	return fmt.Sprintf("%d/s", r.N)
}

// maxRate bounds rate=: no provider serves more to one client.
const maxRate = 1_000_000

// parseRate reads rate=N/s or rate=N/m.
func parseRate(v string) (Rate, error) {
	n, unit, ok := strings.Cut(v, "/")
	per := map[string]time.Duration{"s": time.Second, "m": time.Minute}[unit]
	count, err := strconv.Atoi(n)
	if !ok || per == 0 || err != nil || count < 1 || count > maxRate {
		return Rate{}, fmt.Errorf("scim: workspace URL: rate=%q: want N/s or N/m, N a whole number from 1 to %d (such as rate=10/s or rate=600/m)", v, maxRate)
	}
	return Rate{N: count, Per: per}, nil
}

// Learning constants: see the package comment above.
const (
	slowDown    = 0.9             // a 429 keeps this much of the rate
	raiseEvery  = 2 * time.Second // the rate climbs at most this often
	fastRaise   = 1.05            // up to just under the last rate refused
	slowRaise   = 1.01            // beyond it
	underCeil   = 0.98            // how close to the last rate refused the fast climb goes
	minLearned  = 0.1             // requests a second: the slowest teamctl learns to go
	measureSpan = time.Second     // the span over which the rate sent is measured
	maxSendLog  = 4096            // send times kept per lane
)

// pacer paces the requests of one Workspace.
type pacer struct {
	mu    sync.Mutex
	fixed *rate.Limiter // rate=: every request; nil without
	lanes [2]*lane
	trace func(format string, args ...any)
	// maxHold is the longest Retry-After the pacer honours by holding a
	// lane (Retry.MaxDelay): a request asked to wait longer fails, and
	// its answer teaches nothing, so that the rest of the apply is not
	// held for minutes behind it; 0 for no bound.
	maxHold time.Duration
}

// lane is the pace of one class of requests.
type lane struct {
	lim     *rate.Limiter
	resume  time.Time   // Retry-After: no request before
	hold    time.Time   // a 429 before this was sent before the last slow-down
	ceiling rate.Limit  // the rate in force when the provider last refused; 0 before
	raised  time.Time   // the last change of rate
	busy    int         // answers since then
	sent    []time.Time // recent send times, to measure the rate sent
	headers bool        // the provider's rate-limit headers set the rate

	requests, throttled int

	// In flight (parallelism): auto is the requests of the lane a round
	// may have in flight when Config.Parallelism is not set; strained
	// says the provider answered 429 or 503, or a connection failed, since
	// the last round; answered counts its other answers.
	auto     int
	strained bool
	answered int
}

func newPacer(fixed *Rate, trace func(string, ...any)) *pacer {
	p := &pacer{trace: trace}
	if fixed != nil {
		p.fixed = rate.NewLimiter(fixed.limit(), 1)
	}
	for i := range p.lanes {
		p.lanes[i] = &lane{lim: rate.NewLimiter(rate.Inf, 1)}
	}
	return p
}

// wait holds the caller until a request of class c may go: after any
// Retry-After of its lane (unless waited says the caller has just waited
// one out), and its turn under rate= and the lane's rate. It waits
// through sleep, so that tests can skip the waits.
func (p *pacer) wait(ctx context.Context, c class, waited bool, now func() time.Time, sleep func(context.Context, time.Duration) error) error {
	p.mu.Lock()
	l := p.lanes[c]
	resume := l.resume
	p.mu.Unlock()
	if d := resume.Sub(now()); d > 0 && !waited {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	for _, lim := range []*rate.Limiter{p.fixed, l.lim} {
		if lim == nil {
			continue
		}
		r := lim.ReserveN(now(), 1)
		if d := r.DelayFrom(now()); d > 0 {
			if err := sleep(ctx, d); err != nil {
				r.CancelAt(now())
				return err
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := now()
	l.requests++
	l.sent = append(l.sent, t)
	if len(l.sent) > maxSendLog {
		l.sent = l.sent[len(l.sent)-maxSendLog/2:]
	}
	return nil
}

// observe learns from the answer to a request of class c.
func (p *pacer) observe(c class, status int, h http.Header, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lanes[c]
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		l.strained = true
	} else {
		l.answered++
	}
	ra := retryAfter(h.Get("Retry-After"), now)
	if p.maxHold > 0 && ra > p.maxHold {
		if status == http.StatusTooManyRequests {
			l.throttled++
		}
		return
	}
	if ra > 0 && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
		if t := now.Add(ra); t.After(l.resume) {
			l.resume = t
		}
	}
	if hl, ok := parseRateHeaders(h, now); ok {
		l.headers = true
		p.setByHeaders(c, l, hl, now)
		if status == http.StatusTooManyRequests {
			l.throttled++
		}
		return
	}
	if status != http.StatusTooManyRequests {
		l.busy++
		p.raise(c, l, now)
		return
	}
	l.throttled++
	if now.Before(l.hold) || strings.TrimSpace(h.Get("Retry-After")) == "0" {
		// Sent before the last slow-down; or the provider asks no wait,
		// so the refusal says nothing of a rate.
		return
	}
	cur := l.lim.Limit()
	next := cur * slowDown
	if cur == rate.Inf {
		cur = rate.Limit(l.sentSince(now.Add(-measureSpan)))
		next = cur * slowDown
	}
	if ra > time.Second {
		// A long wait means a long window: the rate that fits is what
		// the provider took since the last slow-down, over that time and
		// the wait.
		since := l.raised
		if since.IsZero() && len(l.sent) > 0 {
			since = l.sent[0]
		}
		took := float64(l.sentSince(since) - 1)
		next = min(next, rate.Limit(took/(now.Sub(since)+ra).Seconds()))
	}
	next = max(next, minLearned)
	l.ceiling = max(cur, next)
	l.lim.SetLimitAt(now, next)
	l.hold = now.Add(max(ra, time.Second))
	l.raised, l.busy = now.Add(ra), 0
	p.tracef("the provider answered 429: pacing %s at %s (Retry-After %s)", c, perSecond(next), ra)
}

// raise climbs a lane's rate after raiseEvery without a 429, when the lane
// was busy meanwhile (an idle lane learns nothing).
func (p *pacer) raise(c class, l *lane, now time.Time) {
	cur := l.lim.Limit()
	since := now.Sub(l.raised)
	if cur == rate.Inf || l.headers || since < raiseEvery {
		return
	}
	if float64(l.busy) < float64(cur)*since.Seconds()/2 {
		l.raised, l.busy = now, 0 // mostly idle: measure again from now
		return
	}
	next := cur * slowRaise
	if goal := l.ceiling * underCeil; cur < goal {
		next = min(cur*fastRaise, goal)
	}
	l.lim.SetLimitAt(now, next)
	l.raised, l.busy = now, 0
	p.tracef("no 429 for %s: pacing %s at %s", raiseEvery, c, perSecond(next))
}

// sentSince counts the lane's requests sent at or after t.
func (l *lane) sentSince(t time.Time) int {
	n := 0
	for i := len(l.sent) - 1; i >= 0 && !l.sent[i].Before(t); i-- {
		n++
	}
	return n
}

// headerLimit is what a provider's rate-limit headers say.
type headerLimit struct {
	limit     float64       // requests in window; 0 when not said
	window    time.Duration // 0 when not said
	remaining float64
	reset     time.Duration // until the budget is whole again
}

// setByHeaders sets a lane's rate from the provider's headers: the
// policy's rate when it says one, else what remains spread over the time
// to the reset; with nothing left, no request before the reset.
func (p *pacer) setByHeaders(c class, l *lane, hl headerLimit, now time.Time) {
	reset := max(hl.reset, time.Second)
	next := rate.Limit(max(hl.remaining, 1) / reset.Seconds())
	if hl.limit > 0 && hl.window > 0 {
		next = rate.Limit(hl.limit / hl.window.Seconds())
	}
	if hl.remaining < 1 && (p.maxHold == 0 || reset <= p.maxHold) {
		if t := now.Add(reset); t.After(l.resume) {
			l.resume = t
		}
	}
	next = max(next, minLearned)
	if cur := l.lim.Limit(); cur == rate.Inf || math.Abs(float64(next-cur)) > float64(cur)/10 {
		p.tracef("the provider's rate-limit headers: pacing %s at %s", c, perSecond(next))
	}
	l.lim.SetLimitAt(now, next)
}

// parseRateHeaders reads RateLimit-Limit, -Remaining and -Reset (and
// RateLimit-Policy "q;w=W"), their X-RateLimit- forms, or the single
// RateLimit header ("limit=…, remaining=…, reset=…", or "r=…;t=…"). A
// reset larger than a year of seconds is a Unix time.
func parseRateHeaders(h http.Header, now time.Time) (headerLimit, bool) {
	var hl headerLimit
	rem, okRem := firstNumber(h.Get("RateLimit-Remaining"))
	if !okRem {
		rem, okRem = firstNumber(h.Get("X-RateLimit-Remaining"))
	}
	reset, okReset := firstNumber(h.Get("RateLimit-Reset"))
	if !okReset {
		reset, okReset = firstNumber(h.Get("X-RateLimit-Reset"))
	}
	hl.limit, _ = firstNumber(h.Get("RateLimit-Limit"))
	if hl.limit == 0 {
		hl.limit, _ = firstNumber(h.Get("X-RateLimit-Limit"))
	}
	if v := h.Get("RateLimit"); v != "" && !okRem {
		fields := params(v)
		if s, ok := fields["remaining"]; ok {
			rem, okRem = firstNumber(s)
		} else if s, ok := fields["r"]; ok {
			rem, okRem = firstNumber(s)
		}
		if s, ok := fields["reset"]; ok {
			reset, okReset = firstNumber(s)
		} else if s, ok := fields["t"]; ok {
			reset, okReset = firstNumber(s)
		}
		if s, ok := fields["limit"]; ok {
			hl.limit, _ = firstNumber(s)
		}
	}
	if v := h.Get("RateLimit-Policy"); v != "" {
		fields := params(v)
		if s, ok := fields["q"]; ok {
			hl.limit, _ = firstNumber(s)
		} else if q, ok := firstNumber(v); ok {
			hl.limit = q
		}
		if w, ok := firstNumber(fields["w"]); ok && w > 0 {
			hl.window = time.Duration(w * float64(time.Second))
		}
	}
	if !okRem {
		return headerLimit{}, false
	}
	hl.remaining = max(rem, 0)
	if okReset && reset > 0 {
		if reset > 365*24*3600 {
			hl.reset = time.Unix(int64(reset), 0).Sub(now)
		} else {
			hl.reset = time.Duration(reset * float64(time.Second))
		}
	}
	hl.reset = min(max(hl.reset, 0), time.Hour)
	return hl, true
}

// firstNumber reads the number a header value starts with.
func firstNumber(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	end := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if end >= 0 {
		v = v[:end]
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
}

// params reads the key=value pairs of a header, separated by , or ;.
func params(v string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		k, val, ok := strings.Cut(strings.TrimSpace(f), "=")
		if ok {
			out[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return out
}

// PaceStats are what the pacer saw of one class of requests.
type PaceStats struct {
	Requests  int     // sent
	Throttled int     // answered 429
	Rate      float64 // requests a second in force; 0 when unpaced
}

// Pace returns what the pacer saw of reads and of writes.
func (w *Workspace) Pace() (reads, writes PaceStats) {
	p := w.pace
	p.mu.Lock()
	defer p.mu.Unlock()
	stats := func(l *lane) PaceStats {
		s := PaceStats{Requests: l.requests, Throttled: l.throttled}
		if lim := l.lim.Limit(); lim != rate.Inf {
			s.Rate = float64(lim)
		}
		if p.fixed != nil && (s.Rate == 0 || float64(p.fixed.Limit()) < s.Rate) {
			s.Rate = float64(p.fixed.Limit())
		}
		return s
	}
	return stats(p.lanes[0]), stats(p.lanes[1])
}

func (p *pacer) tracef(format string, args ...any) {
	if p.trace != nil {
		p.trace(format, args...)
	}
}

func perSecond(l rate.Limit) string {
	if l == rate.Inf {
		return "no limit"
	}
	return strconv.FormatFloat(float64(l), 'f', 1, 64) + "/s"
}

// In flight. Without --parallelism, how many requests a round (the user
// requests of a batch, the pages fetched ahead, the users read back) has
// in flight is chosen from the provider's answers: startParallel at first,
// doubled for the next round while the provider answers every request of
// a round without 429 or 503 and no connection fails, up to maxParallel;
// halved (not below minParallel) when one does. A provider far away needs
// many requests in flight to reach its rate; one that struggles gets
// fewer.
const (
	startParallel = 4
	minParallel   = 2
	maxParallel   = 16
)

// parallelism is how many requests of class c the next round may have in
// flight. Reads and writes count apart: a first round of writes starts at
// startParallel however well reads went, so that at most that many meet
// a write limit no answer has told yet.
func (p *pacer) parallelism(c class) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lanes[c]
	switch {
	case l.auto == 0:
		l.auto = startParallel
	case l.strained:
		l.auto = max(minParallel, l.auto/2)
	case l.answered >= l.auto:
		l.auto = min(maxParallel, l.auto*2)
	}
	l.strained, l.answered = false, 0
	return l.auto
}

// strain notes a request of class c that failed for want of an answer (a
// connection refused, reset or timed out).
func (p *pacer) strain(c class) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lanes[c].strained = true
}

// parallelism is how many requests of class c the next round may have in
// flight: Config.Parallelism when set, else as the provider's answers say.
func (w *Workspace) parallelism(c class) int {
	if w.cfg.Parallelism > 0 {
		return w.cfg.Parallelism
	}
	return w.pace.parallelism(c)
}

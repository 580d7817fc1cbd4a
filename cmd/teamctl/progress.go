package main

import (
	"fmt"
	"io"
	"time"

	"github.com/teamctl/teamctl/reconcile"
)

// progress shows a long apply going. On a terminal it keeps one line on
// stderr up to date: "Applying: 12/40 changes done, 1 failed", while a
// batch is out ", 28 in flight" (a file workspace writes a phase of 55,000
// changes as one batch), the writes a second the workspace is paced at
// when it is (SCIM under a rate limit), and once a batch is done the time
// left at the pace so far. Elsewhere (CI logs, pipes) it never redraws:
// an apply of ciMinChanges or more writes one such line each time another
// tenth of the changes is done; a shorter one writes nothing, and the
// final report says it all.
type progress struct {
	w        io.Writer
	live     bool // a terminal: one line, redrawn
	total    int
	done     int
	failed   int
	inFlight int
	drawn    bool

	now     func() time.Time // nil: no time left is shown
	started time.Time
	rate    func() float64 // writes a second in force; nil or 0 when unpaced
	tenths  int            // not live: the tenths of the changes reported
}

// ciMinChanges is the fewest changes for which progress is written when
// stderr is not a terminal.
const ciMinChanges = 100

// newProgress returns the progress of a plan of total changes, or nil when
// there is nothing to show. rate, when not nil, tells the writes a second
// the workspace is paced at.
func newProgress(app *App, total int, rate func() float64) *progress {
	live := app.IO.ErrTTY && !dumbTerminal(app)
	if total == 0 || (!live && total < ciMinChanges) {
		return nil
	}
	p := &progress{w: app.IO.ErrOut, live: live, total: total, now: app.Now, rate: rate}
	if p.now != nil {
		p.started = p.now()
	}
	return p
}

// Start shows a batch of n changes going out.
func (p *progress) Start(n int) {
	if p == nil || !p.live {
		return
	}
	p.Clear()
	p.inFlight = n
	p.draw()
}

// Update counts the results of one more batch and redraws the line (on a
// terminal) or, when another tenth is done, writes one. Call Clear first
// when something else is about to be printed.
func (p *progress) Update(rs []reconcile.Result) {
	if p == nil {
		return
	}
	for _, r := range rs {
		p.done++
		if r.Outcome == reconcile.Failed {
			p.failed++
		}
	}
	p.inFlight = 0
	if p.live {
		p.draw()
		return
	}
	if tenths := p.done * 10 / p.total; tenths > p.tenths {
		p.tenths = tenths
		fmt.Fprintln(p.w, p.line())
	}
}

func (p *progress) draw() {
	p.drawn = true
	fmt.Fprint(p.w, p.line())
}

// line is the state of the apply in words.
func (p *progress) line() string {
	s := fmt.Sprintf("Applying: %d/%d changes done", p.done, p.total)
	if !p.live {
		s += fmt.Sprintf(" (%d%%)", p.done*100/p.total)
	}
	s += fmt.Sprintf(", %d failed", p.failed)
	if p.inFlight > 0 {
		s += fmt.Sprintf(", %d in flight", p.inFlight)
	}
	if p.rate != nil {
		if r := p.rate(); r > 0 {
			s += fmt.Sprintf(", paced at %.1f writes/s", r)
		}
	}
	if left, ok := p.left(); ok {
		s += ", about " + left + " left"
	}
	return s
}

// left is the time the changes not done take at the pace of those done.
func (p *progress) left() (string, bool) {
	if p.now == nil || p.done == 0 || p.done == p.total {
		return "", false
	}
	spent := p.now().Sub(p.started)
	if spent <= 0 {
		return "", false
	}
	d := spent * time.Duration(p.total-p.done) / time.Duration(p.done)
	if d < time.Minute {
		return d.Round(time.Second).String(), true
	}
	return d.Round(10 * time.Second).String(), true
}

// Clear erases the line, so that other output starts on a clean line.
func (p *progress) Clear() {
	if p == nil || !p.drawn {
		return
	}
	// \r returns to the start of the line, \x1b[K erases it.
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawn = false
}

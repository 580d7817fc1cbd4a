package main

import (
	"fmt"
	"io"

	"github.com/teamctl/teamctl/reconcile"
)

// progress keeps one line on stderr up to date while apply runs:
// "Applying: 12/40 changes done, 1 failed", and while a batch is out,
// ", 28 in flight" (a file workspace writes a phase of 55,000 changes as
// one batch). It draws only when stderr is a terminal; elsewhere (CI logs,
// pipes) it is nil and silent, and the final report says it all.
type progress struct {
	w        io.Writer
	total    int
	done     int
	failed   int
	inFlight int
	drawn    bool
}

// newProgress returns a progress line for a plan of total changes, or nil
// when stderr is not a terminal.
func newProgress(app *App, total int) *progress {
	if !app.IO.ErrTTY || total == 0 || dumbTerminal(app) {
		return nil
	}
	return &progress{w: app.IO.ErrOut, total: total}
}

// Start shows a batch of n changes going out.
func (p *progress) Start(n int) {
	if p == nil {
		return
	}
	p.Clear()
	p.inFlight = n
	p.draw()
}

// Update counts the results of one more batch and redraws the line. Call
// Clear first when something else is about to be printed.
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
	p.draw()
}

func (p *progress) draw() {
	p.drawn = true
	fmt.Fprintf(p.w, "Applying: %d/%d changes done, %d failed", p.done, p.total, p.failed)
	if p.inFlight > 0 {
		fmt.Fprintf(p.w, ", %d in flight", p.inFlight)
	}
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

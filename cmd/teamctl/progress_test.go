package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
)

func TestProgress(t *testing.T) {
	batch := []reconcile.Result{
		{Outcome: reconcile.Applied},
		{Outcome: reconcile.Failed, Err: errors.New("boom")},
	}
	tests := []struct {
		name string
		tty  bool
		term string
		want string
	}{
		{"terminal", true, "xterm-256color", "Applying: 0/3 changes done, 0 failed, 2 in flight" +
			"\r\x1b[K" + "Applying: 2/3 changes done, 1 failed" +
			"\r\x1b[K" + "Applying: 2/3 changes done, 1 failed, 1 in flight" +
			"\r\x1b[K" + "Applying: 3/3 changes done, 1 failed" +
			"\r\x1b[K"},
		{"not a terminal", false, "xterm-256color", ""},
		{"dumb terminal", true, "dumb", ""}, // no \x1b[K for a terminal that cannot erase
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errOut strings.Builder
			app := &App{IO: IOStreams{ErrOut: &errOut, ErrTTY: tt.tty}, Getenv: func(k string) string {
				if k == "TERM" {
					return tt.term
				}
				return ""
			}}
			p := newProgress(app, 3, nil)
			p.Clear() // nothing drawn yet: nothing to erase
			p.Start(len(batch))
			p.Clear()
			p.Update(batch)
			p.Start(1) // clears the line itself
			p.Clear()
			p.Update([]reconcile.Result{{Outcome: reconcile.Applied}})
			p.Clear()
			p.Clear() // erased already
			if got := errOut.String(); got != tt.want {
				t.Errorf("stderr = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestProgressLong applies 200 changes in batches of 25, a second a
// batch, paced at 18 writes a second: the terminal line says the pace and
// the time left; a log (not a terminal) gets one line each tenth, never a
// redraw.
func TestProgressLong(t *testing.T) {
	for _, tt := range []struct {
		name string
		tty  bool
		want []string // what stderr holds, in order
		not  string
	}{
		{"terminal", true, []string{
			"Applying: 0/200 changes done, 0 failed, 25 in flight, paced at 18.0 writes/s",
			"\r\x1b[KApplying: 25/200 changes done, 0 failed, paced at 18.0 writes/s, about 7s left",
			"\r\x1b[KApplying: 175/200 changes done, 0 failed, paced at 18.0 writes/s, about 1s left",
		}, "\n"},
		{"log", false, []string{
			"Applying: 25/200 changes done (12%), 0 failed, paced at 18.0 writes/s, about 7s left\n",
			"Applying: 50/200 changes done (25%), 0 failed, paced at 18.0 writes/s, about 6s left\n",
			"Applying: 175/200 changes done (87%), 0 failed, paced at 18.0 writes/s, about 1s left\n",
			"Applying: 200/200 changes done (100%), 0 failed, paced at 18.0 writes/s\n",
		}, "\r"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var errOut strings.Builder
			clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			app := &App{IO: IOStreams{ErrOut: &errOut, ErrTTY: tt.tty}, Getenv: func(string) string { return "" }, Now: func() time.Time { return clock }}
			p := newProgress(app, 200, func() float64 { return 18 })
			for range 8 {
				p.Start(25)
				clock = clock.Add(time.Second)
				p.Clear() // as apply does before it prints the results
				p.Update(make([]reconcile.Result, 25))
			}
			p.Clear()
			got := errOut.String()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("stderr %q: no %q after byte %d", got, w, at)
				}
				at += i + len(w)
			}
			if strings.Contains(got, tt.not) {
				t.Errorf("stderr %q holds %q", got, tt.not)
			}
			if !tt.tty && strings.Count(got, "\n") != 8 {
				t.Errorf("a log of 200 changes in 8 batches got %d lines, want one a batch here (each crosses a tenth): %q", strings.Count(got, "\n"), got)
			}
		})
	}
}

func TestProgressShortLogSilent(t *testing.T) {
	var errOut strings.Builder
	app := &App{IO: IOStreams{ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	if p := newProgress(app, ciMinChanges-1, nil); p != nil {
		t.Errorf("newProgress() of %d changes in a log = %+v, want nil: the report says it all", ciMinChanges-1, p)
	}
}

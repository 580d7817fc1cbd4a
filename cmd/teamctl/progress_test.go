package main

import (
	"errors"
	"strings"
	"testing"

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
			p := newProgress(app, 3)
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

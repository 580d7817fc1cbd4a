package main

// Sinks: every byte teamctl writes leaves through one of them, and each
// redacts with the run's one secretSet and escapes for what reads it.
//
//	stdout, stderr          streamSink: redactor, then lineGuard
//	saved plan (--out)      planfile.WriteRedacted with App.redactBytes
//	journal                 journal.Apply.Redact, on every string it writes
//	job summary, outputs    appendFile, with App.redact
//	init's team file        createFile, with App.redactBytes
//
// Workflow commands that teamctl means to give (annotations, log groups)
// are the one thing written past the guard, through writeCommands; their
// data is escaped where they are made (render.FindingsGitHub).

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// redact returns s with the secrets of app's run redacted.
func (app *App) redact(s string) string { return app.secrets.String(s) }

// redactBytes is redact for bytes.
func (app *App) redactBytes(b []byte) []byte { return app.secrets.Bytes(b) }

// streamSink is stdout or stderr: redacted, then guarded, so that neither
// a secret nor a line that a CI runner would take for a command of its
// own can come out of it, whatever text (a server's error, a name) was
// written.
type streamSink struct {
	*redactor // writes to guard
	guard     *lineGuard
}

func newStreamSink(w io.Writer, set *secretSet) *streamSink {
	g := &lineGuard{w: w, lineStart: true}
	return &streamSink{redactor: &redactor{w: g, set: set}, guard: g}
}

// Flush writes what the sink held back.
func (s *streamSink) Flush() error {
	err := s.redactor.Flush()
	if gerr := s.guard.Flush(); err == nil {
		err = gerr
	}
	return err
}

// command writes text, whole lines of workflow commands teamctl gives on
// purpose, redacted but past the guard.
func (s *streamSink) command(text string) error {
	if err := s.Flush(); err != nil {
		return err
	}
	return s.guard.raw(s.set.String(text))
}

// writeCommands writes the workflow commands that write makes to w,
// letting them past w's guard when w is a stream sink.
func writeCommands(w io.Writer, write func(io.Writer) error) error {
	var b strings.Builder
	if err := write(&b); err != nil {
		return err
	}
	if s, ok := w.(*streamSink); ok {
		return s.command(b.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lineGuard keeps text from giving a GitHub Actions runner commands: the
// runner reads a line that starts with "::" (after blanks) as a workflow
// command (::error::, ::add-mask::, ::stop-commands::), and "##[" anywhere
// in a line as one of the old syntax. The guard writes such a line's
// first ':' as "\:" and "##[" as "##\[": a person still reads them; the
// runner does not. A ':' at the start of a line, or a '#' that could begin
// "##[", is held back until the next byte shows what it is.
type lineGuard struct {
	mu        sync.Mutex
	w         io.Writer
	lineStart bool   // nothing but blanks since the last line break
	held      []byte // ":" at a line's start, or "#" or "##"
	buf       []byte // the output of the last write, reused
}

func (g *lineGuard) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	data := p
	if len(g.held) > 0 {
		data = append(g.held, p...)
	}
	out, held := g.guard(data, false)
	g.held = append(g.held[:0:0], held...)
	if _, err := g.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what the guard held back.
func (g *lineGuard) Flush() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.held) == 0 {
		return nil
	}
	out, _ := g.guard(g.held, true)
	g.held = nil
	_, err := g.w.Write(out)
	return err
}

// raw writes text (whole lines) past the guard.
func (g *lineGuard) raw(text string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, err := io.WriteString(g.w, text); err != nil {
		return err
	}
	g.lineStart = strings.HasSuffix(text, "\n")
	return nil
}

// guard returns data made safe, and the tail it holds back until more
// comes (none when final). Runs of ordinary bytes are copied whole.
func (g *lineGuard) guard(data []byte, final bool) (out, held []byte) {
	out = g.buf[:0] // a Writer keeps no slice it was given
	defer func() { g.buf = out }()
	copied := 0 // data[:copied] is in out
	for i := 0; i < len(data); i++ {
		if !g.lineStart {
			// The common case, inside a line: skip to what matters.
			j := bytes.IndexAny(data[i:], "\n\r#")
			if j < 0 {
				break
			}
			i += j
		}
		c := data[i]
		rest := data[i:]
		switch {
		case c == '\n' || c == '\r':
			g.lineStart = true
		case g.lineStart && (c == ' ' || c == '\t'):
		case g.lineStart && c == ':':
			if len(rest) == 1 && !final {
				return append(out, data[copied:i]...), rest
			}
			g.lineStart = false
			if len(rest) == 1 || rest[1] == ':' {
				out = append(append(out, data[copied:i]...), '\\')
				copied = i
			}
		case c == '#':
			g.lineStart = false
			if len(rest) < 3 && !final && strings.HasPrefix("##[", string(rest)) {
				return append(out, data[copied:i]...), rest
			}
			if len(rest) >= 3 && rest[1] == '#' && rest[2] == '[' {
				out = append(append(out, data[copied:i]...), `##\[`...)
				i += 2
				copied = i + 1
			}
		default:
			g.lineStart = false
		}
	}
	return append(out, data[copied:]...), nil
}

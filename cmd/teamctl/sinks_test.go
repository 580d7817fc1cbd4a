package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLineGuard: text never gives a CI runner a command, however it is
// split into writes; what teamctl means as commands passes.
func TestLineGuard(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"plain text", []string{"Plan: 2 to invite.\n"}, "Plan: 2 to invite.\n"},
		{"a command on a line of its own", []string{"Error: bad\n::error::pwned\n"}, "Error: bad\n\\::error::pwned\n"},
		{"after blanks", []string{"x\n  \t::add-mask::y\n"}, "x\n  \t\\::add-mask::y\n"},
		{"at the start", []string{"::stop-commands::tok\n"}, "\\::stop-commands::tok\n"},
		{"after a carriage return", []string{"a\r::warning::b"}, "a\r\\::warning::b"},
		{"split between the colons", []string{"a\n:", ":error::b\n"}, "a\n\\::error::b\n"},
		{"split after a line break", []string{"a\n", "::error::b\n"}, "a\n\\::error::b\n"},
		{"one colon is no command", []string{"a\n:b\n", ":"}, "a\n:b\n\\:"},
		{"colons inside a line", []string{"scim: GET /Users::x\n"}, "scim: GET /Users::x\n"},
		{"old syntax anywhere", []string{"name ##[add-mask]x\n"}, "name ##\\[add-mask]x\n"},
		{"old syntax split", []string{"a #", "#", "[error]b"}, "a ##\\[error]b"},
		{"headings stay", []string{"### teamctl plan\n## [x]\n"}, "### teamctl plan\n## [x]\n"},
		{"a hash at the end is flushed", []string{"issue #"}, "issue #"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			s := newStreamSink(&b, newSecretSet(nil))
			for _, w := range tt.writes {
				if n, err := io.WriteString(s, w); err != nil || n != len(w) {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			s.Flush()
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Errorf("guarded output mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// TestSinkCommands: the commands teamctl gives pass the guard, redacted,
// in order with the text around them.
func TestSinkCommands(t *testing.T) {
	var b strings.Builder
	s := newStreamSink(&b, newSecretSet([]string{"tok-0123456789abcdef"}))
	io.WriteString(s, "before tok-01\n") // held back: it could begin the token
	writeCommands(s, func(w io.Writer) error {
		_, err := io.WriteString(w, "::group::tok-0123456789abcdef\n")
		return err
	})
	io.WriteString(s, "::error::inside\n")
	writeCommands(s, func(w io.Writer) error { _, err := io.WriteString(w, "::endgroup::\n"); return err })
	s.Flush()
	want := "before tok-01\n::group::[REDACTED]\n\\::error::inside\n::endgroup::\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("output mismatch (-want +got):\n%s", d)
	}
}

// BenchmarkStreamSink is BenchmarkRedactor through the whole stream sink:
// the redactor, then the line guard.
func BenchmarkStreamSink(b *testing.B) {
	line := []byte("  + invite ana.lopez-0042@acme.io (Ana Lopez) as operator: team.yaml:1234: declared\n")
	chunk := bytes.Repeat(line, 4096/len(line))
	b.SetBytes(int64(len(chunk)) * 2048)
	for b.Loop() {
		s := newStreamSink(io.Discard, newSecretSet([]string{"tok-4f9c2a7e1b8d6c3a5e0f9a8b7c6d5e4f3a2b1c0d"}))
		for range 2048 {
			s.Write(chunk)
		}
		s.Flush()
	}
}

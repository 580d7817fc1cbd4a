package main

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactor(t *testing.T) {
	const token = "tok-0123456789abcdef"
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"nothing secret", []string{"plan: 2 changes\n"}, "plan: 2 changes\n"},
		{"whole token", []string{"Error: " + token + "\n"}, "Error: [REDACTED]\n"},
		{"twice in one write", []string{token + " " + token}, "[REDACTED] [REDACTED]"},
		{"twice in a row", []string{token + token}, "[REDACTED]"},
		{"cut short by a message", []string{`"` + token[:12] + `…"`}, `"[REDACTED]…"`},
		{"a piece from the middle", []string{"x" + token[5:15] + "y"}, "x[REDACTED]y"},
		{"escaped by a renderer", []string{"tok\\-0123456789\\_abcdef"}, "tok\\[REDACTED]\\_abcdef"},
		{"seven bytes are no piece", []string{token[3:10]}, token[3:10]},
		{"split across writes", []string{"a tok-0123", "456789ab", "cdef b\n"}, "a [REDACTED] b\n"},
		{"one byte at a time", strings.Split("x"+token+"y", ""), "x[REDACTED]y"},
		{"a prefix that does not go on", []string{"tok-01", "x and more\n"}, "tok-01x and more\n"},
		{"a piece split across writes", []string{"see tok-01", "23 there\n"}, "see [REDACTED] there\n"},
		{"a prefix at the end is flushed", []string{"ends with tok-"}, "ends with tok-"},
		{"trimmed token from a file", []string{"tok-short\n"}, "[REDACTED]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := newRedactor(&b, []string{token, "tok-short"})
			for _, s := range tt.writes {
				n, err := w.Write([]byte(s))
				if err != nil || n != len(s) {
					t.Fatalf("Write(%q) = %d, %v; want %d, nil", s, n, err, len(s))
				}
			}
			flush(w)
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Errorf("redacted output mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// TestRedactorHoldsOnlyWhatCouldBeAToken: a prompt is shown at once, not
// at the next write.
func TestRedactorHoldsOnlyWhatCouldBeAToken(t *testing.T) {
	var b strings.Builder
	w := newRedactor(&b, []string{"tok-0123456789abcdef"})
	w.Write([]byte("Do you want to apply these changes? Only 'yes' will be accepted: "))
	if got := b.String(); !strings.HasSuffix(got, "accepted: ") {
		t.Errorf("after a write, shown %q; want the whole prompt", got)
	}
}

func TestSecrets(t *testing.T) {
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("  from-the-file \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TEAMCTL_SCIM_TOKEN": "from-env", "TEAMCTL_SCIM_TOKEN_FILE": file}
	got := secrets(func(k string) string { return env[k] })
	want := []string{"from-env", "  from-the-file \n", "from-the-file"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("secrets() mismatch (-want +got):\n%s", d)
	}
}

// TestRedactorAnySplit: however the output is split into writes, no 8
// bytes of the token in a row reach the writer, and output that holds no
// such piece passes unchanged.
func TestRedactorAnySplit(t *testing.T) {
	const token = "tok-0123456789abcdef"
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 500 {
		var text strings.Builder
		for range rng.IntN(6) {
			text.WriteString(strings.Repeat("ab c", rng.IntN(4)))
			i := rng.IntN(len(token))
			text.WriteString(token[i : i+rng.IntN(len(token)-i+1)])
		}
		in := text.String()
		var b strings.Builder
		w := newRedactor(&b, []string{token})
		for rest := in; rest != ""; {
			n := 1 + rng.IntN(len(rest))
			w.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		flush(w)
		got := b.String()
		for i := 0; i+minPiece <= len(token); i++ {
			if strings.Contains(got, token[i:i+minPiece]) {
				t.Fatalf("iteration %d: %q came out as %q, which holds %q", iter, in, got, token[i:i+minPiece])
			}
		}
		if !strings.Contains(got, redacted) && got != in {
			t.Fatalf("iteration %d: %q came out as %q", iter, in, got)
		}
	}
}

// BenchmarkRedactor writes 8 MiB of plan-like lines, 4 KiB a write,
// through a redactor holding a token.
func BenchmarkRedactor(b *testing.B) {
	line := []byte("  + invite ana.lopez-0042@acme.io (Ana Lopez) as operator: team.yaml:1234: declared\n")
	chunk := bytes.Repeat(line, 4096/len(line))
	b.SetBytes(int64(len(chunk)) * 2048)
	for b.Loop() {
		w := newRedactor(io.Discard, []string{"tok-4f9c2a7e1b8d6c3a5e0f9a8b7c6d5e4f3a2b1c0d"})
		for range 2048 {
			w.Write(chunk)
		}
		flush(w)
	}
}

// TestHideSecret: a token the SCIM client read from a pipe, which secrets
// could not, is hidden from the streams from then on.
func TestHideSecret(t *testing.T) {
	var out, errOut strings.Builder
	app := &App{IO: IOStreams{Out: newRedactor(&out, nil), ErrOut: newRedactor(&errOut, nil)}}
	io.WriteString(app.IO.Out, "before tok-0123456789abcdef\n")
	hideSecret(app, "tok-0123456789abcdef")
	io.WriteString(app.IO.Out, "after tok-0123456789abcdef\n")
	io.WriteString(app.IO.ErrOut, "Error: tok-0123456789abcdef\n")
	flush(app.IO.Out)
	flush(app.IO.ErrOut)
	if d := cmp.Diff("before tok-0123456789abcdef\nafter [REDACTED]\n", out.String()); d != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff("Error: [REDACTED]\n", errOut.String()); d != "" {
		t.Errorf("stderr mismatch (-want +got):\n%s", d)
	}
}

package main

import (
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
		{"twice in one write", []string{token + token}, "[REDACTED][REDACTED]"},
		{"split across writes", []string{"a tok-0123", "456789ab", "cdef b\n"}, "a [REDACTED] b\n"},
		{"one byte at a time", strings.Split("x"+token+"y", ""), "x[REDACTED]y"},
		{"a prefix that does not go on", []string{"tok-01", "23 and more\n"}, "tok-0123 and more\n"},
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

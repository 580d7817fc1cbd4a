//go:build unix

package journal

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOpenRefusesLinksAndPipes: a journal planted as a symbolic link (to a
// shell's rc file, say) or a named pipe is refused before it is opened, and
// the linked file is left as it was.
func TestOpenRefusesLinksAndPipes(t *testing.T) {
	const precious = "export PATH=$HOME/bin:$PATH\n"
	tests := []struct {
		name    string
		plant   func(path, victim string) error
		wantErr string
	}{
		{"symbolic link", func(path, victim string) error { return os.Symlink(victim, path) }, "is a symbolic link"},
		{"named pipe", func(path, _ string) error {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				return err
			}
			// A reader, so that a journal that opens the pipe fails
			// this test instead of waiting for one.
			r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
			if err == nil {
				t.Cleanup(func() { r.Close() })
			}
			return err
		}, "is not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "victim")
			if err := os.WriteFile(victim, []byte(precious), 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "journal.jsonl")
			if err := tt.plant(path, victim); err != nil {
				t.Skip("cannot plant here:", err)
			}
			w, err := Open(path, Apply{})
			if err == nil {
				w.Close()
				t.Fatalf("Open() of a %s succeeded, want an error", tt.name)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Open() error = %v, want %q", err, tt.wantErr)
			}
			if got, _ := os.ReadFile(victim); string(got) != precious {
				t.Errorf("the linked file now holds %q", got)
			}
		})
	}
}

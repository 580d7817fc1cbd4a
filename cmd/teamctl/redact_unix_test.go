//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSecretsLeavesAPipe: a token file that is a pipe can be read once,
// and that read is the SCIM client's: secrets leaves it alone.
func TestSecretsLeavesAPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "token")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no mkfifo here:", err)
	}
	go func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			io.WriteString(w, "piped-token\n")
			w.Close()
		}
	}()
	env := map[string]string{"TEAMCTL_SCIM_TOKEN_FILE": fifo, "TEAMCTL_SCIM_TOKEN": "from-env"}
	got := secrets(func(k string) string { return env[k] })
	if d := cmp.Diff([]string{"from-env"}, got); d != "" {
		t.Fatalf("secrets() mismatch (-want +got):\n%s", d)
	}
	data, err := os.ReadFile(fifo) // what the SCIM client reads
	if err != nil || string(data) != "piped-token\n" {
		t.Errorf("the pipe then gave %q, %v; want the token", data, err)
	}
}

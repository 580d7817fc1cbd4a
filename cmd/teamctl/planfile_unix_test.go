//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWritePlanFile: a saved plan is 0600 (it lists the roster), whether
// new or replacing one, and a file hard-linked to the old one is not
// overwritten.
func TestWritePlanFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if err := writePlanFile(path, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other")
	if err := os.Link(path, other); err != nil {
		t.Skip("no hard links here:", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writePlanFile(path, []byte("{\"new\": true}\n")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("saved plan is %v, want -rw-------", got)
	}
	if got, _ := os.ReadFile(other); string(got) != "{}\n" {
		t.Errorf("the file linked to the old plan now holds %q", got)
	}
	if got, _ := os.ReadFile(path); string(got) != "{\"new\": true}\n" {
		t.Errorf("plan file holds %q", got)
	}
}

package schema

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds the loader arbitrary bytes: it must never panic, and every
// diagnostic must point at a line of the file.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../examples/*.yaml")
	more, _ := filepath.Glob("../examples/*/*.yaml")
	for _, name := range append(seeds, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(validTeam))
	f.Add([]byte(billionLaughs))
	f.Add([]byte("version: 1\nworkspace: x\nadmins:\n\t- email: a@b.io\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("version: 1\n---\nversion: 1\n"))
	f.Add([]byte("{a: [b, {c: d}], e: &x f, g: *x}"))

	dir := f.TempDir()
	name := filepath.Join(dir, "team.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		team, err := Load(name)
		if err == nil {
			Validate(team, testNow)
			return
		}
		var ds Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("Load() error is %T, not Diagnostics: %v", err, err)
		}
		if len(ds) == 0 {
			t.Fatal("Load() returned empty Diagnostics")
		}
		for _, d := range ds {
			if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Pos.File != name {
				t.Errorf("diagnostic without a place in the file: %q", d.Error())
			}
		}
	})
}

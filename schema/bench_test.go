package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hostileSize is the size of the hostile inputs: large enough that the
// loader's fixed costs vanish, small enough for make test. What the loader
// allocates per input byte at this size bounds it at MaxSize.
const hostileSize = 1 << 20

// maxAllocPerByte bounds what Load and Validate allocate per input byte:
// at MaxSize, 160 × 8 MiB = 1.25 GiB at worst (a flow list of one-digit
// scalars: one YAML node per two bytes, and go-yaml's node is large); a
// real roster of 100,000 people takes about 30 bytes per byte.
const maxAllocPerByte = 160

// hostileInputs are inputs of hostileSize, each built to cost the most of
// one part of the loader.
func hostileInputs() map[string]string {
	fill := func(prefix, unit string) string {
		n := (hostileSize - len(prefix) - 2) / len(unit)
		return prefix + strings.Repeat(unit, n)
	}
	return map[string]string{
		"flow list of scalars": fill("version: 1\nworkspace: x\nadmins: [", "1,") + "]",
		"flow list of maps":    fill("version: 1\nworkspace: x\nadmins: [", "{},") + "]",
		"block list":           fill("version: 1\nworkspace: x\nadmins:\n", "- {}\n"),
		"many keys":            fill("", "k: 1\n"),
		"deep flow nesting":    fill("workspace: ", "["),
		"aliases":              fill("version: 1\nworkspace: &w x\nadmins: [", "*w,") + "]",
		"long scalar":          fill("version: 1\nworkspace: ", "x"),
		"people":               fill("version: 1\nworkspace: x\nadmins:\n", "  - email: dana@acme.io\n    name: Dana Ortiz\n"),
	}
}

// TestLoadHostileMemory bounds what the loader allocates (in total, which
// bounds its peak) per input byte for the worst inputs.
func TestLoadHostileMemory(t *testing.T) {
	const limit = maxAllocPerByte * hostileSize
	for name, src := range hostileInputs() {
		t.Run(name, func(t *testing.T) {
			if len(src) > MaxSize {
				t.Fatalf("input is %d bytes, more than MaxSize", len(src))
			}
			writeFiles(t, map[string]string{"team.yaml": src})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			team, err := Load("team.yaml")
			if err == nil {
				Validate(team, testNow)
			}
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > limit {
				t.Errorf("Load allocated %d MiB, more than %d MiB", got>>20, limit>>20)
			}
		})
	}
}

func BenchmarkLoadHostile(b *testing.B) {
	dir := b.TempDir()
	for name, src := range hostileInputs() {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".yaml")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if team, err := Load(path); err == nil {
					Validate(team, testNow)
				}
			}
		})
	}
}

// BenchmarkLoadValidate loads and checks teams of realistic sizes.
func BenchmarkLoadValidate(b *testing.B) {
	for _, n := range []int{10, 1000} {
		var sb strings.Builder
		sb.WriteString("version: 1\nworkspace: acme\ninvite_note: Open Campaigns on first login, please.\n")
		sb.WriteString("admins:\n  - email: a0@acme.io\n  - email: a1@acme.io\nbackups:\n  admin: a1@acme.io\noperators:\n")
		for i := range n {
			fmt.Fprintf(&sb, "  - email: op%d@acme.io\n    name: Operator %d\n", i, i)
		}
		sb.WriteString("reviewers:\n  - email: r@acme.io\nworkflows:\n")
		for i := range n / 2 {
			fmt.Fprintf(&sb, "  - name: campaign %d\n    owner: op%d@acme.io\n    backups: [op%d@acme.io]\n", i, 2*i, 2*i+1)
		}
		path := filepath.Join(b.TempDir(), "team.yaml")
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			b.SetBytes(int64(sb.Len()))
			for b.Loop() {
				team, err := Load(path)
				if err != nil {
					b.Fatal(err)
				}
				Validate(team, testNow)
			}
		})
	}
}

package schema_test

import (
	"os"
	"testing"

	"github.com/teamctl/teamctl/reconcile/synth"
	"github.com/teamctl/teamctl/schema"
	"go.yaml.in/yaml/v3"
)

// BenchmarkYAMLDecode is the floor Load is measured against: go-yaml
// decoding the same team file into a node tree, and nothing more.
func BenchmarkYAMLDecode(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		data := synth.BenchFixture(b, n).Team
		synth.PerPerson(b, n, func() {
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkLoad reads, checks and merges a team file of each size.
func BenchmarkLoad(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		path, _ := synth.BenchFiles(b, n)
		synth.PerPerson(b, n, func() {
			if _, err := schema.Load(path); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkValidate checks every offline rule.
func BenchmarkValidate(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		path, _ := synth.BenchFiles(b, n)
		team, err := schema.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		synth.PerPerson(b, n, func() {
			if fs := schema.Validate(team, synth.BenchNow); len(fs) > 0 {
				b.Fatalf("%d findings", len(fs))
			}
		})
	})
}

// The team files of the benchmarks are not empty: a cheap guard against
// measuring nothing.
func TestBenchFixture(t *testing.T) {
	path, _ := synth.BenchFiles(t, synth.Sizes[0])
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if least := int64(synth.Sizes[0]) * 40; info.Size() < least {
		t.Errorf("team file %s holds %d bytes, want at least %d", path, info.Size(), least)
	}
}

package synth

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile/local"
)

// Sizes are the roster sizes of the published benchmarks.
var Sizes = []int{1_000, 10_000, 100_000}

// BenchNow is the clock of the benchmarks' fixtures and plans.
var BenchNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// SizeName names a roster size for a sub-benchmark: "people=10k".
func SizeName(people int) string {
	if people%1000 == 0 {
		return "people=" + strconv.Itoa(people/1000) + "k"
	}
	return "people=" + strconv.Itoa(people)
}

// EachSize runs bench as a sub-benchmark for each of Sizes, named by
// SizeName.
func EachSize(b *testing.B, bench func(b *testing.B, people int)) {
	for _, n := range Sizes {
		b.Run(SizeName(n), func(b *testing.B) { bench(b, n) })
	}
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*Fixture{}
)

// BenchFixture returns the fixture of the benchmarks for a roster of
// people: DefaultDrift, seed 1, BenchNow. It is made once per process and
// shared: callers must not change it.
func BenchFixture(tb testing.TB, people int) *Fixture {
	tb.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[people]; ok {
		return f
	}
	f, err := Generate(Options{People: people, Drift: DefaultDrift, Seed: 1, Now: BenchNow})
	if err != nil {
		tb.Fatal(err)
	}
	fixtures[people] = f
	return f
}

// BenchFiles writes the benchmark fixture for people to a temporary
// directory of tb and returns the team file and the workspace file.
func BenchFiles(tb testing.TB, people int) (team, workspace string) {
	tb.Helper()
	team, workspace, err := BenchFixture(tb, people).Write(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return team, workspace
}

// PerPerson runs f in b's loop and reports, besides Go's own figures, the
// time and the bytes allocated per person of the roster: the figures that
// show whether a stage grows linearly.
func PerPerson(b *testing.B, people int, f func()) {
	b.Helper()
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		f()
	}
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(people)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/person")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/person")
}

// BenchInvitedFiles writes the team file of the benchmark fixture for
// people to a temporary directory of tb, with the workspace an apply of it
// into an empty one leaves at BenchNow (Fixture.Invited), and returns
// their paths.
func BenchInvitedFiles(tb testing.TB, people int) (team, workspace string) {
	tb.Helper()
	f := BenchFixture(tb, people)
	dir := tb.TempDir()
	team, workspace = filepath.Join(dir, "team.yaml"), filepath.Join(dir, "invited.json")
	if err := os.WriteFile(team, f.Team, 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := local.Save(workspace, f.Invited(BenchNow)); err != nil {
		tb.Fatal(err)
	}
	return team, workspace
}

package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile/synth"
	"go.yaml.in/yaml/v3"
)

// BenchmarkPlan runs the whole `teamctl plan` command on the file:
// workspace for each roster size (5% drift): load, validate, read the
// workspace, diff and print the plan. Compare it with BenchmarkYAMLDecode
// in package schema, the floor: decoding the same team file alone.
func BenchmarkPlan(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		team, ws := synth.BenchFiles(b, n)
		benchCommand(b, n, "plan", "-f", team, "-w", "file:"+ws)
	})
}

// BenchmarkPlanInvited is BenchmarkPlan against the workspace that an
// apply of the same team into an empty workspace leaves (issue 13): every
// person a pending invite, nothing to change, every invite listed with its
// age.
func BenchmarkPlanInvited(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		team, ws := synth.BenchInvitedFiles(b, n)
		benchCommand(b, n, "plan", "-f", team, "-w", "file:"+ws)
	})
}

// benchApp is the App of the benchmarks: no terminal, output discarded,
// the benchmarks' clock.
func benchApp() *App {
	return &App{
		IO:     IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard},
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return synth.BenchNow },
	}
}

// benchCommand runs teamctl with args in b's loop, per person of a roster
// of n, and fails on any exit code but 0.
func benchCommand(b *testing.B, n int, args ...string) {
	b.Helper()
	app := benchApp()
	synth.PerPerson(b, n, func() {
		if code := execute(context.Background(), app, args); code != exitOK {
			b.Fatalf("teamctl %s exited %d", args[0], code)
		}
	})
}

// BenchmarkApply runs `teamctl apply --auto-approve` of each roster size
// into an empty file: workspace (issue 13): every person an invite, three
// phases (admins, operators, reviewers), each change journalled as started
// and then with its outcome.
func BenchmarkApply(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		team, _ := synth.BenchFiles(b, n)
		dir := b.TempDir()
		app := benchApp()
		synth.PerPerson(b, n, func() { benchApply(b, app, team, dir) })
	})
}

// benchApply applies team into an empty file workspace in a fresh
// directory below dir, with its journal beside it, and returns the
// workspace's path. The directory of the one before is removed first.
func benchApply(b *testing.B, app *App, team, dir string) string {
	b.Helper()
	ws := filepath.Join(dir, "apply", "workspace.json")
	if err := os.RemoveAll(filepath.Dir(ws)); err != nil {
		b.Fatal(err)
	}
	args := []string{"apply", "--auto-approve", "-f", team, "-w", "file:" + ws}
	if code := execute(context.Background(), app, args); code != exitOK {
		b.Fatalf("teamctl apply exited %d", code)
	}
	return ws
}

// BenchmarkApplyRatios measures, in one run, the figures issue 13 sets
// its targets by, and reports their ratios: an apply of 10,000 invites and
// of 100,000 into an empty file workspace, a plan of the 100,000 against
// the workspace that apply wrote (22 MB, every person a pending invite),
// each run as its own teamctl process as a user runs it, and a bare YAML
// decode of the team file, the floor, in this process. Each of its runs
// takes several seconds; run it with -benchtime=1x -count=3 for medians.
//
//	apply-100k/apply-10k   at most 12
//	apply-100k/plan-100k   at most 4
//	plan-100k/yaml-100k    at most 2
//
// The ratios are of wall time; the cpu- ones are of the CPU time (user and
// system) that the step used, which other processes on a shared machine
// disturb less. plan reads the team file and the workspace on two
// goroutines, so its CPU time is more than its wall time on an idle
// machine.
func BenchmarkApplyRatios(b *testing.B) {
	bin := buildTeamctl(b, b.TempDir())
	team10k, _ := synth.BenchFiles(b, 10_000)
	team100k, _ := synth.BenchFiles(b, 100_000)
	data := synth.BenchFixture(b, 100_000).Team
	dir := b.TempDir()
	type cost struct{ wall, cpu time.Duration }
	var apply10k, apply100k, plan100k, yaml100k cost
	// run runs teamctl and adds its wall and CPU time to c.
	run := func(c *cost, args ...string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("teamctl %s: %v\n%s", args[0], err, stderr.String())
		}
		c.wall += time.Since(start)
		c.cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	for b.Loop() {
		if err := os.RemoveAll(filepath.Join(dir, "ws")); err != nil {
			b.Fatal(err)
		}
		ws10k, ws100k := filepath.Join(dir, "ws", "10k", "workspace.json"), filepath.Join(dir, "ws", "100k", "workspace.json")
		run(&apply10k, "apply", "--auto-approve", "-f", team10k, "-w", "file:"+ws10k)
		run(&apply100k, "apply", "--auto-approve", "-f", team100k, "-w", "file:"+ws100k)
		run(&plan100k, "plan", "-f", team100k, "-w", "file:"+ws100k)
		runtime.GC() // none of the garbage above
		start, startCPU := time.Now(), cpuTime()
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			b.Fatal(err)
		}
		yaml100k.wall += time.Since(start)
		yaml100k.cpu += cpuTime() - startCPU
	}
	n := float64(b.N)
	for _, m := range []struct {
		name string
		c    cost
	}{{"apply-10k", apply10k}, {"apply-100k", apply100k}, {"plan-100k", plan100k}, {"yaml-100k", yaml100k}} {
		b.ReportMetric(m.c.wall.Seconds()/n, "s-"+m.name)
	}
	ratio := func(name string, x, y cost) {
		b.ReportMetric(float64(x.wall)/float64(y.wall), name)
		if x.cpu > 0 && y.cpu > 0 {
			b.ReportMetric(float64(x.cpu)/float64(y.cpu), "cpu-"+name)
		}
	}
	ratio("apply-100k/apply-10k", apply100k, apply10k)
	ratio("apply-100k/plan-100k", apply100k, plan100k)
	ratio("plan-100k/yaml-100k", plan100k, yaml100k)
}

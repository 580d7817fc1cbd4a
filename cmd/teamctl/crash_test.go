package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// The crash tests run the real teamctl binary, kill it (SIGKILL) or
// interrupt it (SIGINT) at pseudo-random points of a long apply, from
// fixed seeds, and check what a crash must never break: the workspace
// parses, nobody declared is lost, nobody gets a role that is neither the
// old nor the declared one, the admin floor holds, the journal records
// nothing that did not happen, and the next apply converges to the state
// an uninterrupted apply reaches.

// crashPeople sizes the team of the file crash tests: n operators, n
// reviewers and n/4 undeclared members to remove, so that an apply is long
// (about 2,000 changes in six phases, each a large batch: its journal
// write, the workspace's write and rename) and a kill lands in any stage
// of it.
const crashPeople = 1000

// crashTeam writes a team of three admins, n operators and n reviewers.
// a0 applies it.
func crashTeam(n int) string {
	var b strings.Builder
	b.WriteString(`version: 1
workspace: acme
invite_note: Welcome! Open Campaigns or Call Review on first login and say hello in #launch.
admins:
  - email: a0@acme.io
  - email: a1@acme.io
  - email: a2@acme.io
operators:
`)
	for i := range n {
		fmt.Fprintf(&b, "  - email: o%03d@acme.io\n", i)
	}
	b.WriteString("reviewers:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - email: r%03d@acme.io\n", i)
	}
	b.WriteString(`backups:
  admin: [a1@acme.io, a2@acme.io]
workflows:
  - name: billing
    owner: a0@acme.io
    backups: [a1@acme.io]
  - name: settings
    owner: a1@acme.io
    backups: [a2@acme.io]
  - name: recovery
    owner: a2@acme.io
    backups: [a0@acme.io]
approvers:
  operators: ["@acme/sales-ops"]
  reviewers: ["@acme/sdr-leadership"]
policy:
  prune: true
  max_removals: 10000
`)
	return b.String()
}

// crashMember is a member of the starting workspace.
type crashMember struct {
	email  string
	role   schema.Role
	status reconcile.Status
}

// crashStart is the workspace before the apply: a plan with every phase.
// Operators: a fifth missing (invite), a fifth reviewers (promote), a fifth
// admins (demote), a fifth invited as reviewers (update-invite), a fifth
// right. Reviewers: a third missing, a third right, a third operators
// (demote). a1 is an operator (promote), a2 missing; n/4 undeclared.
func crashStart(n int) []crashMember {
	ms := []crashMember{
		{"a0@acme.io", schema.Admin, reconcile.Active},
		{"a1@acme.io", schema.Operator, reconcile.Active},
	}
	for i := range n {
		e := fmt.Sprintf("o%03d@acme.io", i)
		switch i % 5 {
		case 1:
			ms = append(ms, crashMember{e, schema.Reviewer, reconcile.Active})
		case 2:
			ms = append(ms, crashMember{e, schema.Admin, reconcile.Active})
		case 3:
			ms = append(ms, crashMember{e, schema.Reviewer, reconcile.Invited})
		case 4:
			ms = append(ms, crashMember{e, schema.Operator, reconcile.Active})
		}
	}
	for i := range n {
		e := fmt.Sprintf("r%03d@acme.io", i)
		switch i % 3 {
		case 1:
			ms = append(ms, crashMember{e, schema.Reviewer, reconcile.Active})
		case 2:
			ms = append(ms, crashMember{e, schema.Operator, reconcile.Active})
		}
	}
	for i := range n / 4 {
		status := reconcile.Active
		if i%2 == 1 {
			status = reconcile.Invited
		}
		ms = append(ms, crashMember{fmt.Sprintf("u%03d@acme.io", i), schema.Operator, status})
	}
	return ms
}

// writeFileWorkspace writes ms as a file workspace document.
func writeFileWorkspace(t *testing.T, path string, ms []crashMember) {
	t.Helper()
	type member struct {
		Email           string     `json:"email"`
		Role            string     `json:"role"`
		Status          string     `json:"status"`
		InvitedAt       *time.Time `json:"invited_at,omitempty"`
		InviteExpiresAt *time.Time `json:"invite_expires_at,omitempty"`
	}
	doc := struct {
		Name             string   `json:"name"`
		SettingsComplete bool     `json:"settings_complete"`
		SettingsMissing  []string `json:"settings_missing"`
		Members          []member `json:"members"`
	}{Name: "acme", SettingsComplete: true, SettingsMissing: []string{}}
	sent := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
	expires := sent.Add(30 * 24 * time.Hour)
	for _, m := range ms {
		mm := member{Email: m.email, Role: string(m.role), Status: string(m.status)}
		if m.status == reconcile.Invited {
			mm.InvitedAt, mm.InviteExpiresAt = &sent, &expires
		}
		doc.Members = append(doc.Members, mm)
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildTeamctl builds the teamctl binary into dir.
func buildTeamctl(t testing.TB, dir string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills teamctl processes; skipped with -short")
	}
	bin := filepath.Join(dir, "teamctl")
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// teamctlOnPath returns the teamctl that TestMain puts on $PATH: this test
// binary, which runs as teamctl when called by that name (testscript.Main),
// with no go build to wait for.
func teamctlOnPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("kills teamctl processes; skipped with -short")
	}
	bin, err := exec.LookPath("teamctl")
	if err != nil {
		t.Fatalf("teamctl is not on $PATH, where TestMain puts it: %v", err)
	}
	return bin
}

// crashEnv is where one run of teamctl happens.
type crashEnv struct {
	bin, dir  string
	workspace string   // the workspace URL
	extraEnv  []string // TEAMCTL_SCIM_TOKEN for SCIM
}

func (e *crashEnv) command(args ...string) *exec.Cmd {
	cmd := exec.Command(e.bin, args...)
	cmd.Dir = e.dir
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + e.dir, "NO_COLOR=1",
		"TEAMCTL_WORKSPACE=" + e.workspace, "TEAMCTL_ACTOR=a0@acme.io",
	}, e.extraEnv...)
	return cmd
}

// run runs teamctl to the end and returns its exit code and output.
func (e *crashEnv) run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := e.command(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	}
	t.Fatalf("teamctl %s: %v", strings.Join(args, " "), err)
	return 0, ""
}

// converge applies again and checks that nothing is left to do.
func (e *crashEnv) converge(t *testing.T) {
	t.Helper()
	if code, out := e.run(t, "apply", "--auto-approve"); code != 0 {
		t.Fatalf("the apply after the crash exited %d:\n%s", code, out)
	}
	if code, out := e.run(t, "plan", "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan after the converging apply exited %d, want 0 (no changes):\n%s", code, out)
	}
}

// interrupted is how a run of apply ended.
type interrupted struct {
	code     int  // exit code, -1 when killed by a signal
	signaled bool // ended by the signal itself (before teamctl handled it)
	out      string
}

// startAndSignal starts apply, waits until ready says so (or delay), and
// sends sig.
func (e *crashEnv) startAndSignal(t *testing.T, sig os.Signal, ready func() bool) interrupted {
	t.Helper()
	cmd := e.command("apply", "--auto-approve")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !ready() && time.Now().Before(deadline) {
		select {
		case err := <-done:
			return ended(t, err, out.String()) // finished before the signal
		case <-time.After(time.Millisecond):
		}
	}
	cmd.Process.Signal(sig)
	return ended(t, <-done, out.String())
}

func ended(t *testing.T, err error, out string) interrupted {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return interrupted{code: 0, out: out}
	case errors.As(err, &ee):
		ws, _ := ee.Sys().(syscall.WaitStatus)
		return interrupted{code: ee.ExitCode(), signaled: ws.Signaled(), out: out}
	}
	t.Fatal(err)
	return interrupted{}
}

// roster is a workspace's people: identity to "role status".
type roster map[string]string

func fileRoster(t *testing.T, path string) roster {
	t.Helper()
	live, err := local.New(path).Snapshot(context.Background())
	if err != nil {
		t.Fatalf("the workspace file is corrupt after the crash: %v", err)
	}
	r := roster{}
	for _, m := range live.Members {
		if _, dup := r[m.Key()]; dup {
			t.Errorf("%s is in the workspace twice", m.Email)
		}
		r[m.Key()] = string(m.Role) + " " + string(m.Status)
	}
	return r
}

// checkMidway checks a workspace left by a crash against the state before
// (start) and the declared roles: nobody appears who is neither, nobody
// declared is lost, every role is the old or the declared one, and the
// admin floor holds (the smaller of the active admins before and after:
// in crashStart, 2 after: a0 and a1; a2 is only invited).
func checkMidway(t *testing.T, got roster, start []crashMember, declared map[string]schema.Role, floor int) {
	t.Helper()
	before := map[string]crashMember{}
	for _, m := range start {
		before[m.email] = m
	}
	admins := 0
	for email, state := range got {
		role, status, _ := strings.Cut(state, " ")
		if role == string(schema.Admin) && status == string(reconcile.Active) {
			admins++
		}
		old, was := before[email]
		want, isDeclared := declared[email]
		switch {
		case !was && !isDeclared:
			t.Errorf("%s appeared in the workspace, though neither there before nor declared", email)
		case role != string(old.role) && role != string(want):
			t.Errorf("%s holds %s, neither its old role %q nor its declared %q", email, role, old.role, want)
		}
	}
	for email := range declared {
		if _, was := before[email]; was {
			if _, ok := got[email]; !ok {
				t.Errorf("%s was in the workspace and is declared, but is gone after the crash", email)
			}
		}
	}
	if admins < floor {
		t.Errorf("%d active admins after the crash, below the floor %d", admins, floor)
	}
}

// checkJournal checks that every line of the journal parses, that every
// change it says was applied shows in the workspace, and that every change
// the workspace shows since start is in the journal (started, at least):
// nothing is done without a trace.
func checkJournal(t *testing.T, path string, start []crashMember, got roster) []journal.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	// A kill in the middle of a write may cut the last line short, and
	// nothing else (journal's package doc says why it is never needed).
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		t.Logf("the kill cut the journal's last line short: %q", data[i+1:])
		data = data[:i+1]
	}
	recs, err := journal.Read(data)
	if err != nil {
		t.Errorf("the journal holds a broken line: %v", err)
	}
	traced := map[string]bool{}
	for _, r := range recs {
		traced[schema.Key(r.Email)] = true
	}
	before := roster{}
	for _, m := range start {
		before[m.email] = string(m.role) + " " + string(m.status)
	}
	for k := range before {
		if _, ok := got[k]; !ok && !traced[k] {
			t.Errorf("%s left the workspace without a journal record", k)
		}
	}
	for k, state := range got {
		if state != before[k] && !traced[k] {
			t.Errorf("%s changed from %q to %q without a journal record", k, before[k], state)
		}
	}
	for _, r := range recs {
		if r.Result != string(reconcile.Applied) {
			continue
		}
		state, present := got[schema.Key(r.Email)]
		switch reconcile.Action(r.Action) {
		case reconcile.Remove, reconcile.CancelInvite:
			if present {
				t.Errorf("the journal says %s of %s was applied, but the workspace still has %s", r.Action, r.Email, state)
			}
		default:
			if !present || !strings.HasPrefix(state, r.RoleAfter+" ") {
				t.Errorf("the journal says %s of %s to %s was applied, but the workspace has %q", r.Action, r.Email, r.RoleAfter, state)
			}
		}
	}
	return recs
}

func declaredRoles(n int) map[string]schema.Role {
	d := map[string]schema.Role{"a0@acme.io": schema.Admin, "a1@acme.io": schema.Admin, "a2@acme.io": schema.Admin}
	for i := range n {
		d[fmt.Sprintf("o%03d@acme.io", i)] = schema.Operator
		d[fmt.Sprintf("r%03d@acme.io", i)] = schema.Reviewer
	}
	return d
}

// newFileCrashEnv sets up a directory with the team and the starting file
// workspace.
func newFileCrashEnv(t *testing.T, bin string) (*crashEnv, string) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(crashTeam(crashPeople)), 0o644); err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(dir, "ws.json")
	writeFileWorkspace(t, ws, crashStart(crashPeople))
	return &crashEnv{bin: bin, dir: dir, workspace: "file:ws.json"}, ws
}

// spreadKills returns the time after its start at which run k of runs
// is signalled: one at random in each k-th of d, so that the kill points
// of a test spread evenly over an apply that takes d.
func spreadKills(r *rand.Rand, k, runs int, d time.Duration) time.Duration {
	return time.Duration((float64(k) + r.Float64()) / float64(runs) * float64(d))
}

// after returns a readiness test for startAndSignal that is true once d
// has passed since its first call, when the command has just started.
func after(d time.Duration) func() bool {
	var start time.Time
	return func() bool {
		if start.IsZero() {
			start = time.Now()
		}
		return time.Since(start) >= d
	}
}

func TestCrash(t *testing.T) {
	bin := teamctlOnPath(t)
	declared := declaredRoles(crashPeople)

	// The state an uninterrupted apply reaches, and how long it takes.
	ref, refWS := newFileCrashEnv(t, bin)
	start := time.Now()
	if code, out := ref.run(t, "apply", "--auto-approve"); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	d := time.Since(start)
	want := fileRoster(t, refWS)
	t.Logf("an apply of %d people takes %v", len(declared), d.Round(time.Millisecond))

	// Run k of n is signalled at a random time in the k-th n-th of d,
	// from the start of the process: while teamctl starts, loads and
	// plans, journals a batch as started, writes the workspace, journals
	// the outcomes, and after it has finished.
	t.Run("file/SIGKILL", func(t *testing.T) {
		const runs = 10
		for seed := range uint64(runs) {
			r := rand.New(rand.NewPCG(seed, 7))
			env, ws := newFileCrashEnv(t, bin)
			at := spreadKills(r, int(seed), runs, d)
			end := env.startAndSignal(t, syscall.SIGKILL, after(at))
			got := fileRoster(t, ws)
			checkMidway(t, got, crashStart(crashPeople), declared, 2)
			recs := checkJournal(t, filepath.Join(env.dir, "journal.jsonl"), crashStart(crashPeople), got)
			t.Logf("seed %d: killed at %v: exit %d (signaled %v), %d records journaled", seed, at.Round(time.Millisecond), end.code, end.signaled, len(recs))
			env.converge(t)
			if tmp, _ := filepath.Glob(filepath.Join(env.dir, ".ws.json.tmp-*")); len(tmp) > 0 {
				t.Errorf("seed %d: temporary files left after the crash and a second apply: %q", seed, tmp)
			}
			if d := diffRoster(want, fileRoster(t, ws)); d != "" {
				t.Errorf("seed %d: after the crash and a second apply, the workspace differs from an uninterrupted apply's:\n%s", seed, d)
			}
		}
	})

	t.Run("file/SIGINT", func(t *testing.T) {
		const runs = 6
		for seed := range uint64(runs) {
			r := rand.New(rand.NewPCG(seed, 11))
			env, ws := newFileCrashEnv(t, bin)
			at := spreadKills(r, int(seed), runs, d)
			end := env.startAndSignal(t, os.Interrupt, after(at))
			got := fileRoster(t, ws)
			checkMidway(t, got, crashStart(crashPeople), declared, 2)
			recs := checkJournal(t, filepath.Join(env.dir, "journal.jsonl"), crashStart(crashPeople), got)
			applied := checkInterruptReport(t, end, recs)
			t.Logf("seed %d: Ctrl-C at %v: exit %d (signaled %v), %d applied", seed, at.Round(time.Millisecond), end.code, end.signaled, applied)
			env.converge(t)
			if d := diffRoster(want, fileRoster(t, ws)); d != "" {
				t.Errorf("seed %d: after Ctrl-C and a second apply, the workspace differs from an uninterrupted apply's:\n%s", seed, d)
			}
		}
	})

	for name, sig := range map[string]syscall.Signal{"SIGKILL": syscall.SIGKILL, "SIGINT": syscall.SIGINT} {
		t.Run("scim/"+name, func(t *testing.T) {
			for seed := range uint64(5) {
				r := rand.New(rand.NewPCG(seed, 13+uint64(sig)))
				n := 20
				env, srv := newSCIMCrashEnv(t, bin, n)
				// Signal after a random number of writes reached the server.
				after := 1 + r.IntN(2*n)
				end := env.startAndSignal(t, sig, func() bool { return srv.Counts()["writes"] >= after })
				checkSCIMMidway(t, srv, n)
				if sig == syscall.SIGINT {
					data, _ := os.ReadFile(filepath.Join(env.dir, journal.DefaultPath))
					recs, err := journal.Read(data)
					if err != nil {
						t.Errorf("the journal holds a broken line: %v", err)
					}
					checkInterruptReport(t, end, recs)
				}
				t.Logf("seed %d: %v after %d writes: exit %d (signaled %v)", seed, sig, after, end.code, end.signaled)
				srv.SetFaults(scimtest.Faults{})
				env.converge(t)
				if d := diffRoster(scimWant(n), scimRoster(t, srv)); d != "" {
					t.Errorf("seed %d (%v after %d writes, exit %d): after a second apply, the SCIM workspace is not as declared:\n%s", seed, sig, after, end.code, d)
				}
			}
		})
	}

	// A thousand people onboarding into a provider that rations writes:
	// Ctrl-C lands while the apply is paced, the journal and the report
	// say where it stopped, and a second apply finishes without making
	// anyone twice.
	t.Run("scim/SIGINT/1000 people, rate-limited", func(t *testing.T) {
		const n = 500 // 2n people declared besides the admins
		r := rand.New(rand.NewPCG(1, 17))
		env, srv := newSCIMCrashEnv(t, bin, n)
		srv.SetRateLimit(scimtest.RateLimit{Writes: 150, Reads: 300})
		after := 200 + r.IntN(600)
		end := env.startAndSignal(t, syscall.SIGINT, func() bool { return srv.Counts()["writes"] >= after })
		checkSCIMMidway(t, srv, n)
		data, _ := os.ReadFile(filepath.Join(env.dir, journal.DefaultPath))
		recs, err := journal.Read(data)
		if err != nil {
			t.Errorf("the journal holds a broken line: %v", err)
		}
		applied := checkInterruptReport(t, end, recs)
		t.Logf("Ctrl-C after %d writes: exit %d (signaled %v), %d applied, %d answered 429", after, end.code, end.signaled, applied, srv.Counts()["429"])
		env.converge(t)
		if d := diffRoster(scimWant(n), scimRoster(t, srv)); d != "" {
			t.Errorf("after Ctrl-C and a second apply, the SCIM workspace is not as declared:\n%s", d)
		}
	})
}

// checkInterruptReport checks what an apply stopped by Ctrl-C says: it
// exits 0 when it was done before the signal, else 1 with the count of
// what was applied and not attempted, which the journal agrees with.
func checkInterruptReport(t *testing.T, end interrupted, recs []journal.Record) (applied int) {
	t.Helper()
	if end.signaled {
		return -1 // interrupted before teamctl set up its handler: a crash
	}
	if end.code == 0 {
		if !strings.Contains(end.out, "Apply complete!") && !strings.Contains(end.out, "No changes.") {
			t.Errorf("apply exited 0 after Ctrl-C without completing:\n%s", end.out)
		}
		return len(recs)
	}
	if end.code != 1 {
		t.Fatalf("apply exited %d after Ctrl-C, want 0 or 1:\n%s", end.code, end.out)
	}
	var failed, notAttempted int
	i := strings.Index(end.out, "Apply failed: ")
	if i < 0 {
		// Stopped before the apply began (while reading the workspace):
		// an error, and nothing done.
		if len(recs) != 0 {
			t.Errorf("apply stopped before it began, yet the journal has %d records:\n%s", len(recs), end.out)
		}
		return 0
	}
	if _, err := fmt.Sscanf(end.out[i:], "Apply failed: %d applied, %d failed, %d not attempted.", &applied, &failed, &notAttempted); err != nil {
		t.Fatalf("no summary after Ctrl-C: %v\n%s", err, end.out)
	}
	if failed != 0 || notAttempted == 0 {
		t.Errorf("after Ctrl-C: %d failed, %d not attempted; want 0 failed and some not attempted:\n%s", failed, notAttempted, end.out)
	}
	if got := strings.Count(end.out, "not attempted: apply stopped: interrupt signal received"); got != notAttempted {
		t.Errorf("%d changes say apply stopped at the interrupt, want %d", got, notAttempted)
	}
	var journaled int
	for _, r := range recs {
		if r.Result == string(reconcile.Applied) {
			journaled++
		}
	}
	if journaled != applied {
		t.Errorf("the report says %d applied, the journal %d", applied, journaled)
	}
	return applied
}

func diffRoster(want, got roster) string {
	var lines []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			lines = append(lines, fmt.Sprintf("  %s: want %q, got %q", k, w, g))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			lines = append(lines, fmt.Sprintf("  %s: not wanted, got %q", k, g))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// newSCIMCrashEnv starts a SCIM server holding a0 (admin), half the
// operators as reviewers and two undeclared users, with latency, so that
// an apply takes a while.
func newSCIMCrashEnv(t *testing.T, bin string, n int) (*crashEnv, *scimtest.Server) {
	t.Helper()
	srv, err := scimtest.Start(scimtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	groups := map[schema.Role]string{
		schema.Admin:    srv.AddGroup("Admins"),
		schema.Operator: srv.AddGroup("Operators"),
		schema.Reviewer: srv.AddGroup("Reviewers"),
	}
	add := func(email string, role schema.Role) {
		id := srv.AddUser(scimtest.User{UserName: email, Emails: []string{email}, Active: true})
		srv.AddMember(groups[role], id)
	}
	add("a0@acme.io", schema.Admin)
	for i := 0; i < n; i += 2 {
		add(fmt.Sprintf("o%03d@acme.io", i), schema.Reviewer)
	}
	add("u000@acme.io", schema.Operator)
	add("u001@acme.io", schema.Reviewer)
	srv.SetFaults(scimtest.Faults{Latency: 2 * time.Millisecond})

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(crashTeam(n)), 0o644); err != nil {
		t.Fatal(err)
	}
	return &crashEnv{bin: bin, dir: dir, workspace: srv.URL, extraEnv: []string{"TEAMCTL_SCIM_TOKEN=" + srv.Token()}}, srv
}

// scimRoster is the SCIM workspace's active users with their role groups.
func scimRoster(t *testing.T, srv *scimtest.Server) roster {
	t.Helper()
	groups := map[string][]string{}
	for _, g := range srv.Groups() {
		for _, id := range g.Members {
			groups[id] = append(groups[id], g.DisplayName)
		}
	}
	r := roster{}
	for _, u := range srv.Users() {
		key := schema.Key(u.UserName)
		if _, dup := r[key]; dup {
			t.Errorf("%s is in the SCIM workspace twice", u.UserName)
		}
		if !u.Active {
			r[key] = "inactive"
			continue
		}
		gs := groups[u.ID]
		slices.Sort(gs)
		r[key] = strings.Join(gs, " ")
	}
	return r
}

// scimWant is the SCIM workspace after a full apply of crashTeam(n).
func scimWant(n int) roster {
	r := roster{"a0@acme.io": "Admins", "a1@acme.io": "Admins", "a2@acme.io": "Admins", "u000@acme.io": "inactive", "u001@acme.io": "inactive"}
	for i := range n {
		r[fmt.Sprintf("o%03d@acme.io", i)] = "Operators"
		r[fmt.Sprintf("r%03d@acme.io", i)] = "Reviewers"
	}
	return r
}

// checkSCIMMidway checks a SCIM workspace left by a crash: no user twice,
// and every declared user who was there before is active and holds a role
// group (the old or the declared one).
func checkSCIMMidway(t *testing.T, srv *scimtest.Server, n int) {
	t.Helper()
	got := scimRoster(t, srv)
	if got["a0@acme.io"] != "Admins" {
		t.Errorf("a0@acme.io, the actor and only admin before, is %q after the crash", got["a0@acme.io"])
	}
	for i := 0; i < n; i += 2 {
		e := fmt.Sprintf("o%03d@acme.io", i)
		if g := got[e]; g != "Reviewers" && g != "Operators" && g != "Operators Reviewers" {
			t.Errorf("%s, a reviewer becoming an operator, is %q after the crash", e, g)
		}
	}
}

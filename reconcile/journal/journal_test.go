package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

var t0 = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

func clock() func() time.Time {
	t := t0
	return func() time.Time { t = t.Add(time.Second); return t }
}

func promoteAna() reconcile.Result {
	return reconcile.Result{
		Change: reconcile.Change{
			Action: reconcile.ChangeRole, Email: "ana@acme.io",
			RoleBefore: schema.Operator, RoleAfter: schema.Admin,
			Reason: reconcile.Reason{Kind: reconcile.ReasonRole}, Pos: schema.Pos{File: "team.yaml", Line: 7, Col: 5},
		},
		Outcome: reconcile.Applied,
	}
}

func inviteRita(err error) reconcile.Result {
	r := reconcile.Result{
		Change:  reconcile.Change{Action: reconcile.Invite, Email: "rita@acme.io", RoleAfter: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}},
		Outcome: reconcile.Applied,
	}
	if err != nil {
		r.Outcome, r.Err = reconcile.Failed, err
	}
	return r
}

func readFile(t *testing.T, path string) []Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Read(data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return recs
}

func TestWriteAppendsOneRecordPerResult(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit", "journal.jsonl")
	a := Apply{
		Actor: "dana@acme.io", User: "dana", Host: "ci-7",
		Workspace: "acme", WorkspaceURL: "file:.teamctl/workspace.json", TeamDigest: "sha256:abc",
		Explain: func(c reconcile.Change) string { // render.ReasonLine's words, which journal cannot import
			s := "declared as " + string(c.RoleAfter)
			if c.Pos.Line > 0 {
				s = c.Pos.File + ":" + strconv.Itoa(c.Pos.Line) + ": " + s
			}
			return s
		},
		Now: clock(),
	}
	w, err := Open(path, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]reconcile.Result{promoteAna()}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]reconcile.Result{inviteRita(errors.New("scim: invite rita@acme.io: 503"))}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	common := Record{Apply: w.ID(), Actor: "dana@acme.io", User: "dana", Host: "ci-7", Workspace: "acme", WorkspaceURL: "file:.teamctl/workspace.json", TeamDigest: "sha256:abc"}
	want := []Record{common, common}
	want[0].Time, want[0].Action, want[0].Email, want[0].RoleBefore, want[0].RoleAfter, want[0].Reason, want[0].Result =
		t0.Add(time.Second), "change-role", "ana@acme.io", "operator", "admin", "team.yaml:7: declared as admin", "applied"
	want[1].Time, want[1].Action, want[1].Email, want[1].RoleAfter, want[1].Reason, want[1].Result, want[1].Error =
		t0.Add(2*time.Second), "invite", "rita@acme.io", "reviewer", "declared as reviewer", "failed", "scim: invite rita@acme.io: 503"
	want[0].ReasonCode, want[1].ReasonCode = "declared-role", "declared"
	if d := cmp.Diff(want, readFile(t, path)); d != "" {
		t.Errorf("journal mismatch (-want +got):\n%s", d)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("journal mode = %v, want 0600 (it lists people's emails)", perm)
	}
}

func TestSecondApplyAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	var ids []string
	for range 2 {
		w, err := Open(path, Apply{Workspace: "acme", Now: clock()})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write([]reconcile.Result{promoteAna()}); err != nil {
			t.Fatal(err)
		}
		w.Close()
		ids = append(ids, w.ID())
	}
	recs := readFile(t, path)
	var got []string
	for _, r := range recs {
		got = append(got, r.Apply)
	}
	if d := cmp.Diff(ids, got); d != "" {
		t.Errorf("apply ids mismatch (-want +got):\n%s", d)
	}
	if ids[0] == ids[1] {
		t.Errorf("two applies share the id %s", ids[0])
	}
}

func TestNoSecretReachesTheJournal(t *testing.T) {
	const token = "s3cr3t-T0ken.xyz"
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	w, err := Open(path, Apply{
		Workspace:    "acme",
		WorkspaceURL: "scim+https://admin:hunter2@scim.acme.io/v2?admins=Owners&token=" + token,
		Secrets:      []string{token, "  ", ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	errs := []error{
		fmt.Errorf("scim: POST /Users: 400: request echoed: Authorization: Bearer %s", token),
		errors.New("scim: 401: Authorization: Bearer other-leaked.value= rejected"),
		errors.New("scim: 401: Authorization: Basic YWRtaW46aHVudGVyMg== rejected"),
		fmt.Errorf("token %s in a detail", token),
	}
	for _, e := range errs {
		if err := w.Write([]reconcile.Result{inviteRita(e)}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{token, "hunter2", "other-leaked.value", "YWRtaW46aHVudGVyMg"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("journal holds secret %q:\n%s", secret, data)
		}
	}
	recs := readFile(t, path)
	if got, want := recs[0].WorkspaceURL, "scim+https://scim.acme.io/v2"; got != want {
		t.Errorf("workspace_url = %q, want %q", got, want)
	}
	if got, want := recs[3].Error, "token [REDACTED] in a detail"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

// appendAna appends the record of ana's promotion to the journal at
// path, as an apply of its own.
func appendAna(t *testing.T, path string) {
	t.Helper()
	w, err := Open(path, Apply{Workspace: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]reconcile.Result{promoteAna()}); err != nil {
		t.Fatal(err)
	}
	w.Close()
}

func TestReadSkipsABadLineAndNamesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	appendAna(t, path)
	data, _ := os.ReadFile(path)
	// A crash cut the next line short, and someone's editor left a blank
	// line.
	data = append(data, "\n{\"time\":\"2026-11-26T09:31:00Z\",\"apply\":\"ab"...)
	recs, err := Read(data)
	if len(recs) != 1 || recs[0].Email != "ana@acme.io" {
		t.Errorf("Read kept %+v, want ana's record", recs)
	}
	if err == nil || !strings.Contains(err.Error(), "line 3: not a journal record") {
		t.Errorf("Read error = %v, want one naming line 3", err)
	}
}

func TestOpenFailsBeforeAnyChange(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, Apply{}); err == nil {
		t.Error("Open(a directory) succeeded, want an error")
	}
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	if _, err := Open(filepath.Join(blocker, "journal.jsonl"), Apply{}); err == nil {
		t.Error("Open(under a file) succeeded, want an error")
	}
}

// Two applies writing to one journal at once never interleave within a
// line: every line parses, and every record is there.
func TestConcurrentWritersNeverInterleave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	const writers, phases, perPhase = 4, 10, 40
	var wg sync.WaitGroup
	for i := range writers {
		w, err := Open(path, Apply{Workspace: fmt.Sprintf("ws-%d", i), Secrets: []string{"x"}})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer w.Close()
			batch := make([]reconcile.Result, perPhase)
			for j := range batch {
				batch[j] = inviteRita(errors.New(strings.Repeat("a long error text ", 20)))
			}
			for range phases {
				if err := w.Write(batch); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	recs := readFile(t, path)
	if got, want := len(recs), writers*phases*perPhase; got != want {
		t.Errorf("journal holds %d records, want %d", got, want)
	}
}

func TestPathFor(t *testing.T) {
	tests := []struct{ url, want string }{
		{"file:.teamctl/workspace.json", filepath.Join(".teamctl", "journal.jsonl")},
		{"file:/srv/teams/acme.json", filepath.Join("/srv/teams", "journal.jsonl")},
		{"file:acme.json", "journal.jsonl"},
		{"scim+https://scim.acme.io/v2", DefaultPath},
		{"", DefaultPath},
	}
	for _, tt := range tests {
		if got := PathFor(tt.url); got != tt.want {
			t.Errorf("PathFor(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// A batch is journaled as started before it goes to the workspace; when
// the apply dies before its outcome, the started record remains, and
// Settle keeps it.
func TestStartedRecordsSurviveACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	w, err := Open(path, Apply{Workspace: "acme", Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	first := []reconcile.Result{promoteAna()}
	second := []reconcile.Result{inviteRita(nil)}
	if err := w.Start([]reconcile.Change{first[0].Change}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(first); err != nil {
		t.Fatal(err)
	}
	if err := w.Start([]reconcile.Change{second[0].Change}); err != nil {
		t.Fatal(err)
	}
	w.Close() // killed while rita's invite was in flight

	recs := readFile(t, path)
	var got []string
	for _, r := range recs {
		got = append(got, r.Email+" "+r.Result)
	}
	want := []string{"ana@acme.io started", "ana@acme.io applied", "rita@acme.io started"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("journal mismatch (-want +got):\n%s", d)
	}
	got = nil
	for _, r := range Settle(recs) {
		got = append(got, r.Email+" "+r.Result)
	}
	want = []string{"ana@acme.io applied", "rita@acme.io started"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Settle() mismatch (-want +got):\n%s", d)
	}
}

func TestOpenAfterACutLineStartsANewLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	appendAna(t, path)
	// A kill in the middle of the next apply's write.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"time":"2026-11-26T09:31:00Z","apply":"ab`)
	f.Close()
	appendAna(t, path)
	appendAna(t, path)
	data, _ := os.ReadFile(path)
	recs, err := Read(data)
	if len(recs) != 3 {
		t.Errorf("Read kept %d records, want 3 (one before the cut line, two after):\n%s", len(recs), data)
	}
	if err == nil || !strings.Contains(err.Error(), "line 2: not a journal record") || strings.Contains(err.Error(), "line 3") {
		t.Errorf("Read error = %v, want one naming line 2 alone", err)
	}
}

// TestStartWritesABatchLargerThanAChunk journals a batch of more than one
// write's worth of records (a phase of a file workspace): every record is
// there, whole.
func TestStartWritesABatchLargerThanAChunk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	w, err := Open(path, Apply{Workspace: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]reconcile.Change, 3*chunk/200)
	for i := range batch {
		batch[i] = reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("p%06d@acme.io", i), RoleAfter: "reviewer", Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}}
	}
	if err := w.Start(batch); err != nil {
		t.Fatal(err)
	}
	w.Close()
	recs := readFile(t, path)
	if len(recs) != len(batch) {
		t.Fatalf("the journal holds %d records, want %d", len(recs), len(batch))
	}
	for i, r := range recs {
		if r.Email != batch[i].Email || r.Result != Started {
			t.Fatalf("record %d = %s %s, want %s started", i, r.Email, r.Result, batch[i].Email)
		}
	}
}

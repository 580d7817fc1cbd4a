package planfile

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
	"unicode"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// fuzzSeedPlan is a saved plan with every part a plan file has.
func fuzzSeedPlan(f *testing.F) []byte {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	at := func(d int) *time.Time { t := now.AddDate(0, 0, d); return &t }
	pos := func(line int) schema.Pos { return schema.Pos{File: "team.yaml", Line: line, Col: 5} }
	team := &schema.Team{
		Version: 1, Workspace: "acme", Files: []string{"team.yaml"}, Digest: "sha256:team",
		Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true, ResendExpired: true},
		People: []schema.Person{
			{Email: "dana@acme.io", Role: schema.Admin, Pos: pos(3)},
			{Email: "sam@acme.io", Role: schema.Admin, Pos: pos(4)},
			{Email: "olivia@acme.io", Role: schema.Operator, Pos: pos(6)},
			{Email: "ray@acme.io", Role: schema.Reviewer, Pos: pos(8)},
		},
	}
	live := &reconcile.Live{Name: "acme", Members: []reconcile.Member{
		{Email: "dana@acme.io", Role: schema.Operator, Status: reconcile.Active},
		{Email: "lee@acme.io", Role: schema.Admin, Status: reconcile.Active},
		{Email: "olivia@acme.io", Role: schema.Reviewer, OtherRoles: []schema.Role{schema.Operator}, Status: reconcile.Invited, InvitedAt: at(-3), InviteExpiresAt: at(4)},
		{Email: "ray@acme.io", Role: schema.Reviewer, Status: reconcile.Invited, InvitedAt: at(-10), InviteExpiresAt: at(-3)},
		{Email: "zed@acme.io", Role: schema.Operator, Status: reconcile.Active},
	}}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: now, Actor: "lee@acme.io"})
	if err != nil {
		f.Fatal(err)
	}
	plan.WorkspaceURL = "file:.teamctl/workspace.json"
	plan.Findings = []schema.Finding{{Rule: "backup-admin", Severity: schema.Warning, Pos: pos(1), Message: "no backup admin", Hint: "add backups.admin"}}
	var b bytes.Buffer
	if err := Write(&b, plan); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

// reseal gives a mutated document a valid checksum, so that the fuzzer
// reaches what Read does after the checksum check.
func reseal(data []byte) []byte {
	sum, err := checksum(data)
	if err != nil {
		return data
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil || fields == nil {
		return data
	}
	fields["checksum"], _ = json.Marshal(sum)
	out, err := json.Marshal(fields)
	if err != nil {
		return data
	}
	return out
}

// FuzzRead feeds the plan-file reader arbitrary files, and
// arbitrary files with a valid checksum. It must never panic; it returns a
// plan or an error, never both and never neither; a plan it accepts
// renders as text without a raw control character, and reads back the
// same after it is written again.
func FuzzRead(f *testing.F) {
	plan := fuzzSeedPlan(f)
	f.Add(plan, false)
	f.Add(plan[:len(plan)/2], false)                                           // truncated
	f.Add(bytes.Replace(plan, []byte(`"admin"`), []byte(`"owner"`), 1), false) // tampered
	f.Add(bytes.Replace(plan, []byte(`"format_version": "1"`), []byte(`"format_version": "2"`), 1), false)
	f.Add(bytes.Replace(plan, []byte(`"reviewer"`), []byte(`"re\u001b[2Jviewer"`), 1), true)
	f.Add(bytes.Replace(plan, []byte(`"dana@acme.io"`), []byte(`"dana\u202e@acme.io\u0007"`), 1), true)
	f.Add([]byte(`{"format_version":"1","changes":[{"action":"explode","email":null,"line":-1}]}`), true)
	f.Add([]byte(`{"format_version":"1","format_version":"1","checksum":1}`), false)
	f.Add([]byte(""), false)
	f.Add([]byte("null"), false)
	f.Add([]byte("[]"), false)
	f.Add([]byte(`{}`), true)
	f.Fuzz(func(t *testing.T, data []byte, sealed bool) {
		if sealed {
			data = reseal(data)
		}
		p, err := Read(data)
		if (p == nil) == (err == nil) {
			t.Fatalf("Read() = %v, %v: want a plan or an error", p, err)
		}
		if err != nil {
			return
		}
		var text bytes.Buffer
		if err := render.PlanText(&text, p, false); err != nil {
			t.Fatal(err)
		}
		for _, r := range text.String() {
			if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
				t.Fatalf("PlanText() of a read plan holds raw %U:\n%q", r, text.String())
			}
		}
		var once, twice bytes.Buffer
		if err := Write(&once, p); err != nil {
			t.Fatal(err)
		}
		back, err := Read(once.Bytes())
		if err != nil {
			t.Fatalf("Read() refuses what Write() wrote: %v\n%s", err, once.Bytes())
		}
		if err := Write(&twice, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("a plan changes when written and read again:\n%s\n---\n%s", once.Bytes(), twice.Bytes())
		}
	})
}

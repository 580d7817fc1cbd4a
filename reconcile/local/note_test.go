package local_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// recordedNote is what the workspace file says of one member's invitation.
type recordedNote struct {
	Email            string     `json:"email"`
	Status           string     `json:"status"`
	InviteNote       string     `json:"invite_note"`
	InviteNoteSentAt *time.Time `json:"invite_note_sent_at"`
}

func recordedNotes(t *testing.T, path string) []recordedNote {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Members []recordedNote }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Members
}

// TestInviteNoteRecorded applies plans to a file workspace: each invite
// and resend-invite records the note it sent and when; a changed note
// re-invites nobody and leaves the recorded notes as they were sent.
func TestInviteNoteRecorded(t *testing.T) {
	ctx := context.Background()
	ws := newWorkspace(t, missing)
	ws.NewName = "acme"
	team := &schema.Team{Version: 1, Workspace: "acme", Policy: schema.DefaultPolicy(), Files: []string{"team.yaml"},
		InviteNote: "Open Campaigns and check you see the launch team.\n",
		People: []schema.Person{
			{Email: "dana@acme.io", Role: schema.Admin},
			{Email: "sam@acme.io", Role: schema.Operator},
		}}
	apply := func(at time.Time) *reconcile.Plan {
		t.Helper()
		ws.Now = func() time.Time { return at }
		l, err := ws.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: at})
		if err != nil {
			t.Fatal(err)
		}
		if rs := reconcile.Apply(ctx, ws, plan, reconcile.ApplyOptions{}); !rs.OK() {
			t.Fatalf("Apply() failed: %+v", rs)
		}
		return plan
	}
	first := "Open Campaigns and check you see the launch team."
	plan := apply(now)
	if plan.InviteNote != first {
		t.Errorf("plan.InviteNote = %q, want %q", plan.InviteNote, first)
	}
	want := []recordedNote{
		{Email: "dana@acme.io", Status: "invited", InviteNote: first, InviteNoteSentAt: &now},
		{Email: "sam@acme.io", Status: "invited", InviteNote: first, InviteNoteSentAt: &now},
	}
	if d := cmp.Diff(want, recordedNotes(t, ws.Path())); d != "" {
		t.Errorf("after the invites (-want +got):\n%s", d)
	}

	// A new note is no reason to invite again: the plan is empty, and the
	// file keeps the note each invitee was sent.
	team.InviteNote = "Open Call Review first, then Campaigns, and say hello."
	later := now.Add(24 * time.Hour)
	if plan := apply(later); len(plan.Changes) != 0 {
		t.Errorf("a changed note planned %+v, want no changes", plan.Changes)
	}
	if d := cmp.Diff(want, recordedNotes(t, ws.Path())); d != "" {
		t.Errorf("after a changed note (-want +got):\n%s", d)
	}

	// Once the invites expire they are resent, with the note of now.
	expired := now.Add(8 * 24 * time.Hour)
	plan = apply(expired)
	if len(plan.Changes) != 2 {
		t.Fatalf("plan after expiry = %+v, want two resend-invites", plan.Changes)
	}
	for i, c := range plan.Changes {
		if c.Action != reconcile.ResendInvite || c.Note != team.InviteNote {
			t.Errorf("change %d after expiry = %+v, want a resend-invite carrying the new note", i, c)
		}
		want[i].InviteNote, want[i].InviteNoteSentAt = team.InviteNote, &expired
	}
	if d := cmp.Diff(want, recordedNotes(t, ws.Path())); d != "" {
		t.Errorf("after the resend (-want +got):\n%s", d)
	}
	l, err := ws.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Members[0].InviteNote; got != team.InviteNote {
		t.Errorf("Snapshot() InviteNote = %q, want %q", got, team.InviteNote)
	}
}

package local_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/schema"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// missing stands for no workspace file at all.
const missing = "\x00"

func newWorkspace(t *testing.T, content string) *local.Workspace {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ws", "workspace.json")
	if content != missing {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := local.New(path)
	ws.Now = func() time.Time { return now }
	ws.LockWait = 200 * time.Millisecond
	return ws
}

func TestSnapshotMissingFile(t *testing.T) {
	ws := newWorkspace(t, missing)
	l, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot() error = %v", err)
	}
	if l.Name != "" || len(l.Members) != 0 {
		t.Errorf("Snapshot() of a missing file = %+v, want an empty workspace", l)
	}
}

const sample = `{
  "name": "acme",
  "settings_complete": false,
  "settings_missing": ["caller ID"],
  "members": [
    {"email": "sam@acme.io", "role": "operator", "status": "active", "accepted_at": "2026-11-01T09:00:00Z", "last_sign_in_at": "2026-11-20T09:00:00Z"},
    {"email": "Dana@acme.io", "name": "Dana Ortiz", "role": "admin", "status": "active"},
    {"email": "rita@acme.io", "role": "reviewer", "status": "invited", "invited_at": "2026-11-10T09:00:00Z", "invite_expires_at": "2026-11-17T09:00:00Z"}
  ]
}
`

func TestSnapshot(t *testing.T) {
	ws := newWorkspace(t, sample)
	l, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot() error = %v", err)
	}
	at := func(s string) *time.Time {
		v, _ := time.Parse(time.RFC3339, s)
		return &v
	}
	no := false
	want := &reconcile.Live{
		Name:             "acme",
		SettingsComplete: &no,
		SettingsMissing:  []string{"caller ID"},
		Members: []reconcile.Member{
			{Email: "Dana@acme.io", Name: "Dana Ortiz", Role: schema.Admin, Status: reconcile.Active, SignInKnown: true},
			{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Invited, InvitedAt: at("2026-11-10T09:00:00Z"), InviteExpiresAt: at("2026-11-17T09:00:00Z"), SignInKnown: true},
			{Email: "sam@acme.io", Role: schema.Operator, Status: reconcile.Active, AcceptedAt: at("2026-11-01T09:00:00Z"), LastSignInAt: at("2026-11-20T09:00:00Z"), SignInKnown: true},
		},
	}
	if d := cmp.Diff(want, l); d != "" {
		t.Errorf("Snapshot() mismatch (-want +got):\n%s", d)
	}
}

func TestCorrupt(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"syntax", "{\n  \"name\": \"acme\",\n  \"members\": [\n    {\"email\": \"a@x.io\",}\n  ]\n}\n", "line 4: invalid character '}'"},
		{"truncated", `{"name": "acme", "members": [`, "truncated"},
		{"empty", ``, "the file is empty"},
		{"unknown field", "{\n  \"nmae\": \"acme\"\n}", `unknown field "nmae"`},
		{"wrong type", "{\n  \"members\": {}\n}", "line 2: members: want a list, not a JSON object"},
		{"wrong type in a member", "{\n\"members\": [\n  {\"email\": \"a@x.io\"},\n  {\"email\": \"b@x.io\",\n   \"role\": 5}]}", "line 5: members.role: want a string, not a JSON number"},
		{"bad role", `{"members": [{"email": "a@x.io", "role": "owner", "status": "active"}]}`, `members[0] (a@x.io): role "owner" is not admin, operator or reviewer`},
		{"bad status", `{"members": [{"email": "a@x.io", "role": "admin", "status": "gone"}]}`, `status "gone" is not invited, active or suspended`},
		{"bad email", `{"members": [{"email": "a", "role": "admin", "status": "active"}]}`, `members[0]: email "a" is not an email address`},
		{"duplicate", `{"members": [{"email": "a@x.io", "role": "admin", "status": "active"}, {"email": "A@x.io", "role": "admin", "status": "active"}]}`, "members[1]: A@x.io is listed twice (also members[0])"},
		{"bad time", `{"members": [{"email": "a@x.io", "role": "admin", "status": "invited", "invited_at": "yesterday"}]}`, "line 1:"},
		{"trailing data", `{"members": []} {}`, "unexpected data after the document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWorkspace(t, tt.content)
			_, err := ws.Snapshot(context.Background())
			if err == nil {
				t.Fatal("Snapshot() error = nil, want corrupt")
			}
			for _, want := range []string{ws.Path(), "is corrupt", tt.want, "never overwrites"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Snapshot() error = %q, want it to contain %q", err, want)
				}
			}
			errs := ws.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: "n@x.io", RoleAfter: schema.Admin}})
			if errs[0] == nil || !strings.Contains(errs[0].Error(), "is corrupt") {
				t.Errorf("Execute() on a corrupt file = %v, want corrupt", errs[0])
			}
			if data, _ := os.ReadFile(ws.Path()); string(data) != tt.content {
				t.Errorf("Execute() overwrote the corrupt file: %q", data)
			}
		})
	}
}

func TestExecute(t *testing.T) {
	ws := newWorkspace(t, missing)
	ws.NewName = "acme"
	ctx := context.Background()
	errs := ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.Invite, Email: "dana@acme.io", Name: "Dana", RoleAfter: schema.Admin},
		{Action: reconcile.Invite, Email: "sam@acme.io", RoleAfter: schema.Operator},
		{Action: reconcile.ChangeRole, Email: "zed@acme.io", RoleAfter: schema.Operator},
	})
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("Execute() errors = %v", errs)
	}
	if errs[2] == nil || errs[2].Error() != "change-role: zed@acme.io is not in the workspace" {
		t.Errorf("Execute() change-role of a stranger = %v", errs[2])
	}
	data, err := os.ReadFile(ws.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "name": "acme",
  "settings_complete": false,
  "settings_missing": [],
  "members": [
    {
      "email": "dana@acme.io",
      "name": "Dana",
      "role": "admin",
      "status": "invited",
      "invited_at": "2026-11-26T12:00:00Z",
      "invite_expires_at": "2026-12-03T12:00:00Z"
    },
    {
      "email": "sam@acme.io",
      "role": "operator",
      "status": "invited",
      "invited_at": "2026-11-26T12:00:00Z",
      "invite_expires_at": "2026-12-03T12:00:00Z"
    }
  ]
}
`
	if d := cmp.Diff(want, string(data)); d != "" {
		t.Errorf("workspace file mismatch (-want +got):\n%s", d)
	}

	// A second invite of the same person is refused; the invite is updated
	// or resent instead.
	ws.Now = func() time.Time { return now.AddDate(0, 0, 10) }
	errs = ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.Invite, Email: "DANA@acme.io", RoleAfter: schema.Operator},
		{Action: reconcile.ResendInvite, Email: "sam@acme.io", RoleAfter: schema.Reviewer},
	})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "already invited in the workspace, as admin") || errs[1] != nil {
		t.Fatalf("Execute() errors = %v", errs)
	}
	l, err := ws.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sam := l.Members[1]
	if sam.Role != schema.Reviewer || !sam.InvitedAt.Equal(now.AddDate(0, 0, 10)) || !sam.InviteExpiresAt.Equal(now.AddDate(0, 0, 17)) {
		t.Errorf("resent invite = %+v, want reviewer renewed for 7 days", sam)
	}
	if entries, _ := os.ReadDir(filepath.Dir(ws.Path())); len(entries) != 2 {
		t.Errorf("workspace directory holds %d files, want the file and its lock: %v", len(entries), entries)
	}

	errs = ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.CancelInvite, Email: "sam@acme.io"},
		{Action: reconcile.Remove, Email: "dana@acme.io"},
	})
	if errs[0] != nil || errs[1] == nil || errs[1].Error() != "remove: dana@acme.io is invited, not active" {
		t.Errorf("Execute() errors = %v", errs)
	}
	if l, _ := ws.Snapshot(ctx); len(l.Members) != 1 {
		t.Errorf("members after cancel = %+v, want dana alone", l.Members)
	}
}

func TestExecuteCancelled(t *testing.T) {
	ws := newWorkspace(t, missing)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs := ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "dana@acme.io", RoleAfter: schema.Admin}})
	if errs[0] == nil {
		t.Error("Execute() with a cancelled context applied the change")
	}
	if _, err := os.Stat(ws.Path()); !os.IsNotExist(err) {
		t.Errorf("Execute() with a cancelled context wrote the file: %v", err)
	}
}

func TestLock(t *testing.T) {
	a := newWorkspace(t, missing)
	release, err := a.Lock(context.Background(), "dana@acme.io")
	if err != nil {
		t.Fatalf("Lock() error = %v", err)
	}
	b := local.New(a.Path())
	b.LockWait = 100 * time.Millisecond
	_, err = b.Lock(context.Background(), "sam@acme.io")
	if err == nil {
		t.Fatal("second Lock() succeeded while the first holds the lock")
	}
	for _, want := range []string{"is locked by another apply", "dana@acme.io", "pid ", "waited 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("second Lock() error = %q, want it to contain %q", err, want)
		}
	}
	// An Execute outside the lock waits for it too.
	errs := b.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: "x@acme.io", RoleAfter: schema.Admin}})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "is locked") {
		t.Errorf("Execute() under another's lock = %v", errs[0])
	}
	// The holder itself executes under its lock.
	if errs := a.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: "x@acme.io", RoleAfter: schema.Admin}}); errs[0] != nil {
		t.Errorf("Execute() under its own lock = %v", errs[0])
	}
	if err := release(); err != nil {
		t.Fatalf("release() error = %v", err)
	}
	release, err = b.Lock(context.Background(), "sam@acme.io")
	if err != nil {
		t.Fatalf("Lock() after release error = %v", err)
	}
	release()
}

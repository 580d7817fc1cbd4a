package scim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

var ctx = context.Background()

func member(email string, role schema.Role, others ...schema.Role) reconcile.Member {
	return reconcile.Member{Email: email, Role: role, OtherRoles: others, Status: reconcile.Active}
}

func snapshot(t *testing.T, ws *scim.Workspace) *reconcile.Live {
	t.Helper()
	live, err := ws.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot() error: %v", err)
	}
	return live
}

func noErrors(t *testing.T, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Execute() change %d: %v", i, err)
		}
	}
}

func TestSnapshotMembers(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	dana := srv.AddUser(scimtest.User{UserName: "Dana@Acme.io", DisplayName: "Dana Ortiz", Active: true})
	olivia := srv.AddUser(scimtest.User{UserName: "oduarte", Emails: []string{"olivia@acme.io"}, Active: true})
	rita := srv.AddUser(scimtest.User{UserName: "rita@acme.io", Active: false})
	srv.AddUser(scimtest.User{UserName: "nobody@acme.io", Active: true}) // in no role group
	srv.AddGroup("Admins", dana)
	srv.AddGroup("Operators", olivia, dana)
	srv.AddGroup("Reviewers", rita)
	srv.AddGroup("Everyone", dana, olivia, rita)

	got := snapshot(t, newWorkspace(t, srv, nil))
	want := &reconcile.Live{Members: []reconcile.Member{
		{Email: "Dana@Acme.io", Name: "Dana Ortiz", Role: schema.Admin, OtherRoles: []schema.Role{schema.Operator}, Status: reconcile.Active, ID: dana},
		{Email: "oduarte", Role: schema.Operator, Status: reconcile.Active, ID: olivia}, // the userName, not the email
		{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Suspended, ID: rita, InRoleGroup: true},
	}, Aliases: []reconcile.Alias{{Email: "olivia@acme.io", Account: "oduarte", ID: olivia}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Snapshot() mismatch (-want +got):\n%s", d)
	}
}

func TestTwoRoleGroupsResolved(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("sam@acme.io", schema.Admin, schema.Operator, schema.Reviewer)})
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	sam := live.Members[1]
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.ChangeRole, Email: sam.Email, ID: sam.ID, RoleBefore: schema.Admin, RoleAfter: schema.Operator, OtherRoles: sam.OtherRoles}}))
	live = snapshot(t, ws)
	if got := live.Members[1]; got.Role != schema.Operator || len(got.OtherRoles) != 0 {
		t.Errorf("after change-role, sam holds %s %v; want operator alone", got.Role, got.OtherRoles)
	}
}

func TestPaginationRequests(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{PageSize: 5, ShortPage: 3})
	var members []reconcile.Member
	for i := range 20 {
		members = append(members, member(fmt.Sprintf("p%02d@acme.io", i), schema.Operator))
	}
	seed(srv, members)
	live := snapshot(t, newWorkspace(t, srv, nil))
	if len(live.Members) != 20 {
		t.Errorf("Snapshot() has %d members, want 20", len(live.Members))
	}
	// 20 users at 3 a page (the server gives fewer than the 5 it
	// advertises) is 7 pages; the 3 role groups, asked for by name, fit
	// one page, members included.
	if got := srv.Counts()["GET /Users"]; got != 7 {
		t.Errorf("GET /Users requests = %d, want 7", got)
	}
	if got := srv.Counts()["GET /Groups"]; got != 1 {
		t.Errorf("GET /Groups requests = %d, want 1", got)
	}
}

// TestRoleGroupsRead checks how the role groups are read: by name in one
// request, and alone when the answer leaves members out.
func TestRoleGroupsRead(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts scimtest.Options
		want int // GET /Groups requests
	}{
		{"by name", scimtest.Options{}, 1},
		{"members left out of lists", scimtest.Options{ListWithoutMembers: true}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := scimtest.New(t, tc.opts)
			seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("olivia@acme.io", schema.Operator)})
			srv.AddGroup("Everyone")
			live := snapshot(t, newWorkspace(t, srv, nil))
			if len(live.Members) != 2 || live.Members[0].Role != schema.Admin || live.Members[1].Role != schema.Operator {
				t.Errorf("Snapshot() = %+v, want dana admin and olivia operator", live.Members)
			}
			if got := srv.Counts()["GET /Groups"]; got != tc.want {
				t.Errorf("GET /Groups requests = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestListPageFailsOnce(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{PageSize: 2, Faults: scimtest.Faults{FailListPage: 3}})
	seed(srv, []reconcile.Member{member("a@acme.io", schema.Admin), member("b@acme.io", schema.Admin), member("c@acme.io", schema.Operator), member("d@acme.io", schema.Reviewer)})
	if live := snapshot(t, newWorkspace(t, srv, nil)); len(live.Members) != 4 {
		t.Errorf("Snapshot() has %d members, want 4", len(live.Members))
	}
}

func TestBulkWithinLimits(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true, BulkMaxOperations: 4, BulkMaxPayloadSize: 1500})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin)})
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	var batch []reconcile.Change
	for i := range 10 {
		batch = append(batch, reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("b%02d@acme.io", i), RoleAfter: schema.Reviewer})
	}
	srv.ResetCounts()
	noErrors(t, ws.Execute(ctx, batch))
	c := srv.Counts()
	if c["POST /Users"] != 0 || c["bulk operations"] != 10 || c["POST /Bulk"] < 3 {
		t.Errorf("requests = %v; want the 10 creates in 3 or more Bulk requests (4 a request, 1500 bytes)", c)
	}
	// Members are added in one PATCH of the Reviewers group.
	if c["PATCH /Groups"] != 1 {
		t.Errorf("PATCH /Groups = %d, want 1", c["PATCH /Groups"])
	}
}

func TestBulkAdvertisedButMissing(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Advertise: &scimtest.Features{Patch: true, Bulk: true, BulkMaxOperations: 100, BulkMaxPayloadSize: 1 << 20, MaxResults: 100}})
	seed(srv, nil)
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	for range 2 {
		noErrors(t, ws.Execute(ctx, []reconcile.Change{
			{Action: reconcile.Invite, Email: fmt.Sprintf("a%d@acme.io", srv.Counts()["total"]), RoleAfter: schema.Admin},
			{Action: reconcile.Invite, Email: fmt.Sprintf("b%d@acme.io", srv.Counts()["total"]), RoleAfter: schema.Admin},
		}))
	}
	if got := srv.Counts()["POST /Bulk"]; got != 1 {
		t.Errorf("POST /Bulk requests = %d; want 1 (tried once, then done without)", got)
	}
	if got := len(snapshot(t, ws).Members); got != 4 {
		t.Errorf("members = %d, want 4", got)
	}
}

func TestNoPatchUsesPut(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{NoPatch: true, ETags: true})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("rita@acme.io", schema.Reviewer)})
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Remove, Email: "rita@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Reviewer}}))
	c := srv.Counts()
	if c["PATCH /Groups"]+c["PATCH /Users"] != 0 || c["PUT /Groups"] != 1 || c["PUT /Users"] != 1 {
		t.Errorf("requests = %v; want PUT, never PATCH, which the server does not advertise", c)
	}
	if u := srv.Users()[1]; u.Active {
		t.Errorf("rita is still active after remove")
	}
}

func TestETagConflictRereads(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{ETags: true})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin)})
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	// Someone else changes the Admins group after teamctl read it.
	other := srv.AddUser(scimtest.User{UserName: "eve@acme.io", Active: true})
	srv.AddMember(srv.Groups()[0].ID, other)
	srv.ResetCounts()
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "sam@acme.io", RoleAfter: schema.Admin}}))
	if got := srv.Counts()["PATCH /Groups"]; got != 2 {
		t.Errorf("PATCH /Groups = %d; want 2 (412, then again after a re-read)", got)
	}
	admins := srv.Groups()[0].Members
	if len(admins) != 3 {
		t.Errorf("Admins members = %v; want dana, eve and sam", admins)
	}
}

func TestInviteAdoptsExistingUser(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin)})
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	// Created after teamctl's read, deactivated: the create answers 409.
	srv.AddUser(scimtest.User{UserName: "Olivia@Acme.io", Active: false})
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator}}))
	users := srv.Users()
	if len(users) != 2 || !users[1].Active {
		t.Errorf("users = %+v; want olivia adopted and active, no duplicate", users)
	}
	if got := srv.Counts()["POST /Users"]; got != 1 {
		t.Errorf("POST /Users = %d, want 1", got)
	}
}

func TestCaseSensitiveServerNoDuplicate(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{CaseSensitiveUserNames: true})
	seed(srv, []reconcile.Member{member("Dana@Acme.io", schema.Admin)})
	srv.AddUser(scimtest.User{UserName: "OLIVIA@acme.io", Active: true}) // in no group yet
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator}}))
	if n := len(srv.Users()); n != 2 {
		t.Errorf("users = %d; want 2 (olivia adopted, though the server would have taken a second spelling)", n)
	}
	if got := srv.Counts()["POST /Users"]; got != 0 {
		t.Errorf("POST /Users = %d, want 0", got)
	}
}

func TestRemoveDeletes(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("rita@acme.io", schema.Reviewer)})
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL += "?remove=delete" })
	live := snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Remove, Email: "rita@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Reviewer}}))
	if n := len(srv.Users()); n != 1 {
		t.Errorf("users = %d, want 1 after delete", n)
	}
	// Removing again is done already.
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Remove, Email: "rita@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Reviewer}}))
}

func TestReExecuteIsIdempotent(t *testing.T) {
	for _, opts := range []scimtest.Options{{}, {Bulk: true, ETags: true}} {
		srv := scimtest.New(t, opts)
		seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("rita@acme.io", schema.Reviewer), member("olivia@acme.io", schema.Operator)})
		ws := newWorkspace(t, srv, nil)
		live := snapshot(t, ws)
		batch := []reconcile.Change{
			{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Admin},
			{Action: reconcile.ChangeRole, Email: "olivia@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Operator, RoleAfter: schema.Reviewer},
			{Action: reconcile.Remove, Email: "rita@acme.io", ID: live.Members[2].ID, RoleBefore: schema.Reviewer},
		}
		noErrors(t, ws.Execute(ctx, batch))
		// A fresh process, as after a crash, applies the same changes.
		noErrors(t, newWorkspace(t, srv, nil).Execute(ctx, batch))
		if n := len(srv.Users()); n != 4 {
			t.Errorf("%+v: users = %d, want 4", opts, n)
		}
	}
}

func TestMissingGroup(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	srv.AddGroup("Admins")
	srv.AddGroup("Operators")
	srv.AddGroup("QA")
	_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
	want := `scim: the reviewer role group "Reviewers" does not exist (the workspace has groups "Admins", "Operators", "QA"): create it in the workspace, or name another with ?reviewers=NAME in the workspace URL`
	if err == nil || err.Error() != want {
		t.Errorf("Snapshot() error = %v\nwant %s", err, want)
	}
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL += "?reviewers=qa" })
	if _, err := ws.Snapshot(ctx); err != nil {
		t.Errorf("Snapshot() with ?reviewers=qa: %v", err)
	}
}

func TestUnauthorized(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{EchoAuthorization: true})
	seed(srv, nil)
	var trace bytes.Buffer
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.Token = "wrong-secret-token"; c.Debug = &trace })
	_, err := ws.Snapshot(ctx)
	if err == nil {
		t.Fatal("Snapshot() with a wrong token succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, "TEAMCTL_SCIM_TOKEN") || !strings.Contains(msg, "401") || strings.Contains(msg, "\n") {
		t.Errorf("error %q: want one line naming TEAMCTL_SCIM_TOKEN and the status", msg)
	}
	for what, s := range map[string]string{"error": msg, "debug trace": trace.String()} {
		if strings.Contains(s, "wrong-secret-token") {
			t.Errorf("the token appears in the %s: %s", what, s)
		}
	}
	if !strings.Contains(trace.String(), "Authorization: Bearer ****") {
		t.Errorf("debug trace does not show the masked header:\n%s", trace.String())
	}
}

func TestTokenRedactedFromServerErrors(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{EchoAuthorization: true, Faults: scimtest.Faults{FailWriteEvery: 1, FailWriteStatus: 503}})
	seed(srv, nil)
	var trace bytes.Buffer
	ws := newWorkspace(t, srv, func(c *scim.Config) {
		c.Debug = &trace
		c.Retry = scim.Retry{Attempts: 2, BaseDelay: time.Millisecond}
	})
	errs := ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Admin}})
	if errs[0] == nil {
		t.Fatal("Execute() succeeded against a server that fails every write")
	}
	if !strings.Contains(errs[0].Error(), "ana@acme.io") || !strings.Contains(errs[0].Error(), "503") {
		t.Errorf("error %q does not name the person and the status", errs[0])
	}
	for what, s := range map[string]string{"error": errs[0].Error(), "debug trace": trace.String()} {
		if strings.Contains(s, srv.Token()) {
			t.Errorf("the token appears in the %s: %s", what, s)
		}
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 2, FailWriteStatus: 429, RetryAfter: "7"}})
	seed(srv, nil)
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.Retry.MaxDelay = time.Minute; c.Retry.MaxElapsed = time.Hour })
	var mu sync.Mutex
	var waits []time.Duration
	scim.SetSleep(ws, func(context.Context, time.Duration) error { return nil })
	scim.SetSleep(ws, func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	})
	snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Admin}}))
	// Writes: POST /Users (1), PATCH /Groups (2: 429), PATCH again (3).
	if d := cmp.Diff([]time.Duration{7 * time.Second}, waits); d != "" {
		t.Errorf("waits mismatch (-want +got):\n%s", d)
	}
}

func TestRetryBounded(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 1, FailWriteStatus: 503, RetryAfter: "120"}})
	seed(srv, nil)
	ws := newWorkspace(t, srv, nil)
	errs := ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Admin}})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "retry after 2m0s") {
		t.Errorf("Execute() error = %v; want it to give up on a Retry-After longer than it waits", errs[0])
	}
	if got := srv.Counts()["POST /Users"]; got != 1 {
		t.Errorf("POST /Users = %d, want 1", got)
	}
}

func TestOneRefusedChangeIsolated(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{NumericErrorStatus: true})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("olivia@acme.io", schema.Operator)})
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	srv.DeleteUser(live.Members[1].ID) // gone behind teamctl's back
	srv.ResetCounts()
	errs := ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.ChangeRole, Email: "olivia@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Operator, RoleAfter: schema.Reviewer},
		{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Reviewer},
	})
	if errs[1] != nil {
		t.Errorf("invite ana: %v", errs[1])
	}
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "olivia@acme.io") || !strings.Contains(errs[0].Error(), "400") || !strings.Contains(errs[0].Error(), "is not a user") {
		t.Errorf("change-role olivia: error = %v; want the person, the status and the server's detail", errs[0])
	}
	// One PATCH for both, refused; then each alone. Never a retry of a 400.
	if got := srv.Counts()["PATCH /Groups"]; got != 3 {
		t.Errorf("PATCH /Groups = %d, want 3", got)
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url, err string
	}{
		{"scim+https://scim.example.com/v2", ""},
		{"scim+http://127.0.0.1:8080/scim/v2", ""},
		{"scim+http://[::1]:8080/scim/v2", ""},
		{"scim+http://localhost/scim", ""},
		{"scim+https://scim.example.com/v2?admins=Owners&operators=Ops&reviewers=QA&remove=delete", ""},
		{"scim+http://scim.example.com/v2", "scim: workspace URL scim+http://scim.example.com/v2: scim+http:// is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use scim+https://"},
		{"scim+http://10.0.0.1/v2", "loopback"},
		{"https://scim.example.com/v2", "the scheme must be scim+https"},
		{"scim+https://user:pw@scim.example.com/v2", "credentials in the URL are not allowed"},
		{"scim+https://scim.example.com/v2?admin=x", `unknown option "admin"`},
		{"scim+https://scim.example.com/v2?remove=purge", `remove="purge": want deactivate or delete`},
		{"scim+https://scim.example.com/v2?admins=Ops&operators=ops", `both map to group "ops"`},
		{"scim+https:///v2", "no host"},
		{"scim+https://scim.example.com/v2?rate=10/s", ""},
		{"scim+https://scim.example.com/v2?rate=600/m", ""},
		{"scim+https://scim.example.com/v2?rate=10", `rate="10": want N/s or N/m`},
		{"scim+https://scim.example.com/v2?rate=0/s", `rate="0/s": want N/s or N/m`},
		{"scim+https://scim.example.com/v2?rate=5/h", `rate="5/h": want N/s or N/m`},
		{"scim+https://scim.example.com/v2?rate=-3/m", `rate="-3/m"`},
	} {
		t.Run(tc.url, func(t *testing.T) {
			_, err := scim.New(scim.Config{URL: tc.url, Token: "t"})
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("New() error: %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("New() error = %v, want %q", err, tc.err)
			case err != nil && strings.Contains(err.Error(), "pw"):
				t.Errorf("New() error shows the URL's password: %v", err)
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name  string
		env   func(string) string
		token string
		err   string
	}{
		{"variable", env(scim.TokenEnv, " tok "), "tok", ""},
		{"file", env(scim.TokenFileEnv, tokenFile), "from-file", ""},
		{"variable wins", env(scim.TokenEnv, "tok", scim.TokenFileEnv, tokenFile), "tok", ""},
		{"missing file", env(scim.TokenFileEnv, filepath.Join(dir, "nope")), "", "read the token file named by TEAMCTL_SCIM_TOKEN_FILE"},
		{"none", env(), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := scim.ConfigFromEnv("scim+https://x.example/v2", tc.env)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("ConfigFromEnv() error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || cfg.Token != tc.token {
				t.Errorf("ConfigFromEnv() = %q, %v; want %q", cfg.Token, err, tc.token)
			}
		})
	}
	_, err := scim.New(scim.Config{URL: "scim+https://x.example/v2"})
	if !errors.Is(err, scim.ErrNoToken) || !strings.Contains(err.Error(), "TEAMCTL_SCIM_TOKEN") {
		t.Errorf("New() without a token: %v", err)
	}
}

func TestTLSNeedsTrustedCA(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{TLS: true})
	seed(srv, nil)
	_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Snapshot() of an untrusted certificate: %v; want a certificate error", err)
	}
	if _, err := newWorkspace(t, srv, func(c *scim.Config) { c.CAFile = srv.CAFile }).Snapshot(ctx); err != nil {
		t.Errorf("Snapshot() with the CA file: %v", err)
	}
	_, err = scim.New(scim.Config{URL: srv.URL, Token: "t", CAFile: filepath.Join(t.TempDir(), "missing.pem")})
	if err == nil || !strings.Contains(err.Error(), "TEAMCTL_SCIM_CA_FILE") {
		t.Errorf("New() with a missing CA file: %v", err)
	}
}

func TestCancelFinishesBatchInFlight(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Faults: scimtest.Faults{Latency: 30 * time.Millisecond}})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin)})
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(40*time.Millisecond, cancel) // during the creates
	errs := ws.Execute(cctx, []reconcile.Change{
		{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Operator},
		{Action: reconcile.Invite, Email: "ben@acme.io", RoleAfter: schema.Reviewer},
	})
	noErrors(t, errs)
	if got := len(snapshot(t, ws).Members); got != 3 {
		t.Errorf("members = %d; want the batch in flight finished (3)", got)
	}
	// The next batch is not started.
	errs = ws.Execute(cctx, []reconcile.Change{{Action: reconcile.Invite, Email: "cy@acme.io", RoleAfter: schema.Operator}})
	if !errors.Is(errs[0], context.Canceled) {
		t.Errorf("Execute() after cancel = %v, want context.Canceled", errs[0])
	}
}

func TestBrokenPaginationRefused(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{PageSize: 2, IgnoreStartIndex: true})
	seed(srv, []reconcile.Member{member("a@acme.io", schema.Admin), member("b@acme.io", schema.Admin), member("c@acme.io", schema.Operator)})
	_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
	want := "scim: list /Groups: the server answered startIndex=3 with resources it had already listed; it does not paginate correctly"
	if err == nil || err.Error() != want {
		t.Errorf("Snapshot() error = %v, want %s", err, want)
	}
}

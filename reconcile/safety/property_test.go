package safety_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/safety"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// The property tests generate team files and live workspaces, plan and
// apply on the real backends (the file workspace, and the SCIM client
// against the in-repo SCIM server on loopback), and check the invariants
// from outside: by reading the workspace itself after every batch (the
// file, the server's store), never through the kernel or the plan.
//
// make test runs fileCases + scimCases cases; TEAMCTL_PROPERTY_CASES=N
// runs N of each (make fuzz runs PROPERTY_CASES, 2000 by default).
const (
	fileCases = 150
	scimCases = 150
)

func cases(t *testing.T, n int) int {
	if s := os.Getenv("TEAMCTL_PROPERTY_CASES"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("TEAMCTL_PROPERTY_CASES=%q: want a positive number", s)
		}
		return v
	}
	if testing.Short() {
		return n / 5
	}
	return n
}

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// pool is who a case draws people from.
var pool = []string{"ana@acme.io", "ben@acme.io", "carl@acme.io", "dana@acme.io", "eve@acme.io", "fay@acme.io"}

var roles = []schema.Role{schema.Admin, schema.Operator, schema.Reviewer}

// livePerson is a person of a generated workspace.
type livePerson struct {
	email  string
	status reconcile.Status
	roles  []schema.Role // role groups; empty for a SCIM user in none
}

// world is one generated case.
type world struct {
	team   *schema.Team
	actor  string
	people []livePerson
	// SCIM only: role-group member values that are no user of the
	// workspace, by role: ids of deleted users, addresses (a userName
	// put in a group by hand), and the id of a nested group.
	gone, emails []valueIn
	nested       []schema.Role
}

type valueIn struct {
	role  schema.Role
	value string
}

func (w world) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "prune %v, max_removals %d, actor %q\n", w.team.Policy.Prune, w.team.Policy.MaxRemovals, w.actor)
	for _, p := range w.team.People {
		fmt.Fprintf(&b, "  declared %s %s\n", p.Email, p.Role)
	}
	for _, p := range w.people {
		fmt.Fprintf(&b, "  live %s %s %v\n", p.email, p.status, p.roles)
	}
	for _, v := range w.gone {
		fmt.Fprintf(&b, "  %s holds deleted id %s\n", v.role, v.value)
	}
	for _, v := range w.emails {
		fmt.Fprintf(&b, "  %s holds address %s\n", v.role, v.value)
	}
	for _, r := range w.nested {
		fmt.Fprintf(&b, "  %s holds a group\n", r)
	}
	return b.String()
}

// generate makes a case. forSCIM adds what only SCIM has (users in two
// role groups or in none, member values that are no user) and leaves out
// what it lacks (pending invites).
func generate(r *rand.Rand, forSCIM bool) world {
	team := &schema.Team{Version: 1, Workspace: "acme", Policy: schema.DefaultPolicy(), Files: []string{"team.yaml"}}
	team.Policy.Prune = r.IntN(2) == 0
	team.Policy.MaxRemovals = r.IntN(6)
	w := world{team: team}
	admins := r.IntN(3) // 0, 1 or 2 live admins to start from, besides chance
	for i, email := range pool {
		if r.IntN(10) < 6 {
			team.People = append(team.People, schema.Person{Email: email, Role: roles[r.IntN(3)], Pos: schema.Pos{File: "team.yaml", Line: i + 2}})
		}
		if r.IntN(10) >= 7 {
			continue
		}
		p := livePerson{email: email, status: reconcile.Active, roles: []schema.Role{roles[r.IntN(3)]}}
		if i < admins {
			p.roles[0] = schema.Admin
		}
		switch n := r.IntN(10); {
		case n < 2:
			p.status = reconcile.Suspended
		case n < 4 && !forSCIM:
			p.status = reconcile.Invited
		}
		if forSCIM {
			switch r.IntN(8) {
			case 0:
				p.roles = nil // a user in no role group
			case 1:
				if o := roles[r.IntN(3)]; o != p.roles[0] {
					p.roles = append(p.roles, o)
				}
			}
		}
		w.people = append(w.people, p)
	}
	if r.IntN(10) < 7 {
		w.actor = pool[r.IntN(len(pool))]
	}
	if forSCIM {
		for range r.IntN(3) {
			w.gone = append(w.gone, valueIn{roles[r.IntN(3)], fmt.Sprintf("deleted-%d", r.IntN(1000))})
		}
		if r.IntN(3) == 0 {
			w.emails = append(w.emails, valueIn{roles[r.IntN(3)], pool[r.IntN(len(pool))]})
		}
		if r.IntN(4) == 0 {
			w.nested = append(w.nested, roles[r.IntN(3)])
		}
	}
	return w
}

// view is a workspace as the test reads it, apart from teamctl: each
// person's status and role groups, and the member values of each role
// group that are no user.
type view struct {
	people map[string]livePerson
	values map[valueIn]bool
}

func (v view) admins() int {
	n := 0
	for _, p := range v.people {
		if p.status == reconcile.Active && slices.Contains(p.roles, schema.Admin) {
			n++
		}
	}
	return n
}

// rank is the broadest role p holds while active, 0 otherwise.
func (p livePerson) rank() int {
	if p.status != reconcile.Active {
		return 0
	}
	r := 0
	for _, role := range p.roles {
		r = max(r, role.Rank())
	}
	return r
}

// lost reports whether going from a to b took something from the
// person: active access narrowed or gone, an invite withdrawn, or taken
// out of every role group.
func lost(a, b livePerson, present bool) bool {
	switch {
	case len(a.roles) > 0 && (!present || len(b.roles) == 0):
		return true
	case a.status == reconcile.Active:
		return !present || b.rank() < a.rank()
	case a.status == reconcile.Invited:
		return !present
	}
	return false
}

// backend is a workspace under test and its outside reader.
type backend struct {
	ws   reconcile.Workspace
	read func() view
}

// watched calls check after every batch Execute carries out.
type watched struct {
	reconcile.Workspace
	check func()
}

func (w watched) Execute(ctx context.Context, batch []reconcile.Change) []error {
	errs := w.Workspace.Execute(ctx, batch)
	w.check()
	return errs
}

// run plans and applies a case on b and checks every invariant; it
// returns the number of changes applied.
func run(t *testing.T, w world, b backend) int {
	t.Helper()
	ctx := context.Background()
	opts := reconcile.DiffOptions{Actor: w.actor, Now: now}
	before := b.read()
	live, err := b.ws.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot(): %v\n%s", err, w)
	}
	plan, err := reconcile.Diff(w.team, live, opts)
	if errors.Is(err, reconcile.ErrRefused) {
		return 0
	}
	if err != nil {
		t.Fatalf("Diff(): %v\n%s", err, w)
	}
	named := map[string]bool{}
	for _, c := range plan.Changes {
		named[c.Key()] = true
	}
	var views []view
	observe := func() {
		v := b.read()
		views = append(views, v)
		checkStep(t, w, before, v, named)
	}
	rs := reconcile.Apply(ctx, watched{b.ws, observe}, plan, reconcile.ApplyOptions{BatchSize: 2})
	if !rs.OK() {
		for _, r := range rs {
			if r.Err != nil {
				t.Errorf("%s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
			}
		}
		t.Fatalf("Apply() of a fresh plan to a workspace that does not fail\n%s", w)
	}
	after := b.read()
	floor := min(before.admins(), after.admins())
	for i, v := range views {
		if n := v.admins(); n < floor || (before.admins() > 0 && n < 1) {
			t.Fatalf("after batch %d: %d active admins; before %d, after %d\n%s", i+1, n, before.admins(), after.admins(), w)
		}
	}
	taken := 0
	for k, p := range before.people {
		q, ok := after.people[k]
		if lost(p, q, ok) {
			taken++
		}
	}
	for v := range before.values {
		if !after.values[v] {
			taken++
		}
	}
	if taken > w.team.Policy.MaxRemovals {
		t.Fatalf("the apply took access from %d, more than max_removals %d\n%s", taken, w.team.Policy.MaxRemovals, w)
	}

	// It converges: one more apply makes what the first held back, and
	// then nothing is left to do.
	held := map[string]bool{}
	for _, h := range plan.Held {
		held[h.Key()] = true
	}
	for round := range 2 {
		live, err := b.ws.Snapshot(ctx)
		if err != nil {
			t.Fatalf("Snapshot() after apply %d: %v", round+1, err)
		}
		next, err := reconcile.Diff(w.team, live, opts)
		var budget *safety.BudgetError
		if errors.As(err, &budget) && !slices.ContainsFunc(budget.Who, func(k string) bool { return !held[k] }) {
			break // what the first plan held back is now over the budget: refused, as it should be
		}
		if err != nil {
			t.Fatalf("Diff() after apply %d: %v\n%s", round+1, err, w)
		}
		for _, c := range next.Changes {
			if round == 1 || !held[c.Key()] {
				t.Fatalf("after apply %d the plan still has %s %s (%s -> %s)\n%s", round+1, c.Action, c.Email, c.RoleBefore, c.RoleAfter, w)
			}
		}
		if round == 0 {
			if rs := reconcile.Apply(ctx, b.ws, next, reconcile.ApplyOptions{}); !rs.OK() {
				t.Fatalf("second Apply(): %v\n%s", rs, w)
			}
		}
	}
	return rs.Count(reconcile.Applied)
}

// checkStep checks what must hold after every batch: the actor keeps
// what they had, nobody the plan does not name changes, and every
// declared person who was in a role group still is.
func checkStep(t *testing.T, w world, before, now view, named map[string]bool) {
	t.Helper()
	if a := schema.Key(w.actor); a != "" {
		p, was := before.people[a]
		q, is := now.people[a]
		if was && lost(p, q, is) {
			t.Fatalf("the actor %s went from %s %v to %s %v\n%s", a, p.status, p.roles, q.status, q.roles, w)
		}
	}
	declared := map[string]bool{}
	for _, p := range w.team.People {
		declared[p.Key()] = true
	}
	for k, p := range before.people {
		q, ok := now.people[k]
		if !named[k] && (!ok || q.status != p.status || !slices.Equal(q.roles, p.roles)) {
			t.Fatalf("%s, named by no change, went from %s %v to %s %v (present %v)\n%s", k, p.status, p.roles, q.status, q.roles, ok, w)
		}
		if declared[k] && len(p.roles) > 0 && (!ok || len(q.roles) == 0) {
			t.Fatalf("declared %s was left without a role group\n%s", k, w)
		}
	}
}

func TestPropertyFileWorkspace(t *testing.T) {
	n, applied := cases(t, fileCases), 0
	for seed := range uint64(n) {
		w := generate(rand.New(rand.NewPCG(seed, 19)), false)
		path := filepath.Join(t.TempDir(), "ws.json")
		writeDocument(t, path, w.people)
		b := backend{ws: local.New(path), read: func() view { return readDocument(t, path) }}
		applied += run(t, w, b)
	}
	t.Logf("%d cases, %d changes applied", n, applied)
}

func writeDocument(t *testing.T, path string, people []livePerson) {
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
	}{Name: "acme", SettingsComplete: true, SettingsMissing: []string{}, Members: []member{}}
	sent, expires := now.Add(-48*time.Hour), now.Add(5*24*time.Hour)
	for _, p := range people {
		m := member{Email: p.email, Role: string(p.roles[0]), Status: string(p.status)}
		if p.status == reconcile.Invited {
			m.InvitedAt, m.InviteExpiresAt = &sent, &expires
		}
		doc.Members = append(doc.Members, m)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readDocument(t *testing.T, path string) view {
	t.Helper()
	var doc struct {
		Members []struct {
			Email  string `json:"email"`
			Role   string `json:"role"`
			Status string `json:"status"`
		} `json:"members"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	v := view{people: map[string]livePerson{}, values: map[valueIn]bool{}}
	for _, m := range doc.Members {
		v.people[schema.Key(m.Email)] = livePerson{email: m.Email, status: reconcile.Status(m.Status), roles: []schema.Role{schema.Role(m.Role)}}
	}
	return v
}

var groupNames = map[schema.Role]string{schema.Admin: "Admins", schema.Operator: "Operators", schema.Reviewer: "Reviewers"}

func TestPropertySCIM(t *testing.T) {
	n, applied := cases(t, scimCases), 0
	for seed := range uint64(n) {
		w := generate(rand.New(rand.NewPCG(seed, 1919)), true)
		srv := scimtest.New(t, scimtest.Options{})
		seedServer(srv, w)
		ws, err := scim.New(scim.Config{URL: srv.URL, Token: srv.Token(), Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		applied += run(t, w, backend{ws: ws, read: func() view { return readServer(srv) }})
		srv.Close()
	}
	t.Logf("%d cases, %d changes applied", n, applied)
}

func seedServer(srv *scimtest.Server, w world) {
	members := map[schema.Role][]string{}
	for _, p := range w.people {
		id := srv.AddUser(scimtest.User{UserName: p.email, Emails: []string{p.email}, Active: p.status == reconcile.Active})
		for _, r := range p.roles {
			members[r] = append(members[r], id)
		}
	}
	for _, v := range slices.Concat(w.gone, w.emails) {
		members[v.role] = append(members[v.role], v.value)
	}
	if len(w.nested) > 0 {
		g := srv.AddGroup("Contractors")
		for _, r := range w.nested {
			members[r] = append(members[r], g)
		}
	}
	for _, r := range roles {
		srv.AddGroup(groupNames[r], members[r]...)
	}
}

func readServer(srv *scimtest.Server) view {
	v := view{people: map[string]livePerson{}, values: map[valueIn]bool{}}
	byID := map[string]scimtest.User{}
	for _, u := range srv.Users() {
		byID[u.ID] = u
		status := reconcile.Active
		if !u.Active {
			status = reconcile.Suspended
		}
		v.people[schema.Key(u.UserName)] = livePerson{email: u.UserName, status: status}
	}
	for _, g := range srv.Groups() {
		role := schema.Role("")
		for r, name := range groupNames {
			if g.DisplayName == name {
				role = r
			}
		}
		if role == "" {
			continue
		}
		for _, m := range g.Members {
			u, ok := byID[m]
			if !ok {
				v.values[valueIn{role, m}] = true
				continue
			}
			p := v.people[schema.Key(u.UserName)]
			p.roles = append(p.roles, role)
			slices.SortFunc(p.roles, func(a, b schema.Role) int { return b.Rank() - a.Rank() })
			v.people[schema.Key(u.UserName)] = p
		}
	}
	return v
}

// Package synth generates synthetic teams and workspaces of any size: a
// valid team file and a live workspace that differs from it for a chosen
// share of the people. Benchmarks use it, and `teamctl gen` writes it to
// disk, so that anyone can reproduce the performance figures of teamctl help performance.
// The same options always give the same bytes.
package synth

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/schema"
)

// DefaultDrift is the share of people whose live state differs from the
// team file in the published figures.
const DefaultDrift = 0.05

// MinPeople is the smallest team Generate makes: three admins, and enough
// operators and reviewers for every rule to hold.
const MinPeople = 10

// Options say what to generate.
type Options struct {
	People int     // declared people, admins included; at least MinPeople
	Drift  float64 // share of people whose live state differs, 0 to 1
	Seed   uint64  // the same seed gives the same team and workspace
	// Now is the time the live timestamps are relative to: which invites
	// are pending and which expired depends on it.
	Now time.Time
	// Workspace names the workspace; "synth-outbound" when empty.
	Workspace string
}

// Fixture is a generated team file and the live workspace it is compared
// with.
type Fixture struct {
	Team []byte          // the team file (YAML)
	Live *reconcile.Live // the live workspace, members sorted by identity
	// Want counts, by action, the changes a plan of Team against Live at
	// Now holds.
	Want map[reconcile.Action]int

	people    []person // declared, in file order
	workspace string
}

// Generate makes a team of opts.People people: 3 admins, then about 55%
// operators and 45% reviewers, one campaign workflow per 50 operators, a
// backup admin, approvers, and policy.prune on (with max_removals high
// enough for the drift). The live workspace holds every declared person in
// the declared role, active, except a share opts.Drift of them, spread over
// every kind of change: missing (invite), in another role (change-role), a
// pending invite for another role (update-invite), an expired invite
// (resend-invite), and members the file does not declare (remove,
// cancel-invite). Admins never drift, so that the admin floor holds no
// change back.
func Generate(opts Options) (*Fixture, error) {
	if opts.People < MinPeople {
		return nil, fmt.Errorf("synth: %d people: a generated team has at least %d", opts.People, MinPeople)
	}
	if opts.Drift < 0 || opts.Drift > 1 || math.IsNaN(opts.Drift) {
		return nil, fmt.Errorf("synth: drift %v: want a share between 0 and 1", opts.Drift)
	}
	if opts.Now.IsZero() {
		return nil, errors.New("synth: no time to make the live timestamps relative to")
	}
	g := &generator{
		opts: opts,
		rng:  rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		want: map[reconcile.Action]int{},
	}
	g.declare()
	team := g.team()
	live := g.live()
	return &Fixture{Team: team, Live: live, Want: g.want, people: g.people, workspace: live.Name}, nil
}

const (
	admins = 3
	// operatorsPerWorkflow sets how many campaign workflows the team has.
	operatorsPerWorkflow = 50
	domain               = "synth.example"
)

// Drift kinds, in the shares they take of the drifted people.
type driftKind int

const (
	inSync driftKind = iota
	missing
	otherRole
	otherRoleInvite
	expiredInvite
	pendingInvite // in sync, but not yet accepted: no change
)

var driftShares = []struct {
	kind  driftKind
	share float64
}{
	{missing, 0.40},
	{otherRole, 0.25},
	{otherRoleInvite, 0.10},
	{expiredInvite, 0.10},
	// The remaining 15% are live members the file does not declare.
}

type person struct {
	email, name string
	role        schema.Role
	drift       driftKind
}

type generator struct {
	opts   Options
	rng    *rand.Rand
	people []person
	extra  []person // live members the file does not declare
	want   map[reconcile.Action]int
}

var (
	firstNames = []string{"ava", "ben", "chloe", "dana", "eli", "farah", "gus", "hana", "ivan", "jade", "kofi", "lena", "milo", "nora", "omar", "priya", "quinn", "rita", "sam", "tariq", "uma", "vera", "wes", "yara", "zoe"}
	lastNames  = []string{"abbott", "berg", "costa", "diaz", "evans", "fischer", "gomez", "haddad", "ito", "jensen", "kim", "lopez", "moreau", "nair", "ortiz", "park", "quist", "rossi", "shah", "tanaka", "ueda", "vogel", "walsh", "young", "zhou"}
)

// identity returns the email and display name of person i.
func identity(i int) (email, name string) {
	f := firstNames[i%len(firstNames)]
	l := lastNames[(i/len(firstNames))%len(lastNames)]
	email = f + "." + l + "." + strconv.Itoa(i) + "@" + domain
	name = strings.ToUpper(f[:1]) + f[1:] + " " + strings.ToUpper(l[:1]) + l[1:]
	return email, name
}

// declare declares the team and picks who drifts.
func (g *generator) declare() {
	n := g.opts.People
	operators := (n - admins) * 55 / 100
	g.people = make([]person, n)
	for i := range g.people {
		p := &g.people[i]
		p.email, p.name = identity(i)
		switch {
		case i < admins:
			p.role = schema.Admin
		case i < admins+operators:
			p.role = schema.Operator
		default:
			p.role = schema.Reviewer
		}
	}
	drifted := int(math.Round(float64(n) * g.opts.Drift))
	// Non-admins in random order: the first ones drift, the next 3% are
	// pending invites in sync.
	order := g.rng.Perm(n - admins)
	next := 0
	for _, s := range driftShares {
		for range int(math.Round(float64(drifted) * s.share)) {
			if next < len(order) {
				g.people[admins+order[next]].drift = s.kind
				next++
			}
		}
	}
	extras := max(0, drifted-next)
	for range n * 3 / 100 {
		if next < len(order) {
			g.people[admins+order[next]].drift = pendingInvite
			next++
		}
	}
	for i := range extras {
		email, name := identity(n + i)
		g.extra = append(g.extra, person{email: email, name: name, role: schema.Roles[1+i%2]})
	}
}

// team writes the team file.
func (g *generator) team() []byte {
	var b bytes.Buffer
	b.Grow(len(g.people) * 64)
	ws := cmp.Or(g.opts.Workspace, "synth-outbound")
	fmt.Fprintf(&b, "# A synthetic team of %d people (teamctl gen --seed %d).\n", len(g.people), g.opts.Seed)
	fmt.Fprintf(&b, "version: 1\nworkspace: %s\n", ws)
	b.WriteString("invite_note: |\n  Welcome to the workspace. On first login, open Campaigns (operators)\n  or Call Review (reviewers) and check that you see your team.\n")
	var ops []person
	for _, role := range schema.Roles {
		fmt.Fprintf(&b, "%ss:\n", role)
		for _, p := range g.people {
			if p.role != role {
				continue
			}
			if role == schema.Operator {
				ops = append(ops, p)
			}
			b.WriteString("  - email: ")
			b.WriteString(p.email)
			b.WriteString("\n    name: ")
			b.WriteString(p.name)
			b.WriteByte('\n')
			if role == schema.Admin {
				// Reviewed the day the team was made, so that it passes
				// rule access-review.
				fmt.Fprintf(&b, "    reviewed: %s\n", schema.Today(g.opts.Now))
			}
		}
	}
	a := g.people[:admins]
	fmt.Fprintf(&b, "backups:\n  admin: %s\n", a[1].email)
	b.WriteString("workflows:\n")
	fmt.Fprintf(&b, "  - name: billing\n    owner: %s\n    backups: [%s]\n", a[0].email, a[1].email)
	fmt.Fprintf(&b, "  - name: integrations\n    owner: %s\n    backups: [%s]\n", a[2].email, a[0].email)
	for i := 0; i+1 < len(ops); i += 2 * operatorsPerWorkflow {
		state := "live"
		if (i/(2*operatorsPerWorkflow))%4 == 3 {
			state = "pilot"
		}
		fmt.Fprintf(&b, "  - name: campaign %d\n    state: %s\n    owner: %s\n    backups: [%s]\n", i/(2*operatorsPerWorkflow)+1, state, ops[i].email, ops[i+1].email)
	}
	b.WriteString("approvers:\n  admins: [\"@synth/revops-admins\"]\n  operators: [\"@synth/sales-ops\"]\n  reviewers: [\"@synth/sdr-leadership\"]\n")
	fmt.Fprintf(&b, "policy:\n  prune: true\n  max_removals: %d\n", len(g.people))
	return b.Bytes()
}

// other returns the role a drifted non-admin holds instead of its own.
func other(r schema.Role) schema.Role {
	if r == schema.Operator {
		return schema.Reviewer
	}
	return schema.Operator
}

// live builds the live workspace.
func (g *generator) live() *reconcile.Live {
	now := g.opts.Now.UTC()
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	const day = 24 * time.Hour
	// Members share these timestamps: they are never written through.
	var (
		joined    = at(-60 * day)
		joinedExp = at(-53 * day)
		accepted  = at(-59 * day)
		signedIn  = at(-1 * day)
		sent      = at(-2 * day)
		sentExp   = at(5 * day)
		stale     = at(-10 * day)
		staleExp  = at(-3 * day)
	)
	complete := true
	live := &reconcile.Live{
		Name:             cmp.Or(g.opts.Workspace, "synth-outbound"),
		SettingsComplete: &complete,
		SettingsMissing:  []string{},
		Members:          make([]reconcile.Member, 0, len(g.people)+len(g.extra)),
	}
	activeAs := func(p person, role schema.Role) reconcile.Member {
		return reconcile.Member{Email: p.email, Name: p.name, Role: role, Status: reconcile.Active,
			InvitedAt: joined, InviteExpiresAt: joinedExp, AcceptedAt: accepted, LastSignInAt: signedIn, SignInKnown: true}
	}
	invitedAs := func(p person, role schema.Role, expired bool) reconcile.Member {
		m := reconcile.Member{Email: p.email, Name: p.name, Role: role, Status: reconcile.Invited,
			InvitedAt: sent, InviteExpiresAt: sentExp, SignInKnown: true}
		if expired {
			m.InvitedAt, m.InviteExpiresAt = stale, staleExp
		}
		return m
	}
	for _, p := range g.people {
		switch p.drift {
		case inSync:
			live.Members = append(live.Members, activeAs(p, p.role))
		case pendingInvite:
			live.Members = append(live.Members, invitedAs(p, p.role, false))
		case missing:
			g.want[reconcile.Invite]++
		case otherRole:
			live.Members = append(live.Members, activeAs(p, other(p.role)))
			g.want[reconcile.ChangeRole]++
		case otherRoleInvite:
			live.Members = append(live.Members, invitedAs(p, other(p.role), false))
			g.want[reconcile.UpdateInvite]++
		case expiredInvite:
			live.Members = append(live.Members, invitedAs(p, p.role, true))
			g.want[reconcile.ResendInvite]++
		}
	}
	for i, p := range g.extra {
		if i%3 == 2 {
			live.Members = append(live.Members, invitedAs(p, p.role, false))
			g.want[reconcile.CancelInvite]++
			continue
		}
		live.Members = append(live.Members, activeAs(p, p.role))
		g.want[reconcile.Remove]++
	}
	slices.SortFunc(live.Members, func(a, b reconcile.Member) int { return strings.Compare(a.Key(), b.Key()) })
	return live
}

// Invited returns the workspace that an apply of Team into an empty
// workspace at time at leaves: every declared person a pending invite for
// the declared role, sent at at, members sorted by identity. A plan of
// Team against it has no changes, only pending invites to list.
func (f *Fixture) Invited(at time.Time) *reconcile.Live {
	sent := at.UTC().Truncate(time.Second)
	expires := sent.Add(local.InviteValidity)
	complete := false
	live := &reconcile.Live{
		Name:             f.workspace,
		SettingsComplete: &complete,
		SettingsMissing:  []string{},
		Members:          make([]reconcile.Member, len(f.people)),
	}
	keys := make([]string, len(f.people))
	for i, p := range f.people {
		live.Members[i] = reconcile.Member{Email: p.email, Name: p.name, Role: p.role, Status: reconcile.Invited,
			InvitedAt: &sent, InviteExpiresAt: &expires, SignInKnown: true}
		keys[i] = live.Members[i].Key()
	}
	live.Members, _ = reconcile.SortMembers(live.Members, keys)
	return live
}

// Write writes the team file to dir/team.yaml and the workspace to
// dir/workspace.json, creating dir, and returns their paths.
func (f *Fixture) Write(dir string) (team, workspace string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("synth: %w", err)
	}
	team = filepath.Join(dir, "team.yaml")
	workspace = filepath.Join(dir, "workspace.json")
	if err := os.WriteFile(team, f.Team, 0o644); err != nil {
		return "", "", fmt.Errorf("synth: %w", err)
	}
	if err := local.Save(workspace, f.Live); err != nil {
		return "", "", fmt.Errorf("synth: write %s: %w", workspace, err)
	}
	return team, workspace, nil
}

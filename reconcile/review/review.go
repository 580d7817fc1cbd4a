// Package review gathers what a reviewer needs to confirm people's access:
// whose review is due (rule access-review) or who has not signed in for
// policy.inactive_days (rule inactive-access), what the workspace says of
// each (status, last sign-in, where it knows them), and what the journal
// says (the apply that gave them their role: when, by whom, from which
// commit).
package review

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/readiness"
	"github.com/teamctl/teamctl/schema"
)

// State is where a person's review stands.
type State string

const (
	Overdue State = "overdue" // the day it fell due has passed
	Due     State = "due"     // due today
	Never   State = "never"   // never reviewed: due at once
	Soon    State = "soon"    // due within policy.review_warning_days
	// None: the person's review is not near, and they are listed for
	// another reason (inactive).
	None State = ""
)

// NotInWorkspace is the Status of a person the workspace does not hold.
const NotInWorkspace = "not in the workspace"

// Person is one line of the review.
type Person struct {
	Email string
	Name  string
	Role  schema.Role
	Pos   schema.Pos // where the person is declared

	State    State
	Period   int          // days between reviews of the role; 0 for none
	Reviewed *schema.Date // nil when never reviewed
	Due      *schema.Date // nil when never reviewed
	DaysLeft int          // days to Due: negative when overdue

	// What the workspace says. Status is a member status, or
	// NotInWorkspace. LastSignIn is nil when the member never signed in,
	// or when SignInKnown is false (the backend cannot tell: unknown).
	Status      string
	SignInKnown bool
	LastSignIn  *time.Time
	// InactiveDays is the whole days since the last sign-in when that is
	// policy.inactive_days or more (rule inactive-access); else 0.
	InactiveDays int

	// Granted is the apply that gave the person their role, from the
	// journal; nil when the journal does not hold it.
	Granted *Grant
}

// Grant is the journal's record of the change that gave a person their
// current role.
type Grant struct {
	Time   time.Time
	Action string // invite, change-role, ...
	Actor  string // who applied; empty when not recorded
	Apply  string // the apply's id
	Commit string // the repository's commit; empty when not known
}

// Report is the review of a team on a day.
type Report struct {
	Workspace    string
	Today        schema.Date
	WarningDays  int // policy.review_warning_days
	InactiveDays int // policy.inactive_days; 0 when off
	People       []Person
	// Journal is where the grants were looked up; JournalRead is false
	// when there was no journal there.
	Journal     string
	JournalRead bool
}

// Build makes the review of team on the day of now: the people whose
// review is due, overdue or soon due, most overdue first, then those only
// inactive, longest idle first. live may be nil (no workspace read);
// recs are the journal's records, oldest first.
func Build(team *schema.Team, live *reconcile.Live, recs []journal.Record, now time.Time) *Report {
	today := schema.Today(now)
	r := &Report{Workspace: team.Workspace, Today: today, WarningDays: team.Policy.ReviewWarningDays, InactiveDays: team.Policy.InactiveDays}
	members := map[string]reconcile.Member{}
	inactive := map[string]int{}
	if live != nil {
		members = live.Index()
		idle, _ := readiness.InactiveMembers(team, live, now)
		for _, i := range idle {
			inactive[i.Person.Key()] = i.Days
		}
	}
	grants := Grants(recs)
	listed := map[string]bool{}
	add := func(p schema.Person, rv *schema.Review) {
		e := Person{Email: p.Email, Name: p.Name, Role: p.Role, Pos: p.Pos, Reviewed: p.Reviewed,
			InactiveDays: inactive[p.Key()], Status: NotInWorkspace}
		if rv != nil {
			e.Period, e.Due, e.DaysLeft, e.State = rv.Period, rv.Due, rv.DaysLeft, state(*rv)
		}
		if m, ok := members[p.Key()]; ok {
			e.Status, e.SignInKnown = string(m.Status), m.SignInKnown
			if m.SignInKnown {
				e.LastSignIn = m.LastSignInAt
			}
		}
		if g, ok := grants[p.Key()]; ok && schema.Role(g.role) == p.Role {
			e.Granted = &g.Grant
		}
		listed[p.Key()] = true
		r.People = append(r.People, e)
	}
	for _, rv := range schema.Reviews(team, today) {
		if !listed[rv.Person.Key()] {
			add(rv.Person, &rv)
		}
	}
	var idle []schema.Person
	for _, p := range team.People {
		if inactive[p.Key()] > 0 && !listed[p.Key()] {
			idle = append(idle, p)
			listed[p.Key()] = true
		}
	}
	slices.SortStableFunc(idle, func(a, b schema.Person) int {
		return cmp.Or(inactive[b.Key()]-inactive[a.Key()], a.Pos.Compare(b.Pos))
	})
	for _, p := range idle {
		if rv, ok := schema.ReviewOf(team, p, today); ok {
			add(p, &rv)
			r.People[len(r.People)-1].State = None // not near: listed as inactive
		} else {
			add(p, nil)
		}
	}
	return r
}

func state(r schema.Review) State {
	switch {
	case r.Due == nil:
		return Never
	case r.DaysLeft < 0:
		return Overdue
	case r.DaysLeft == 0:
		return Due
	}
	return Soon
}

// Counts returns how many people are in each state, and how many are
// inactive.
func (r *Report) Counts() (states map[State]int, inactive int) {
	states = map[State]int{Overdue: 0, Due: 0, Never: 0, Soon: 0}
	for _, p := range r.People {
		if p.State != None {
			states[p.State]++
		}
		if p.InactiveDays > 0 {
			inactive++
		}
	}
	return states, inactive
}

// Reviewable returns the emails of the people whose review is due,
// overdue, never made or soon due: those review --all-due marks.
func (r *Report) Reviewable() []string {
	var out []string
	for _, p := range r.People {
		if p.State != None {
			out = append(out, p.Email)
		}
	}
	return out
}

// grant is a Grant with the role it gave.
type grant struct {
	Grant
	role string
}

// Grants returns, by identity, the last applied change that gave each
// person a role: an invite, a role change, or a fix of an invite's role,
// followed through renames.
func Grants(recs []journal.Record) map[string]grant {
	out := map[string]grant{}
	for _, rec := range recs {
		if rec.Result == string(reconcile.Applied) && rec.Action == string(reconcile.Rename) {
			// The grant follows the person to the new email; a rename
			// that changes the role is the grant itself.
			if g, ok := out[schema.Key(rec.EmailBefore)]; ok && rec.RoleBefore == rec.RoleAfter {
				delete(out, schema.Key(rec.EmailBefore))
				out[schema.Key(rec.Email)] = g
				continue
			}
		}
		if rec.Result != string(reconcile.Applied) || rec.RoleAfter == "" || !gives(rec.Action) {
			continue
		}
		g := grant{Grant: Grant{Time: rec.Time, Action: rec.Action, Actor: rec.Actor, Apply: rec.Apply, Commit: rec.Commit}, role: rec.RoleAfter}
		if prev, ok := out[schema.Key(rec.Email)]; ok && prev.role == rec.RoleAfter && rec.Action == string(reconcile.ResendInvite) {
			continue // a resent invite gives nothing new
		}
		out[schema.Key(rec.Email)] = g
	}
	return out
}

// gives reports whether a change of this action gives a role.
func gives(action string) bool {
	switch reconcile.Action(action) {
	case reconcile.Invite, reconcile.ChangeRole, reconcile.UpdateInvite, reconcile.ResendInvite, reconcile.Rename:
		return true
	}
	return false
}

// ShortCommit cuts a commit id to the length people read.
func ShortCommit(c string) string {
	if len(c) > 12 && strings.Trim(c, "0123456789abcdef") == "" {
		return c[:12]
	}
	return c
}

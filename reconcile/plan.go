package reconcile

import (
	"strings"
	"time"

	"github.com/teamctl/teamctl/schema"
)

// Action is a kind of change (SPEC §4).
type Action string

const (
	Invite       Action = "invite"
	UpdateInvite Action = "update-invite"
	ResendInvite Action = "resend-invite"
	ChangeRole   Action = "change-role"
	CancelInvite Action = "cancel-invite"
	Remove       Action = "remove"
	// Rename gives a member a new email in place (EmailBefore → Email),
	// keeping status, invite state and history: the person declares the
	// old email under previously:. It may change the role as well.
	Rename Action = "rename"
)

// Actions lists every action in the order of the plan summary.
var Actions = []Action{Invite, UpdateInvite, ResendInvite, ChangeRole, CancelInvite, Remove, Rename}

// Change is one step of a plan. It is data: renderers make text of it.
//
// A backend carrying out a change leaves the member holding RoleAfter alone:
// a change-role or update-invite also drops the member's OtherRoles. An
// invite of a suspended member reactivates it as a pending invite; a
// resend-invite sends the invitation again, for RoleAfter, with a new expiry.
type Change struct {
	Action Action
	Email  string
	// EmailBefore is the email a rename takes the member from (the
	// workspace's spelling); empty for every other action.
	EmailBefore string
	Name        string
	RoleBefore  schema.Role // the broadest role held; empty for an invite of someone new
	RoleAfter   schema.Role // empty for a cancel or remove
	// OtherRoles are further roles the member holds besides RoleBefore (a
	// SCIM user in two role groups); the change drops them.
	OtherRoles []schema.Role
	Reason     Reason     // why: data, put into words by renderers (render.ReasonText)
	Pos        schema.Pos // the declaring entry; zero for undeclared people
	// InvitedAt is when the pending invite this change touches was sent.
	InvitedAt *time.Time
	// ID is the backend's identifier of the member, when it has one.
	ID string
	// Note is the invite note (the team's invite_note) an invite or a
	// resend-invite sends with the invitation; empty for other actions.
	// It is what the change carries, never a reason for it: a changed note
	// re-invites nobody.
	Note string
}

// ReasonKind is why a change is in a plan. Its value is the stable
// reason_code of the JSON documents.
type ReasonKind string

const (
	// ReasonDeclared: declared, and not in the workspace.
	ReasonDeclared ReasonKind = "declared"
	// ReasonSuspended: declared, and suspended in the workspace.
	ReasonSuspended ReasonKind = "declared-suspended"
	// ReasonInviteExpired: declared, and the pending invite expired
	// (Reason.Expired); it may also be for another role.
	ReasonInviteExpired ReasonKind = "declared-invite-expired"
	// ReasonInviteRole: declared, and the pending invite is for another
	// role.
	ReasonInviteRole ReasonKind = "declared-invite-role"
	// ReasonRole: declared, and active with another role, or with more
	// roles than the declared one.
	ReasonRole ReasonKind = "declared-role"
	// ReasonUndeclared: live, not declared in Reason.Files, and
	// policy.prune is on.
	ReasonUndeclared ReasonKind = "undeclared"
	// ReasonUndeclaredSuspended: live and suspended, still in a role
	// group, not declared in Reason.Files, and policy.prune is on.
	ReasonUndeclaredSuspended ReasonKind = "undeclared-suspended"
	// ReasonDangling: the change's Email is a role-group member value
	// that names no user, held by Reason.Groups, and policy.prune is on.
	ReasonDangling ReasonKind = "dangling-member"
	// ReasonPreviously: declared with the member's email under
	// previously: (a rename).
	ReasonPreviously ReasonKind = "declared-previously"
)

// Reason is why a change is in a plan, after Terraform's
// plans.ResourceInstanceChangeActionReason: a kind and the fields its
// words need. The declared role is the change's RoleAfter, the roles held
// its RoleBefore and OtherRoles.
type Reason struct {
	Kind ReasonKind
	// Expired is when the pending invite expired (ReasonInviteExpired).
	Expired *time.Time
	// Files names what does not declare the person (ReasonUndeclared):
	// "team.yaml", "the team files".
	Files string
	// Groups are the role groups that hold a dangling member
	// (ReasonDangling).
	Groups []string
}

// Key returns the identity of the person the change is about.
func (c Change) Key() string { return schema.Key(c.Email) }

// Demotion reports whether the change takes access away from an active
// member: a change-role (or a rename that changes the role too) to a
// narrower role.
func (c Change) Demotion() bool {
	return (c.Action == ChangeRole || c.Action == Rename && c.InvitedAt == nil) && c.RoleAfter.Rank() < c.RoleBefore.Rank()
}

// Phase is a step of a plan: every change of one phase is independent of
// the others, and phases run in order (SPEC §4: admins first, operators,
// reviewers, then demotions, cancellations and removals).
type Phase int

const (
	PhaseAdmins Phase = iota + 1
	PhaseOperators
	PhaseReviewers
	PhaseDemotions
	PhaseCancellations
	PhaseRemovals
)

var phaseNames = map[Phase]string{
	PhaseAdmins:        "admins",
	PhaseOperators:     "operators",
	PhaseReviewers:     "reviewers",
	PhaseDemotions:     "demotions",
	PhaseCancellations: "cancellations",
	PhaseRemovals:      "removals",
}

func (p Phase) String() string { return phaseNames[p] }

// Phase returns the step of the plan the change belongs to.
func (c Change) Phase() Phase {
	switch {
	case c.Action == Remove:
		return PhaseRemovals
	case c.Action == CancelInvite:
		return PhaseCancellations
	case c.Demotion():
		return PhaseDemotions
	case c.RoleAfter == schema.Admin:
		return PhaseAdmins
	case c.RoleAfter == schema.Operator:
		return PhaseOperators
	}
	return PhaseReviewers
}

// Held is a change the plan leaves out because making it would break a
// safety rule: it would demote or remove the actor, or leave the workspace
// below its floor of active admins. It reappears in later plans until it
// is safe.
type Held struct {
	Change
	Why string // "dana@acme.io applies this plan"
}

// Drift is a live member the team file does not declare, left alone because
// prune is off.
type Drift struct {
	Email     string
	Name      string
	Role      schema.Role
	Status    Status
	InvitedAt *time.Time
}

// Pending is a live invite not yet accepted, with its age.
type Pending struct {
	Email     string
	Name      string
	Role      schema.Role
	InvitedAt *time.Time
	ExpiresAt *time.Time
	Expired   bool // at the time the plan was made
	Declared  bool // the team file declares the person
}

// MemberState is what a plan depends on of one live member. A saved plan
// keeps the state of every member, so that a stale plan can name the
// people whose live state moved.
type MemberState struct {
	Email           string // the identity (schema.Key)
	Role            schema.Role
	OtherRoles      []schema.Role
	Status          Status
	InviteExpiresAt *time.Time
}

// Plan is the ordered list of changes that turns a live workspace into the
// declared team.
type Plan struct {
	Workspace    string // the team file's workspace name
	WorkspaceURL string // where the live state was read; set by the caller
	TeamDigest   string // the team file's bytes (schema.Team.Digest)
	// TeamMeaning is what the team declares (schema.Team.Meaning): a saved
	// plan depends on it, not on the bytes. Empty in a plan saved by a
	// teamctl before v1.2, which depends on TeamDigest instead.
	TeamMeaning string
	// LiveFingerprint digests DependsOn.
	LiveFingerprint string
	CreatedAt       time.Time
	Actor           string // who applies the plan (an identity), if known
	Changes         []Change
	Held            []Held
	Drift           []Drift
	// Dangling are role-group members that name no user, left alone
	// because prune is off (with prune, each is a remove change).
	Dangling []Dangling
	Pending  []Pending
	Findings []schema.Finding
	// ActiveAdmins is the number of active admins before the plan; AdminFloor
	// the fewest the workspace may hold at any step of it.
	ActiveAdmins int
	AdminFloor   int
	// MaxRemovals is the team's policy.max_removals: the most changes
	// that take access away the plan may make. Apply holds it to it.
	MaxRemovals int
	// Basis is the live state the plan was made from, sorted by identity:
	// every member, for the safety kernel. A plan read from a file holds
	// only what it depends on (DependsOn); one saved before v1.2, every
	// member.
	Basis []MemberState
	// Unreviewed are changes the workspace needs now that a saved plan
	// does not make: Verify leaves them out of the plan it returns, since
	// nobody reviewed them, and the caller says so.
	Unreviewed []Change
	// InviteNote is the note each invite and resend-invite of the plan
	// sends (the team's invite_note, trimmed); the changes carry it too.
	InviteNote string
	// Hints are pairs that look like a rename the team file does not
	// declare (no previously:).
	Hints []RenameHint
	// Refused is set on the plan Diff returns with ErrRefused: it is there
	// to be shown, never to be saved or applied.
	Refused bool
}

// RenameHint is a live member the plan removes (or leaves as drift) and
// a declared person it invites, with the same name and role: perhaps one
// person whose email changed.
type RenameHint struct {
	From, To string // the emails: the live member's, the declared one's
	Name     string
	Role     schema.Role
}

// renameHints finds the invites of p whose name and role match a member
// p removes or leaves undeclared.
func renameHints(p *Plan) []RenameHint {
	type nameRole struct {
		name string
		role schema.Role
	}
	gone := map[nameRole]string{}
	add := func(name string, role schema.Role, email string) {
		if k := (nameRole{strings.ToLower(strings.TrimSpace(name)), role}); k.name != "" {
			if _, dup := gone[k]; !dup {
				gone[k] = email
			}
		}
	}
	for _, c := range p.Changes {
		if c.Action == Remove || c.Action == CancelInvite {
			add(c.Name, c.RoleBefore, c.Email)
		}
	}
	for _, dr := range p.Drift {
		add(dr.Name, dr.Role, dr.Email)
	}
	if len(gone) == 0 {
		return nil
	}
	var out []RenameHint
	for _, c := range p.Changes {
		if c.Action != Invite || c.RoleBefore != "" {
			continue
		}
		if from, ok := gone[nameRole{strings.ToLower(strings.TrimSpace(c.Name)), c.RoleAfter}]; ok {
			out = append(out, RenameHint{From: from, To: c.Email, Name: c.Name, Role: c.RoleAfter})
		}
	}
	return out
}

// Invitations returns the invites and resend-invites of changes: the changes
// that send the invite note.
func Invitations(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if c.SendsNote() {
			out = append(out, c)
		}
	}
	return out
}

// SendsNote reports whether the change sends an invitation, and with it
// the invite note: an invite or a resend-invite.
func (c Change) SendsNote() bool { return c.Action == Invite || c.Action == ResendInvite }

// Summary counts the changes of each action.
func (p *Plan) Summary() map[Action]int {
	s := make(map[Action]int, len(Actions))
	for _, a := range Actions {
		s[a] = 0
	}
	for _, c := range p.Changes {
		s[c.Action]++
	}
	return s
}

// Phases splits the changes into their phases, in plan order: each phase
// is a part of p.Changes, not a copy (capped, so that an append to one
// never writes into the next).
func (p *Plan) Phases() [][]Change {
	var out [][]Change
	start := 0
	for i := range p.Changes {
		if i == len(p.Changes)-1 || p.Changes[i+1].Phase() != p.Changes[i].Phase() {
			out = append(out, p.Changes[start:i+1:i+1])
			start = i + 1
		}
	}
	return out
}

// Applyable reports whether the plan may be applied: the policy did not
// refuse it, and no finding is an error.
func (p *Plan) Applyable() bool { return !p.Refused && !schema.HasErrors(p.Findings) }

package reconcile

import (
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
)

// Actions lists every action in the order of the plan summary.
var Actions = []Action{Invite, UpdateInvite, ResendInvite, ChangeRole, CancelInvite, Remove}

// Change is one step of a plan. It is data: renderers make text of it.
type Change struct {
	Action     Action
	Email      string
	Name       string
	RoleBefore schema.Role // empty for an invite
	RoleAfter  schema.Role // empty for a cancel or remove
	Reason     string      // "declared as operator", "not declared in the team file"
	Pos        schema.Pos  // the declaring entry; zero for undeclared people
	// InvitedAt is when the pending invite this change touches was sent.
	InvitedAt *time.Time
	// ID is the backend's identifier of the member, when it has one.
	ID string
}

// Key returns the identity of the person the change is about.
func (c Change) Key() string { return schema.Key(c.Email) }

// Drift is a live member the team file does not declare, left alone because
// prune is off.
type Drift struct {
	Email     string
	Name      string
	Role      schema.Role
	Status    Status
	InvitedAt *time.Time
}

// Plan is the ordered list of changes that turns a live workspace into the
// declared team.
type Plan struct {
	Workspace       string
	TeamDigest      string
	LiveFingerprint string
	CreatedAt       time.Time
	Changes         []Change
	Drift           []Drift
	Findings        []schema.Finding
}

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

// Package reconcile compares a declared team with a live workspace, plans
// the changes that make them equal, and applies a plan through a Workspace.
package reconcile

import (
	"time"

	"github.com/teamctl/teamctl/schema"
)

// Status is where a live member stands.
type Status string

const (
	Invited   Status = "invited"   // invitation sent, not yet accepted
	Active    Status = "active"    // accepted; holds the role
	Suspended Status = "suspended" // deactivated; holds no access
)

// Member is one person in the live workspace.
type Member struct {
	Email string // as the workspace spells it
	Name  string
	Role  schema.Role
	// OtherRoles lists further roles a backend found for the same person
	// (for example a SCIM user in two role groups). A plan resolves them to
	// the declared role.
	OtherRoles      []schema.Role
	Status          Status
	InvitedAt       *time.Time
	InviteExpiresAt *time.Time
	AcceptedAt      *time.Time
	LastSignInAt    *time.Time
	// SignInKnown is false when the backend cannot tell whether the member
	// accepted and signed in (SCIM); live rules then report unknown.
	SignInKnown bool
	// ID is the backend's own identifier (a SCIM user id); empty for the file
	// workspace.
	ID string
	// InRoleGroup is set on a suspended member that the workspace still
	// lists in a role group (a SCIM user deactivated but not taken out of
	// its group: a removal that stopped halfway). Such a member is drift,
	// and prune takes it out. A suspended member of the file workspace
	// keeps its role as a record, not a group: it holds nothing.
	InRoleGroup bool
	// InviteNote is the note the member's invitation carried, when the
	// backend records it (the file workspace). No plan depends on it: a
	// changed note is never a reason to invite again.
	InviteNote string
}

// Key returns the member's identity.
func (m Member) Key() string { return schema.Key(m.Email) }

// Expired reports whether m is a pending invite whose expiry is before now.
func (m Member) Expired(now time.Time) bool {
	return m.Status == Invited && m.InviteExpiresAt != nil && m.InviteExpiresAt.Before(now)
}

// Live is a snapshot of a workspace.
type Live struct {
	Name string
	// SettingsComplete is nil when the backend cannot tell.
	SettingsComplete *bool
	SettingsMissing  []string
	Members          []Member // sorted by Key
	// Aliases are addresses accounts of the workspace carry without being
	// them; sorted by the identity of Email.
	Aliases []Alias
	// Dangling are role-group members that name no user, sorted by
	// group and value.
	Dangling []Dangling
}

// Dangling is a member of a role group that names no user of the
// workspace: a SCIM member value such as "bulkId:op-0" stored by a
// provider that did not resolve a Bulk reference, the id of a user
// deleted without leaving its groups, a user's address put in a group
// where its id belongs, or a nested group. It grants nobody access, but it
// is not what the team file declares: a plan lists it, and prune removes
// it, but only when the workspace confirmed it names nothing (Kind
// DanglingMissing). The others are drift, left alone: removing an address
// must never reach the user it spells.
type Dangling struct {
	Group string // the group's name in the workspace
	Role  schema.Role
	Value string // the member value
	Kind  DanglingKind
	// User is, for DanglingUser, the userName of the user whose address
	// the value is; Detail, for DanglingUnconfirmed, what the workspace
	// answered when asked for the value.
	User   string
	Detail string
}

// DanglingKind is what the workspace says a member value that is no user
// is.
type DanglingKind string

const (
	// DanglingMissing: a read of the value as a user id, and as a group
	// id, answered 404: it names nothing. The only kind prune removes.
	DanglingMissing DanglingKind = "missing"
	// DanglingUser: the value is the userName or an email of a user.
	DanglingUser DanglingKind = "user-address"
	// DanglingGroup: the value is the id of a group (a nested group).
	DanglingGroup DanglingKind = "group"
	// DanglingUnconfirmed: the workspace did not say (an error other
	// than 404, or more values than teamctl asks about).
	DanglingUnconfirmed DanglingKind = "unconfirmed"
)

// Alias is an address a workspace account carries that is not its
// identity: a SCIM user's email when its userName is another, or a
// userName that only Unicode case folding makes the address. It never
// identifies the account, so a declared person whose email is another
// account's alias is a conflict: the plan holds the invite back (nothing
// adopts the account), until the workspace is fixed.
type Alias struct {
	Email   string // the address, as the account carries it
	Account string // the account's identity, as the workspace spells it
	ID      string // the backend's identifier of the account
}

// Index returns the members by identity.
func (l *Live) Index() map[string]Member {
	idx := make(map[string]Member, len(l.Members))
	for _, m := range l.Members {
		idx[m.Key()] = m
	}
	return idx
}

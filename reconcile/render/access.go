package render

import (
	"fmt"
	"strings"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// adminMove is what a change does to admin access: the first thing a
// reviewer of a plan must see, whatever else the plan holds.
type adminMove int

const (
	notAdmin     adminMove = iota
	adminGranted           // an invitation as admin (new, again, or resent)
	adminRaised            // a member or a pending invite raised to admin
	adminDemoted           // an admin or an admin invite lowered to another role
	adminRemoved           // an admin removed, or an admin invite cancelled
)

var adminMoveWords = map[adminMove]string{
	adminGranted: "granted",
	adminRaised:  "raised",
	adminDemoted: "demoted",
	adminRemoved: "removed",
}

// adminMoveOf says what c does to admin access. It looks at the roles
// before and after rather than at the action alone, so that a kind of
// change it does not know is still seen when it grants or takes admin.
func adminMoveOf(c reconcile.Change) adminMove {
	before, after := c.RoleBefore == schema.Admin, c.RoleAfter == schema.Admin
	switch {
	case c.Action == reconcile.Invite:
		// Inviting a suspended admin again as an operator grants nothing.
		if after {
			return adminGranted
		}
	case after && !before:
		return adminRaised
	case after && c.Action == reconcile.ResendInvite:
		return adminGranted
	case before && c.RoleAfter == "":
		return adminRemoved
	case before && !after:
		return adminDemoted
	}
	return notAdmin
}

// adminChanges returns the changes of cs that touch admin access, in plan
// order.
func adminChanges(cs []reconcile.Change) []reconcile.Change {
	var out []reconcile.Change
	for _, c := range cs {
		if adminMoveOf(c) != notAdmin {
			out = append(out, c)
		}
	}
	return out
}

// adminCounts says how admin access moves in a few words, "1 granted,
// 1 removed"; "" when no change touches it.
func adminCounts(cs []reconcile.Change) string {
	n := map[adminMove]int{}
	for _, c := range cs {
		n[adminMoveOf(c)]++
	}
	var parts []string
	for _, m := range []adminMove{adminGranted, adminRaised, adminDemoted, adminRemoved} {
		if n[m] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[m], adminMoveWords[m]))
		}
	}
	return strings.Join(parts, ", ")
}

// accessRank orders changes by how much access they hand out, for the cut
// of a report too long for a comment: the highest rank is left out last.
// Grants and raises of a role come before what takes the same role away,
// and a broader role before a narrower one, so that admin grants are the
// last thing ever cut and reviewer changes the first.
func accessRank(c reconcile.Change) int {
	role := c.RoleAfter
	grants := role != "" && (c.Action == reconcile.Invite || role.Rank() > c.RoleBefore.Rank() || c.Action == reconcile.ResendInvite)
	if !grants {
		role = c.RoleBefore
	}
	rank := 2 * role.Rank()
	if grants {
		rank++
	}
	return rank
}

// changeKinds says in a few words what changes cs make, by role and kind,
// in plan order: "12 operators invited, 3 reviewers removed".
func changeKinds(cs []reconcile.Change) string {
	type kind struct{ noun, verb string }
	var order []kind
	n := map[kind]int{}
	for _, c := range cs {
		k := changeKind(c)
		if n[k] == 0 {
			order = append(order, k)
		}
		n[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = plural(n[k], k.noun) + " " + k.verb
	}
	return strings.Join(parts, ", ")
}

// changeKind is the noun and verb of a change for changeKinds: "operator"
// "invited", "reviewer invite" "cancelled".
func changeKind(c reconcile.Change) struct{ noun, verb string } {
	before, after := string(c.RoleBefore), string(c.RoleAfter)
	k := struct{ noun, verb string }{before, string(c.Action)}
	switch c.Action {
	case reconcile.Invite:
		k.noun, k.verb = after, "invited"
	case reconcile.ResendInvite:
		k.noun, k.verb = after+" invite", "resent"
	case reconcile.UpdateInvite:
		k.noun, k.verb = before+" invite", "changed to "+after
	case reconcile.ChangeRole:
		switch {
		case c.RoleAfter.Rank() > c.RoleBefore.Rank():
			k.verb = "raised to " + after
		case c.RoleAfter.Rank() < c.RoleBefore.Rank():
			k.verb = "demoted to " + after
		default:
			k.verb = "left with one role"
		}
	case reconcile.CancelInvite:
		k.noun, k.verb = before+" invite", "cancelled"
	case reconcile.Remove:
		k.verb = "removed"
		if before == "" {
			k.noun = "dangling member" // a role-group member value that is no user
		}
	}
	if k.noun == "" {
		k.noun = "change"
	}
	return k
}

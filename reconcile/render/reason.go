package render

import (
	"cmp"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// ReasonText puts why a change is in the plan into words:
// "declared as operator; the pending invite is for reviewer",
// "not declared in team.yaml (policy.prune)". Its kind is the stable
// reason_code of the JSON documents.
func ReasonText(c reconcile.Change) string {
	r := c.Reason
	declared := "declared as " + string(c.RoleAfter)
	held := joinRoles(append([]schema.Role{c.RoleBefore}, c.OtherRoles...))
	switch r.Kind {
	case reconcile.ReasonDeclared:
		return declared
	case reconcile.ReasonSuspended:
		return declared + "; suspended in the workspace"
	case reconcile.ReasonInviteExpired:
		s := declared + "; the invite expired"
		if r.Expired != nil {
			s += " " + r.Expired.UTC().Format(time.DateOnly)
		}
		if c.RoleBefore != c.RoleAfter || len(c.OtherRoles) > 0 {
			s += ", sent for " + held
		}
		return s
	case reconcile.ReasonInviteRole:
		return declared + "; the pending invite is for " + held
	case reconcile.ReasonRole:
		if len(c.OtherRoles) > 0 {
			return declared + "; also holds " + joinRoles(c.OtherRoles)
		}
		return declared
	case reconcile.ReasonPreviously:
		return declared + ", previously " + c.EmailBefore
	case reconcile.ReasonUndeclared:
		return "undeclared: not in " + cmp.Or(r.Files, "the team file") + " (policy.prune)"
	case reconcile.ReasonUndeclaredSuspended:
		return "undeclared: suspended, not in " + cmp.Or(r.Files, "the team file") + ", but still in the " + string(c.RoleBefore) + " role group (policy.prune)"
	case reconcile.ReasonDangling:
		if gs := r.Groups; len(gs) > 1 {
			return "groups " + strings.Join(gs[:len(gs)-1], ", ") + " and " + gs[len(gs)-1] + " hold member " + c.Email + ", which is no user (policy.prune)"
		}
		return "group " + strings.Join(r.Groups, "") + " holds member " + c.Email + ", which is no user (policy.prune)"
	}
	return string(r.Kind)
}

// ReasonLine is ReasonText after the declaring position, if any, in the
// one form every view uses (file:line:col, as findings have it):
// "team.yaml:9:5: declared as operator".
func ReasonLine(c reconcile.Change) string {
	if c.Pos.Line > 0 {
		return c.Pos.String() + ": " + ReasonText(c)
	}
	return ReasonText(c)
}

func joinRoles(roles []schema.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, " and ")
}

package render_test

import (
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// TestReasonText puts each kind of reason into words.
func TestReasonText(t *testing.T) {
	expired := now.AddDate(0, 0, -3)
	pos := schema.Pos{File: "team.yaml", Line: 9, Col: 5}
	tests := []struct {
		name string
		c    reconcile.Change
		want string
	}{
		{"declared", reconcile.Change{RoleAfter: schema.Operator, Pos: pos, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}}, "team.yaml:9:5: declared as operator"},
		{"suspended", reconcile.Change{RoleBefore: schema.Reviewer, RoleAfter: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonSuspended}}, "declared as reviewer; suspended in the workspace"},
		{"invite expired", reconcile.Change{RoleBefore: schema.Reviewer, RoleAfter: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonInviteExpired, Expired: &expired}}, "declared as reviewer; the invite expired 2026-11-23"},
		{"invite expired, other role", reconcile.Change{RoleBefore: schema.Reviewer, RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonInviteExpired, Expired: &expired}}, "declared as operator; the invite expired 2026-11-23, sent for reviewer"},
		{"invite for another role", reconcile.Change{RoleBefore: schema.Reviewer, OtherRoles: []schema.Role{schema.Admin}, RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonInviteRole}}, "declared as operator; the pending invite is for reviewer and admin"},
		{"another role", reconcile.Change{RoleBefore: schema.Operator, RoleAfter: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonRole}}, "declared as admin"},
		{"extra roles", reconcile.Change{RoleBefore: schema.Admin, OtherRoles: []schema.Role{schema.Reviewer}, RoleAfter: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonRole}}, "declared as admin; also holds reviewer"},
		{"undeclared", reconcile.Change{RoleBefore: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonUndeclared, Files: "team.yaml"}}, "undeclared: not in team.yaml (policy.prune)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render.ReasonLine(tt.c); got != tt.want {
				t.Errorf("ReasonLine() = %q, want %q", got, tt.want)
			}
		})
	}
}

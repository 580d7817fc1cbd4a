package render

import (
	"io"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
)

// ApplyReport is what an apply did, for its JSON document.
type ApplyReport struct {
	Plan    *reconcile.Plan
	Results reconcile.Results
	ApplyID string // the journal's id of the apply; empty when nothing was applied
	// Verified reports whether every applied change was confirmed by
	// reading the workspace back.
	Verified bool
}

// applyDoc is the apply document of SPEC §8.
type applyDoc struct {
	FormatVersion string          `json:"format_version"`
	Workspace     string          `json:"workspace"`
	WorkspaceURL  string          `json:"workspace_url"`
	ApplyID       string          `json:"apply_id"`
	Actor         string          `json:"actor"`
	Changes       []resultDoc     `json:"changes"`
	Held          []applyHeldDoc  `json:"held"`
	Summary       applySummaryDoc `json:"summary"`
	Verified      bool            `json:"verified"`
}

type resultDoc struct {
	Action reconcile.Action `json:"action"`
	Email  string           `json:"email"`
	// EmailBefore is the email a rename took the member from.
	EmailBefore string            `json:"email_before,omitempty"`
	RoleBefore  *schema.Role      `json:"role_before"`
	RoleAfter   *schema.Role      `json:"role_after"`
	Result      reconcile.Outcome `json:"result"`
	Error       string            `json:"error,omitempty"`
}

// applyHeldDoc is a change the plan held back, and why.
type applyHeldDoc struct {
	Action      reconcile.Action `json:"action"`
	Email       string           `json:"email"`
	RoleBefore  *schema.Role     `json:"role_before"`
	RoleAfter   *schema.Role     `json:"role_after"`
	HeldBecause string           `json:"held_because"`
}

// rolePtr is a role for a JSON document: null when there is none.
func rolePtr(r schema.Role) *schema.Role {
	if r == "" {
		return nil
	}
	return &r
}

type applySummaryDoc struct {
	Applied      int `json:"applied"`
	Failed       int `json:"failed"`
	NotAttempted int `json:"not_attempted"`
}

// ApplyJSON writes the apply document of SPEC §8: one result per change
// of the plan, the changes it held, and the counts.
func ApplyJSON(w io.Writer, r ApplyReport) error {
	p := r.Plan
	doc := applyDoc{
		FormatVersion: FormatVersion,
		Workspace:     p.Workspace,
		WorkspaceURL:  p.WorkspaceURL,
		ApplyID:       r.ApplyID,
		Actor:         p.Actor,
		Changes:       make([]resultDoc, len(r.Results)),
		Held:          make([]applyHeldDoc, len(p.Held)),
		Summary: applySummaryDoc{
			Applied:      r.Results.Count(reconcile.Applied),
			Failed:       r.Results.Count(reconcile.Failed),
			NotAttempted: r.Results.Count(reconcile.NotAttempted),
		},
		Verified: r.Verified,
	}
	for i, res := range r.Results {
		c := res.Change
		doc.Changes[i] = resultDoc{
			Action: c.Action, Email: c.Email, EmailBefore: c.EmailBefore,
			RoleBefore: rolePtr(c.RoleBefore), RoleAfter: rolePtr(c.RoleAfter),
			Result: res.Outcome,
		}
		if res.Err != nil {
			doc.Changes[i].Error = res.Err.Error()
		}
	}
	for i, h := range p.Held {
		c := h.Change
		doc.Held[i] = applyHeldDoc{c.Action, c.Email, rolePtr(c.RoleBefore), rolePtr(c.RoleAfter), h.Why}
	}
	return writeJSON(w, doc)
}

// writeJSON writes one indented JSON document.
func writeJSON(w io.Writer, doc any) error {
	enc := safejson.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

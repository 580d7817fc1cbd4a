// Package planfile reads and writes saved plans (teamctl plan --out), the
// plan document of SPEC §6. It is apart from rendering, as Terraform keeps
// plans/planfile apart from its JSON output: what apply trusts from disk
// is checked here, its checksum, its format_version, its completeness,
// and nothing that reads a plan back lives among the renderers.
package planfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
)

// planDoc is the plan JSON document (SPEC §6), which is also the saved
// plan file. Besides the fields of the spec it keeps what apply needs to
// refuse a stale plan (SPEC §9): the team's meaning ("team_meaning"), the
// live state of each person the plan depends on ("live": whom it changes,
// the actor, the active admins), the admin count and floor, the actor, and
// a checksum over everything else. A plan saved before v1.2 has no
// team_meaning and lists every member under "live"; it reads the same.
type planDoc struct {
	FormatVersion   string      `json:"format_version"`
	Workspace       string      `json:"workspace"`
	WorkspaceURL    string      `json:"workspace_url"`
	TeamDigest      string      `json:"team_digest"`
	TeamMeaning     string      `json:"team_meaning,omitempty"`
	LiveFingerprint string      `json:"live_fingerprint"`
	CreatedAt       time.Time   `json:"created_at"`
	Actor           string      `json:"actor"`
	InviteNote      string      `json:"invite_note,omitempty"` // sent with each invite and resend-invite
	Applyable       bool        `json:"applyable"`
	Changes         []changeDoc `json:"changes"`
	Held            []heldDoc   `json:"held"`
	// Undeclared are the live members the team file does not declare,
	// left alone; drift is the same list under its first name, kept for
	// readers of format_version 1.
	Undeclared     []driftDoc       `json:"undeclared"`
	Drift          []driftDoc       `json:"drift"`
	Dangling       []danglingDoc    `json:"dangling_members,omitempty"`
	PendingInvites []pendingDoc     `json:"pending_invites"`
	Summary        map[string]int   `json:"summary"`
	Findings       []render.Finding `json:"findings"`
	ActiveAdmins   int              `json:"active_admins"`
	AdminFloor     int              `json:"admin_floor"`
	MaxRemovals    int              `json:"max_removals"` // the budget the safety kernel held the plan to
	Live           []stateDoc       `json:"live"`
	Checksum       string           `json:"checksum"`
}

type changeDoc struct {
	Action reconcile.Action `json:"action"`
	Email  string           `json:"email"`
	// EmailBefore is the email a rename takes the member from.
	EmailBefore string        `json:"email_before,omitempty"`
	Name        string        `json:"name,omitempty"`
	RoleBefore  *schema.Role  `json:"role_before"`
	RoleAfter   *schema.Role  `json:"role_after"`
	OtherRoles  []schema.Role `json:"other_roles,omitempty"`
	Reason      string        `json:"reason"`
	// ReasonCode is the reason's stable kind; the fields after it are
	// what its words need, so that a plan reads back whole.
	ReasonCode      reconcile.ReasonKind `json:"reason_code"`
	ReasonExpiredAt *time.Time           `json:"reason_expired_at,omitempty"`
	ReasonFiles     string               `json:"reason_files,omitempty"`
	ReasonGroups    []string             `json:"reason_groups,omitempty"`
	File            *string              `json:"file"`
	Line            *int                 `json:"line"`
	Column          int                  `json:"column,omitempty"`
	InvitedAt       *time.Time           `json:"invited_at,omitempty"`
}

type heldDoc struct {
	changeDoc
	HeldBecause string `json:"held_because"`
}

type driftDoc struct {
	Email     string           `json:"email"`
	Name      string           `json:"name,omitempty"`
	Role      schema.Role      `json:"role"`
	Status    reconcile.Status `json:"status"`
	InvitedAt *time.Time       `json:"invited_at,omitempty"`
}

// danglingDoc is a role-group member that is no user.
type danglingDoc struct {
	Group  string                 `json:"group"`
	Role   schema.Role            `json:"role"`
	Value  string                 `json:"value"`
	Kind   reconcile.DanglingKind `json:"kind"` // what the workspace confirmed the value is
	User   string                 `json:"user,omitempty"`
	Detail string                 `json:"detail,omitempty"`
}

type pendingDoc struct {
	Email           string      `json:"email"`
	Name            string      `json:"name,omitempty"`
	Role            schema.Role `json:"role"`
	InvitedAt       *time.Time  `json:"invited_at"`
	InviteExpiresAt *time.Time  `json:"invite_expires_at"`
	Expired         bool        `json:"expired"`
	Declared        bool        `json:"declared"`
}

type stateDoc struct {
	Email           string           `json:"email"`
	Role            schema.Role      `json:"role"`
	OtherRoles      []schema.Role    `json:"other_roles,omitempty"`
	Status          reconcile.Status `json:"status"`
	InviteExpiresAt *time.Time       `json:"invite_expires_at,omitempty"`
}

// Write writes the plan as the JSON document of SPEC §6, with the
// checksum Read checks: the saved plan, and the output of plan -o json.
func Write(w io.Writer, p *reconcile.Plan) error { return WriteRedacted(w, p, nil) }

// WriteRedacted is Write with the document's bytes passed through redact
// (when not nil) before the checksum is taken, so that a secret a server
// echoed into a name or an email never reaches the disk and the plan
// still reads back whole. redact must change text inside JSON strings
// only, as replacing a secret with [REDACTED] does.
func WriteRedacted(w io.Writer, p *reconcile.Plan, redact func([]byte) []byte) error {
	if redact == nil {
		redact = func(b []byte) []byte { return b }
	}
	depends := p.DependsOn()
	doc := planDoc{
		FormatVersion:   render.FormatVersion,
		Workspace:       p.Workspace,
		WorkspaceURL:    p.WorkspaceURL,
		TeamDigest:      p.TeamDigest,
		TeamMeaning:     p.TeamMeaning,
		LiveFingerprint: p.LiveFingerprint,
		CreatedAt:       p.CreatedAt.UTC(),
		Actor:           p.Actor,
		InviteNote:      p.InviteNote,
		Applyable:       p.Applyable(),
		Changes:         make([]changeDoc, len(p.Changes)),
		Held:            make([]heldDoc, len(p.Held)),
		Drift:           make([]driftDoc, len(p.Drift)),
		PendingInvites:  make([]pendingDoc, len(p.Pending)),
		Summary:         map[string]int{},
		Findings:        render.JSONFindings(p.Findings),
		ActiveAdmins:    p.ActiveAdmins,
		AdminFloor:      p.AdminFloor,
		MaxRemovals:     p.MaxRemovals,
		Live:            make([]stateDoc, len(depends)),
	}
	for i, c := range p.Changes {
		doc.Changes[i] = changeToDoc(c)
	}
	for i, h := range p.Held {
		doc.Held[i] = heldDoc{changeToDoc(h.Change), h.Why}
	}
	for i, d := range p.Drift {
		doc.Drift[i] = driftDoc(d)
	}
	doc.Undeclared = doc.Drift
	for _, d := range p.Dangling {
		doc.Dangling = append(doc.Dangling, danglingDoc(d))
	}
	for i, q := range p.Pending {
		doc.PendingInvites[i] = pendingDoc{q.Email, q.Name, q.Role, q.InvitedAt, q.ExpiresAt, q.Expired, q.Declared}
	}
	for a, n := range p.Summary() {
		doc.Summary[string(a)] = n
	}
	for i, s := range depends {
		doc.Live[i] = stateDoc(s)
	}
	data, err := safejson.Marshal(doc)
	if err != nil {
		return err
	}
	sum, err := checksum(redact(data))
	if err != nil {
		return err
	}
	doc.Checksum = sum
	data, err = safejson.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(redact(data), '\n'))
	return err
}

func changeToDoc(c reconcile.Change) changeDoc {
	d := changeDoc{
		Action: c.Action, Email: c.Email, EmailBefore: c.EmailBefore, Name: c.Name,
		RoleBefore: rolePtr(c.RoleBefore), RoleAfter: rolePtr(c.RoleAfter),
		OtherRoles: c.OtherRoles, InvitedAt: c.InvitedAt,
		Reason: render.ReasonText(c), ReasonCode: c.Reason.Kind,
		ReasonExpiredAt: c.Reason.Expired, ReasonFiles: c.Reason.Files, ReasonGroups: c.Reason.Groups,
	}
	if c.Pos.Line > 0 {
		d.File, d.Line, d.Column = &c.Pos.File, &c.Pos.Line, c.Pos.Col
	}
	return d
}

func (d changeDoc) change() reconcile.Change {
	c := reconcile.Change{
		Action: d.Action, Email: d.Email, EmailBefore: d.EmailBefore, Name: d.Name, OtherRoles: d.OtherRoles,
		InvitedAt: d.InvitedAt,
		Reason:    reconcile.Reason{Kind: d.ReasonCode, Expired: d.ReasonExpiredAt, Files: d.ReasonFiles, Groups: d.ReasonGroups},
	}
	if d.RoleBefore != nil {
		c.RoleBefore = *d.RoleBefore
	}
	if d.RoleAfter != nil {
		c.RoleAfter = *d.RoleAfter
	}
	if d.File != nil && d.Line != nil {
		c.Pos = schema.Pos{File: *d.File, Line: *d.Line, Col: d.Column}
	}
	return c
}

func rolePtr(r schema.Role) *schema.Role {
	if r == "" {
		return nil
	}
	return &r
}

// checksum digests a plan document without its checksum field, in a
// canonical form (keys sorted, no spaces), so that reformatting the file
// keeps it and any other edit breaks it.
func checksum(data []byte) (string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return "", err
	}
	delete(fields, "checksum")
	canon, err := json.Marshal(fields)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canon)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Read reads a saved plan. It refuses a file that is not a plan
// document, one of another format_version, and one edited or cut short
// since teamctl wrote it.
func Read(data []byte) (*reconcile.Plan, error) {
	var head struct {
		FormatVersion *string `json:"format_version"`
		Checksum      string  `json:"checksum"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) && syn.Offset >= int64(len(bytes.TrimSpace(data))) || len(bytes.TrimSpace(data)) == 0 {
			return nil, errors.New("not a complete plan document: the file is truncated")
		}
		return nil, fmt.Errorf("not a plan document: %v", err)
	}
	switch {
	case head.FormatVersion == nil:
		return nil, errors.New("not a plan document: no format_version")
	case *head.FormatVersion != render.FormatVersion:
		return nil, fmt.Errorf("format_version %q is not %q, the one this teamctl reads; run teamctl plan again with this version", *head.FormatVersion, render.FormatVersion)
	}
	sum, err := checksum(data)
	if err != nil {
		return nil, fmt.Errorf("not a plan document: %v", err)
	}
	if head.Checksum != sum {
		return nil, errors.New("the plan was modified after teamctl wrote it (checksum mismatch); run teamctl plan again")
	}
	var doc planDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a plan document: %v", err)
	}
	p := &reconcile.Plan{
		Workspace:       doc.Workspace,
		WorkspaceURL:    doc.WorkspaceURL,
		TeamDigest:      doc.TeamDigest,
		TeamMeaning:     doc.TeamMeaning,
		LiveFingerprint: doc.LiveFingerprint,
		CreatedAt:       doc.CreatedAt,
		Actor:           doc.Actor,
		ActiveAdmins:    doc.ActiveAdmins,
		AdminFloor:      doc.AdminFloor,
		MaxRemovals:     doc.MaxRemovals,
		InviteNote:      doc.InviteNote,
	}
	for _, d := range doc.Changes {
		c := d.change()
		if c.SendsNote() {
			c.Note = doc.InviteNote
		}
		p.Changes = append(p.Changes, c)
	}
	for _, h := range doc.Held {
		p.Held = append(p.Held, reconcile.Held{Change: h.change(), Why: h.HeldBecause})
	}
	for _, d := range doc.Drift {
		p.Drift = append(p.Drift, reconcile.Drift(d))
	}
	for _, d := range doc.Dangling {
		p.Dangling = append(p.Dangling, reconcile.Dangling(d))
	}
	for _, q := range doc.PendingInvites {
		p.Pending = append(p.Pending, reconcile.Pending{Email: q.Email, Name: q.Name, Role: q.Role, InvitedAt: q.InvitedAt, ExpiresAt: q.InviteExpiresAt, Expired: q.Expired, Declared: q.Declared})
	}
	for _, f := range doc.Findings {
		p.Findings = append(p.Findings, schema.Finding{Rule: f.Rule, Severity: schema.Severity(f.Severity), Pos: schema.Pos{File: f.File, Line: f.Line, Col: f.Column}, Message: f.Message, Hint: f.Hint})
	}
	for _, s := range doc.Live {
		p.Basis = append(p.Basis, reconcile.MemberState(s))
	}
	return p, nil
}

package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// roster is who holds each role, identities sorted within each role when
// written: the text of diff (yaml) and its JSON document.
type roster struct {
	Admins    []string `json:"admins"`
	Operators []string `json:"operators"`
	Reviewers []string `json:"reviewers"`
}

func (r *roster) add(role schema.Role, key string) {
	switch role {
	case schema.Admin:
		r.Admins = append(r.Admins, key)
	case schema.Operator:
		r.Operators = append(r.Operators, key)
	case schema.Reviewer:
		r.Reviewers = append(r.Reviewers, key)
	}
}

// yaml writes the roster as YAML, each role's header on a line of its own
// even when nobody holds the role (an empty "operators:" rather than
// "operators: []"), so that the headers anchor a diff: a person who moves
// between roles is a - line under one header and a + line under another.
func (r *roster) yaml() string {
	var b strings.Builder
	for _, sec := range []struct {
		name string
		keys []string
	}{{"admins", r.Admins}, {"operators", r.Operators}, {"reviewers", r.Reviewers}} {
		keys := slices.Compact(slices.Sorted(slices.Values(sec.keys)))
		b.WriteString(sec.name + ":\n")
		for _, k := range keys {
			b.WriteString("  - " + scalar(field(k)) + "\n") // YAML leaves bidirectional controls raw
		}
	}
	return b.String()
}

// TeamRoster returns the declared people and roles as canonical YAML, for
// teamctl diff.
func TeamRoster(t *schema.Team) string {
	var r roster
	for _, p := range t.People {
		r.add(p.Role, p.Key())
	}
	return r.yaml()
}

// LiveRoster returns the live members holding access and their roles as
// canonical YAML. A member holding several roles is listed under each, and
// suspended members, who hold none, are left out.
func LiveRoster(l *reconcile.Live) string {
	var r roster
	for _, m := range l.Members {
		if m.Status == reconcile.Suspended {
			continue
		}
		r.add(m.Role, m.Key())
		for _, o := range m.OtherRoles {
			r.add(o, m.Key())
		}
	}
	return r.yaml()
}

// TeamFile writes the live workspace's people and roles as a team file.
// What the workspace cannot know (the invite note, the backup admin, the
// workflows) is left commented out, marked TODO, for the user to fill in;
// until then teamctl validate reports it. A plan of the file against the
// same workspace has no changes, except resending expired invites and
// dropping extra roles of members who hold several.
func TeamFile(w io.Writer, l *reconcile.Live, source string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Team file exported by teamctl export from workspace %s.\n", source)
	b.WriteString("# The workspace knows people and roles only: fill in what is marked TODO,\n")
	b.WriteString("# then run teamctl validate.\n")
	writeWorkspace(&b, l)
	lists := roleLists(l)
	for _, role := range schema.Roles {
		if len(lists[role]) > 0 {
			writeRoleList(&b, role, lists[role])
		}
	}
	b.WriteString(backupsTODO)
	b.WriteString(workflowsTODO)
	_, err := io.WriteString(w, b.String())
	return err
}

// DirFile is one file of a team directory.
type DirFile struct {
	Name string // admins.yaml, ...
	Data []byte
}

// TeamDir is TeamFile as a team directory of one file per role, so that
// each role's file can have its own approvers in CODEOWNERS: admins.yaml
// (with the workspace, the invite note, the backup admin and the
// approvers), operators.yaml, reviewers.yaml and workflows.yaml. A role
// the workspace has nobody in gets a commented example to fill in.
func TeamDir(l *reconcile.Live, source string) []DirFile {
	lists := roleLists(l)
	file := func(name, head string, body func(b *strings.Builder)) DirFile {
		var b strings.Builder
		b.WriteString(head)
		body(&b)
		return DirFile{Name: name, Data: []byte(b.String())}
	}
	from := "written by teamctl init"
	if len(l.Members) > 0 {
		from = "exported by teamctl init from workspace " + source
	}
	return []DirFile{
		file("admins.yaml", "# A team directory "+from+": teamctl reads every *.yaml file\n"+
			"# here as one team, and each file can have its own approvers (teamctl\n"+
			"# codeowners). This one holds the admins and the team-wide settings.\n"+
			"# Fill in what is marked TODO, then run teamctl validate -f on this directory.\n",
			func(b *strings.Builder) {
				writeWorkspace(b, l)
				writeRoleList(b, schema.Admin, lists[schema.Admin])
				b.WriteString(backupsTODO)
				b.WriteString(approversTODO)
			}),
		file("operators.yaml", "# Campaign operators.\nversion: 1\n", func(b *strings.Builder) { writeRoleList(b, schema.Operator, lists[schema.Operator]) }),
		file("reviewers.yaml", "# Reviewers and team leads.\nversion: 1\n", func(b *strings.Builder) { writeRoleList(b, schema.Reviewer, lists[schema.Reviewer]) }),
		file("workflows.yaml", "# Who owns and backs up each area and campaign.\nversion: 1\n", func(b *strings.Builder) { b.WriteString(workflowsTODO) }),
	}
}

// writeWorkspace writes the version, the workspace's name and its invite
// note, or a TODO for what the workspace does not know.
func writeWorkspace(b *strings.Builder, l *reconcile.Live) {
	b.WriteString("version: 1\n")
	if l.Name != "" {
		fmt.Fprintf(b, "workspace: %s\n", scalar(l.Name))
	} else {
		b.WriteString("workspace: my-workspace # TODO: the workspace has no name; write the live workspace's name\n")
	}
	if note := sharedInviteNote(l); note != "" {
		b.WriteString("\n# The note every pending invitation carried.\n")
		fmt.Fprintf(b, "invite_note: %s\n", scalar(note))
	} else {
		b.WriteString(`
# TODO: what invitees verify on first login (20 to 1000 characters).
# invite_note: |
#   Welcome to our Callaro workspace. On first login, open Campaigns
#   (operators) or Call Review (reviewers) and say hello in #launch.
`)
	}
}

// roleLists groups the members that hold access by their broadest role.
func roleLists(l *reconcile.Live) map[schema.Role][]reconcile.Member {
	lists := map[schema.Role][]reconcile.Member{}
	for _, m := range l.Members {
		if m.Status == reconcile.Suspended {
			continue
		}
		lists[topRole(m)] = append(lists[topRole(m)], m)
	}
	return lists
}

// writeRoleList writes the list of a role's people, or a commented example
// to fill in when there is nobody.
func writeRoleList(b *strings.Builder, role schema.Role, ms []reconcile.Member) {
	if len(ms) == 0 {
		fmt.Fprintf(b, "\n# TODO: the %ss, one entry each.\n# %ss:\n#   - email: someone@example.com\n#     name: Someone\n", role, role)
		return
	}
	fmt.Fprintf(b, "\n%ss:\n", role)
	for _, m := range ms {
		fmt.Fprintf(b, "  - email: %s\n", scalar(m.Email))
		if m.Name != "" {
			fmt.Fprintf(b, "    name: %s\n", scalar(m.Name))
		}
		if len(m.OtherRoles) > 0 {
			var all []string
			for _, r := range append([]schema.Role{m.Role}, m.OtherRoles...) {
				all = append(all, string(r))
			}
			fmt.Fprintf(b, "    # the workspace gives %s several roles (%s); one is kept\n", m.Key(), strings.Join(all, ", "))
		}
		if m.Status == reconcile.Invited {
			b.WriteString("    # invited, not yet accepted\n")
		}
	}
}

const backupsTODO = `
# TODO: name the backup admin, one of the admins above.
# backups:
#   admin: someone@example.com
`

const workflowsTODO = `
# TODO: list each live workflow (billing, integrations, each campaign) with
# its owner and at least one backup.
# workflows:
#   - name: billing
#     owner: someone@example.com
#     backups: [someone-else@example.com]
`

const approversTODO = `
# Who approves changes to each role's file (teamctl codeowners writes the
# CODEOWNERS lines).
# approvers:
#   admins: ["@your-org/revops-admins"]
#   operators: ["@your-org/sales-ops"]
#   reviewers: ["@your-org/sdr-leadership"]
`

// scalar writes s as a YAML scalar, quoted when it must be. A string
// holding control characters, bidirectional controls or bytes that are not
// UTF-8 is written double-quoted with escapes (Go's escapes are YAML's),
// so that neither the terminal nor the file shows it raw.
func scalar(s string) string {
	if !printable(s, false) {
		return strconv.Quote(s)
	}
	data, err := yaml.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return strings.TrimSuffix(string(data), "\n")
}

// exportPerson is one person of an exported team file.
type exportPerson struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

// TeamFileJSON writes the live workspace's people and roles as a team file
// in JSON (which the loader reads as YAML): the same people as TeamFile,
// without its TODO comments. A member holding several roles is listed
// under the broadest.
func TeamFileJSON(w io.Writer, l *reconcile.Live) error {
	doc := struct {
		Version   int            `json:"version"`
		Workspace string         `json:"workspace"`
		Admins    []exportPerson `json:"admins"`
		Operators []exportPerson `json:"operators"`
		Reviewers []exportPerson `json:"reviewers"`
	}{Version: 1, Workspace: l.Name, Admins: []exportPerson{}, Operators: []exportPerson{}, Reviewers: []exportPerson{}}
	for _, m := range l.Members {
		if m.Status == reconcile.Suspended {
			continue
		}
		p := exportPerson{m.Email, m.Name}
		switch topRole(m) {
		case schema.Admin:
			doc.Admins = append(doc.Admins, p)
		case schema.Operator:
			doc.Operators = append(doc.Operators, p)
		case schema.Reviewer:
			doc.Reviewers = append(doc.Reviewers, p)
		}
	}
	return writeJSON(w, doc)
}

// topRole is the broadest role a member holds.
func topRole(m reconcile.Member) schema.Role {
	top := m.Role
	for _, o := range m.OtherRoles {
		if o.Rank() > top.Rank() {
			top = o
		}
	}
	return top
}

// sharedInviteNote is the invite note the pending invitations of l
// carried, when there is at least one and every one carried the same
// note; else "": a workspace whose invites disagree does not know the
// team's note.
func sharedInviteNote(l *reconcile.Live) string {
	note := ""
	for _, m := range l.Members {
		if m.Status != reconcile.Invited {
			continue
		}
		if m.InviteNote == "" || note != "" && m.InviteNote != note {
			return ""
		}
		note = m.InviteNote
	}
	return note
}

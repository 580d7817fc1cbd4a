package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/teamctl/teamctl/schema/suggest"
)

// Rule is a readiness rule: a practice of a well-run launch (SPEC §3). The
// registry, Rules, is the one list of them: validate, readiness, the JSON
// Schema's rule ids, shell completion and the rule table of the rules help
// topic (cmd/teamctl/help/rules.md) are all made from it.
type Rule struct {
	ID       string
	Severity Severity // the default; policy.rules may change it
	// Live rules need the workspace: reconcile/readiness checks them, and
	// Validate skips them. The others need the team file alone.
	Live  bool
	Title string // the checklist sentence the rule checks, for readiness
	Holds string // when the rule holds, in plain words
	Seed  string // the sentence of the launch guide it enforces
	Hint  string // how to fix a finding
	// Check returns the places where the rule does not hold, each with Pos
	// and Message (and Hint when it differs from the rule's; Severity when
	// the finding is to be at most that); Validate fills in the rest. It is
	// nil for the rules that depend on the day (see checkDay) and those
	// checked elsewhere: schema, which Load enforces; codeowners, which
	// reads the repository around the team (package schema/codeowners); and
	// the live rules.
	Check func(t *Team) []Finding

	// checkDay, when set, is the Check of a rule that depends on the day:
	// Validate gives it today, a calendar day in UTC.
	checkDay func(t *Team, today Date) []Finding

	// checkIndexed, when set, is Check given the declared people that the
	// team's references name, by identity (see referenced), so that
	// Validate builds that index once for every rule.
	checkIndexed func(t *Team, people map[string]Person) []Finding
}

// Ids of the live rules, which reconcile/readiness checks.
const (
	RuleSettingsComplete = "settings-complete"
	RuleSignedIn         = "signed-in"
	RuleInSync           = "in-sync"
	RuleUnmanaged        = "unmanaged"
	RuleInactiveAccess   = "inactive-access"
)

// RuleSchema is the id of the rule that the file matches the format.
const RuleSchema = "schema"

// Rules returns every rule, schema first, then in the order the launch
// guide walks through them (before you start, who should own this, the
// final checklist), which is the order of the readiness checklist.
func Rules() []Rule {
	return []Rule{
		{
			ID: RuleSchema, Severity: Error,
			Title: "The team file matches the format",
			Holds: "the file parses and matches the format",
			Hint:  "fix the file so it matches the format: `teamctl schema` prints it, `teamctl init` writes a starting file",
		},
		{
			ID: RuleSettingsComplete, Severity: Error, Live: true,
			Title: "Workspace settings are complete",
			Holds: "the workspace reports its settings complete",
			Seed:  "Confirm your workspace settings are complete first.",
			Hint:  "complete the workspace settings in Callaro before inviting the team",
		},
		{
			ID: "invite-note", Severity: Error, Check: inviteNote,
			Title: "A short note tells invitees what to verify on first login",
			Holds: "invite_note is written, 20 to 1000 characters; plan shows it under the invites, and apply delivers it (the file workspace records it on each invite; SCIM sets it with note=, else apply lists who to send it to)",
			Seed:  "Prepare a short note for invitees that explains what they should verify on first login.",
			Hint:  "write `invite_note:` telling invitees what to open and check on first login",
		},
		{
			ID: "backup-admin", Severity: Error, Check: withIndex(backupAdmin), checkIndexed: backupAdmin,
			Title: "A backup admin is in place",
			Holds: "backups.admin names a declared admin, and there are at least 2 admins",
			Seed:  "Identify one backup admin so billing, integrations, and urgent fixes do not depend on one person.",
			Hint:  "name one of your admins under `backups: {admin: EMAIL}`",
		},
		{
			ID: "admin-limit", Severity: Error, Check: adminLimit,
			Title: "Admin access is limited to true workspace owners",
			Holds: "there are no more admins than policy.max_admins (default 3)",
			Seed:  "If too many people have admin access, reduce that list before going live so changes stay controlled.",
			Hint:  "keep admin for people who run settings, integrations, billing or recovery; make the others operators or reviewers",
		},
		{
			ID: "least-privilege", Severity: Warning, Check: leastPrivilege,
			Title: "No one has broader access than necessary",
			Holds: "every admin owns or backs up a workflow, or is the backup admin",
			Seed:  "No one has broader access than necessary.",
			Hint:  "give the admin a workflow to own or back up, or make them an operator or reviewer",
		},
		{
			ID: RuleAccessExpiry, Severity: Error, checkDay: accessExpiry,
			Title: "Temporary access ends on its day",
			Holds: "nobody's until has passed; a warning from policy.expiry_warning_days (default 14) days before",
			Seed:  "No one has broader access than necessary.",
			Hint:  "remove the person from the team file, or extend their `until:`",
		},
		{
			ID: RuleAccessReview, Severity: Error, checkDay: accessReview,
			Title: "Access is confirmed again on a schedule",
			Holds: "everyone whose role has a period in policy.review_every_days (default: admins every 90 days) was reviewed within it, on a day not after today; a warning from policy.review_warning_days (default 14) days before, and for someone never reviewed",
			Seed:  "Admin access is limited to true workspace owners.",
			Hint:  "confirm the person still needs the role, then record it: `teamctl review --mark EMAIL` writes today's date into `reviewed:`",
		},
		{
			ID: "workflow-role", Severity: Error, Check: withIndex(workflowRole), checkIndexed: workflowRole,
			Title: "Settings, integrations, billing and recovery are in admin hands",
			Holds: "owners and backups of billing, integrations, settings and recovery are admins; of other workflows, operators or admins",
			Seed:  "Reserve this for people who manage workspace settings, integrations, billing, or operational recovery.",
			Hint:  "pick an owner or backup whose role fits the workflow, or change their role",
		},
		{
			ID: "operator-present", Severity: Error, Check: operatorPresent,
			Title: "Campaign operators are on the team",
			Holds: "at least 1 operator is declared",
			Seed:  "Invite campaign operators next, including the people who will create campaigns, upload contacts, and monitor launch day.",
			Hint:  "declare the people who build and run campaigns under `operators:`",
		},
		{
			ID: "reviewer-present", Severity: Error, Check: reviewerPresent,
			Title: "Someone owns review and QA",
			Holds: "at least 1 reviewer is declared",
			Seed:  "If nobody owns review and QA, assign that role before the first pilot launch.",
			Hint:  "declare who reviews call quality and coaching under `reviewers:`",
		},
		{
			ID: "workflow-owner", Severity: Error, Check: withIndex(workflowOwner), checkIndexed: workflowOwner,
			Title: "Every live workflow has a named owner and at least one backup",
			Holds: "every live or pilot workflow has a declared owner and at least 1 declared backup other than the owner",
			Seed:  "Every live workflow has a named owner and at least one backup.",
			Hint:  "give the workflow an `owner:` and `backups: [...]`, all declared people, the owner not among the backups",
		},
		{
			ID: "approvers", Severity: Warning, Check: approvers,
			Title: "Sales Ops and SDR leadership approve who gets access",
			Holds: "approvers names someone for operators and for reviewers",
			Seed:  "Sales Ops should approve who can create, edit, pause, or resume campaigns. SDR leadership should confirm which users need review access.",
			Hint:  "under `approvers:`, name the GitHub teams or people who approve operators and reviewers (`approvers: {operators: [\"@your-org/team\"], reviewers: [...]}`)",
		},
		{
			ID: "codeowners", Severity: Warning,
			Title: "CODEOWNERS asks each role's approvers to review changes",
			Holds: "the repository's CODEOWNERS makes each role's approvers own the file that declares that role",
			Seed:  "Sales Ops should approve who can create, edit, pause, or resume campaigns. SDR leadership should confirm which users need review access.",
			Hint:  "run `teamctl codeowners` and put its lines in CODEOWNERS",
		},
		{
			ID: "duplicate-person", Severity: Error, Check: duplicatePerson,
			Title: "Nobody is declared twice",
			Holds: "nobody is declared twice, in one role or in two, nor under previously: as well",
			Seed:  "If a user cannot see the right areas, review their role before sending a duplicate invite.",
			Hint:  "keep one entry per person: a person holds exactly one role",
		},
		{
			ID: "confusable-email", Severity: Warning, Check: confusableEmail,
			Title: "No two emails are look-alikes",
			Holds: "no two declared emails differ only by look-alike characters",
			Seed:  "If a user cannot see the right areas, review their role before sending a duplicate invite.",
			Hint:  "check that both addresses are real; retype the suspicious one by hand",
		},
		{
			ID: RuleSignedIn, Severity: Warning, Live: true,
			Title: "Everyone has accepted the invitation and signed in",
			Holds: "every declared person accepted the invitation and signed in; an error from 7 days before launch",
			Seed:  "Ask each user to accept the invitation and sign in before launch week.",
			Hint:  "ask each user to accept the invitation and sign in before launch week",
		},
		{
			ID: RuleInSync, Severity: Error, Live: true,
			Title: "Each person can access the right areas, and no more",
			Holds: "every declared person holds the declared role in the workspace, and no other",
			Seed:  "Confirm each person can access the right areas and cannot access settings they do not need.",
			Hint:  "run teamctl plan and apply the changes it lists",
		},
		{
			ID: RuleUnmanaged, Severity: Warning, Live: true,
			Title: "The team list matches how the launch will actually run",
			Holds: "every workspace member who is not suspended is declared",
			Seed:  "Review the full team list one more time before your first live campaign.",
			Hint:  "declare them in the team file, or remove them (policy.prune: true)",
		},
		{
			ID: RuleInactiveAccess, Severity: Warning, Live: true,
			Title: "Nobody keeps access they do not use",
			Holds: "every declared member has signed in within policy.inactive_days (off unless set), where the workspace knows sign-ins",
			Seed:  "No one has broader access than necessary.",
			Hint:  "ask whether they still need access: remove them from the team file, or give them a narrower role",
		},
	}
}

// LookupRule returns the registered rule with id.
func LookupRule(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// LiveRuleIDs returns the ids of the live rules, which need the workspace
// and are checked by reconcile/readiness, in registry order.
func LiveRuleIDs() []string {
	var ids []string
	for _, r := range Rules() {
		if r.Live {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// RuleIDs returns every rule id that policy.rules may tune (all but
// schema), sorted.
func RuleIDs() []string {
	var ids []string
	for _, r := range Rules() {
		if r.ID != RuleSchema {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// Severity returns the severity of rule id under the policy: the override
// of policy.rules, else def.
func (p Policy) Severity(id string, def Severity) Severity {
	if s, ok := p.Rules[id]; ok {
		return s
	}
	return def
}

// Validate checks the team against every offline rule, with the severities
// of its policy, on the day of now (in UTC), and returns the findings
// sorted by position, then rule.
func Validate(t *Team, now time.Time) []Finding {
	var out []Finding
	var people map[string]Person // built once, for the rules that need it
	for _, r := range Rules() {
		sev := t.Policy.Severity(r.ID, r.Severity)
		if r.Live || sev == Off {
			continue
		}
		var fs []Finding
		switch {
		case r.checkDay != nil:
			fs = r.checkDay(t, Today(now))
		case r.checkIndexed != nil:
			if people == nil {
				people = referenced(t)
			}
			fs = r.checkIndexed(t, people)
		case r.Check != nil:
			fs = r.Check(t)
		}
		for _, f := range fs {
			if f.Severity == "" || f.Severity.rank() > sev.rank() {
				f.Severity = sev
			}
			f.Rule = r.ID
			if f.Hint == "" {
				f.Hint = r.Hint
			}
			out = append(out, f)
		}
	}
	SortFindings(out)
	return out
}

// rank orders severities: off, warning, error.
func (s Severity) rank() int {
	return slices.Index([]Severity{Off, Warning, Error}, s)
}

// SortFindings orders findings by position, then rule, then message.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(a.Pos.Compare(b.Pos), strings.Compare(a.Rule, b.Rule), strings.Compare(a.Message, b.Message))
	})
}

// Findings returns the diagnostics as findings of the schema rule, so that
// a file that does not load reports the same way as one that breaks a rule.
func (ds Diagnostics) Findings() []Finding {
	hint := Rules()[0].Hint
	out := make([]Finding, len(ds))
	for i, d := range ds {
		msg := d.Message
		if d.Path != "" {
			msg = d.Path + ": " + msg
		}
		out[i] = Finding{Rule: RuleSchema, Severity: Error, Pos: d.Pos, Message: msg}
		// The generic hint only where the message does not say how to
		// fix it already ("unknown key ...; did you mean", "required: add").
		if !strings.Contains(msg, "; ") && !strings.Contains(msg, "add `") {
			out[i].Hint = hint
		}
	}
	return out
}

func finding(pos Pos, format string, args ...any) Finding {
	return Finding{Pos: pos, Message: fmt.Sprintf(format, args...)}
}

// hinted is f with a hint for this problem, in place of its rule's.
func (f Finding) hinted(format string, args ...any) Finding {
	f.Hint = fmt.Sprintf(format, args...)
	return f
}

// maxSuggestions bounds the "did you mean" look-ups of one validation: each
// compares an email with every declared person's.
const maxSuggestions = 20

// closePerson returns the declared email nearest to email, a likely
// misspelling of it, or "" (also once the budget of look-ups is spent).
func closePerson(t *Team, email string, budget *int) string {
	if *budget <= 0 {
		return ""
	}
	*budget--
	want := Key(email)
	best, bestDist := "", -1
	for _, p := range t.People {
		k := p.Key()
		if diff := len(k) - len(want); diff > 3 || diff < -3 {
			continue // too far in length to be near
		}
		d := suggest.Distance(want, k)
		if d > 0 && suggest.Near(want, d) && (bestDist < 0 || d < bestDist) {
			best, bestDist = p.Email, d
		}
	}
	return best
}

// undeclared words a reference to someone the file does not declare, with
// the declared person it most likely meant.
func undeclared(t *Team, r Ref, budget *int, format string, args ...any) Finding {
	f := finding(r.Pos, format, args...)
	if near := closePerson(t, r.Email, budget); near != "" {
		f.Message += fmt.Sprintf("; did you mean %s?", near)
		return f.hinted("fix the spelling of %s, or declare them", r.Email)
	}
	return f.hinted("declare %s in the team file, or name someone it declares", r.Email)
}

func duplicatePerson(t *Team) []Finding {
	var out []Finding
	first := make(map[string]int, len(t.People)) // identity → index in People
	for i, p := range t.People {
		j, ok := first[p.Key()]
		if !ok {
			first[p.Key()] = i
			continue
		}
		f := t.People[j]
		if f.Role == p.Role {
			out = append(out, finding(p.Pos, "%s is declared twice as %s (first at %s)", p.Email, p.Role, f.Pos))
		} else {
			out = append(out, finding(p.Pos, "%s is declared as %s here and as %s at %s", p.Email, p.Role, f.Role, f.Pos))
		}
	}
	return append(out, previouslyClaims(t, first)...)
}

// previouslyClaims reports the earlier emails (previously:) that cannot
// name a rename: a declared person's own address, or one that two people
// claim, since a workspace member under it would be renamed to whom?
func previouslyClaims(t *Team, declared map[string]int) []Finding {
	var out []Finding
	claimed := map[string]Person{}
	for _, p := range t.People {
		for _, r := range p.Previously {
			k := r.Key()
			if i, ok := declared[k]; ok {
				d := t.People[i]
				if k == p.Key() {
					out = append(out, finding(r.Pos, "%s lists their own email under previously", p.Email))
				} else {
					out = append(out, finding(r.Pos, "previously of %s names %s, who is declared at %s: a person is renamed only from an address nobody else holds", p.Email, r.Email, d.Pos))
				}
				continue
			}
			if c, ok := claimed[k]; ok && c.Key() != p.Key() {
				out = append(out, finding(r.Pos, "%s is under previously of both %s and %s (at %s): keep it under one", r.Email, p.Email, c.Email, c.Pos))
				continue
			}
			claimed[k] = p
		}
	}
	return out
}

// admins returns the declared admins, each once.
func admins(t *Team) []Person {
	var out []Person
	seen := map[string]bool{}
	for _, p := range t.People {
		if p.Role == Admin && !seen[p.Key()] {
			seen[p.Key()] = true
			out = append(out, p)
		}
	}
	return out
}

// declares reports whether the team declares anyone in role.
func declares(t *Team, role Role) bool {
	return slices.ContainsFunc(t.People, func(p Person) bool { return p.Role == role })
}

func backupAdmin(t *Team, idx map[string]Person) []Finding {
	var out []Finding
	as := admins(t)
	budget := maxSuggestions
	if len(t.BackupAdmins) == 0 {
		f := finding(t.BackupsPos, "no backup admin: billing, integrations and urgent fixes depend on one person; add `backups: {admin: EMAIL}`")
		if len(as) >= 2 {
			f = f.hinted("name one of your admins (%s) under `backups: {admin: EMAIL}`", emails(as[1:], 3))
		} else {
			f = f.hinted("declare a second admin and name them under `backups: {admin: EMAIL}`")
		}
		out = append(out, f)
	}
	for _, r := range t.BackupAdmins {
		p, ok := idx[r.Key()]
		switch {
		case !ok:
			out = append(out, undeclared(t, r, &budget, "backup admin %s is not declared; declare them under admins", r.Email))
		case p.Role != Admin:
			out = append(out, finding(r.Pos, "backup admin %s is declared as %s at %s, not as admin", r.Email, p.Role, p.Pos).
				hinted("make %s an admin, or name one of your admins as the backup", r.Email))
		}
	}
	if len(as) < 2 {
		pos := t.Pos
		if len(as) > 0 {
			pos = as[0].Pos
		}
		out = append(out, finding(pos, "%s declared; backup coverage needs at least 2 admins", count(len(as), "admin")).
			hinted("declare a second admin under `admins:` and name them under `backups: {admin: EMAIL}`"))
	}
	return out
}

// emails lists the emails of up to n people, "and K more" after them.
func emails(ps []Person, n int) string {
	var s []string
	for i, p := range ps {
		if i == n {
			s = append(s, fmt.Sprintf("and %d more", len(ps)-n))
			break
		}
		s = append(s, p.Email)
	}
	return strings.Join(s, ", ")
}

// withIndex makes a Check of a rule that needs the people by identity.
func withIndex(check func(*Team, map[string]Person) []Finding) func(*Team) []Finding {
	return func(t *Team) []Finding { return check(t, referenced(t)) }
}

// referenced returns the declared people that the team's references name
// (backup admins, workflow owners and backups), by identity, the first
// declaration winning. The rules that check references look up no one
// else, and a roster of 100,000 people has a few thousand references.
func referenced(t *Team) map[string]Person {
	want := referencedKeys(t)
	out := make(map[string]Person, len(want))
	if len(want) == 0 {
		return out
	}
	for _, p := range t.People {
		k := p.Key()
		if _, dup := out[k]; want[k] && !dup {
			out[k] = p
		}
	}
	return out
}

// referencedKeys returns the identities that backups.admin and the
// workflows' owners and backups name.
func referencedKeys(t *Team) map[string]bool {
	keys := map[string]bool{}
	for _, r := range t.BackupAdmins {
		keys[r.Key()] = true
	}
	for _, w := range t.Workflows {
		if w.Owner != nil {
			keys[w.Owner.Key()] = true
		}
		for _, b := range w.Backups {
			keys[b.Key()] = true
		}
	}
	return keys
}

// count says "no admins", "1 admin" or "3 admins".
func count(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func adminLimit(t *Team) []Finding {
	as := admins(t)
	if len(as) <= t.Policy.MaxAdmins {
		return nil
	}
	return []Finding{finding(as[t.Policy.MaxAdmins].Pos, "%d admins declared, more than policy.max_admins (%d)", len(as), t.Policy.MaxAdmins)}
}

func operatorPresent(t *Team) []Finding {
	if declares(t, Operator) {
		return nil
	}
	return []Finding{finding(t.Pos, "no operators declared: nobody can build or run campaigns")}
}

func reviewerPresent(t *Team) []Finding {
	if declares(t, Reviewer) {
		return nil
	}
	return []Finding{finding(t.Pos, "no reviewers declared: nobody owns review and QA")}
}

func workflowOwner(t *Team, idx map[string]Person) []Finding {
	var out []Finding
	budget := maxSuggestions
	for _, w := range t.Workflows {
		if w.State != Live && w.State != Pilot {
			continue
		}
		if w.Owner == nil {
			out = append(out, finding(w.Pos, "%s workflow %q has no owner", w.State, w.Name).
				hinted("give workflow %q an `owner:`, someone the team file declares", w.Name))
		} else if _, ok := idx[w.Owner.Key()]; !ok {
			out = append(out, undeclared(t, *w.Owner, &budget, "owner %s of workflow %q is not declared as admin, operator or reviewer", w.Owner.Email, w.Name))
		}
		if len(w.Backups) == 0 {
			out = append(out, finding(w.Pos, "%s workflow %q has no backup", w.State, w.Name).
				hinted("give workflow %q `backups: [EMAIL]`, someone declared other than its owner", w.Name))
		}
		for _, b := range w.Backups {
			switch {
			case w.Owner != nil && b.Key() == w.Owner.Key():
				out = append(out, finding(b.Pos, "%s owns workflow %q and cannot also be its backup", b.Email, w.Name).
					hinted("pick someone other than %s as a backup of workflow %q", b.Email, w.Name))
			case !hasKey(idx, b.Key()):
				out = append(out, undeclared(t, b, &budget, "backup %s of workflow %q is not declared as admin, operator or reviewer", b.Email, w.Name))
			}
		}
	}
	return out
}

func hasKey(idx map[string]Person, key string) bool {
	_, ok := idx[key]
	return ok
}

// AdminArea reports whether a workflow of this name is one that only admins
// may own or back up: billing, integrations, settings, recovery.
func AdminArea(workflow string) bool {
	return slices.Contains(workflowAdminAreas, strings.ToLower(strings.TrimSpace(workflow)))
}

func workflowRole(t *Team, idx map[string]Person) []Finding {
	var out []Finding
	for _, w := range t.Workflows {
		check := func(r Ref, what string) {
			p, ok := idx[r.Key()]
			switch {
			case !ok: // workflow-owner reports undeclared people
			case AdminArea(w.Name) && p.Role != Admin:
				out = append(out, finding(r.Pos, "%s of %q is declared as %s, but %s is an admin area", what, w.Name, p.Role, w.Name))
			case p.Role == Reviewer:
				out = append(out, finding(r.Pos, "%s of %q is declared as reviewer; workflows are run by operators or admins", what, w.Name))
			}
		}
		if w.Owner != nil {
			check(*w.Owner, "owner "+w.Owner.Email)
		}
		for _, b := range w.Backups {
			check(b, "backup "+b.Email)
		}
	}
	return out
}

// Limits of rule invite-note, in characters.
const (
	minInviteNote = 20
	maxInviteNote = 1000
)

func inviteNote(t *Team) []Finding {
	n := utf8.RuneCountInString(strings.TrimSpace(t.InviteNote))
	switch {
	case n == 0:
		return []Finding{finding(t.InviteNotePos, "no invite_note: invitees do not know what to verify on first login")}
	case n < minInviteNote:
		return []Finding{finding(t.InviteNotePos, "invite_note has %d characters, fewer than %d: say what invitees should check on first login", n, minInviteNote)}
	case n > maxInviteNote:
		return []Finding{finding(t.InviteNotePos, "invite_note has %d characters, more than %d: keep it short enough to be read", n, maxInviteNote)}
	}
	return nil
}

func leastPrivilege(t *Team) []Finding {
	covered := referencedKeys(t)
	declared := make(map[string]bool, len(t.People))
	for _, p := range t.People {
		declared[p.Key()] = true
	}
	// A reference to nobody that is one typo away from an admin most likely
	// means that admin: workflow-owner and backup-admin say "did you mean",
	// and this rule does not also call the admin idle.
	var dangling []string
	for k := range covered {
		if !declared[k] {
			dangling = append(dangling, k)
		}
	}
	var out []Finding
	for _, p := range admins(t) {
		if covered[p.Key()] || slices.ContainsFunc(dangling, func(k string) bool { return suggest.Near(k, suggest.Distance(k, p.Key())) }) {
			continue
		}
		out = append(out, finding(p.Pos, "admin %s owns or backs up no workflow and is not the backup admin", p.Email).
			hinted("give %s a workflow to own or back up, or make them an operator or reviewer", p.Email))
	}
	return out
}

func approvers(t *Team) []Finding {
	a := t.Approvers
	if a == nil {
		return []Finding{finding(t.Pos, "no approvers: nobody is named to approve who runs campaigns (Sales Ops) or reviews calls (SDR leadership)")}
	}
	var out []Finding
	if len(a.Operators) == 0 {
		out = append(out, finding(a.Pos, "approvers.operators is empty: name who approves campaign operators (Sales Ops)").
			hinted("add `operators: [...]` under `approvers:`, with the GitHub team or people of Sales Ops"))
	}
	if len(a.Reviewers) == 0 {
		out = append(out, finding(a.Pos, "approvers.reviewers is empty: name who confirms reviewers (SDR leadership)").
			hinted("add `reviewers: [...]` under `approvers:`, with the GitHub team or people of SDR leadership"))
	}
	return out
}

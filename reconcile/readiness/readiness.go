// Package readiness evaluates the final checklist of the help article
// "Inviting Your Team" against a team file and its live workspace together:
// the offline findings of the file (schema.Validate) and the live rules of
// the registry (schema.Rules), which need the workspace.
package readiness

import (
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/codeowners"
)

// Status is the outcome of one check.
type Status string

const (
	Pass    Status = "pass"
	Fail    Status = "fail"    // the rule does not hold and is an error
	Warn    Status = "warn"    // the rule does not hold and is a warning
	Unknown Status = "unknown" // the workspace backend cannot tell
	Off     Status = "off"     // turned off in policy.rules
	NA      Status = "n/a"     // the rule cannot apply to this team (codeowners of a one-file team)
)

// Statuses lists every status in the order reports count them.
var Statuses = []Status{Pass, Fail, Warn, Unknown, Off, NA}

// LaunchWeekDays is how many calendar days before `launch` the signed-in
// rule becomes an error: "sign in before launch week".
const LaunchWeekDays = 7

// Detail is one line of evidence for a check: a finding of the file, or a
// person the rule is about, with the place that declares it when known.
type Detail struct {
	Pos  schema.Pos // zero when no line of the file is involved
	Text string
}

// Check is one line of the checklist.
type Check struct {
	Rule     string
	Title    string // the checklist sentence the rule checks
	Status   Status
	Severity schema.Severity // in force now: after policy and the launch-week switch
	Message  string          // what was found, in plain words
	Hint     string          // what to do; empty when the check passes
	Details  []Detail
}

// Report is the evaluated checklist.
type Report struct {
	Workspace string
	Launch    *schema.Date
	Now       time.Time
	// InLaunchWeek is true from seven days before launch on: sign-in is then
	// an error.
	InLaunchWeek bool
	Checks       []Check
	// Unready are the declared people who cannot act yet, by identity, with
	// a few words on why ("not signed in"): an owner or backup among them
	// is no cover, and the ownership picture shows them as gaps.
	Unready map[string]string
}

// Ready reports whether the team may launch: no check failed, and no check
// that would be an error is unknown (an unknown is never a pass).
func (r *Report) Ready() bool {
	for _, c := range r.Checks {
		if c.Status == Fail || (c.Status == Unknown && c.Severity == schema.Error) {
			return false
		}
	}
	return true
}

// Counts returns how many checks have each status.
func (r *Report) Counts() map[Status]int {
	n := make(map[Status]int, len(Statuses))
	for _, s := range Statuses {
		n[s] = 0
	}
	for _, c := range r.Checks {
		n[c.Status]++
	}
	return n
}

// DaysToLaunch returns the whole days from Now to the launch day (negative
// after it), and false when the team has no launch date.
func (r *Report) DaysToLaunch() (int, bool) {
	if r.Launch == nil {
		return 0, false
	}
	y, m, d := r.Now.Date()
	return schema.Date{Year: y, Month: m, Day: d}.DaysUntil(*r.Launch), true
}

// checklist returns the rules of the checklist: every rule of the registry
// (schema.Rules), in its order, but schema, which a loaded team always
// passes.
func checklist() []schema.Rule {
	return slices.DeleteFunc(schema.Rules(), func(r schema.Rule) bool { return r.ID == schema.RuleSchema })
}

// Evaluate runs the checklist. offline are the findings of schema.Validate
// for team (severities already set by its policy); live is a snapshot of
// the workspace; now is the clock, injected so that the launch-week switch
// can be tested.
func Evaluate(team *schema.Team, live *reconcile.Live, offline []schema.Finding, now time.Time) *Report {
	r := &Report{Workspace: team.Workspace, Launch: team.Launch, Now: now}
	if team.Launch != nil {
		// Calendar days, not 168 hours: a daylight-saving change in the week
		// must not move the switch off midnight.
		start := team.Launch.Time(now.Location()).AddDate(0, 0, -LaunchWeekDays)
		r.InLaunchWeek = !now.Before(start)
	}

	byRule := make(map[string][]schema.Finding)
	for _, f := range offline {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	for _, rule := range checklist() {
		var c Check
		switch {
		case rule.ID == "codeowners" && len(byRule[rule.ID]) == 0 && notApplicable(team) != "":
			c = Check{Status: NA, Message: notApplicable(team)}
		case rule.ID == schema.RuleAccessExpiry:
			c = accessExpiry(team, byRule[rule.ID], now)
		case rule.ID == schema.RuleAccessReview:
			c = accessReview(team, byRule[rule.ID], now)
		case !rule.Live:
			c = offlineCheck(byRule[rule.ID])
		case rule.ID == schema.RuleSettingsComplete:
			c = settingsComplete(live)
		case rule.ID == schema.RuleSignedIn:
			c, r.Unready = signedIn(team, live)
		case rule.ID == schema.RuleInSync:
			c = inSync(team, live)
		case rule.ID == schema.RuleUnmanaged:
			c = unmanaged(team, live)
		case rule.ID == schema.RuleInactiveAccess:
			c = inactiveAccess(team, live, now)
		default: // a live rule registered before its check is written
			c = Check{Status: Unknown, Message: "teamctl cannot check this rule yet"}
		}
		delete(byRule, rule.ID)
		c.Rule, c.Title = rule.ID, rule.Title
		if rule.Live && c.Status != "" && c.Status != NA && c.Hint == "" {
			c.Hint = rule.Hint // offline findings carry their own
		}
		r.Checks = append(r.Checks, r.settle(c, team.Policy, rule.Severity))
	}

	// Findings of rules the registry does not know still count: one check
	// each, after the others, by rule id.
	var extra []string
	for rule := range byRule {
		extra = append(extra, rule)
	}
	slices.Sort(extra)
	for _, rule := range extra {
		c := offlineCheck(byRule[rule])
		c.Rule, c.Title = rule, "Rule "+rule+" holds"
		r.Checks = append(r.Checks, c)
	}
	return r
}

// notApplicable says why rule codeowners cannot apply to team, if it
// cannot: CODEOWNERS owns whole files, so it needs a team of several files
// with approvers to write, in a repository that has a CODEOWNERS file. It
// reads the repository around the team: a check that had nothing to
// compare must never read as a pass.
func notApplicable(team *schema.Team) string {
	switch {
	case len(team.Files) < 2:
		return "not applicable: the team is one file, and CODEOWNERS owns whole files (split it into a directory, one file per role)"
	case team.Approvers == nil:
		return "not applicable: no approvers to write as CODEOWNERS"
	}
	root, ok := codeowners.Root(filepath.Dir(team.Files[0]))
	if !ok {
		return "not applicable: the team is in no git repository, so there is no CODEOWNERS to check"
	}
	if file, err := codeowners.Find(root); err == nil && file == nil {
		return "not applicable: the repository has no CODEOWNERS file, so nothing makes the approvers review changes; commit the lines of teamctl codeowners as .github/CODEOWNERS"
	}
	return ""
}

// settle turns a check's raw outcome into its status under the severity in
// force: the policy's override, else the default, with signed-in raised to
// an error in launch week. Offline checks arrive with their status set from
// the findings' own severities, which already include the policy.
func (r *Report) settle(c Check, p schema.Policy, def schema.Severity) Check {
	sev := def
	if c.Rule == schema.RuleSignedIn && r.InLaunchWeek {
		sev = schema.Error
	}
	sev = p.Severity(c.Rule, sev)
	if c.Severity == "" {
		c.Severity = sev
	}
	if sev == schema.Off {
		return Check{Rule: c.Rule, Title: c.Title, Status: Off, Severity: schema.Off,
			Message: "turned off in policy.rules", Details: offDetail(p, c.Rule)}
	}
	if c.Status == Fail && c.Severity == schema.Warning {
		c.Status = Warn
	}
	if c.Status == "" {
		c.Status = Pass
		c.Hint = ""
	}
	return c
}

func offDetail(p schema.Policy, rule string) []Detail {
	if pos, ok := p.RulePos[rule]; ok {
		return []Detail{{Pos: pos, Text: "policy.rules." + rule + ": off"}}
	}
	return nil
}

// offlineCheck sums up the findings of one offline rule. Its severity is the
// worst of the findings'; no findings means the rule holds.
func offlineCheck(fs []schema.Finding) Check {
	if len(fs) == 0 {
		return Check{Message: "holds"}
	}
	fs = slices.Clone(fs)
	slices.SortStableFunc(fs, func(a, b schema.Finding) int { return a.Pos.Compare(b.Pos) })
	c := Check{Status: Fail, Severity: schema.Warning}
	var hints []string
	for _, f := range fs {
		if f.Severity == schema.Error {
			c.Severity = schema.Error
		}
		c.Details = append(c.Details, Detail{Pos: f.Pos, Text: f.Message})
		if f.Hint != "" && !slices.Contains(hints, f.Hint) {
			hints = append(hints, f.Hint)
		}
	}
	if c.Severity == schema.Warning {
		c.Status = Warn
	}
	c.Message = fs[0].Message
	if len(fs) > 1 {
		c.Message = plural(len(fs), "problem", "problems")
	}
	c.Hint = strings.Join(hints, "; ")
	return c
}

// accessExpiry sums up rule access-expiry: whose until has passed and
// whose comes within policy.expiry_warning_days, each with its line.
func accessExpiry(team *schema.Team, fs []schema.Finding, now time.Time) Check {
	c := offlineCheck(fs)
	if c.Status == "" {
		return c
	}
	var ended, ending int
	for _, e := range schema.Expiries(team, schema.Today(now)) {
		if e.Passed() {
			ended++
		} else {
			ending++
		}
	}
	var parts []string
	if ended > 0 {
		parts = append(parts, "the access of "+plural(ended, "person has", "people have")+" ended")
	}
	if ending > 0 {
		when := "today"
		if d := team.Policy.ExpiryWarningDays; d > 0 {
			when = "within " + plural(d, "day", "days")
		}
		parts = append(parts, "the access of "+plural(ending, "person", "people")+" ends "+when)
	}
	if len(parts) > 0 {
		c.Message = strings.Join(parts, "; ")
	}
	return c
}

// accessReview sums up rule access-review: whose review is overdue and
// whose falls due within policy.review_warning_days (or was never made),
// each with its line.
func accessReview(team *schema.Team, fs []schema.Finding, now time.Time) Check {
	c := offlineCheck(fs)
	if c.Status == "" {
		return c
	}
	var overdue, due int
	for _, r := range schema.Reviews(team, schema.Today(now)) {
		if r.Overdue() {
			overdue++
		} else {
			due++
		}
	}
	var parts []string
	if overdue > 0 {
		parts = append(parts, "the access review of "+plural(overdue, "person is", "people are")+" overdue")
	}
	if due > 0 {
		parts = append(parts, plural(due, "access review is", "access reviews are")+" due")
	}
	if len(parts) > 0 {
		c.Message = strings.Join(parts, "; ")
	}
	return c
}

// Inactive is a declared member who has not signed in for
// policy.inactive_days (rule inactive-access).
type Inactive struct {
	Person schema.Person
	// Since is the member's last sign-in, else when they accepted the
	// invitation.
	Since time.Time
	Days  int // whole days since then
}

// InactiveMembers returns the declared active members whose last sign-in
// is policy.inactive_days or more before now, longest idle first, and
// whether the workspace knows the sign-ins of any declared member. Members
// who never signed in are rule signed-in's; invited and suspended members
// hold no access to lose. Nil when policy.inactive_days is not set.
func InactiveMembers(team *schema.Team, live *reconcile.Live, now time.Time) (out []Inactive, known bool) {
	if team.Policy.InactiveDays <= 0 {
		return nil, false
	}
	members := live.Index()
	for _, p := range declared(team) {
		m, ok := members[p.Key()]
		if !ok || m.Status != reconcile.Active || !m.SignInKnown {
			continue
		}
		known = true
		since := m.LastSignInAt
		if since == nil {
			since = m.AcceptedAt
		}
		if since == nil {
			continue
		}
		if days := int(now.Sub(*since).Hours() / 24); days >= team.Policy.InactiveDays {
			out = append(out, Inactive{Person: p, Since: *since, Days: days})
		}
	}
	slices.SortStableFunc(out, func(a, b Inactive) int { return b.Days - a.Days })
	return out, known
}

// inactiveAccess checks that every declared member signed in within
// policy.inactive_days, where the workspace knows sign-ins.
func inactiveAccess(team *schema.Team, live *reconcile.Live, now time.Time) Check {
	days := team.Policy.InactiveDays
	if days <= 0 {
		return Check{Status: NA, Message: "not applicable: policy.inactive_days is not set"}
	}
	idle, known := InactiveMembers(team, live, now)
	switch {
	case len(idle) > 0:
		c := Check{Status: Fail, Message: plural(len(idle), "person has", "people have") + " not signed in for " + plural(days, "day", "days") + " or more"}
		for _, i := range idle {
			c.Details = append(c.Details, Detail{i.Person.Pos, i.Person.Email + " (" + string(i.Person.Role) + ") last signed in " + i.Since.UTC().Format(time.DateOnly) + ", " + plural(i.Days, "day", "days") + " ago"})
		}
		return c
	case !known:
		return Check{Status: Unknown, Message: "the workspace backend cannot tell when members last signed in",
			Hint: "check last sign-ins in Callaro's user management area"}
	}
	return Check{Message: "every declared member signed in within " + plural(days, "day", "days")}
}

func settingsComplete(live *reconcile.Live) Check {
	switch {
	case live.SettingsComplete == nil:
		return Check{Status: Unknown,
			Message: "the workspace backend cannot tell whether the settings are complete",
			Hint:    "check the workspace settings in Callaro, then set policy.rules.settings-complete: warning to accept an unknown"}
	case *live.SettingsComplete:
		return Check{Message: "the workspace reports its settings complete"}
	}
	c := Check{Status: Fail, Message: "the workspace settings are not complete"}
	for _, m := range live.SettingsMissing {
		c.Details = append(c.Details, Detail{Text: "missing: " + m})
	}
	return c
}

// signedIn checks that every declared person accepted and signed in. A
// member whose sign-in the backend cannot see is unknown; the check is
// unknown only when no one is known not to have signed in.
func signedIn(team *schema.Team, live *reconcile.Live) (Check, map[string]string) {
	members := live.Index()
	unready := map[string]string{}
	var missing, unknown []Detail
	miss := func(p schema.Person, why, text string) {
		unready[p.Key()] = why
		missing = append(missing, Detail{p.Pos, p.Email + text})
	}
	for _, p := range declared(team) {
		m, ok := members[p.Key()]
		switch {
		case !ok:
			miss(p, "not in the workspace", " is not in the workspace: invite them (teamctl apply)")
		case m.Status == reconcile.Suspended:
			miss(p, "suspended", " is suspended")
		case !m.SignInKnown:
			unknown = append(unknown, Detail{p.Pos, p.Email + ": sign-in status unknown"})
		case m.Status == reconcile.Invited:
			miss(p, "invite not accepted", " has not accepted the invitation"+sent(m))
		case m.LastSignInAt == nil:
			miss(p, "never signed in", " accepted but has never signed in")
		}
	}
	total := len(declared(team))
	switch {
	case len(missing) > 0:
		return Check{Status: Fail, Details: append(missing, unknown...),
			Message: plural(len(missing), "person has", "people have") + " not signed in, of " + plural(total, "declared person", "declared people")}, unready
	case len(unknown) > 0:
		return Check{Status: Unknown, Hint: "the workspace backend cannot tell who signed in: check in Callaro's user management area", Details: unknown,
			Message: "sign-in status unknown for " + plural(len(unknown), "person", "people")}, unready
	}
	return Check{Message: "all " + plural(total, "declared person has", "declared people have") + " signed in"}, unready
}

func sent(m reconcile.Member) string {
	if m.InvitedAt == nil {
		return ""
	}
	return " (invited " + m.InvitedAt.UTC().Format(time.DateOnly) + ")"
}

// inSync checks that every declared person holds the declared role and no
// other. Undeclared members are the unmanaged rule's business.
func inSync(team *schema.Team, live *reconcile.Live) Check {
	members := live.Index()
	var off []Detail
	for _, p := range declared(team) {
		m, ok := members[p.Key()]
		want := " (declared " + string(p.Role) + ")"
		switch {
		case !ok:
			off = append(off, Detail{p.Pos, p.Email + " is not in the workspace" + want})
		case m.Status == reconcile.Suspended:
			off = append(off, Detail{p.Pos, p.Email + " is suspended" + want})
		case m.Role != p.Role:
			off = append(off, Detail{p.Pos, p.Email + " is " + article(m.Role) + " in the workspace" + want})
		case len(m.OtherRoles) > 0:
			off = append(off, Detail{p.Pos, p.Email + " also holds " + joinRoles(m.OtherRoles) + want})
		}
	}
	if len(off) > 0 {
		return Check{Status: Fail, Details: off,
			Message: plural(len(off), "person does", "people do") + " not hold the declared role"}
	}
	return Check{Message: "every declared person holds the declared role"}
}

func unmanaged(team *schema.Team, live *reconcile.Live) Check {
	people := team.Index()
	var extra []Detail
	for _, m := range live.Members {
		if _, ok := people[m.Key()]; ok || m.Status == reconcile.Suspended {
			continue
		}
		what := " (" + string(m.Role) + ")"
		if m.Status == reconcile.Invited {
			what = " (" + string(m.Role) + ", invite pending)"
		}
		extra = append(extra, Detail{Text: m.Email + what})
	}
	if len(extra) > 0 {
		return Check{Status: Fail, Details: extra,
			Message: plural(len(extra), "workspace member is", "workspace members are") + " undeclared: not in the team file"}
	}
	return Check{Message: "no workspace member is undeclared"}
}

// declared returns the team's people, one per identity, sorted by where
// they are declared.
func declared(team *schema.Team) []schema.Person {
	idx := team.Index()
	out := make([]schema.Person, 0, len(idx))
	for _, p := range idx {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b schema.Person) int {
		return cmp.Or(a.Pos.Compare(b.Pos), strings.Compare(a.Key(), b.Key()))
	})
	return out
}

func article(r schema.Role) string {
	switch r {
	case "":
		return "without a role"
	case schema.Admin, schema.Operator:
		return "an " + string(r)
	}
	return "a " + string(r)
}

func joinRoles(rs []schema.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

package readiness

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

var (
	launch    = schema.Date{Year: 2026, Month: time.December, Day: 14}
	weekStart = time.Date(2026, time.December, 7, 0, 0, 0, 0, time.UTC) // launch − 7 days
	early     = time.Date(2026, time.November, 20, 9, 0, 0, 0, time.UTC)
	signedAt  = time.Date(2026, time.November, 18, 9, 0, 0, 0, time.UTC)
)

func pos(line int) schema.Pos { return schema.Pos{File: "team.yaml", Line: line, Col: 5} }

// testTeam declares one admin, one operator and one reviewer.
func testTeam() *schema.Team {
	l := launch
	return &schema.Team{
		Workspace: "acme",
		Launch:    &l,
		People: []schema.Person{
			{Email: "dana@acme.io", Role: schema.Admin, Pos: pos(6)},
			{Email: "olivia@acme.io", Role: schema.Operator, Pos: pos(9)},
			{Email: "rita@acme.io", Role: schema.Reviewer, Pos: pos(11)},
		},
		Policy: schema.DefaultPolicy(),
	}
}

func active(email string, role schema.Role) reconcile.Member {
	at := signedAt
	return reconcile.Member{Email: email, Role: role, Status: reconcile.Active, AcceptedAt: &at, LastSignInAt: &at, SignInKnown: true}
}

// testLive matches testTeam: everyone active and signed in, settings done.
func testLive() *reconcile.Live {
	done := true
	return &reconcile.Live{
		Name:             "acme",
		SettingsComplete: &done,
		Members: []reconcile.Member{
			active("dana@acme.io", schema.Admin),
			active("olivia@acme.io", schema.Operator),
			active("rita@acme.io", schema.Reviewer),
		},
	}
}

// check returns the check for rule, with Rule and Title cleared so that
// tests compare what was found.
func check(t *testing.T, r *Report, rule string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Rule == rule {
			c.Rule, c.Title = "", ""
			return c
		}
	}
	t.Fatalf("no check %q in report", rule)
	return Check{}
}

func TestLiveRules(t *testing.T) {
	invited := time.Date(2026, time.November, 19, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		rule  string
		now   time.Time
		team  func(*schema.Team)
		live  func(*reconcile.Live)
		want  Check
		ready bool
	}{
		{
			name: "settings complete", rule: schema.RuleSettingsComplete, now: early,
			want:  Check{Status: Pass, Severity: schema.Error, Message: "the workspace reports its settings complete"},
			ready: true,
		},
		{
			name: "settings incomplete", rule: schema.RuleSettingsComplete, now: early,
			live: func(l *reconcile.Live) {
				no := false
				l.SettingsComplete, l.SettingsMissing = &no, []string{"caller ID", "calling hours"}
			},
			want: Check{Status: Fail, Severity: schema.Error, Message: "the workspace settings are not complete",
				Hint:    "complete the workspace settings in Callaro before inviting the team",
				Details: []Detail{{Text: "missing: caller ID"}, {Text: "missing: calling hours"}}},
		},
		{
			name: "settings unknown is never a pass", rule: schema.RuleSettingsComplete, now: early,
			live: func(l *reconcile.Live) { l.SettingsComplete = nil },
			want: Check{Status: Unknown, Severity: schema.Error,
				Message: "the workspace backend cannot tell whether the settings are complete",
				Hint:    "check the workspace settings in Callaro, then set policy.rules.settings-complete: warning to accept an unknown"},
		},
		{
			name: "settings unknown accepted as a warning", rule: schema.RuleSettingsComplete, now: early,
			team: func(tm *schema.Team) {
				tm.Policy.Rules = map[string]schema.Severity{schema.RuleSettingsComplete: schema.Warning}
			},
			live: func(l *reconcile.Live) { l.SettingsComplete = nil },
			want: Check{Status: Unknown, Severity: schema.Warning,
				Message: "the workspace backend cannot tell whether the settings are complete",
				Hint:    "check the workspace settings in Callaro, then set policy.rules.settings-complete: warning to accept an unknown"},
			ready: true,
		},
		{
			name: "everyone signed in", rule: schema.RuleSignedIn, now: weekStart,
			want:  Check{Status: Pass, Severity: schema.Error, Message: "all 3 declared people have signed in"},
			ready: true,
		},
		{
			name: "pending invite is a warning before launch week", rule: schema.RuleSignedIn,
			now:  weekStart.Add(-time.Second),
			live: func(l *reconcile.Live) { pending(l, 1, invited) },
			want: Check{Status: Warn, Severity: schema.Warning,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{{pos(9), "olivia@acme.io has not accepted the invitation (invited 2026-11-19)"}}},
			ready: true,
		},
		{
			name: "pending invite is an error from launch week on", rule: schema.RuleSignedIn,
			now:  weekStart,
			live: func(l *reconcile.Live) { pending(l, 1, invited) },
			want: Check{Status: Fail, Severity: schema.Error,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{{pos(9), "olivia@acme.io has not accepted the invitation (invited 2026-11-19)"}}},
		},
		{
			name: "still an error after launch", rule: schema.RuleSignedIn,
			now:  weekStart.AddDate(0, 1, 0),
			live: func(l *reconcile.Live) { l.Members[2].LastSignInAt = nil },
			want: Check{Status: Fail, Severity: schema.Error,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{{pos(11), "rita@acme.io accepted but has never signed in"}}},
		},
		{
			name: "launch week measured in the clock's zone", rule: schema.RuleSignedIn,
			// 23:30 on Dec 6 in UTC is already Dec 7 in Berlin.
			now:  weekStart.Add(-30 * time.Minute).In(time.FixedZone("CET", 3600)),
			live: func(l *reconcile.Live) { pending(l, 1, invited) },
			want: Check{Status: Fail, Severity: schema.Error,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{{pos(9), "olivia@acme.io has not accepted the invitation (invited 2026-11-19)"}}},
		},
		{
			name: "no launch date keeps it a warning", rule: schema.RuleSignedIn, now: weekStart.AddDate(1, 0, 0),
			team: func(tm *schema.Team) { tm.Launch = nil },
			live: func(l *reconcile.Live) { l.Members = l.Members[:2] },
			want: Check{Status: Warn, Severity: schema.Warning,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{{pos(11), "rita@acme.io is not in the workspace: invite them (teamctl apply)"}}},
		},
		{
			name: "policy severity wins over launch week", rule: schema.RuleSignedIn, now: weekStart,
			team: func(tm *schema.Team) {
				tm.Policy.Rules = map[string]schema.Severity{schema.RuleSignedIn: schema.Warning}
			},
			live: func(l *reconcile.Live) { l.Members[0].Status = reconcile.Suspended },
			want: Check{Status: Warn, Severity: schema.Warning,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{{pos(6), "dana@acme.io is suspended"}}},
		},
		{
			name: "turned off", rule: schema.RuleSignedIn, now: weekStart,
			team: func(tm *schema.Team) {
				tm.Policy.Rules = map[string]schema.Severity{schema.RuleSignedIn: schema.Off}
				tm.Policy.RulePos = map[string]schema.Pos{schema.RuleSignedIn: pos(30)}
			},
			live: func(l *reconcile.Live) { pending(l, 1, invited) },
			want: Check{Status: Off, Severity: schema.Off, Message: "turned off in policy.rules",
				Details: []Detail{{pos(30), "policy.rules.signed-in: off"}}},
			ready: true,
		},
		{
			name: "sign-in unknown over SCIM", rule: schema.RuleSignedIn, now: weekStart,
			live: func(l *reconcile.Live) { unknownSignIn(l) },
			want: Check{Status: Unknown, Severity: schema.Error,
				Message: "sign-in status unknown for 3 people",
				Hint:    "the workspace backend cannot tell who signed in: check in Callaro's user management area",
				Details: []Detail{
					{pos(6), "dana@acme.io: sign-in status unknown"},
					{pos(9), "olivia@acme.io: sign-in status unknown"},
					{pos(11), "rita@acme.io: sign-in status unknown"},
				}},
		},
		{
			name: "sign-in unknown before launch week does not block", rule: schema.RuleSignedIn, now: early,
			live: func(l *reconcile.Live) { unknownSignIn(l) },
			want: Check{Status: Unknown, Severity: schema.Warning,
				Message: "sign-in status unknown for 3 people",
				Hint:    "the workspace backend cannot tell who signed in: check in Callaro's user management area",
				Details: []Detail{
					{pos(6), "dana@acme.io: sign-in status unknown"},
					{pos(9), "olivia@acme.io: sign-in status unknown"},
					{pos(11), "rita@acme.io: sign-in status unknown"},
				}},
			ready: true,
		},
		{
			name: "known absence beats unknown", rule: schema.RuleSignedIn, now: early,
			live: func(l *reconcile.Live) {
				unknownSignIn(l)
				l.Members = l.Members[1:]
			},
			want: Check{Status: Warn, Severity: schema.Warning,
				Message: "1 person has not signed in, of 3 declared people",
				Hint:    "ask each user to accept the invitation and sign in before launch week",
				Details: []Detail{
					{pos(6), "dana@acme.io is not in the workspace: invite them (teamctl apply)"},
					{pos(9), "olivia@acme.io: sign-in status unknown"},
					{pos(11), "rita@acme.io: sign-in status unknown"},
				}},
		},
		{
			name: "in sync", rule: schema.RuleInSync, now: early,
			want:  Check{Status: Pass, Severity: schema.Error, Message: "every declared person holds the declared role"},
			ready: true,
		},
		{
			name: "pending invite with the declared role is in sync", rule: schema.RuleInSync, now: early,
			team:  func(tm *schema.Team) { tm.Policy.Rules = map[string]schema.Severity{schema.RuleSignedIn: schema.Off} },
			live:  func(l *reconcile.Live) { pending(l, 2, invited) },
			want:  Check{Status: Pass, Severity: schema.Error, Message: "every declared person holds the declared role"},
			ready: true,
		},
		{
			name: "roles differ", rule: schema.RuleInSync, now: early,
			team: func(tm *schema.Team) {
				tm.People = append(tm.People, schema.Person{Email: "Sam@Acme.io", Role: schema.Operator, Pos: pos(10)})
			},
			live: func(l *reconcile.Live) {
				l.Members[0].Role = schema.Operator
				l.Members[1].OtherRoles = []schema.Role{schema.Admin}
				l.Members[2].Status = reconcile.Suspended
			},
			want: Check{Status: Fail, Severity: schema.Error,
				Message: "4 people do not hold the declared role",
				Hint:    "run teamctl plan and apply the changes it lists",
				Details: []Detail{
					{pos(6), "dana@acme.io is an operator in the workspace (declared admin)"},
					{pos(9), "olivia@acme.io also holds admin (declared operator)"},
					{pos(10), "Sam@Acme.io is not in the workspace (declared operator)"},
					{pos(11), "rita@acme.io is suspended (declared reviewer)"},
				}},
		},
		{
			name: "no unmanaged members", rule: schema.RuleUnmanaged, now: early,
			live: func(l *reconcile.Live) {
				// Case and spaces do not make another person; a suspended
				// member holds no access.
				l.Members[0].Email = " DANA@acme.io"
				l.Members = append(l.Members, reconcile.Member{Email: "gone@acme.io", Role: schema.Admin, Status: reconcile.Suspended})
			},
			want:  Check{Status: Pass, Severity: schema.Warning, Message: "no workspace member is undeclared"},
			ready: true,
		},
		{
			name: "unmanaged members", rule: schema.RuleUnmanaged, now: early,
			live: func(l *reconcile.Live) {
				l.Members = append(l.Members,
					active("eve@acme.io", schema.Admin),
					reconcile.Member{Email: "zed@acme.io", Role: schema.Reviewer, Status: reconcile.Invited})
			},
			want: Check{Status: Warn, Severity: schema.Warning,
				Message: "2 workspace members are undeclared: not in the team file",
				Hint:    "declare them in the team file, or remove them (policy.prune: true)",
				Details: []Detail{{Text: "eve@acme.io (admin)"}, {Text: "zed@acme.io (reviewer, invite pending)"}}},
			ready: true,
		},
		{
			name: "unmanaged as an error", rule: schema.RuleUnmanaged, now: early,
			team: func(tm *schema.Team) {
				tm.Policy.Rules = map[string]schema.Severity{schema.RuleUnmanaged: schema.Error}
			},
			live: func(l *reconcile.Live) { l.Members = append(l.Members, active("eve@acme.io", schema.Operator)) },
			want: Check{Status: Fail, Severity: schema.Error,
				Message: "1 workspace member is undeclared: not in the team file",
				Hint:    "declare them in the team file, or remove them (policy.prune: true)",
				Details: []Detail{{Text: "eve@acme.io (operator)"}}},
		},
		{
			name: "inactive access is off unless set", rule: schema.RuleInactiveAccess, now: early,
			want:  Check{Status: NA, Severity: schema.Warning, Message: "not applicable: policy.inactive_days is not set"},
			ready: true,
		},
		{
			// signedAt is 2026-11-18 09:00; early is 2026-11-20 09:00: 2 days.
			name: "signed in within inactive_days", rule: schema.RuleInactiveAccess, now: early,
			team:  func(tm *schema.Team) { tm.Policy.InactiveDays = 3 },
			want:  Check{Status: Pass, Severity: schema.Warning, Message: "every declared member signed in within 3 days"},
			ready: true,
		},
		{
			name: "idle for inactive_days", rule: schema.RuleInactiveAccess, now: early,
			team: func(tm *schema.Team) { tm.Policy.InactiveDays = 2 },
			live: func(l *reconcile.Live) {
				recent := early.Add(-time.Hour)
				l.Members[1].LastSignInAt = &recent  // olivia: an hour ago
				l.Members[2].LastSignInAt = nil      // rita: accepted on signedAt, never signed in since
				l.Members[2].AcceptedAt = &weekStart // (in the future: 0 days)
				l.Members = append(l.Members, reconcile.Member{Email: "eve@acme.io", Role: schema.Operator, Status: reconcile.Active, SignInKnown: true})
			},
			want: Check{Status: Warn, Severity: schema.Warning, Message: "1 person has not signed in for 2 days or more",
				Hint:    "ask whether they still need access: remove them from the team file, or give them a narrower role",
				Details: []Detail{{pos(6), "dana@acme.io (admin) last signed in 2026-11-18, 2 days ago"}}},
			ready: true,
		},
		{
			name: "inactive access raised to an error", rule: schema.RuleInactiveAccess, now: early,
			team: func(tm *schema.Team) {
				tm.Policy.InactiveDays = 1
				tm.Policy.Rules = map[string]schema.Severity{schema.RuleInactiveAccess: schema.Error}
			},
			live: func(l *reconcile.Live) { pending(l, 1, signedAt); l.Members[2].Status = reconcile.Suspended },
			want: Check{Status: Fail, Severity: schema.Error, Message: "1 person has not signed in for 1 day or more",
				Hint:    "ask whether they still need access: remove them from the team file, or give them a narrower role",
				Details: []Detail{{pos(6), "dana@acme.io (admin) last signed in 2026-11-18, 2 days ago"}}},
		},
		{
			name: "inactive access unknown where sign-ins are", rule: schema.RuleInactiveAccess, now: early,
			team: func(tm *schema.Team) { tm.Policy.InactiveDays = 1 },
			live: unknownSignIn,
			want: Check{Status: Unknown, Severity: schema.Warning, Message: "the workspace backend cannot tell when members last signed in",
				Hint: "check last sign-ins in Callaro's user management area"},
			ready: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team, live := testTeam(), testLive()
			if tt.team != nil {
				tt.team(team)
			}
			if tt.live != nil {
				tt.live(live)
			}
			r := Evaluate(team, live, nil, tt.now)
			if d := cmp.Diff(tt.want, check(t, r, tt.rule)); d != "" {
				t.Errorf("check %s mismatch (-want +got):\n%s", tt.rule, d)
			}
			if got := r.Ready(); got != tt.ready {
				t.Errorf("Ready() = %v, want %v; checks:\n%+v", got, tt.ready, r.Checks)
			}
		})
	}
}

// pending turns member i into an invite that was never accepted.
func pending(l *reconcile.Live, i int, at time.Time) {
	m := &l.Members[i]
	m.Status, m.InvitedAt, m.AcceptedAt, m.LastSignInAt = reconcile.Invited, &at, nil, nil
}

func unknownSignIn(l *reconcile.Live) {
	for i := range l.Members {
		m := &l.Members[i]
		m.SignInKnown, m.AcceptedAt, m.LastSignInAt = false, nil, nil
	}
}

func TestOfflineFindings(t *testing.T) {
	offline := []schema.Finding{
		{Rule: "workflow-owner", Severity: schema.Error, Pos: pos(20), Message: "workflow \"pilot\" has no backup", Hint: "add backups"},
		{Rule: "least-privilege", Severity: schema.Warning, Pos: pos(7), Message: "sam@acme.io owns nothing", Hint: "make them a reviewer"},
		{Rule: "workflow-owner", Severity: schema.Error, Pos: pos(15), Message: "workflow \"billing\" has no owner", Hint: "name an owner"},
		{Rule: "codeowners", Severity: schema.Warning, Pos: schema.Pos{File: ".github/CODEOWNERS", Line: 3}, Message: "differs"},
		{Rule: "future-rule", Severity: schema.Warning, Pos: pos(1), Message: "something new"},
	}
	r := Evaluate(testTeam(), testLive(), offline, early)

	got := map[string]Check{}
	for _, rule := range []string{"workflow-owner", "least-privilege", "codeowners", "backup-admin", "future-rule"} {
		got[rule] = check(t, r, rule)
	}
	want := map[string]Check{
		"workflow-owner": {Status: Fail, Severity: schema.Error, Message: "2 problems", Hint: "name an owner; add backups",
			Details: []Detail{{pos(15), "workflow \"billing\" has no owner"}, {pos(20), "workflow \"pilot\" has no backup"}}},
		"least-privilege": {Status: Warn, Severity: schema.Warning, Message: "sam@acme.io owns nothing", Hint: "make them a reviewer",
			Details: []Detail{{pos(7), "sam@acme.io owns nothing"}}},
		"codeowners": {Status: Warn, Severity: schema.Warning, Message: "differs",
			Details: []Detail{{schema.Pos{File: ".github/CODEOWNERS", Line: 3}, "differs"}}},
		"backup-admin": {Status: Pass, Severity: schema.Error, Message: "holds"},
		"future-rule":  {Status: Warn, Severity: schema.Warning, Message: "something new", Details: []Detail{{pos(1), "something new"}}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("offline checks mismatch (-want +got):\n%s", d)
	}
	if last := r.Checks[len(r.Checks)-1].Rule; last != "future-rule" {
		t.Errorf("last check = %q, want the unknown rule future-rule after the checklist", last)
	}
	if r.Ready() {
		t.Error("Ready() = true with an error finding")
	}
	wantCounts := map[Status]int{Pass: 15, Fail: 1, Warn: 3, Unknown: 0, Off: 0, NA: 1}
	if d := cmp.Diff(wantCounts, r.Counts()); d != "" {
		t.Errorf("Counts() mismatch (-want +got):\n%s", d)
	}
}

func TestDaysToLaunch(t *testing.T) {
	tests := []struct {
		now  time.Time
		want int
	}{
		{weekStart, 7},
		{weekStart.Add(23 * time.Hour), 7},
		{time.Date(2026, time.December, 14, 18, 0, 0, 0, time.UTC), 0},
		{time.Date(2026, time.December, 16, 1, 0, 0, 0, time.UTC), -2},
	}
	for _, tt := range tests {
		r := Evaluate(testTeam(), testLive(), nil, tt.now)
		if got, ok := r.DaysToLaunch(); !ok || got != tt.want {
			t.Errorf("DaysToLaunch() at %v = %d, %v; want %d, true", tt.now, got, ok, tt.want)
		}
	}
}

// TestLiveRulesChecked fails when a live rule of the registry has no check
// here: Evaluate reports it unknown, never passed.
func TestLiveRulesChecked(t *testing.T) {
	r := Evaluate(testTeam(), testLive(), nil, early)
	for _, id := range schema.LiveRuleIDs() {
		i := slices.IndexFunc(r.Checks, func(c Check) bool { return c.Rule == id })
		if i < 0 {
			t.Errorf("live rule %s is not in the checklist", id)
			continue
		}
		if c := r.Checks[i]; c.Message == "teamctl cannot check this rule yet" {
			t.Errorf("live rule %s has no check in reconcile/readiness", id)
		}
	}
	var got []string
	for _, c := range r.Checks {
		got = append(got, c.Rule)
	}
	if d := cmp.Diff(schema.RuleIDs(), slices.Sorted(slices.Values(got))); d != "" {
		t.Errorf("checklist rules mismatch with schema.RuleIDs (-want +got):\n%s", d)
	}
}

func TestUnready(t *testing.T) {
	live := testLive()
	pending(live, 1, early)
	live.Members[0].LastSignInAt = nil
	live.Members = live.Members[:2]
	got := Evaluate(testTeam(), live, nil, early).Unready
	want := map[string]string{
		"dana@acme.io":   "never signed in",
		"olivia@acme.io": "invite not accepted",
		"rita@acme.io":   "not in the workspace",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Unready mismatch (-want +got):\n%s", d)
	}
}

func TestLaunchWeekAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	// Summer time ends on 2026-10-25; launch a week later.
	team := testTeam()
	team.Launch = &schema.Date{Year: 2026, Month: time.October, Day: 29}
	live := testLive()
	pending(live, 1, early)
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, time.October, 21, 23, 59, 0, 0, berlin), false},
		{time.Date(2026, time.October, 22, 0, 0, 0, 0, berlin), true},
	} {
		if got := Evaluate(team, live, nil, tt.now).InLaunchWeek; got != tt.want {
			t.Errorf("InLaunchWeek at %v = %v, want %v", tt.now, got, tt.want)
		}
	}
}

// TestAccessExpiry checks that readiness lists the people whose access has
// ended (an error: not ready) and whose ends within the warning window (a
// warning), each with the line of their until.
func TestAccessExpiry(t *testing.T) {
	day := func(d int) *schema.Date { return &schema.Date{Year: 2026, Month: time.November, Day: d} }
	tests := []struct {
		name  string
		until map[int]*schema.Date // index in People → until
		want  Check
		ready bool
	}{
		{"none", nil, Check{Status: Pass, Severity: schema.Error, Message: "holds"}, true},
		{"far away", map[int]*schema.Date{1: {Year: 2027, Month: time.March, Day: 1}},
			Check{Status: Pass, Severity: schema.Error, Message: "holds"}, true},
		{"ends soon", map[int]*schema.Date{1: day(30)},
			Check{Status: Warn, Severity: schema.Warning, Message: "the access of 1 person ends within 14 days",
				Hint:    "remove the person from the team file, or extend their `until:`",
				Details: []Detail{{Pos: pos(10), Text: "access of olivia@acme.io ends in 10 days: until 2026-11-30 is its last day"}}},
			true},
		{"ended and ending", map[int]*schema.Date{1: day(30), 2: day(19)},
			Check{Status: Fail, Severity: schema.Error,
				Message: "the access of 1 person has ended; the access of 1 person ends within 14 days",
				Hint:    "remove the person from the team file, or extend their `until:`",
				Details: []Detail{
					{Pos: pos(10), Text: "access of olivia@acme.io ends in 10 days: until 2026-11-30 is its last day"},
					{Pos: pos(12), Text: "access of rita@acme.io ended: until 2026-11-19 has passed (1 day ago)"},
				}},
			false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := testTeam()
			for i, d := range tt.until {
				team.People[i].Until, team.People[i].UntilPos = d, pos(team.People[i].Pos.Line+1)
			}
			// testTeam breaks other offline rules: keep this rule's findings.
			fs := slices.DeleteFunc(schema.Validate(team, early), func(f schema.Finding) bool { return f.Rule != schema.RuleAccessExpiry })
			r := Evaluate(team, testLive(), fs, early)
			if d := cmp.Diff(tt.want, check(t, r, schema.RuleAccessExpiry)); d != "" {
				t.Errorf("access-expiry check mismatch (-want +got):\n%s", d)
			}
			if got := r.Ready(); got != tt.ready {
				t.Errorf("Ready() = %v, want %v", got, tt.ready)
			}
		})
	}
}

// TestCodeownersNotApplicable: a one-file team has no per-role files for
// CODEOWNERS to own, so the check is n/a, never a pass.
func TestCodeownersNotApplicable(t *testing.T) {
	team := &schema.Team{Workspace: "acme", Files: []string{"team.yaml"}, Policy: schema.DefaultPolicy()}
	r := Evaluate(team, &reconcile.Live{Name: "acme"}, nil, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	for _, c := range r.Checks {
		if c.Rule == "codeowners" && c.Status != NA {
			t.Errorf("codeowners of a one-file team: status %q, want %q", c.Status, NA)
		}
	}
}

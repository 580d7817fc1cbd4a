package schema

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// reviewingTeam is validTeam with dana reviewed on 2026-10-01 (line 9;
// due 2026-12-30 at 90 days) and sam never reviewed (line 10).
var reviewingTeam = edit("    name: Dana Ortiz\n", "    name: Dana Ortiz\n    reviewed: 2026-10-01\n")

// accessReviews returns the access-review findings of src at now, as
// "severity pos: message".
func accessReviews(t *testing.T, src string, now time.Time) []string {
	t.Helper()
	var got []string
	for _, f := range Validate(loadString(t, src), now) {
		if f.Rule == RuleAccessReview {
			got = append(got, fmt.Sprintf("%s %s: %s", f.Severity, f.Pos, f.Message))
		}
	}
	return got
}

// TestAccessReviewClock checks the edges of rule access-review on the UTC
// calendar: silent before the warning window, a warning from its first day
// (due in 14 days) through the day the review is due, an error from the day
// after (overdue by one day). Someone never reviewed is due at once: a
// warning on every day.
func TestAccessReviewClock(t *testing.T) {
	at := func(m time.Month, d, h int) time.Time {
		y := 2026
		if m < time.June {
			y = 2027
		}
		return time.Date(y, m, d, h, 0, 0, 0, time.UTC)
	}
	const (
		dana  = "team.yaml:9:15"
		last  = "last reviewed 2026-10-01; admins are reviewed every 90 days"
		never = "warning team.yaml:10:5: access of sam@acme.io (admin) was never reviewed: admins are reviewed every 90 days"
	)
	tests := []struct {
		name string
		now  time.Time
		want []string
	}{
		{"the day before the window", at(time.December, 15, 23), []string{never}},
		{"due in 14 days", at(time.December, 16, 0),
			[]string{"warning " + dana + ": access review of dana@acme.io (admin) is due in 14 days, on 2026-12-30: " + last, never}},
		{"due tomorrow", at(time.December, 29, 12),
			[]string{"warning " + dana + ": access review of dana@acme.io (admin) is due in 1 day, on 2026-12-30: " + last, never}},
		{"due today", at(time.December, 30, 23),
			[]string{"warning " + dana + ": access review of dana@acme.io (admin) is due today: " + last, never}},
		{"overdue by one day", at(time.December, 31, 0),
			[]string{"error " + dana + ": access review of dana@acme.io (admin) is overdue by 1 day: " + last, never}},
		{"overdue by a month", at(time.January, 30, 9),
			[]string{"error " + dana + ": access review of dana@acme.io (admin) is overdue by 31 days: " + last, never}},
		// The day is the UTC day, whatever the zone of the clock.
		{"New York before midnight", time.Date(2026, time.December, 30, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)),
			[]string{"error " + dana + ": access review of dana@acme.io (admin) is overdue by 1 day: " + last, never}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, accessReviews(t, reviewingTeam, tt.now)); d != "" {
				t.Errorf("access-review at %v mismatch (-want +got):\n%s", tt.now, d)
			}
		})
	}
}

// TestAccessReviewPolicy checks policy.review_every_days (per role, the
// default kept for roles not written, 0 for none), review_warning_days
// and the severity overrides.
func TestAccessReviewPolicy(t *testing.T) {
	now := time.Date(2026, time.December, 20, 12, 0, 0, 0, time.UTC) // dana due in 10 days
	overdue := time.Date(2027, time.January, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		policy string
		now    time.Time
		want   []string // email severity
	}{
		{"default: admins every 90 days", "", now, []string{"dana warning", "sam warning"}},
		{"admins never", "  review_every_days:\n    admin: 0\n", now, nil},
		{"operators too, admins kept", "  review_every_days:\n    operator: 30\n", now, []string{"dana warning", "sam warning", "olivia warning"}},
		{"a longer period", "  review_every_days:\n    admin: 100\n", now, []string{"sam warning"}},
		{"window of 10 days", "  review_warning_days: 10\n", now, []string{"dana warning", "sam warning"}},
		{"window of 9 days", "  review_warning_days: 9\n", now, []string{"sam warning"}},
		{"overdue", "", overdue, []string{"dana error", "sam warning"}},
		{"lowered to warning", "  rules:\n    access-review: warning\n", overdue, []string{"dana warning", "sam warning"}},
		{"off", "  rules:\n    access-review: off\n", overdue, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := reviewingTeam
			if tt.policy != "" {
				src += "policy:\n" + tt.policy
			}
			team := loadString(t, src)
			var got []string
			for _, f := range Validate(team, tt.now) {
				if f.Rule == RuleAccessReview {
					var who string
					fmt.Sscanf(f.Message[len("access "):], "review of %s", &who)
					if who == "" {
						fmt.Sscanf(f.Message, "access of %s", &who)
					}
					got = append(got, fmt.Sprintf("%s %s", who[:len(who)-len("@acme.io")], f.Severity))
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("access-review mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// TestAccessReviewFuture: a review dated after today is an error, whatever
// the period, so that a mistyped year cannot silence the rule.
func TestAccessReviewFuture(t *testing.T) {
	src := edit("    name: Dana Ortiz\n", "    name: Dana Ortiz\n    reviewed: 2062-10-01\n", "  - email: sam@acme.io\n", "  - email: sam@acme.io\n    reviewed: 2026-12-02\n") +
		"policy:\n  review_every_days:\n    admin: 0\n"
	got := accessReviews(t, src, time.Date(2026, time.December, 1, 23, 0, 0, 0, time.UTC))
	want := []string{
		"error team.yaml:9:15: reviewed 2062-10-01 of dana@acme.io is after today (2026-12-01); write the day the review happened",
		"error team.yaml:11:15: reviewed 2026-12-02 of sam@acme.io is after today (2026-12-01); write the day the review happened",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("access-review mismatch (-want +got):\n%s", d)
	}
	if got := accessReviews(t, src, time.Date(2026, time.December, 2, 0, 0, 0, 0, time.UTC)); len(got) != 1 {
		t.Errorf("on the day itself: %v, want only dana's", got)
	}
}

func TestLoadReviewDiagnostics(t *testing.T) {
	src := edit("    name: Dana Ortiz\n", "    name: Dana Ortiz\n    reviewed: last week\n") + `policy:
  review_every_days:
    admins: 90
    operator: -1
  review_warning_days: 400
  inactive_days: 0
`
	writeFiles(t, map[string]string{"team.yaml": src})
	_, err := Load("team.yaml")
	want := []string{
		`team.yaml:9:15: admins[0].reviewed: "last week" is not a date; write YYYY-MM-DD, such as 2026-12-07`,
		`team.yaml:29:5: policy.review_every_days: unknown role "admins"; did you mean "admin"?`,
		`team.yaml:30:15: policy.review_every_days.operator: must be at least 0, not -1`,
		`team.yaml:31:24: policy.review_warning_days: must be at most 366, not 400`,
		`team.yaml:32:18: policy.inactive_days: must be at least 1, not 0`,
	}
	if d := cmp.Diff(want, diagnostics(t, err)); d != "" {
		t.Errorf("Load() diagnostics mismatch (-want +got):\n%s", d)
	}
}

func TestDateAddDays(t *testing.T) {
	d := Date{2026, time.December, 1}
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "2026-12-01"}, {30, "2026-12-31"}, {31, "2027-01-01"}, {90, "2027-03-01"}, {-1, "2026-11-30"}} {
		if got := d.AddDays(tt.n).String(); got != tt.want {
			t.Errorf("AddDays(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

func TestPreviously(t *testing.T) {
	src := edit(
		"  - email: olivia@acme.io\n", "  - email: olivia.park@acme.io\n    previously: [olivia@acme.io, Olivia@Old.example]\n  - email: omar@acme.io\n    previously: olivia@old.example\n",
		"  - email: rita@acme.io\n", "  - email: rita@acme.io\n    previously: [sam@acme.io, rita@acme.io]\n",
		"    owner: olivia@acme.io\n", "    owner: olivia.park@acme.io\n",
	)
	team := loadString(t, src)
	var got []string
	for _, p := range team.People {
		for _, r := range p.Previously {
			got = append(got, p.Email+" < "+r.Email+" "+r.Pos.String())
		}
	}
	want := []string{
		"olivia.park@acme.io < olivia@acme.io team.yaml:12:18",
		"olivia.park@acme.io < Olivia@Old.example team.yaml:12:34",
		"omar@acme.io < olivia@old.example team.yaml:14:17",
		"rita@acme.io < sam@acme.io team.yaml:17:18",
		"rita@acme.io < rita@acme.io team.yaml:17:31",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("previously mismatch (-want +got):\n%s", d)
	}
	var findings []string
	for _, f := range Validate(team, testNow) {
		if f.Rule == "duplicate-person" {
			findings = append(findings, f.Pos.String()+": "+f.Message)
		}
	}
	wantF := []string{
		"team.yaml:14:17: olivia@old.example is under previously of both omar@acme.io and olivia.park@acme.io (at team.yaml:11:5): keep it under one",
		"team.yaml:17:18: previously of rita@acme.io names sam@acme.io, who is declared at team.yaml:9:5: a person is renamed only from an address nobody else holds",
		"team.yaml:17:31: rita@acme.io lists their own email under previously",
	}
	if d := cmp.Diff(wantF, findings); d != "" {
		t.Errorf("duplicate-person findings mismatch (-want +got):\n%s", d)
	}
}

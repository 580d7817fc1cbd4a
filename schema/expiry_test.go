package schema

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// expiringTeam is validTeam with an operator whose access ends on
// 2027-01-31 (line 12) and a reviewer whose ends on 2027-03-31 (line 15).
var expiringTeam = edit(
	"  - email: olivia@acme.io\n", "  - email: olivia@acme.io\n  - email: kim@acme.io\n    until: 2027-01-31\n",
	"  - email: rita@acme.io\n", "  - email: rita@acme.io\n  - email: tom@acme.io\n    until: 2027-03-31\n",
)

func TestLoadUntil(t *testing.T) {
	team := loadString(t, expiringTeam)
	var got []string
	for _, p := range team.People {
		if p.Until != nil {
			got = append(got, fmt.Sprintf("%s %s %s at %s", p.Email, p.Role, p.Until, p.UntilPos))
		}
	}
	want := []string{
		"kim@acme.io operator 2027-01-31 at team.yaml:13:12",
		"tom@acme.io reviewer 2027-03-31 at team.yaml:17:12",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("until mismatch (-want +got):\n%s", d)
	}
	if team.Policy.ExpiryWarningDays != DefaultExpiryWarningDays {
		t.Errorf("ExpiryWarningDays = %d, want the default %d", team.Policy.ExpiryWarningDays, DefaultExpiryWarningDays)
	}
}

// TestAccessExpiryClock checks the edges of rule access-expiry on the
// calendar in UTC: silent before the warning window, a warning from its
// first day through the last day of access (until included), an error from
// the first day after.
func TestAccessExpiryClock(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	const kim = "team.yaml:13:12"
	tests := []struct {
		name string
		now  time.Time
		want []string // "severity pos: message"
	}{
		{"the day before the window", at(2027, time.January, 16, 23, 59), nil},
		{"the window's first day", at(2027, time.January, 17, 0, 0),
			[]string{"warning " + kim + ": access of kim@acme.io ends in 14 days: until 2027-01-31 is its last day"}},
		{"the day before the last", at(2027, time.January, 30, 12, 0),
			[]string{"warning " + kim + ": access of kim@acme.io ends in 1 day: until 2027-01-31 is its last day"}},
		{"the last day, early", at(2027, time.January, 31, 0, 0),
			[]string{"warning " + kim + ": access of kim@acme.io ends today: until 2027-01-31 is its last day"}},
		{"the last day, late", at(2027, time.January, 31, 23, 59),
			[]string{"warning " + kim + ": access of kim@acme.io ends today: until 2027-01-31 is its last day"}},
		{"the first day after", at(2027, time.February, 1, 0, 0),
			[]string{"error " + kim + ": access of kim@acme.io ended: until 2027-01-31 has passed (1 day ago)"}},
		{"long after, with the next one due", at(2027, time.March, 20, 9, 0), []string{
			"error " + kim + ": access of kim@acme.io ended: until 2027-01-31 has passed (48 days ago)",
			"warning team.yaml:17:12: access of tom@acme.io ends in 11 days: until 2027-03-31 is its last day",
		}},
		// The day is the UTC day: 2027-02-01 01:00 in Berlin is still
		// 2027-01-31 in UTC, and 2027-01-31 20:00 in New York is already
		// 2027-02-01.
		{"Berlin after midnight", time.Date(2027, time.February, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)),
			[]string{"warning " + kim + ": access of kim@acme.io ends today: until 2027-01-31 is its last day"}},
		{"New York before midnight", time.Date(2027, time.January, 31, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)),
			[]string{"error " + kim + ": access of kim@acme.io ended: until 2027-01-31 has passed (1 day ago)"}},
	}
	team := loadString(t, expiringTeam)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range Validate(team, tt.now) {
				if f.Rule == RuleAccessReview {
					continue // the admins' reviews fall due too (review_test.go)
				}
				if f.Rule != RuleAccessExpiry {
					t.Errorf("unexpected finding %s: %s", f.Rule, f.Message)
					continue
				}
				if f.Hint != "remove the person from the team file, or extend their `until:`" {
					t.Errorf("hint = %q", f.Hint)
				}
				got = append(got, fmt.Sprintf("%s %s: %s", f.Severity, f.Pos, f.Message))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Validate() at %v mismatch (-want +got):\n%s", tt.now, d)
			}
		})
	}
}

// TestAccessExpiryPolicy checks policy.expiry_warning_days and the
// severity overrides: a warning stays a warning when the rule is raised,
// and a passed until becomes a warning when the rule is lowered.
func TestAccessExpiryPolicy(t *testing.T) {
	now := time.Date(2027, time.January, 25, 12, 0, 0, 0, time.UTC) // kim: 6 days left
	passed := time.Date(2027, time.February, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		policy string
		now    time.Time
		want   []Severity
	}{
		{"default window", "", now, []Severity{Warning}},
		{"window of 6 days", "  expiry_warning_days: 6\n", now, []Severity{Warning}},
		{"window of 5 days", "  expiry_warning_days: 5\n", now, nil},
		{"no window", "  expiry_warning_days: 0\n", now, nil},
		{"no window, passed", "  expiry_warning_days: 0\n", passed, []Severity{Error}},
		{"raised to error", "  rules:\n    access-expiry: error\n", now, []Severity{Warning}},
		{"lowered to warning", "  rules:\n    access-expiry: warning\n", passed, []Severity{Warning}},
		{"off", "  rules:\n    access-expiry: off\n", passed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := expiringTeam
			if tt.policy != "" {
				src += "policy:\n" + tt.policy
			}
			var got []Severity
			for _, f := range Validate(loadString(t, src), tt.now) {
				if f.Rule != RuleAccessReview { // the admins' reviews fall due too
					got = append(got, f.Severity)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("severities mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestDaysUntil(t *testing.T) {
	d := Date{2027, time.January, 31}
	for _, tt := range []struct {
		e    Date
		want int
	}{
		{d, 0},
		{Date{2027, time.February, 1}, 1},
		{Date{2027, time.January, 1}, -30},
		{Date{2028, time.January, 31}, 365},
		{Date{2028, time.March, 1}, 395}, // 2028 is a leap year
		// Centuries away, past what a time.Duration holds (106751 days).
		{Date{2327, time.January, 31}, 109572},
		{Date{1727, time.January, 31}, -109573},
	} {
		if got := d.DaysUntil(tt.e); got != tt.want {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", d, tt.e, got, tt.want)
		}
	}
}

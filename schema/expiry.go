package schema

import (
	"fmt"
	"slices"
	"time"
)

// RuleAccessExpiry is the id of the rule that nobody keeps access past
// their until.
const RuleAccessExpiry = "access-expiry"

// Today returns the calendar day of now in UTC, the day rule access-expiry
// counts from, whatever the machine's time zone.
func Today(now time.Time) Date {
	y, m, d := now.UTC().Date()
	return Date{Year: y, Month: m, Day: d}
}

// DaysUntil returns the calendar days from d to e: 1 when e is the next
// day, negative when e is before d.
func (d Date) DaysUntil(e Date) int {
	// UTC has no daylight-saving days, so every day is 86,400 seconds.
	// Seconds, not a time.Duration: a Duration stops at about 292 years,
	// and a date 300 years away would be "106751 days" away.
	return int((e.Time(time.UTC).Unix() - d.Time(time.UTC).Unix()) / 86400)
}

// Expiry is a declared person's until seen from a day.
type Expiry struct {
	Person Person
	// DaysLeft is the days of access left after today: 0 on the last day,
	// negative once until has passed.
	DaysLeft int
}

// Passed reports whether the last day of access is over.
func (e Expiry) Passed() bool { return e.DaysLeft < 0 }

// Expiries returns the declared people whose until has passed or falls
// within policy.expiry_warning_days of today, soonest first, then by
// position.
func Expiries(t *Team, today Date) []Expiry {
	var out []Expiry
	for _, p := range t.People {
		if p.Until == nil {
			continue
		}
		if left := today.DaysUntil(*p.Until); left <= t.Policy.ExpiryWarningDays {
			out = append(out, Expiry{Person: p, DaysLeft: left})
		}
	}
	slices.SortStableFunc(out, func(a, b Expiry) int {
		if a.DaysLeft != b.DaysLeft {
			return a.DaysLeft - b.DaysLeft
		}
		return a.Person.UntilPos.Compare(b.Person.UntilPos)
	})
	return out
}

// String says what the expiry means for the person, in the words of a
// finding.
func (e Expiry) String() string {
	p := e.Person
	switch {
	case e.DaysLeft < 0:
		return fmt.Sprintf("access of %s ended: until %s has passed (%s ago)", p.Email, p.Until, days(-e.DaysLeft))
	case e.DaysLeft == 0:
		return fmt.Sprintf("access of %s ends today: until %s is its last day", p.Email, p.Until)
	}
	return fmt.Sprintf("access of %s ends in %s: until %s is its last day", p.Email, days(e.DaysLeft), p.Until)
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// accessExpiry is rule access-expiry: an error once a person's until has
// passed, a warning (at most) within policy.expiry_warning_days before.
func accessExpiry(t *Team, today Date) []Finding {
	var out []Finding
	for _, e := range Expiries(t, today) {
		f := Finding{Pos: e.Person.UntilPos, Message: e.String()}
		if !e.Passed() {
			f.Severity = Warning
		}
		out = append(out, f)
	}
	return out
}

// Ended is a declared person whose until has passed, with what they still
// cover: such a person is not taken out of the team file until someone
// else does (teamctl expire).
type Ended struct {
	Expiry
	Covers []Cover
}

// CoverKind is how a person covers for the team.
type CoverKind string

const (
	CoversOwner       CoverKind = "owner"        // owns Workflow
	CoversBackup      CoverKind = "backup"       // backs up Workflow
	CoversBackupAdmin CoverKind = "backup-admin" // is the backup admin
)

// Cover is one thing a person covers.
type Cover struct {
	Kind     CoverKind
	Workflow string // empty for the backup admin
}

// EndedAccess returns the declared people whose until has passed on today,
// soonest ended last (as Expiries), each with what they cover.
func EndedAccess(t *Team, today Date) []Ended {
	var out []Ended
	for _, e := range Expiries(t, today) {
		if e.Passed() {
			out = append(out, Ended{Expiry: e, Covers: covers(t, e.Person.Key())})
		}
	}
	return out
}

// covers returns what the person with identity key covers: the backup
// admin, and the workflows they own or back up.
func covers(t *Team, key string) []Cover {
	var out []Cover
	if slices.ContainsFunc(t.BackupAdmins, func(r Ref) bool { return r.Key() == key }) {
		out = append(out, Cover{Kind: CoversBackupAdmin})
	}
	for _, w := range t.Workflows {
		switch {
		case w.Owner != nil && w.Owner.Key() == key:
			out = append(out, Cover{Kind: CoversOwner, Workflow: w.Name})
		case slices.ContainsFunc(w.Backups, func(r Ref) bool { return r.Key() == key }):
			out = append(out, Cover{Kind: CoversBackup, Workflow: w.Name})
		}
	}
	return out
}

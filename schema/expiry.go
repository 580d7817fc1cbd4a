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

package schema

import (
	"fmt"
	"slices"
	"time"
)

// RuleAccessReview is the id of the rule that each person's access is
// confirmed again every policy.review_every_days of their role.
const RuleAccessReview = "access-review"

// ReviewPeriod returns the days between reviews of role under the policy,
// 0 when the role has none.
func (p Policy) ReviewPeriod(role Role) int {
	return p.ReviewEveryDays[role]
}

// Review is a declared person's access review seen from a day.
type Review struct {
	Person Person
	Period int // days between reviews of the person's role
	// Due is the day the review falls due: Reviewed plus Period. Nil when
	// the person was never reviewed, and so is due at once.
	Due *Date
	// DaysLeft is the days from today to Due: 0 when due today or never
	// reviewed, negative once overdue.
	DaysLeft int
}

// Overdue reports whether the day the review fell due has passed.
func (r Review) Overdue() bool { return r.DaysLeft < 0 }

// ReviewOf returns the review of p seen from today, and false when p's
// role has no review period.
func ReviewOf(t *Team, p Person, today Date) (Review, bool) {
	period := t.Policy.ReviewPeriod(p.Role)
	if period <= 0 {
		return Review{}, false
	}
	r := Review{Person: p, Period: period}
	if p.Reviewed != nil {
		due := p.Reviewed.AddDays(period)
		r.Due, r.DaysLeft = &due, today.DaysUntil(due)
	}
	return r, true
}

// Reviews returns the declared people whose review is due, overdue, or
// falls due within policy.review_warning_days of today: the most overdue
// first, then by position.
func Reviews(t *Team, today Date) []Review {
	var out []Review
	for _, p := range t.People {
		if r, ok := ReviewOf(t, p, today); ok && r.DaysLeft <= t.Policy.ReviewWarningDays {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Review) int {
		if a.DaysLeft != b.DaysLeft {
			return a.DaysLeft - b.DaysLeft
		}
		return a.Person.Pos.Compare(b.Person.Pos)
	})
	return out
}

// AddDays returns the day n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date {
	return Today(d.Time(time.UTC).AddDate(0, 0, n))
}

// Pos returns where the review is written: the person's reviewed, else
// the person.
func (r Review) Pos() Pos {
	if r.Person.Reviewed != nil {
		return r.Person.ReviewedPos
	}
	return r.Person.Pos
}

// String says where the review stands, in the words of a finding.
func (r Review) String() string {
	p := r.Person
	every := fmt.Sprintf("%ss are reviewed every %s", p.Role, days(r.Period))
	if r.Due == nil {
		return fmt.Sprintf("access of %s (%s) was never reviewed: %s", p.Email, p.Role, every)
	}
	last := fmt.Sprintf("last reviewed %s; %s", p.Reviewed, every)
	switch {
	case r.DaysLeft < 0:
		return fmt.Sprintf("access review of %s (%s) is overdue by %s: %s", p.Email, p.Role, days(-r.DaysLeft), last)
	case r.DaysLeft == 0:
		return fmt.Sprintf("access review of %s (%s) is due today: %s", p.Email, p.Role, last)
	}
	return fmt.Sprintf("access review of %s (%s) is due in %s, on %s: %s", p.Email, p.Role, days(r.DaysLeft), r.Due, last)
}

// accessReview is rule access-review: an error once a review is overdue,
// a warning (at most) from policy.review_warning_days before it falls due
// through its day, and for a person never reviewed.
func accessReview(t *Team, today Date) []Finding {
	var out []Finding
	for _, p := range t.People {
		// A review dated after today (2062 for 2026) would silence the
		// rule for years: it is an error of its own.
		if p.Reviewed != nil && today.DaysUntil(*p.Reviewed) > 0 {
			out = append(out, Finding{Pos: p.ReviewedPos, Message: fmt.Sprintf("reviewed %s of %s is after today (%s); write the day the review happened", p.Reviewed, p.Email, today),
				Hint: "`teamctl review --mark EMAIL` writes today's date"})
		}
	}
	for _, r := range Reviews(t, today) {
		f := Finding{Pos: r.Pos(), Message: r.String()}
		if !r.Overdue() {
			f.Severity = Warning
		}
		out = append(out, f)
	}
	return out
}

// Package schema defines the team file: its model, its loader and the
// offline readiness rules that check it.
package schema

import (
	"strings"
	"time"
)

// Role is what a person may do in the workspace (SPEC §1).
type Role string

const (
	Admin    Role = "admin"
	Operator Role = "operator"
	Reviewer Role = "reviewer"
)

// Roles lists the roles in the order a plan introduces them: admins first,
// then operators, then reviewers.
var Roles = []Role{Admin, Operator, Reviewer}

// Rank orders roles by breadth of access: admin 3, operator 2, reviewer 1,
// anything else 0. A change to a lower rank is a demotion.
func (r Role) Rank() int {
	switch r {
	case Admin:
		return 3
	case Operator:
		return 2
	case Reviewer:
		return 1
	}
	return 0
}

// Key is the identity of an email address: trimmed of ASCII spaces and with
// its ASCII letters lower-cased, so that "Dana@Acme.io " and "dana@acme.io"
// are one person. Nothing else is folded: Unicode case folding would make
// the Kelvin sign (U+212A) a k and "\u212Aim@acme.io" the same person as
// kim@acme.io, and Unicode trimming would do as much for a no-break space.
func Key(email string) string {
	s := strings.Trim(email, " \t\r\n")
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Person is one declared member of the team.
type Person struct {
	Email string // as written in the file, trimmed; for display
	Name  string // optional display name
	Role  Role
	Pos   Pos // where the entry is declared
	// Until is the last day of the person's access, that day included
	// (rule access-expiry); nil when not written. UntilPos is where.
	Until    *Date
	UntilPos Pos
	// Reviewed is the day the person's access was last confirmed (rule
	// access-review); nil when not written. ReviewedPos is where.
	Reviewed    *Date
	ReviewedPos Pos
	// Previously are the emails the person had before (a rename): a
	// workspace member under one of them is renamed to Email in place.
	Previously []Ref
}

// Key returns the person's identity (see Key).
func (p Person) Key() string { return Key(p.Email) }

// Ref is an email address used as a reference to a declared person (an
// owner, a backup), with the place it is written.
type Ref struct {
	Email string
	Pos   Pos
}

// Key returns the identity the reference points at.
func (r Ref) Key() string { return Key(r.Email) }

// WorkflowState says whether a workflow is running.
type WorkflowState string

const (
	Live  WorkflowState = "live"
	Pilot WorkflowState = "pilot"
	Draft WorkflowState = "draft"
)

// Workflow is an area or campaign that someone owns.
type Workflow struct {
	Name    string
	State   WorkflowState // Live when not written
	Owner   *Ref          // nil when not written
	Backups []Ref
	Pos     Pos
}

// Date is a calendar day (YYYY-MM-DD) without a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Time returns midnight of the day in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Severity is how much a finding matters.
type Severity string

const (
	Off     Severity = "off"
	Warning Severity = "warning"
	Error   Severity = "error"
)

// Policy tunes the rules and the plan. Zero values are replaced by defaults
// when loading.
type Policy struct {
	MaxAdmins     int
	Prune         bool
	MaxRemovals   int
	ResendExpired bool
	// ExpiryWarningDays is how many days before a person's until rule
	// access-expiry warns.
	ExpiryWarningDays int
	// ReviewEveryDays is the days between access reviews of each role
	// (rule access-review); a role that is not in it, or maps to 0, has
	// no reviews.
	ReviewEveryDays map[Role]int
	// ReviewWarningDays is how many days before a review is due rule
	// access-review warns.
	ReviewWarningDays int
	// InactiveDays is how long a declared member may go without signing
	// in before rule inactive-access flags them; 0 is off.
	InactiveDays int
	Rules        map[string]Severity // rule id → severity override
	RulePos      map[string]Pos      // where each override is written
}

// Policy defaults (SPEC §2).
const (
	DefaultMaxAdmins   = 3
	DefaultMaxRemovals = 5

	DefaultExpiryWarningDays = 14
	DefaultReviewWarningDays = 14
	// DefaultAdminReviewDays is how often admins' access is reviewed when
	// policy.review_every_days does not say: a quarter.
	DefaultAdminReviewDays = 90

	maxWarningDays = 366      // a year's warning is the most that helps
	maxReviewDays  = 10 * 366 // past ten years a period means nothing
)

// DefaultPolicy returns the policy of a file that has no policy key.
func DefaultPolicy() Policy {
	return Policy{MaxAdmins: DefaultMaxAdmins, MaxRemovals: DefaultMaxRemovals, ResendExpired: true,
		ExpiryWarningDays: DefaultExpiryWarningDays,
		ReviewEveryDays:   map[Role]int{Admin: DefaultAdminReviewDays}, ReviewWarningDays: DefaultReviewWarningDays}
}

// Approvers names who approves changes to each role (CODEOWNERS owners).
type Approvers struct {
	Admins    []string
	Operators []string
	Reviewers []string
	Pos       Pos
}

// Team is a loaded, merged team file.
type Team struct {
	Version       int
	Workspace     string
	Launch        *Date
	InviteNote    string
	InviteNotePos Pos
	People        []Person // admins, then operators, then reviewers, each in file order
	BackupAdmins  []Ref
	BackupsPos    Pos // where backups.admin is (or should be) written
	Workflows     []Workflow
	Approvers     *Approvers // nil when not written
	Policy        Policy
	Files         []string // the files the team was loaded from, sorted
	// Skipped are the entries of a team directory that were not read:
	// subdirectories (with a final /) and files other than *.yaml and
	// *.yml, by name, sorted.
	Skipped []string
	Pos     Pos    // the start of the first file, for findings about the whole team
	Digest  string // sha256 of the source bytes, "sha256:<hex>"
}

// ByRole returns the declared people holding role, in file order.
func (t *Team) ByRole(role Role) []Person {
	var out []Person
	for _, p := range t.People {
		if p.Role == role {
			out = append(out, p)
		}
	}
	return out
}

// Index returns the declared people by identity. When a person is declared
// twice (a duplicate-person finding), the first declaration wins.
func (t *Team) Index() map[string]Person {
	idx := make(map[string]Person, len(t.People))
	for _, p := range t.People {
		if _, dup := idx[p.Key()]; !dup {
			idx[p.Key()] = p
		}
	}
	return idx
}

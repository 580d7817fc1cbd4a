package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
)

// coverText says what a person covers: "owns workflow "billing"".
func coverText(c schema.Cover) string {
	switch c.Kind {
	case schema.CoversOwner:
		return fmt.Sprintf("owns workflow %q", c.Workflow)
	case schema.CoversBackup:
		return fmt.Sprintf("backs up workflow %q", c.Workflow)
	case schema.CoversBackupAdmin:
		return "is the backup admin"
	}
	return string(c.Kind)
}

// ExpireText writes what teamctl expire took out of the team file (or
// would, without write) and who it left in, with what they cover; written
// names the files it wrote.
func ExpireText(w io.Writer, ended []schema.Ended, write bool, written []string) error {
	var b strings.Builder
	if len(ended) == 0 {
		b.WriteString("Nobody's access has ended: nothing to take out of the team file.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	verb := "Would take out"
	if write {
		verb = "Took out"
	}
	taken := 0
	for _, x := range ended {
		p := x.Person
		what := fmt.Sprintf("%s (%s, until %s, %s)", p.Email, p.Role, p.Until, p.Pos)
		if len(x.Covers) > 0 {
			cs := make([]string, len(x.Covers))
			for i, c := range x.Covers {
				cs[i] = coverText(c)
			}
			fmt.Fprintf(&b, "Left in: %s: %s; name who takes over, then take them out\n", field(what), field(strings.Join(cs, ", ")))
			continue
		}
		taken++
		fmt.Fprintf(&b, "%s: %s\n", verb, field(what))
	}
	for _, path := range written {
		fmt.Fprintf(&b, "Wrote %s.\n", field(path))
	}
	switch {
	case !write && taken > 0:
		fmt.Fprintf(&b, "Run teamctl expire --write to take %s out of the team file.\n", people(taken))
	case write && taken > 0:
		b.WriteString("The workspace is unchanged: once the edited file is merged, apply removes them there (with policy.prune) or lists them as not in the team file.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type expireDoc struct {
	FormatVersion string          `json:"format_version"`
	Date          string          `json:"date"`
	Write         bool            `json:"write"`
	Expired       []expiredPerson `json:"expired"`
}

type expiredPerson struct {
	Email  string     `json:"email"`
	Role   string     `json:"role"`
	Until  string     `json:"until"`
	File   string     `json:"file"`
	Line   int        `json:"line"`
	Out    bool       `json:"taken_out"` // taken out (or would be, without --write)
	Covers []coverDoc `json:"left_in_because"`
}

type coverDoc struct {
	Covers   schema.CoverKind `json:"covers"`
	Workflow string           `json:"workflow,omitempty"`
}

// ExpireJSON writes teamctl expire's document (format_version 1).
func ExpireJSON(w io.Writer, ended []schema.Ended, today schema.Date, write bool) error {
	doc := expireDoc{FormatVersion: "1", Date: today.String(), Write: write, Expired: []expiredPerson{}}
	for _, x := range ended {
		p := x.Person
		e := expiredPerson{Email: p.Email, Role: string(p.Role), Until: p.Until.String(),
			File: p.Pos.File, Line: p.Pos.Line, Out: len(x.Covers) == 0, Covers: []coverDoc{}}
		for _, c := range x.Covers {
			e.Covers = append(e.Covers, coverDoc{c.Kind, c.Workflow})
		}
		doc.Expired = append(doc.Expired, e)
	}
	enc := safejson.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// people says "1 person" or "3 people".
func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

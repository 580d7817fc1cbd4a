package render

import (
	"fmt"

	"github.com/teamctl/teamctl/schema"
)

// maxSummaryCallout is the most people a plan's Markdown summary names in
// one callout (access ending, reviews due); the findings below list all.
const maxSummaryCallout = 5

// expiryLines says in a Markdown plan's summary whose access has ended or
// ends soon (rule access-expiry), the ended first: the removal they call
// for is a reviewed change to the team file, which teamctl never makes
// itself. Empty when nobody's until is near.
func expiryLines(fs []schema.Finding) []string {
	return callout(fs, schema.RuleAccessExpiry,
		"**Access ending** (`until`): remove these people from the team file, or extend their `until`.")
}

// reviewLines says in a Markdown plan's summary whose access review is
// overdue or due (rule access-review), the overdue first. Empty when no
// review is near.
func reviewLines(fs []schema.Finding) []string {
	return callout(fs, schema.RuleAccessReview,
		"**Access reviews due** (`reviewed`): confirm these people still need their role, then record it with `teamctl review --mark`.")
}

// callout lists the findings of rule, errors first, under an IMPORTANT
// callout that starts with head.
func callout(fs []schema.Finding, rule, head string) []string {
	var ex []schema.Finding
	for _, sev := range []schema.Severity{schema.Error, schema.Warning} {
		for _, f := range fs {
			if f.Rule == rule && f.Severity == sev {
				ex = append(ex, f)
			}
		}
	}
	if len(ex) == 0 {
		return nil
	}
	out := []string{"", "> [!IMPORTANT]", "> " + head}
	for i, f := range ex {
		if i == maxSummaryCallout {
			out = append(out, fmt.Sprintf("> - and %d more (see the findings)", len(ex)-i))
			break
		}
		icon := "⚠️"
		if f.Severity == schema.Error {
			icon = "❌"
		}
		out = append(out, "> - "+icon+" "+mdText(f.Pos.String()+": "+f.Message))
	}
	return out
}

package render

import (
	"fmt"

	"github.com/teamctl/teamctl/schema"
)

// maxSummaryExpiries is the most people a plan's Markdown summary names as
// losing access; the findings below list all of them.
const maxSummaryExpiries = 5

// expiryLines says in a Markdown plan's summary whose access has ended or
// ends soon (rule access-expiry), the ended first: the removal they call
// for is a reviewed change to the team file, which teamctl never makes
// itself. Empty when nobody's until is near.
func expiryLines(fs []schema.Finding) []string {
	var ex []schema.Finding
	for _, sev := range []schema.Severity{schema.Error, schema.Warning} {
		for _, f := range fs {
			if f.Rule == schema.RuleAccessExpiry && f.Severity == sev {
				ex = append(ex, f)
			}
		}
	}
	if len(ex) == 0 {
		return nil
	}
	out := []string{"", "> [!IMPORTANT]", "> **Access ending** (`until`): remove these people from the team file, or extend their `until`."}
	for i, f := range ex {
		if i == maxSummaryExpiries {
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

package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/teamctl/teamctl/schema"
)

// MaxCommentSize is GitHub's limit on the body of a comment, in characters.
// Reports are measured in bytes, which are never fewer than characters.
const MaxCommentSize = 65536

// A mdReport is a Markdown report meant for a pull-request comment or a job
// summary: a head that is always shown (marker, summary, counts) and
// sections folded in a <details> element. It knows how to shrink itself to
// a size limit.
type mdReport struct {
	head     []string // lines
	fold     string   // the <summary> text of the <details> element; "" for no fold
	sections []mdSection
}

// mdSection is a part of the fold: a title, then lines between an opening
// and a closing line (a code fence), or a list when open is empty.
type mdSection struct {
	title     string
	open      string
	lines     []string
	close     string
	unit      string // what a line is, for the note about cuts: "changes"
	droppable bool   // left out first when the report is too long (diagrams)
}

func (s mdSection) String() string {
	var b strings.Builder
	if s.title != "" {
		b.WriteString(s.title + "\n\n")
	}
	if s.open != "" {
		b.WriteString(s.open + "\n")
	}
	for _, l := range s.lines {
		b.WriteString(l + "\n")
	}
	if s.close != "" {
		b.WriteString(s.close + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

func (r *mdReport) render(head []string, sections []mdSection) string {
	var b strings.Builder
	for _, l := range head {
		b.WriteString(l + "\n")
	}
	switch {
	case len(sections) == 0:
	case r.fold == "":
		b.WriteString("\n")
		for _, s := range sections {
			b.WriteString(s.String())
		}
	default:
		fmt.Fprintf(&b, "\n<details><summary>%s</summary>\n\n", r.fold)
		for _, s := range sections {
			b.WriteString(s.String())
		}
		b.WriteString("</details>\n")
	}
	return b.String()
}

// String renders the report whole when it fits in limit bytes. Otherwise it
// leaves out the diagrams, then keeps the head and as much of the end of the
// fold as fits (removals, the riskiest changes, come last in a plan), and
// says in the head what was cut.
func (r *mdReport) String(limit int) string {
	full := r.render(r.head, r.sections)
	if len(full) <= limit {
		return full
	}
	var kept []mdSection
	var dropped []string
	for _, s := range r.sections {
		if s.droppable {
			dropped = append(dropped, strings.ToLower(s.title))
		} else {
			kept = append(kept, s)
		}
	}
	note := func(cut string) []string {
		what := strings.Join(append([]string{cut}, dropped...), " and ")
		if cut == "" {
			what = strings.Join(dropped, " and ")
		}
		return slices.Concat(r.head, []string{"",
			"> [!NOTE]",
			fmt.Sprintf("> This report was cut to fit GitHub's limit of %d characters: %s left out. The full report is in the job's log and artifacts, or run teamctl locally.", limit, what)})
	}
	if out := r.render(note(""), kept); len(out) <= limit {
		return out
	}

	// Keep whole sections from the end while they fit, then the tail of the
	// one that does not; reserve room for the note, whose length is known
	// only at the end.
	const noteRoom = 400
	budget := limit - len(r.render(r.head, nil)) - len(r.render(nil, []mdSection{{}})) - noteRoom
	var tail []mdSection
	cut := ""
	for i := len(kept) - 1; i >= 0; i-- {
		s := kept[i]
		if n := len(s.String()); n <= budget {
			tail = append([]mdSection{s}, tail...)
			budget -= n
			continue
		}
		empty := s
		empty.lines = nil
		budget -= len(empty.String())
		keep := len(s.lines)
		for keep > 0 && budget-len(s.lines[keep-1])-1 >= 0 {
			budget -= len(s.lines[keep-1]) + 1
			keep--
		}
		// keep is now the index of the first line kept.
		if keep < len(s.lines) {
			part := s
			part.lines = s.lines[keep:]
			tail = append([]mdSection{part}, tail...)
		}
		cut = fmt.Sprintf("the first %d of %d %s", keep, len(s.lines), s.unit)
		for _, earlier := range kept[:i] {
			cut += fmt.Sprintf(", all %d %s", len(earlier.lines), earlier.unit)
		}
		break
	}
	return r.render(note(cut), tail)
}

// FindingsMarkdown writes the findings of validate as Markdown, for a job
// summary or a comment: a count, then the findings, errors first.
func FindingsMarkdown(w io.Writer, fs []schema.Finding) error {
	r := &mdReport{head: []string{"### teamctl validate", ""}}
	errs, warns := tally(fs)
	if len(fs) == 0 {
		r.head = append(r.head, "✅ **No findings**: the team passes every offline rule.")
	} else {
		icon := "⚠️"
		if errs > 0 {
			icon = "❌"
		}
		r.head = append(r.head, fmt.Sprintf("%s **%s, %s.**", icon, plural(errs, "error"), plural(warns, "warning")))
		r.sections = []mdSection{{lines: findingLines(fs), unit: "findings"}}
	}
	_, err := io.WriteString(w, r.String(MaxCommentSize))
	return err
}

// findingLines lists findings for Markdown, errors first, each with its
// rule, place, message and hint.
func findingLines(fs []schema.Finding) []string {
	var out []string
	for _, sev := range []schema.Severity{schema.Error, schema.Warning} {
		for _, f := range fs {
			if f.Severity != sev {
				continue
			}
			icon := "⚠️ warning"
			if sev == schema.Error {
				icon = "❌ error"
			}
			l := fmt.Sprintf("- %s `%s` %s: %s", icon, f.Rule, mdText(f.Pos.String()), mdText(f.Message))
			if f.Hint != "" {
				l += " — " + mdText(f.Hint)
			}
			out = append(out, l)
		}
	}
	return out
}

package render

import (
	"cmp"
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
	// kept says, in the note of a cut report, what no cut leaves out:
	// "Every change to admin access is listed above."
	kept string
	// whole says, in the note of a cut report, where the whole of it is.
	whole string
}

// mdSection is a part of the fold: a title, then lines between an opening
// and a closing line (a code fence), or a list when open is empty.
//
// When the report is too long, lines are left out by rank, the lowest
// first, and in a rank the last first: a section says how long its lines
// are kept (rank, or ranks line by line), and how to describe those it
// lost (leftOut).
type mdSection struct {
	title     string
	open      string
	lines     []string
	close     string
	unit      string // what a line is, "changes"; for a whole section, what it is: "the invite note"
	droppable bool   // left out first, and whole, when the report is too long (diagrams)
	whole     bool   // kept whole or left out whole, never cut in part
	rank      int    // how long the lines are kept in a cut: the higher, the longer
	ranks     []int  // rank line by line, when not nil
	// leftOut describes the lines at indexes cut, left out of the report;
	// nil: "N of M unit".
	leftOut func(cut []int) string
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

func (s mdSection) lineRank(i int) int {
	if s.ranks != nil {
		return s.ranks[i]
	}
	return s.rank
}

// cutMarker is the last line of a section that lost n lines to a cut.
func (s mdSection) cutMarker(n int) string {
	text := fmt.Sprintf("… %d more %s left out to fit (see the note above)", n, s.unit)
	if s.open != "" {
		return "  " + text // in a code block; a diff's context line
	}
	return "- " + text
}

func (s mdSection) describeCut(cut []int) string {
	if s.whole || s.droppable {
		return s.unit
	}
	if s.leftOut != nil {
		return s.leftOut(cut)
	}
	return fmt.Sprintf("%d of %d %s", len(cut), len(s.lines), s.unit)
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

// noteRoom is what String reserves for the note of a cut report and the
// markers of cut sections, whose length is known only at the end.
const noteRoom = 1000

// String renders the report whole when it fits in limit bytes. Otherwise it
// keeps the head whole and leaves out lines of the fold by rank, the
// lowest first (diagrams before anything), and says in the head what it
// left out, what it kept, and where the whole report is.
func (r *mdReport) String(limit int) string {
	full := r.render(r.head, r.sections)
	if len(full) <= limit {
		return full
	}
	return r.cutTo(limit)
}

// cutTo is String for a report whose whole rendering is over limit.
func (r *mdReport) cutTo(limit int) string {
	head := r.head
	if len(r.render(head, nil))+noteRoom > limit {
		head = cutHead(head, limit-noteRoom) // a head this long is no report one can read anyway
	}
	budget := limit - len(r.render(head, nil)) - len(r.render(nil, []mdSection{{}})) - noteRoom
	// The markers and the note are estimated; a render over the limit
	// tries again with less, a bounded number of times.
	for range 8 {
		kept, notes := r.cut(budget)
		out := r.render(r.noteHead(head, limit, notes), kept)
		if len(out) <= limit {
			return out
		}
		budget -= len(out) - limit
	}
	_, notes := r.cut(0)
	return r.render(r.noteHead(head, limit, notes), nil)
}

// cut returns the sections of the fold with what fits in budget bytes,
// lines kept by rank, and a description of each part left out.
func (r *mdReport) cut(budget int) (kept []mdSection, notes []string) {
	type item struct{ sec, line, rank, size int } // line -1: the whole section
	var items []item
	for si, s := range r.sections {
		switch {
		case s.droppable:
			items = append(items, item{si, -1, -1, len(s.String())})
		case s.whole:
			items = append(items, item{si, -1, s.rank, len(s.String())})
		default:
			for li, l := range s.lines {
				items = append(items, item{si, li, s.lineRank(li), len(l) + 1})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmp.Compare(b.rank, a.rank) })
	keep := make([][]bool, len(r.sections))
	for si, s := range r.sections {
		keep[si] = make([]bool, max(1, len(s.lines)))
	}
	opened := make([]bool, len(r.sections))
	for _, it := range items {
		size := it.size
		if it.line >= 0 && !opened[it.sec] {
			empty := r.sections[it.sec]
			empty.lines = nil
			size += len(empty.String()) + len(empty.cutMarker(len(r.sections[it.sec].lines))) + 1
		}
		if size > budget {
			break // what ranks lower is left out, even where it would fit
		}
		budget -= size
		if it.line < 0 {
			keep[it.sec][0] = true
			continue
		}
		opened[it.sec] = true
		keep[it.sec][it.line] = true
	}
	for si, s := range r.sections {
		if s.whole || s.droppable {
			if keep[si][0] {
				kept = append(kept, s)
			} else {
				notes = append(notes, s.describeCut(nil))
			}
			continue
		}
		var lines []string
		var cut []int
		for li, l := range s.lines {
			if keep[si][li] {
				lines = append(lines, l)
			} else {
				cut = append(cut, li)
			}
		}
		if len(cut) == 0 {
			kept = append(kept, s)
			continue
		}
		notes = append(notes, s.describeCut(cut))
		if len(lines) > 0 {
			part := s
			part.lines = append(lines, s.cutMarker(len(cut)))
			kept = append(kept, part)
		}
	}
	return kept, notes
}

// noteHead is the head of a cut report: the head, then a note of what was
// left out.
func (r *mdReport) noteHead(head []string, limit int, left []string) []string {
	note := fmt.Sprintf("> This report was cut to fit GitHub's limit of %d characters. Left out: %s.", limit, strings.Join(left, "; "))
	for _, s := range []string{r.kept, cmp.Or(r.whole, "Run teamctl locally for the whole report.")} {
		if s != "" {
			note += " " + s
		}
	}
	return slices.Concat(head, []string{"", "> [!NOTE]", note})
}

// cutHead keeps the first lines of head that fit in limit bytes, and says
// that the rest was left out.
func cutHead(head []string, limit int) []string {
	const more = "(The rest of this summary is left out to fit.)"
	size := len(more) + 2
	for i, l := range head {
		if size += len(l) + 1; size > limit {
			return append(slices.Clip(head[:i]), "", more)
		}
	}
	return head
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

// findingRanks ranks the lines of findingLines for a cut: errors before
// warnings.
func findingRanks(fs []schema.Finding) []int {
	var out []int
	for _, sev := range []schema.Severity{schema.Error, schema.Warning} {
		for _, f := range fs {
			switch {
			case f.Severity != sev:
			case sev == schema.Error:
				out = append(out, rankError)
			default:
				out = append(out, rankWarning)
			}
		}
	}
	return out
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

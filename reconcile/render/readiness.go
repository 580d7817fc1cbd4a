package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile/readiness"
	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
)

// ReadinessText writes the checklist for a terminal: one line per check
// with its status, then, for each check that does not pass, what to do and
// the evidence. color adds ANSI colours to the statuses.
func ReadinessText(w io.Writer, r *readiness.Report, color bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Readiness of %s%s\n\n", field(r.Workspace), launchText(r))
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Rule))
	}
	for _, c := range r.Checks {
		text := c.Message
		if c.Status == readiness.Pass {
			text = c.Title
		}
		fmt.Fprintf(&b, "%s  %-*s  %s\n", statusText(c.Status, color), width, c.Rule, field(text))
		if c.Status == readiness.Pass || c.Status == readiness.Off || c.Status == readiness.NA {
			continue
		}
		indent := strings.Repeat(" ", 9+width+2)
		if c.Hint != "" {
			fmt.Fprintf(&b, "%s→ %s\n", indent, field(c.Hint))
		}
		for _, d := range c.Details {
			fmt.Fprintf(&b, "%s  %s\n", indent, field(detailText(d)))
		}
	}
	fmt.Fprintf(&b, "\n%s\n", verdict(r))
	_, err := io.WriteString(w, b.String())
	return err
}

func statusText(s readiness.Status, color bool) string {
	label := fmt.Sprintf("%-7s", strings.ToUpper(string(s)))
	if !color {
		return label
	}
	code := map[readiness.Status]string{
		readiness.Pass: "32", readiness.Fail: "31", readiness.Warn: "33", readiness.Unknown: "35", readiness.Off: "90", readiness.NA: "90",
	}[s]
	return "\x1b[" + code + "m" + label + "\x1b[0m"
}

func detailText(d readiness.Detail) string {
	if d.Pos.File == "" {
		return d.Text
	}
	return d.Pos.String() + ": " + d.Text
}

// launchText says when the launch is: ", launch 2026-12-14 (in 7 days:
// launch week)".
func launchText(r *readiness.Report) string {
	if when := launchWhen(r); when != "" {
		return ", launch " + when
	}
	return ""
}

// launchWhen is "2026-12-14 (in 7 days: launch week)", or empty without a
// launch date.
func launchWhen(r *readiness.Report) string {
	days, ok := r.DaysToLaunch()
	if !ok {
		return ""
	}
	when := "today"
	switch {
	case days > 0:
		when = "in " + plural(days, "day")
	case days < 0:
		when = plural(-days, "day") + " ago"
	}
	if r.InLaunchWeek && days > 0 {
		when += ": launch week"
	}
	return fmt.Sprintf("%s (%s)", r.Launch, when)
}

// verdict is the last line: "Ready." or "Not ready: …", with the counts.
func verdict(r *readiness.Report) string {
	n := r.Counts()
	var parts []string
	for _, p := range []struct {
		s    readiness.Status
		word string
	}{
		{readiness.Fail, "failed"},
		{readiness.Warn, "warning"},
		{readiness.Unknown, "unknown"},
		{readiness.Pass, "passed"},
		{readiness.Off, "off"},
		{readiness.NA, "not applicable"},
	} {
		switch {
		case n[p.s] == 0:
		case p.s == readiness.Warn:
			parts = append(parts, plural(n[p.s], "warning"))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n[p.s], p.word))
		}
	}
	head := "Not ready"
	if r.Ready() {
		head = "Ready"
	}
	return head + ": " + strings.Join(parts, ", ") + "."
}

// readinessDoc is the JSON document of `teamctl readiness -o json`.
type readinessDoc struct {
	FormatVersion string               `json:"format_version"`
	Workspace     string               `json:"workspace"`
	Launch        *string              `json:"launch"`
	CheckedAt     string               `json:"checked_at"`
	LaunchWeek    bool                 `json:"launch_week"`
	Ready         bool                 `json:"ready"`
	Summary       map[string]int       `json:"summary"`
	Checks        []readinessCheckDoc  `json:"checks"`
	Unready       []readinessPersonDoc `json:"unready"`
}

type readinessCheckDoc struct {
	Rule     string               `json:"rule"`
	Title    string               `json:"title"`
	Status   string               `json:"status"`
	Severity string               `json:"severity"`
	Message  string               `json:"message"`
	Hint     string               `json:"hint"`
	Details  []readinessDetailDoc `json:"details"`
}

type readinessDetailDoc struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Text   string `json:"text"`
}

type readinessPersonDoc struct {
	Email string `json:"email"`
	Why   string `json:"why"`
}

// ReadinessJSON writes the checklist as a stable JSON document
// (format_version "1").
func ReadinessJSON(w io.Writer, r *readiness.Report) error {
	doc := readinessDoc{
		FormatVersion: "1",
		Workspace:     r.Workspace,
		CheckedAt:     r.Now.UTC().Format(time.RFC3339),
		LaunchWeek:    r.InLaunchWeek,
		Ready:         r.Ready(),
		Summary:       map[string]int{},
		Checks:        []readinessCheckDoc{},
		Unready:       []readinessPersonDoc{},
	}
	if r.Launch != nil {
		s := r.Launch.String()
		doc.Launch = &s
	}
	for s, n := range r.Counts() {
		doc.Summary[string(s)] = n
	}
	for _, c := range r.Checks {
		cd := readinessCheckDoc{Rule: c.Rule, Title: c.Title, Status: string(c.Status), Severity: string(c.Severity),
			Message: c.Message, Hint: c.Hint, Details: []readinessDetailDoc{}}
		for _, d := range c.Details {
			cd.Details = append(cd.Details, readinessDetailDoc{File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col, Text: d.Text})
		}
		doc.Checks = append(doc.Checks, cd)
	}
	for _, key := range sortedKeys(r.Unready) {
		doc.Unready = append(doc.Unready, readinessPersonDoc{Email: key, Why: r.Unready[key]})
	}
	enc := safejson.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// ReadinessMarkerPrefix is the hidden first line of a Markdown readiness
// report, for a sticky comment.
const ReadinessMarkerPrefix = "<!-- teamctl-readiness: "

// ReadinessMarkdown writes the checklist for a pull request or a job
// summary: the verdict and a table of the checks in view, the evidence and,
// when team is not nil, who owns what (people who cannot act yet in red)
// folded below.
func ReadinessMarkdown(w io.Writer, r *readiness.Report, team *schema.Team) error {
	icon := map[readiness.Status]string{
		readiness.Pass: "✅ pass", readiness.Fail: "❌ fail", readiness.Warn: "⚠️ warn", readiness.Unknown: "❔ unknown", readiness.Off: "➖ off", readiness.NA: "➖ n/a",
	}
	rep := &mdReport{head: []string{
		ReadinessMarkerPrefix + markerText(r.Workspace) + " -->",
		"### teamctl readiness: " + mdText(r.Workspace),
		"",
		"**" + verdict(r) + "**" + launchSentence(r),
		"",
		"| | check | result | what to do |",
		"| --- | --- | --- | --- |",
	}}
	var folded []string
	for _, c := range r.Checks {
		text := c.Message
		if c.Status == readiness.Pass {
			text = c.Title
		}
		rep.head = append(rep.head, fmt.Sprintf("| %s | `%s` | %s | %s |", icon[c.Status], c.Rule, mdText(text), mdText(c.Hint)))
		if len(c.Details) == 0 || c.Status == readiness.Pass {
			continue
		}
		var lines []string
		for _, d := range c.Details {
			lines = append(lines, "- "+mdText(detailText(d)))
		}
		rep.sections = append(rep.sections, mdSection{title: fmt.Sprintf("**`%s`** %s", c.Rule, mdText(c.Title)), lines: lines, unit: c.Rule + " details"})
		folded = append(folded, c.Rule)
	}
	if team != nil {
		rep.sections = append(rep.sections, mermaidSection(team, r.Unready))
		folded = append(folded, "who owns what")
	}
	rep.fold = "Details: " + strings.Join(folded, ", ")
	_, err := io.WriteString(w, rep.String(MaxCommentSize))
	return err
}

func launchSentence(r *readiness.Report) string {
	if when := launchWhen(r); when != "" {
		return " Launch " + when + "."
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

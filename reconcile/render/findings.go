// Package render turns findings and plans into text for people, JSON for
// programs, Markdown for pull requests and annotations for GitHub Actions.
// Renderers only format: what to say is decided before they are called.
package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
)

// Options are the choices a caller makes for human output.
type Options struct {
	Color bool // ANSI colour; the caller decides (a terminal, no NO_COLOR)
	// AllPending lists every pending invite of a plan, however many.
	AllPending bool
}

// ansiDim styles hints; the other ANSI codes are in plan_text.go.
const ansiDim = "\x1b[2m"

func (o Options) paint(style, s string) string { return painter(o.Color).paint(style, s) }

// FindingsText writes findings for people, one per line with its hint
// below (each hint once), and a summary line:
//
//	team.yaml:15:10: error: backup admin olivia@acme.io is declared as operator, not as admin [backup-admin]
//	    hint: declare a second admin and name them under `backups: {admin: EMAIL}`
//	1 error, 0 warnings.
func FindingsText(w io.Writer, fs []schema.Finding, opts Options) error {
	var b strings.Builder
	hinted := map[string]bool{} // each hint once: the first finding of a kind explains the rest
	for _, f := range fs {
		sev := string(f.Severity)
		switch f.Severity {
		case schema.Error:
			sev = opts.paint(ansiBold+ansiRed, sev)
		case schema.Warning:
			sev = opts.paint(ansiBold+ansiYellow, sev)
		}
		fmt.Fprintf(&b, "%s: %s: %s [%s]\n", opts.paint(ansiBold, field(f.Pos.String())), sev, field(f.Message), field(f.Rule))
		if f.Hint != "" && !hinted[f.Hint] {
			hinted[f.Hint] = true
			fmt.Fprintf(&b, "    %s\n", opts.paint(ansiDim, "hint: "+field(f.Hint)))
		}
	}
	errs, warns := tally(fs)
	if errs+warns == 0 {
		b.WriteString("No findings: the team passes every offline rule.\n")
	} else {
		fmt.Fprintf(&b, "%s, %s.\n", plural(errs, "error"), plural(warns, "warning"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// FormatVersion is the version of the JSON documents (SPEC §6).
const FormatVersion = "1"

// Finding is the JSON shape of a finding, shared by every document that
// lists findings (validate, plan).
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
}

// JSONFindings converts findings to their JSON shape (validate, plan); never nil, so that a
// document shows "findings": [] rather than null.
func JSONFindings(fs []schema.Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, Finding{
			Rule: f.Rule, Severity: string(f.Severity),
			File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Col,
			Message: f.Message, Hint: f.Hint,
		})
	}
	return out
}

// ValidateDocument is the JSON document of `teamctl validate -o json`.
type ValidateDocument struct {
	FormatVersion string    `json:"format_version"`
	Valid         bool      `json:"valid"` // no error findings
	Findings      []Finding `json:"findings"`
}

// FindingsJSON writes the validate document (SPEC §6) for findings.
func FindingsJSON(w io.Writer, fs []schema.Finding) error {
	errs, _ := tally(fs)
	doc := ValidateDocument{FormatVersion: FormatVersion, Valid: errs == 0, Findings: JSONFindings(fs)}
	enc := safejson.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// FindingsGitHub writes findings as GitHub Actions workflow commands, which
// the runner shows as annotations on the lines of the pull request:
//
//	::error file=team.yaml,line=15,col=10,title=backup-admin::backup admin ...
func FindingsGitHub(w io.Writer, fs []schema.Finding) error {
	var b strings.Builder
	for _, f := range fs {
		cmd := "warning"
		if f.Severity == schema.Error {
			cmd = "error"
		}
		props := []string{"file=" + escapeProperty(f.Pos.File)}
		if f.Pos.Line > 0 {
			props = append(props, "line="+strconv.Itoa(f.Pos.Line))
		}
		if f.Pos.Col > 0 {
			props = append(props, "col="+strconv.Itoa(f.Pos.Col))
		}
		props = append(props, "title="+escapeProperty(f.Rule))
		msg := f.Message
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message the way GitHub's
// actions/toolkit does (command.ts, escapeData).
func escapeData(s string) string {
	return field(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// escapeProperty escapes a workflow command's property value the way
// actions/toolkit does (command.ts, escapeProperty).
func escapeProperty(s string) string {
	return field(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}

// tally returns the number of error and of warning findings.
func tally(fs []schema.Finding) (errs, warns int) {
	for _, f := range fs {
		switch f.Severity {
		case schema.Error:
			errs++
		case schema.Warning:
			warns++
		}
	}
	return errs, warns
}

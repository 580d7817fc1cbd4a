package render

import (
	"bytes"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/safejson"
)

// JournalText writes journal records for people, oldest first, as the
// journal holds them: a heading for each apply (who ran it, where), then a
// line for each change it made, the columns aligned as every other table:
//
//	Apply 3f9c0b7a1d2e4f60 by dana@acme.io (dana@ci-7) on acme (file:.teamctl/workspace.json):
//	  2026-11-26 09:30:01Z  ana@acme.io  change-role operator -> admin  applied
//
// The journal is a file anyone with access can edit, so every field is
// escaped before it reaches the terminal.
func JournalText(w io.Writer, recs []journal.Record) error {
	type group struct {
		heading string
		rows    [][]string
	}
	var groups []group
	for _, r := range recs {
		change := r.Action
		switch {
		case r.RoleBefore != "" && r.RoleAfter != "":
			change += " " + r.RoleBefore + " -> " + r.RoleAfter
		case r.RoleAfter != "":
			change += " as " + r.RoleAfter
		case r.RoleBefore != "":
			change += " " + r.RoleBefore
		}
		if r.EmailBefore != "" {
			change += " from " + r.EmailBefore
		}
		result := r.Result
		if result == journal.Started {
			result = "in flight when the apply ended, outcome unknown"
		}
		if r.Error != "" {
			result += ": " + r.Error
		}
		who := r.Actor
		if who == "" {
			who = "unknown actor"
		}
		if r.User != "" || r.Host != "" {
			who += " (" + r.User + "@" + r.Host + ")"
		}
		where := r.Workspace
		if r.WorkspaceURL != "" {
			where += " (" + r.WorkspaceURL + ")"
		}
		heading := "Apply " + field(r.Apply) + " by " + field(who) + " on " + field(where) + ":"
		if len(groups) == 0 || groups[len(groups)-1].heading != heading {
			groups = append(groups, group{heading: heading})
		}
		g := &groups[len(groups)-1]
		g.rows = append(g.rows, []string{
			r.Time.UTC().Format(time.DateOnly + " " + time.TimeOnly + "Z07:00"),
			field(r.Email), field(change), field(result),
		})
	}
	var widths []int
	for _, g := range groups {
		for _, row := range g.rows {
			for i, c := range row {
				if i == len(widths) {
					widths = append(widths, 0)
				}
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	for n, g := range groups {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(g.heading + "\n")
		for _, row := range g.rows {
			line := make([]byte, 0, 120)
			line = append(line, "  "...)
			for i, c := range row {
				if i > 0 {
					line = append(line, "  "...)
				}
				line = appendPadded(line, c, widths[i])
			}
			b.Write(bytes.TrimRight(line, " "))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JournalJSON writes records as JSON lines, one document a line, as the
// journal keeps them.
func JournalJSON(w io.Writer, recs []journal.Record) error {
	var b bytes.Buffer
	enc := safejson.NewEncoder(&b)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/edit"
)

// ExpireOptions are the inputs of teamctl expire.
type ExpireOptions struct {
	App    *App
	Global *GlobalOptions
	Write  bool // take the people out of the team file, not only list them
}

func newCmdExpire(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ExpireOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "expire [--write]",
		Short: "Take the people whose until has passed out of the team file",
		Long: `Expire lists the people whose until (the last day of their access) has
passed, and with --write takes them out of the team file or directory,
changing their lines and nothing else (comments and layout stay). The edited
file goes through review like any other change: teamctl never removes anyone
from the workspace on its own, the apply of the merged file does.

Someone who owns or backs up a workflow, or is the backup admin, is not
taken out: expire names what they cover and leaves them in the file, and
exits 1, so that a person picks who takes over first.

Exit status: 0 when everyone whose access ended was taken out (or would be,
without --write) or nobody's has; 1 when someone was left in, or on error.`,
		Example: `  teamctl expire             # who would be taken out
  teamctl expire --write     # take them out of the team file`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExpire(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON)
	cmd.Flags().BoolVar(&opts.Write, "write", false, "take the people whose until has passed out of the team file")
	return cmd
}

// expired is a person whose until has passed.
type expired struct {
	expiry schema.Expiry
	// covers names what the person covers (workflows they own or back
	// up, the backup admin): they are left in the file.
	covers []string
}

func runExpire(_ context.Context, opts *ExpireOptions) error {
	app, g := opts.App, opts.Global
	g.findings = newFindingsView(g.Output, app.IO.Out, g.Color(app))
	team, err := readTeamForPlan(app, g)
	if err != nil {
		return err
	}
	today := schema.Today(app.Now())
	var out []expired
	var takeOut []string
	for _, e := range schema.Expiries(team, today) {
		if !e.Passed() {
			continue
		}
		x := expired{expiry: e, covers: covers(team, e.Person.Key())}
		if len(x.covers) == 0 {
			takeOut = append(takeOut, e.Person.Key())
		}
		out = append(out, x)
	}
	var written []string
	if opts.Write && len(takeOut) > 0 {
		files, err := edit.Open(team.Files)
		if err != nil {
			return fmt.Errorf("expire: %w", err)
		}
		if err := files.Remove(takeOut); err != nil {
			return fmt.Errorf("expire: %w", err)
		}
		if err := files.Write(); err != nil {
			return fmt.Errorf("expire: %w", err)
		}
		for _, d := range files.Changed() {
			written = append(written, d.Path)
		}
	}
	if g.Output == FormatJSON {
		err = expireJSON(app.IO.Out, out, today, opts.Write)
	} else {
		err = expireText(app.IO.Out, out, opts.Write, written)
	}
	if err != nil {
		return err
	}
	if len(takeOut) < len(out) {
		return silentExit(exitError)
	}
	return nil
}

// covers names what the person with identity key covers: the workflows
// they own or back up, and the backup admin.
func covers(team *schema.Team, key string) []string {
	var out []string
	for _, r := range team.BackupAdmins {
		if r.Key() == key {
			out = append(out, "is the backup admin")
			break
		}
	}
	for _, w := range team.Workflows {
		switch {
		case w.Owner != nil && w.Owner.Key() == key:
			out = append(out, fmt.Sprintf("owns workflow %q", w.Name))
		case slices.ContainsFunc(w.Backups, func(r schema.Ref) bool { return r.Key() == key }):
			out = append(out, fmt.Sprintf("backs up workflow %q", w.Name))
		}
	}
	return out
}

func expireText(w io.Writer, out []expired, write bool, written []string) error {
	var b strings.Builder
	if len(out) == 0 {
		b.WriteString("Nobody's access has ended: nothing to take out of the team file.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	verb := "Would take out"
	if write {
		verb = "Took out"
	}
	var kept int
	for _, x := range out {
		p := x.expiry.Person
		what := fmt.Sprintf("%s (%s, until %s, %s)", p.Email, p.Role, p.Until, p.Pos)
		if len(x.covers) > 0 {
			kept++
			fmt.Fprintf(&b, "Left in: %s: %s; name who takes over, then take them out\n", render.Printable(what), render.Printable(strings.Join(x.covers, ", ")))
			continue
		}
		fmt.Fprintf(&b, "%s: %s\n", verb, render.Printable(what))
	}
	for _, path := range written {
		fmt.Fprintf(&b, "Wrote %s.\n", render.Printable(path))
	}
	switch taken := len(out) - kept; {
	case !write && taken > 0:
		fmt.Fprintf(&b, "Run teamctl expire --write to take %s out of the team file.\n", countPeople(taken))
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
	Email  string   `json:"email"`
	Role   string   `json:"role"`
	Until  string   `json:"until"`
	File   string   `json:"file"`
	Line   int      `json:"line"`
	Out    bool     `json:"taken_out"` // taken out (or would be, without --write)
	Covers []string `json:"left_in_because"`
}

func expireJSON(w io.Writer, out []expired, today schema.Date, write bool) error {
	doc := expireDoc{FormatVersion: "1", Date: today.String(), Write: write, Expired: []expiredPerson{}}
	for _, x := range out {
		p := x.expiry.Person
		doc.Expired = append(doc.Expired, expiredPerson{Email: p.Email, Role: string(p.Role), Until: p.Until.String(),
			File: p.Pos.File, Line: p.Pos.Line, Out: len(x.covers) == 0, Covers: append([]string{}, x.covers...)})
	}
	enc := safejson.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

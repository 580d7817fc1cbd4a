package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/codeowners"
)

// loadTeam loads the team at path and checks it against the offline rules
// on the day of now.
// A team that does not match the format comes back nil, with its problems
// as schema findings. An error is an I/O problem, said in one line that
// names the path tried and how to pass another.
func loadTeam(path string, now time.Time) (*schema.Team, []schema.Finding, error) {
	team, findings, err := readTeam(path)
	if team == nil || err != nil {
		return team, findings, err
	}
	return team, checkTeam(team, now), nil
}

// readTeam is loadTeam without the offline rules: findings are the
// problems of a team that does not load.
func readTeam(path string) (*schema.Team, []schema.Finding, error) {
	team, err := schema.Load(path)
	var ds schema.Diagnostics
	switch {
	case errors.As(err, &ds):
		return nil, ds.Findings(), nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("no team file at %s; pass the file or directory with -f PATH", path)
	case err != nil:
		return nil, nil, err
	}
	return team, nil, nil
}

// checkTeam checks a loaded team against the offline rules on the day of
// now (rule access-expiry).
func checkTeam(team *schema.Team, now time.Time) []schema.Finding {
	// codeowners reads the repository around the team, so it runs here
	// rather than in schema.Validate, which sees the team alone.
	findings := append(schema.Validate(team, now), codeowners.Check(team)...)
	schema.SortFindings(findings)
	return findings
}

// noteSkipped says, on stderr, which entries of a team directory were not
// read and which files were: people in a subdirectory or in a .txt file are
// not part of the team, and with policy.prune a plan would remove them.
func noteSkipped(w io.Writer, path string, team *schema.Team) {
	if team == nil || len(team.Skipped) == 0 {
		return
	}
	read := make([]string, len(team.Files))
	for i, f := range team.Files {
		read[i] = filepath.Base(f)
	}
	fmt.Fprintf(w, "Note: team directory %s: read %s; skipped %s (teamctl reads only the *.yaml and *.yml files directly in it).\n",
		path, strings.Join(read, ", "), strings.Join(team.Skipped, ", "))
}

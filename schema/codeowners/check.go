package codeowners

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/teamctl/teamctl/schema"
)

// Check returns the findings of rule codeowners (a warning unless
// policy.rules says otherwise): for a directory team with approvers inside
// a git repository, each team file must be owned in the repository's
// CODEOWNERS by the approvers of the role it declares. Single-file teams,
// teams without approvers, and teams in a repository without CODEOWNERS
// have nothing to check.
func Check(team *schema.Team) []schema.Finding {
	sev := team.Policy.Severity(Rule, schema.Warning)
	if sev == schema.Off || len(team.Files) < 2 || team.Approvers == nil {
		return nil
	}
	root, ok := Root(filepath.Dir(team.Files[0]))
	if !ok {
		return nil
	}
	finding := func(pos schema.Pos, msg, hint string) schema.Finding {
		return schema.Finding{Rule: Rule, Severity: sev, Pos: pos, Message: msg, Hint: hint}
	}
	const regen = "run `teamctl codeowners` and put its lines in CODEOWNERS"

	want, err := Entries(team, root)
	if err != nil {
		return []schema.Finding{finding(team.Approvers.Pos,
			"approvers cannot be written as CODEOWNERS: "+strings.TrimPrefix(err.Error(), "codeowners: "),
			"keep one role per file and name approvers for each")}
	}
	file, err := Find(root)
	if err != nil {
		return []schema.Finding{finding(team.Approvers.Pos, "cannot read CODEOWNERS: "+err.Error(), "make the file readable")}
	}
	if file == nil {
		return nil // a repository without CODEOWNERS has nothing to disagree
	}

	var out []schema.Finding
	for _, e := range want {
		have, ok := file.Match(e.Path)
		role := "approvers." + string(orAdmin(e.Role)) + "s"
		if !ok {
			out = append(out, finding(schema.Pos{File: file.Path},
				fmt.Sprintf("CODEOWNERS gives %s no owner; %s names %s", e.Path, role, strings.Join(e.Owners, " ")), regen))
			continue
		}
		if !sameOwners(have.Owners, e.Owners) {
			owners := "nobody"
			if len(have.Owners) > 0 {
				owners = strings.Join(have.Owners, " ")
			}
			out = append(out, finding(schema.Pos{File: file.Path, Line: have.Line},
				fmt.Sprintf("CODEOWNERS makes %s owner of %s (pattern %s); %s names %s", owners, e.Path, have.Pattern, role, strings.Join(e.Owners, " ")), regen))
		}
	}
	return out
}

func orAdmin(r schema.Role) schema.Role {
	if r == "" {
		return schema.Admin
	}
	return r
}

// sameOwners compares owners as sets, ignoring case as GitHub does.
func sameOwners(a, b []string) bool {
	norm := func(s []string) []string {
		out := make([]string, len(s))
		for i, o := range s {
			out[i] = strings.ToLower(o)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

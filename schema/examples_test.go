package schema

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The examples directory: the valid teams and the common mistakes.
const examplesDir = "../examples"

func TestExamplesValid(t *testing.T) {
	for _, path := range []string{"team.yaml", "team.d"} {
		t.Run(path, func(t *testing.T) {
			team, err := Load(filepath.Join(examplesDir, path))
			if err != nil {
				t.Fatalf("Load() error:\n%v", err)
			}
			// The examples carry no reviewed: dates, which a clock would
			// age: their admins' first access review is due, and nothing
			// else is found.
			for _, f := range Validate(team, testNow) {
				if f.Rule != RuleAccessReview || f.Severity != Warning || !strings.Contains(f.Message, "never reviewed") {
					t.Errorf("Validate() finding %s %s: %s, want none but the first access reviews", f.Rule, f.Severity, f.Message)
				}
			}
		})
	}
}

// TestExamplesSameTeam checks that the directory team is team.yaml split by
// owner: the same people in the same roles.
func TestExamplesSameTeam(t *testing.T) {
	roles := func(path string) []string {
		team, err := Load(filepath.Join(examplesDir, path))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range team.People {
			out = append(out, p.Key()+" "+string(p.Role))
		}
		slices.Sort(out)
		return out
	}
	if d := cmp.Diff(roles("team.yaml"), roles("team.d")); d != "" {
		t.Errorf("team.d differs from team.yaml (-team.yaml +team.d):\n%s", d)
	}
}

// TestExamplesInvalid loads each file of examples/invalid and checks that
// the rules with error findings are those its "# want:" line names.
func TestExamplesInvalid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "invalid", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid examples: %v", err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			want := wantRules(t, name)
			team, err := Load(name)
			var ds Diagnostics
			switch {
			case errors.As(err, &ds):
				if d := cmp.Diff(want, []string{"schema"}); d != "" {
					t.Errorf("Load() failed, but the file does not want schema (-want +got):\n%s\n%v", d, err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			var got []string
			for _, f := range Validate(team, testNow) {
				if f.Severity == Error && !slices.Contains(got, f.Rule) {
					got = append(got, f.Rule)
				}
			}
			slices.Sort(got)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("rules with errors mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// wantRules reads the rule ids of the "# want: a, b" comment of a file.
func wantRules(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "# want:"); ok {
			var ids []string
			for _, id := range strings.Split(rest, ",") {
				ids = append(ids, strings.TrimSpace(id))
			}
			slices.Sort(ids)
			return ids
		}
	}
	t.Fatalf("%s has no `# want: RULE, ...` line", name)
	return nil
}

// TestHelpTeamFile keeps the team-file help topic's sketch of the format
// loadable: it may break rules (it is short), but not the format.
func TestHelpTeamFile(t *testing.T) {
	const path = "../cmd/teamctl/help/team-file.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## Format")
	_, rest, ok2 := strings.Cut(rest, "```yaml\n")
	snippet, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatalf("%s has no ```yaml block under \"## Format\"", path)
	}
	writeFiles(t, map[string]string{"team.yaml": snippet})
	if _, err := Load("team.yaml"); err != nil {
		t.Errorf("the team file of %s does not load:\n%v", path, err)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/schema"

	"github.com/google/go-cmp/cmp"
)

// TestInitWorkflowIsTheExample: init --github writes, for a directory team
// at team/, exactly examples/github/teamctl.yml, which actionlint and
// TestWorkflowsUseTheAction check. So the two cannot drift apart.
func TestInitWorkflowIsTheExample(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "examples", "github", "teamctl.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := githubWorkflow(&got, "team", true, "main"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), got.String()); d != "" {
		t.Errorf("githubWorkflow(team) and examples/github/teamctl.yml differ (-example +init):\n%s", d)
	}
}

// TestInitTemplate: the template itself loads (validate then lists what is
// missing), and its commented examples, uncommented, make a team that
// passes every rule: the template teaches a working file.
func TestInitTemplate(t *testing.T) {
	var b bytes.Buffer
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	if err := teamTemplate(&b, "", schema.Today(now)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	path := filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if team, fs, err := loadTeam(path, now); err != nil || team == nil {
		t.Fatalf("the template does not load: %v %v", err, fs)
	}

	// Uncomment YAML lines (a key, a list item, an indented line); prose
	// comments start with a capital or are not YAML.
	yamlLine := regexp.MustCompile(`^# ( *[a-z_]+:| *- | {2,}\S)`)
	var filled []string
	for _, line := range strings.Split(b.String(), "\n") {
		if yamlLine.MatchString(line) {
			line = strings.TrimPrefix(line, "# ")
		}
		filled = append(filled, line)
	}
	path = filepath.Join(dir, "filled.yaml")
	if err := os.WriteFile(path, []byte(strings.Join(filled, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	team, fs, err := loadTeam(path, now)
	if err != nil || team == nil {
		t.Fatalf("the filled-in template does not load: %v %v", err, fs)
	}
	if len(fs) > 0 {
		t.Errorf("the filled-in template has findings:\n%v\n%s", fs, strings.Join(filled, "\n"))
	}
}

func TestYAMLString(t *testing.T) {
	for in, want := range map[string]string{
		"team":          "team",
		"team/a.yaml":   "team/a.yaml",
		"acme-outbound": "acme-outbound",
		"123":           `"123"`,
		"true":          `"true"`,
		"null":          `"null"`,
		"my team":       `"my team"`,
		`a"b`:           `"a\"b"`,
		"a: b":          `"a: b"`,
	} {
		if got := yamlString(in); got != want {
			t.Errorf("yamlString(%q) = %s, want %s", in, got, want)
		}
	}
}

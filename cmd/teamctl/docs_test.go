package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// userDocs are the documents users read: the README and the help topics.
func userDocs(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob("help/*.md")
	if err != nil {
		t.Fatal(err)
	}
	return append(docs, filepath.Join("..", "..", "README.md"))
}

// TestUserDocsSpeakToUsers keeps the README and the help topics free of
// what means nothing to a user: issue numbers, sections of the
// specification, the names of tests and test scripts.
func TestUserDocsSpeakToUsers(t *testing.T) {
	banned := []struct {
		re   *regexp.Regexp
		what string
	}{
		{regexp.MustCompile(`(?i)\bissues? \d+`), "an issue number"},
		{regexp.MustCompile(`(^|[\s(])#\d+\b`), "an issue number"},
		{regexp.MustCompile(`\bSPEC\b|§`), "a section of the specification"},
		{regexp.MustCompile(`\bTest[A-Z]\w*`), "a test's name"},
		{regexp.MustCompile(`\.txtar\b`), "a test script"},
		{regexp.MustCompile(`_test\.go\b`), "a test file"},
	}
	for _, doc := range userDocs(t) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(text), "\n") {
			for _, b := range banned {
				if m := b.re.FindString(line); m != "" {
					t.Errorf("%s:%d: %q names %s, which means nothing to a user: say what it means instead", doc, i+1, strings.TrimSpace(m), b.what)
				}
			}
		}
	}
}

func TestBannedPatternsCatch(t *testing.T) {
	// The patterns above, on lines that must and must not match, so that
	// the test can fail.
	issue := regexp.MustCompile(`(^|[\s(])#\d+\b`)
	for line, want := range map[string]bool{
		"fixed in #12":              true,
		"(#7)":                      true,
		"see [x](journal.md#where)": false,
		"color: #fff":               false,
		"`teamctl help` lists them": false,
	} {
		if got := issue.MatchString(line); got != want {
			t.Errorf("issue pattern on %q = %v, want %v", line, got, want)
		}
	}
}

// tableRows returns the rows of the markdown table between the marker
// lines "<!-- NAME: ... -->" and "<!-- end NAME -->" of a document, each
// row's cells trimmed, the header and the rule left out.
func tableRows(t *testing.T, doc, name string) [][]string {
	t.Helper()
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- "+name+":")
	table, _, ok2 := strings.Cut(rest, "<!-- end "+name+" -->")
	if !ok || !ok2 {
		t.Fatalf("%s: no <!-- %s: ... --> ... <!-- end %s --> table", doc, name, name)
	}
	var rows [][]string
	for i, line := range strings.Split(table, "\n") {
		if i < 3 || !strings.HasPrefix(line, "|") { // the marker's end, the header, the rule
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	return rows
}

// actionFile is the part of action.yml the documentation describes.
type actionFile struct {
	Inputs  yaml.Node `yaml:"inputs"`
	Outputs yaml.Node `yaml:"outputs"`
}

// keys returns a mapping node's keys in order.
func keys(n yaml.Node) []string {
	var ks []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		ks = append(ks, n.Content[i].Value)
	}
	return ks
}

// TestHelpActionTables checks the github topic's tables of the action's
// inputs and outputs against action.yml: every one, in its order, and no
// other.
func TestHelpActionTables(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	for _, tc := range []struct {
		table string
		want  []string
	}{
		{"action inputs", keys(a.Inputs)},
		{"action outputs", keys(a.Outputs)},
	} {
		var got []string
		for _, row := range tableRows(t, "help/github.md", tc.table) {
			got = append(got, strings.Trim(row[0], "`"))
		}
		if len(tc.want) == 0 {
			t.Fatalf("action.yml has no %s", tc.table)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("help/github.md: the table of %s does not match action.yml (-want +got):\n%s", tc.table, d)
		}
	}
}

// TestHelpExitCodes checks the exit-codes topic against the code: its
// columns are the codes root.go defines, it has a row for every command
// help lists, and only the commands that can exit with exitChanges say
// what 2 means.
func TestHelpExitCodes(t *testing.T) {
	const doc = "help/exit-codes.md"
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	header := fmt.Sprintf("| command | %d | %d | %d |", exitOK, exitError, exitChanges)
	if !strings.Contains(string(data), header+"\n") {
		t.Errorf("%s: want the table header %q, the codes of root.go", doc, header)
	}
	rows := tableRows(t, doc, "exit codes")
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	root.InitDefaultHelpCmd() // as Execute does
	var want, got []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			want = append(want, c.Name())
		}
	}
	slices.Sort(want)
	for _, row := range rows {
		name := strings.Trim(row[0], "`")
		got = append(got, name)
		if len(row) != 4 {
			t.Errorf("%s: the row of %s has %d cells, want 4", doc, name, len(row))
			continue
		}
		// A command exits 2 only where its source returns exitChanges.
		src, err := os.ReadFile(name + ".go")
		changes := err == nil && strings.Contains(string(src), "exitChanges")
		if says := row[3] != ""; says != changes {
			t.Errorf("%s: %s says %q for exit 2, but %s.go returns exitChanges: %v", doc, name, row[3], name, changes)
		}
	}
	slices.Sort(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s: the rows do not match the commands (-want +got):\n%s", doc, d)
	}
}

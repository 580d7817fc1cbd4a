package schema

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's rule table from the registry")

// The README's rule table lies between these lines; TestREADMERuleTable
// checks it against the registry, and -update rewrites it.
const (
	ruleTableBegin = "<!-- rule table: made from schema.Rules; go test ./schema -run TestREADMERuleTable -update -->"
	ruleTableEnd   = "<!-- end of rule table -->"
)

// ruleTableHeader is the head of the README's rule table.
const ruleTableHeader = "| id | default | checks | holds when | the guide says |\n|---|---|---|---|---|\n"

// ruleRow is a rule's row in the README's rule table.
func ruleRow(r Rule) string {
	needs := "the file"
	if r.Live {
		needs = "the workspace"
	}
	seed := "—"
	if r.Seed != "" {
		seed = "“" + r.Seed + "”"
	}
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	return fmt.Sprintf("| `%s` | %s | %s | %s | %s |", r.ID, r.Severity, needs, cell(r.Holds), cell(seed))
}

func TestREADMERuleTable(t *testing.T) {
	const path = "../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := bytes.Cut(readme, []byte(ruleTableBegin+"\n"))
	if !ok {
		t.Fatalf("README.md lacks the line %s", ruleTableBegin)
	}
	table, _, ok := bytes.Cut(rest, []byte(ruleTableEnd))
	if !ok {
		t.Fatalf("README.md lacks the line %s after the rule table", ruleTableEnd)
	}

	var want strings.Builder
	want.WriteString(ruleTableHeader)
	for _, r := range Rules() {
		want.WriteString(ruleRow(r) + "\n")
	}
	if *update {
		head := len(readme) - len(rest)
		out := append([]byte(nil), readme[:head]...)
		out = append(out, want.String()...)
		out = append(out, rest[len(table):]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}

	got := map[string]string{} // rule id → row
	var order []string
	for line := range strings.SplitSeq(strings.TrimPrefix(string(table), ruleTableHeader), "\n") {
		if line == "" {
			continue
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "`")
		got[id] = line
		order = append(order, id)
	}
	var wantOrder []string
	for _, r := range Rules() {
		wantOrder = append(wantOrder, r.ID)
		row, ok := got[r.ID]
		switch {
		case !ok:
			t.Errorf("README rule table has no row for rule %s; want\n%s", r.ID, ruleRow(r))
		case row != ruleRow(r):
			t.Errorf("README rule table row of %s is wrong:\n got %s\nwant %s", r.ID, row, ruleRow(r))
		}
		delete(got, r.ID)
	}
	for id, row := range got {
		t.Errorf("README rule table has a row for %q, which is no registered rule: %s", id, row)
	}
	if !strings.HasPrefix(string(table), ruleTableHeader) {
		t.Errorf("README rule table header is wrong; want\n%s", ruleTableHeader)
	}
	if t.Failed() {
		t.Log("run go test ./schema -run TestREADMERuleTable -update to rewrite the table")
	} else if strings.Join(order, " ") != strings.Join(wantOrder, " ") {
		t.Errorf("README rule table order = %v, want the registry's %v", order, wantOrder)
	}
}

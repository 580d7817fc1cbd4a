package schema

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the rule table of the rules help topic from the registry")

// rulesTopic is the help topic with the rule table, which lies between
// these lines; TestHelpRuleTable checks it against the registry, and
// -update rewrites it.
const (
	rulesTopic     = "../cmd/teamctl/help/rules.md"
	ruleTableBegin = "<!-- rule table: generated from the rule registry; a test checks it -->"
	ruleTableEnd   = "<!-- end of rule table -->"
)

// ruleTableHeader is the head of the rule table.
const ruleTableHeader = "| id | default | checks | holds when | the guide says |\n|---|---|---|---|---|\n"

// ruleRow is a rule's row in the rule table.
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

func TestHelpRuleTable(t *testing.T) {
	const path = rulesTopic
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := bytes.Cut(doc, []byte(ruleTableBegin+"\n"))
	if !ok {
		t.Fatalf("%s lacks the line %s", path, ruleTableBegin)
	}
	table, _, ok := bytes.Cut(rest, []byte(ruleTableEnd))
	if !ok {
		t.Fatalf("%s lacks the line %s after the rule table", path, ruleTableEnd)
	}

	var want strings.Builder
	want.WriteString(ruleTableHeader)
	for _, r := range Rules() {
		want.WriteString(ruleRow(r) + "\n")
	}
	if *update {
		head := len(doc) - len(rest)
		out := append([]byte(nil), doc[:head]...)
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
			t.Errorf("the rule table has no row for rule %s; want\n%s", r.ID, ruleRow(r))
		case row != ruleRow(r):
			t.Errorf("the rule table row of %s is wrong:\n got %s\nwant %s", r.ID, row, ruleRow(r))
		}
		delete(got, r.ID)
	}
	for id, row := range got {
		t.Errorf("the rule table has a row for %q, which is no registered rule: %s", id, row)
	}
	if !strings.HasPrefix(string(table), ruleTableHeader) {
		t.Errorf("the rule table header is wrong; want\n%s", ruleTableHeader)
	}
	if t.Failed() {
		t.Log("run go test ./schema -run TestHelpRuleTable -update to rewrite the table")
	} else if strings.Join(order, " ") != strings.Join(wantOrder, " ") {
		t.Errorf("the rule table order = %v, want the registry's %v", order, wantOrder)
	}
}

package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHelpFormats checks the output help topic's table of formats against
// the commands' own -o flags (addFormatFlag), the one registry.
func TestHelpFormats(t *testing.T) {
	data, err := os.ReadFile("help/output.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- formats:")
	table, _, ok2 := strings.Cut(rest, "<!-- end formats -->")
	if !ok || !ok2 {
		t.Fatal("help/output.md: no <!-- formats: ... --> ... <!-- end formats --> table")
	}
	var got []string
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "| `") {
			got = append(got, line)
		}
	}
	var want []string
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	for _, name := range []string{"validate", "plan", "apply", "show", "diff", "export", "readiness", "review", "expire", "journal", "version"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		var fs []string
		for _, f := range commandFormats(cmd) {
			fs = append(fs, fmt.Sprintf("`%s`", f))
		}
		want = append(want, fmt.Sprintf("| `%s` | %s |", name, strings.Join(fs, ", ")))
	}
	// Every other command has no -o.
	for _, cmd := range root.Commands() {
		if n := len(commandFormats(cmd)); n > 0 && !strings.Contains(table, "| `"+cmd.Name()+"` |") {
			t.Errorf("command %s has %d formats but no row in help/output.md", cmd.Name(), n)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("help/output.md formats table mismatch (-want +got):\n%s", d)
	}
}

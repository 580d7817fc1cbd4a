package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestManPages checks that teamctl man writes a page for the root, for
// every command help lists, and for every help topic, and nothing else.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	n, err := writeManPages(root, dir, day)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"teamctl.1"}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			want = append(want, "teamctl-"+c.Name()+".1")
		}
	}
	topics, err := helpTopics()
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range topics {
		want = append(want, "teamctl-"+tp.Name+".7")
	}
	slices.Sort(want)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("manual pages (-want +got):\n%s", d)
	}
	if n != len(got) {
		t.Errorf("writeManPages says %d pages, wrote %d", n, len(got))
	}
	page, err := os.ReadFile(filepath.Join(dir, "teamctl-saved-plans.7"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`.TH TEAMCTL-SAVED-PLANS 7 "Dec 2026" "teamctl" "teamctl manual"`,
		".SH NAME\nteamctl-saved-plans \\- ",
		"(teamctl-output(7))", // a link to another topic names its page
	} {
		if !strings.Contains(string(page), s) {
			t.Errorf("teamctl-saved-plans.7 lacks %q:\n%s", s, page)
		}
	}
	if strings.Contains(string(page), "](") {
		t.Errorf("teamctl-saved-plans.7 holds a markdown link:\n%s", page)
	}
}

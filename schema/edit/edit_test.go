package edit

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var day = schema.Date{Year: 2026, Month: time.December, Day: 6}

// copyTeam copies testdata files into a new directory and returns their
// paths there.
func copyTeam(t *testing.T, names ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o640); err != nil {
			t.Fatal(err)
		}
		out = append(out, path)
	}
	return out
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s\n(go test ./schema/edit -update rewrites it)", name, d)
	}
}

// reviewedLine is a line that holds only a reviewed: key, and
// reviewedValue a reviewed: key and its date anywhere.
var (
	reviewedLine  = regexp.MustCompile(`(?m)^[ \t]*reviewed: "?[0-9-]{10}"?[ \t]*(#.*)?\r?\n`)
	reviewedFlow  = regexp.MustCompile(`, reviewed: [0-9-]{10}`)
	reviewedValue = regexp.MustCompile(`reviewed: "?[0-9-]{10}"?`)
)

// withoutDates removes what marking may change: reviewed: lines and
// values. Two texts equal after it differ in their review dates alone.
func withoutDates(s string) string {
	s = reviewedLine.ReplaceAllString(s, "")
	s = reviewedFlow.ReplaceAllString(s, "")
	return reviewedValue.ReplaceAllString(s, "reviewed: DATE")
}

// TestMarkCommented marks people written every way a person can be
// (quoted date with a comment, no reviewed:, after a comment, flow style,
// "-" on a line of its own): the golden file shows the result, and the
// texts differ in their review dates alone.
func TestMarkCommented(t *testing.T) {
	paths := copyTeam(t, "commented.yaml")
	before, _ := os.ReadFile(paths[0])
	team, err := Open(paths)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"dana@acme.io", "sam@acme.io", "ian@acme.io", "olivia@acme.io", "priya@acme.io", "lena@acme.io", "sam@acme.io"}
	if err := team.SetDate(keys, "reviewed", day); err != nil {
		t.Fatal(err)
	}
	if err := team.Write(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(paths[0])
	golden(t, "commented.marked.golden", after)
	if d := cmp.Diff(withoutDates(string(before)), withoutDates(string(after))); d != "" {
		t.Errorf("marking changed more than the review dates (-before +after):\n%s", d)
	}
	if info, err := os.Stat(paths[0]); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode after write = %v, %v; want 0640 kept", info.Mode(), err)
	}

	// What the loader reads agrees.
	loaded, err := schema.Load(paths[0])
	if err != nil {
		t.Fatalf("the marked file does not load: %v", err)
	}
	for _, p := range loaded.People {
		want := map[string]bool{"dana@acme.io": true, "sam@acme.io": true, "ian@acme.io": true, "olivia@acme.io": true, "priya@acme.io": true, "lena@acme.io": true}[p.Key()]
		got := p.Reviewed != nil && *p.Reviewed == day
		if got != want {
			t.Errorf("%s reviewed = %v, want marked %v", p.Email, p.Reviewed, want)
		}
	}
}

func TestMarkLineEndings(t *testing.T) {
	for _, name := range []string{"crlf.yaml", "nonewline.yaml"} {
		t.Run(name, func(t *testing.T) {
			paths := copyTeam(t, name)
			team, err := Open(paths)
			if err != nil {
				t.Fatal(err)
			}
			key := "dana@acme.io"
			if name == "nonewline.yaml" {
				key = "rita@acme.io"
			}
			if err := team.SetDate([]string{key}, "reviewed", day); err != nil {
				t.Fatal(err)
			}
			if err := team.Write(); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(paths[0])
			golden(t, strings.TrimSuffix(name, ".yaml")+".marked.golden", got)
		})
	}
}

// TestRemoveCommented takes people out: with the comment above them, the
// "-" on its own line, the last of a list (left as []), and a link to the
// file (the file is edited, the link kept).
func TestRemoveCommented(t *testing.T) {
	paths := copyTeam(t, "commented.yaml")
	link := filepath.Join(filepath.Dir(paths[0]), "team.yaml")
	if err := os.Symlink("commented.yaml", link); err != nil {
		t.Fatal(err)
	}
	team, err := Open([]string{link})
	if err != nil {
		t.Fatal(err)
	}
	if err := team.Remove([]string{"ian@acme.io", "kim@contract.example", "priya@acme.io"}); err != nil {
		t.Fatal(err)
	}
	if err := team.Write(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", info.Mode(), err)
	}
	got, _ := os.ReadFile(paths[0])
	golden(t, "commented.removed.golden", got)
	if _, err := schema.Load(paths[0]); err != nil {
		t.Fatalf("the edited file does not load: %v", err)
	}

	// The last person of a list: the list stays, empty, with its comment.
	team, err = Open(paths)
	if err != nil {
		t.Fatal(err)
	}
	if err := team.Remove([]string{"Rita@acme.io", "lena@acme.io"}); err == nil {
		t.Fatal("Remove() of a key that is not an identity succeeded")
	}
	if err := team.Remove([]string{"rita@acme.io", "lena@acme.io"}); err != nil {
		t.Fatal(err)
	}
	out := string(team.Docs[0].Bytes())
	if !strings.Contains(out, "\nreviewers: []\nbackups:") {
		t.Errorf("emptied list not written as []:\n%s", out)
	}
}

func TestNotDeclared(t *testing.T) {
	paths := copyTeam(t, "commented.yaml")
	before, _ := os.ReadFile(paths[0])
	team, err := Open(paths)
	if err != nil {
		t.Fatal(err)
	}
	err = team.SetDate([]string{"sam@acme.io", "zoe@acme.io", "al@acme.io"}, "reviewed", day)
	var nd *NotDeclaredError
	if !errors.As(err, &nd) || err.Error() != "not in the team file: al@acme.io and zoe@acme.io" {
		t.Fatalf("SetDate() error = %v, want one naming al and zoe", err)
	}
	if team.Docs[0].Changed() {
		t.Error("a refused edit left changes behind")
	}
	if err := team.Write(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(paths[0]); string(after) != string(before) {
		t.Error("a refused edit changed the file")
	}
}

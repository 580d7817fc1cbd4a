package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHelpTopicsParse checks that every topic file has the shape the
// listing reads: a title, and a summary short enough for one line.
func TestHelpTopicsParse(t *testing.T) {
	topics, err := helpTopics()
	if err != nil {
		t.Fatal(err)
	}
	if len(topics) == 0 {
		t.Fatal("no help topics embedded")
	}
	for _, tp := range topics {
		if n := len(tp.Name) + len(tp.Summary); n > 88 {
			t.Errorf("help/%s.md: the summary %q is too long for one line of the listing (%d characters with the name; at most 88)", tp.Name, tp.Summary, n)
		}
	}
}

func TestParseTopic(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       string // the summary, or "" for an error
	}{
		{"ok", "# Title\n\nOne line.\n\nBody.\n", "One line."},
		{"no body", "# Title\n\nOne line.\n", "One line."},
		{"no title", "Title\n\nOne line.\n\nBody.\n", ""},
		{"no blank after title", "# Title\nOne line.\n\nBody.\n", ""},
		{"two-line summary", "# Title\n\nOne line\nand another.\n", ""},
		{"empty", "", ""},
	} {
		got, err := parseTopic(tc.name, tc.text)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: parseTopic = %+v, want an error", tc.name, got)
		case tc.want != "" && err != nil:
			t.Errorf("%s: parseTopic: %v", tc.name, err)
		case tc.want != "" && got.Summary != tc.want:
			t.Errorf("%s: summary %q, want %q", tc.name, got.Summary, tc.want)
		}
	}
}

func TestRenderTopic(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"see [journal](journal.md).", "see `teamctl help journal`."},
		{"see [the journal](journal.md#where-it-is).", "see the journal (`teamctl help journal`)."},
		{"[`examples/team.yaml`](../../../examples/team.yaml)", "`examples/team.yaml`"},
		{"[the example](../../../examples/team.yaml)", "the example (examples/team.yaml)"},
		{"[`examples/team.d/`](../../../examples/team.d)", "`examples/team.d/`"},
		{"[GoReleaser](https://goreleaser.com)", "GoReleaser (https://goreleaser.com)"},
		{"a\n<!-- rule table: generated -->\nb", "a\nb"},
		{"[below](#anchor)", "below"},
	} {
		if got := renderTopic(tc.in); got != tc.want {
			t.Errorf("renderTopic(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestDocLinks checks every relative link of the README and the help
// topics: the file exists, and an #anchor names a heading of it, as
// GitHub makes anchors from headings.
func TestDocLinks(t *testing.T) {
	docs, err := filepath.Glob("help/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, "../../README.md")
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(text), -1) {
			target := m[2]
			if strings.Contains(target, "://") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			path := doc
			if file != "" {
				path = filepath.Join(filepath.Dir(doc), file)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s: link %s: %v", doc, target, err)
				continue
			}
			if anchor == "" {
				continue
			}
			linked, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: link %s: %v", doc, target, err)
				continue
			}
			if !hasAnchor(string(linked), anchor) {
				t.Errorf("%s: link %s: %s has no heading with the anchor #%s", doc, target, path, anchor)
			}
		}
	}
}

// hasAnchor reports whether a markdown text has a heading whose GitHub
// anchor is anchor: lower case, punctuation dropped, spaces as hyphens.
func hasAnchor(text, anchor string) bool {
	drop := regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	inFence := false
	for line := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		heading := strings.TrimSpace(strings.TrimLeft(line, "#"))
		slug := strings.ReplaceAll(drop.ReplaceAllString(strings.ToLower(heading), ""), " ", "-")
		if slug == anchor {
			return true
		}
	}
	return false
}

func TestHasAnchor(t *testing.T) {
	text := "# Title\n\n## The `file:` workspace\n\n```sh\n# not a heading\n```\n### Group mapping and URL options\n"
	var got []bool
	for _, a := range []string{"title", "the-file-workspace", "group-mapping-and-url-options", "not-a-heading", "missing"} {
		got = append(got, hasAnchor(text, a))
	}
	if d := cmp.Diff([]bool{true, true, true, false, false}, got); d != "" {
		t.Errorf("hasAnchor (-want +got):\n%s", d)
	}
}

// TestReadmeListsEveryTopic keeps the README's table of help topics
// complete: a row for every topic file, and none for a topic that is gone.
func TestReadmeListsEveryTopic(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| \[([a-z0-9-]+)\]\(cmd/teamctl/help/([a-z0-9-]+)\.md\) \|`)
	var listed []string
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		if m[1] != m[2] {
			t.Errorf("README.md: the row of topic %s links to %s.md", m[1], m[2])
		}
		listed = append(listed, m[1])
	}
	topics, err := helpTopics()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tp := range topics {
		want = append(want, tp.Name)
	}
	slices.Sort(listed)
	if d := cmp.Diff(want, listed); d != "" {
		t.Errorf("README.md: the table of help topics does not list every topic (-want +got):\n%s", d)
	}
}

// TestReadmeTryIt runs the README's first command, as a newcomer would,
// and checks that the output the README shows is what teamctl prints:
// each shown line in order, "..." standing for lines left out. With
// -update it writes what teamctl prints into the README, so that a change
// to the plan's text brings the README along in the same commit.
func TestReadmeTryIt(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Try it in a minute")
	_, rest, ok2 := strings.Cut(rest, "```sh\n")
	command, rest, ok3 := strings.Cut(rest, "\n```")
	_, rest, ok4 := strings.Cut(rest, "```\n")
	shown, _, ok5 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 || !ok4 || !ok5 {
		t.Fatal("README.md: no ```sh command and ``` output under \"## Try it in a minute\"")
	}
	args, ok := strings.CutPrefix(command, "go run ./cmd/teamctl ")
	if !ok || strings.Contains(args, "\n") {
		t.Fatalf("README.md: the first command %q is not one go run ./cmd/teamctl line", command)
	}
	t.Chdir("../..") // the README's commands run at the root of a clone
	app, out, errOut := testApp(nil)
	app.IO.OutTTY, app.IO.ErrTTY = false, false
	// The day the example's dates were written for (schema's testNow).
	app.Now = func() time.Time { return time.Date(2026, time.November, 27, 12, 0, 0, 0, time.UTC) }
	if code := execute(context.Background(), app, strings.Fields(args)); code != exitOK {
		t.Fatalf("%s: exit %d\n%s", command, code, errOut)
	}
	if *update {
		head := len(readme) - len(rest)
		doc := string(readme[:head]) + out.String() + rest[len(shown):]
		if err := os.WriteFile("README.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	printed := strings.Split(out.String(), "\n")
	i := 0
	for _, want := range strings.Split(strings.TrimSuffix(shown, "\n"), "\n") {
		if want == "..." {
			continue
		}
		for i < len(printed) && printed[i] != want {
			i++
		}
		if i == len(printed) {
			t.Errorf("README.md shows a line that %s does not print (in that order):\n%s\n\nit prints:\n%s\nrun go test ./cmd/teamctl -run TestReadmeTryIt -update to put that into the README", command, want, out)
			return
		}
		i++
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newCmdMan writes the manual pages: teamctl(1) and a page per command,
// made from the command tree by cobra's generator, and teamctl-TOPIC(7)
// for each help topic. Hidden: the release runs it (.goreleaser.yaml) to
// put the pages into the archives.
func newCmdMan(app *App, _ *GlobalOptions) *cobra.Command {
	var dir, date string
	cmd := &cobra.Command{
		Use:    "man --dir DIR",
		Short:  "Write the manual pages",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			day, err := manDate(date, app.Now)
			if err != nil {
				return err
			}
			n, err := writeManPages(cmd.Root(), dir, day)
			if err != nil {
				return err
			}
			fmt.Fprintf(app.IO.Out, "Wrote %d manual pages to %s\n", n, dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "directory to write the pages to (created if missing)")
	cmd.Flags().StringVar(&date, "date", "", "the pages' date, YYYY-MM-DD or RFC 3339 (default today); a release passes its commit's, so that two builds give the same pages")
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}

// manDate reads --date, or takes today's.
func manDate(s string, now func() time.Time) (time.Time, error) {
	if s == "" {
		return now().UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("man: --date %q is neither YYYY-MM-DD nor an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// writeManPages writes every page into dir and returns how many.
func writeManPages(root *cobra.Command, dir string, day time.Time) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("man: %w", err)
	}
	// No "Auto generated ... on DAY" line: the date is the header's alone.
	var noTag func(*cobra.Command)
	noTag = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		for _, sub := range c.Commands() {
			noTag(sub)
		}
	}
	noTag(root)
	header := &doc.GenManHeader{Title: "TEAMCTL", Section: "1", Date: &day, Source: "teamctl", Manual: "teamctl manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return 0, fmt.Errorf("man: %w", err)
	}
	topics, err := helpTopics()
	if err != nil {
		return 0, err
	}
	for _, t := range topics {
		page := filepath.Join(dir, manTopicName(t.Name)+".7")
		if err := os.WriteFile(page, topicManPage(t, day), 0o644); err != nil {
			return 0, fmt.Errorf("man: %w", err)
		}
	}
	pages, err := filepath.Glob(filepath.Join(dir, "*.[17]"))
	return len(pages), err
}

// subheading is a markdown heading line.
var subheading = regexp.MustCompile(`(?m)^(#+) `)

// manTopicName is a help topic's page name: teamctl-team-file.
func manTopicName(topic string) string { return "teamctl-" + topic }

// topicManPage renders a help topic as a section 7 page: the markdown,
// its title and summary made the page's header and NAME section, links to
// other topics as their pages.
func topicManPage(t topic, day time.Time) []byte {
	_, body, _ := strings.Cut(t.Text, "\n")              // the "# Title" line
	body = strings.TrimPrefix(body, "\n"+t.Summary+"\n") // the summary is NAME's
	body = rewriteLinks(body, func(name string) string { return manTopicName(name) + "(7)" })
	// The body's headings go one level down, into DESCRIPTION.
	body = subheading.ReplaceAllString(body, "#$1 ")
	name := manTopicName(t.Name)
	head := fmt.Sprintf("# %s 7 %q \"teamctl\" \"teamctl manual\"\n\n## NAME\n\n%s - %s\n\n## DESCRIPTION\n", strings.ToUpper(name), day.Format("Jan 2006"), name, t.Summary)
	return md2man.Render([]byte(head + body + "\n## SEE ALSO\n\nteamctl(1), teamctl help " + t.Name + "\n"))
}

package main

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// helpFiles are the help topics: the user manual, one markdown file a
// topic, shipped in the binary and readable on GitHub at its path. A topic
// file starts with a "# Title" line, a blank line and a one-line summary,
// which `teamctl help` lists.
//
//go:embed help/*.md
var helpFiles embed.FS

// topic is one help topic.
type topic struct {
	Name    string // the file's name without .md: what `teamctl help NAME` takes
	Summary string // the first line after the title
	Text    string // the whole markdown file
}

// helpTopics returns every topic, sorted by name.
func helpTopics() ([]topic, error) {
	paths, err := fs.Glob(helpFiles, "help/*.md")
	if err != nil {
		return nil, err
	}
	topics := make([]topic, 0, len(paths))
	for _, p := range paths {
		data, err := helpFiles.ReadFile(p)
		if err != nil {
			return nil, err
		}
		t, err := parseTopic(strings.TrimSuffix(path.Base(p), ".md"), string(data))
		if err != nil {
			return nil, err
		}
		topics = append(topics, t)
	}
	return topics, nil
}

// parseTopic reads a topic's title and summary.
func parseTopic(name, text string) (topic, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "# ") || lines[1] != "" || strings.TrimSpace(lines[2]) == "" || lines[3] != "" && lines[3][0] != '\n' {
		return topic{}, fmt.Errorf("help topic %s: want a \"# Title\" line, a blank line, a one-line summary and a blank line", name)
	}
	return topic{Name: name, Summary: strings.TrimSpace(lines[2]), Text: text}, nil
}

// newCmdHelp replaces cobra's help command: `teamctl help COMMAND` shows a
// command's help, `teamctl help TOPIC` a topic, and anything else is an
// error with the nearest names.
func newCmdHelp(app *App, root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | topic]",
		Short: "Help about a command or a topic",
		Long: `Help shows a command's help, or a help topic of the manual.
"teamctl help" lists the commands and the topics.`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name()+"\t"+c.Short)
				}
			}
			topics, _ := helpTopics()
			for _, t := range topics {
				names = append(names, t.Name+"\t"+t.Summary)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return root.Help()
			}
			topics, err := helpTopics()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				if i := slices.IndexFunc(topics, func(t topic) bool { return t.Name == args[0] }); i >= 0 {
					text := renderTopic(topics[i].Text)
					// A topic named as a command (journal) hides the
					// command's help: say where it is.
					if c, _, err := root.Find(args); err == nil && c != root && c.Name() == args[0] {
						text += fmt.Sprintf("\n%s shows the command's usage and flags.\n", c.CommandPath()+" --help")
					}
					_, err := io.WriteString(app.IO.Out, text)
					return err
				}
			}
			// As cobra's own help: the deepest command the words name.
			if c, _, err := root.Find(args); err == nil && c != root {
				return c.Help()
			}
			return unknownHelp(root, topics, strings.Join(args, " "))
		},
	}
}

// unknownHelp is the error for a name that is neither a command nor a topic.
func unknownHelp(root *cobra.Command, topics []topic, name string) error {
	// cobra's suggestions, over the commands and the topics alike.
	probe := &cobra.Command{Use: root.Name(), SuggestionsMinimumDistance: 2}
	noop := func(*cobra.Command, []string) {}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			probe.AddCommand(&cobra.Command{Use: c.Name(), Run: noop})
		}
	}
	for _, t := range topics {
		probe.AddCommand(&cobra.Command{Use: t.Name, Run: noop})
	}
	msg := fmt.Sprintf("help: no command or topic %q", name)
	if s := probe.SuggestionsFor(name); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return fmt.Errorf("%s; run %s help for the list", msg, root.Name())
}

// withTopicList makes the root command's usage end with the help topics.
func withTopicList(root *cobra.Command) {
	usage := root.UsageFunc()
	root.SetUsageFunc(func(c *cobra.Command) error {
		if err := usage(c); err != nil || c != root {
			return err
		}
		topics, err := helpTopics()
		if err != nil {
			return err
		}
		w := c.OutOrStderr()
		width := 0
		for _, t := range topics {
			width = max(width, len(t.Name))
		}
		fmt.Fprintln(w, "\nHelp topics:")
		for _, t := range topics {
			fmt.Fprintf(w, "  %-*s  %s\n", width, t.Name, t.Summary)
		}
		fmt.Fprintf(w, "\nUse \"%s help TOPIC\" to read a topic.\n", root.Name())
		return nil
	})
}

var (
	// htmlComment is a line that GitHub does not show (table markers).
	htmlComment = regexp.MustCompile(`(?m)^<!--.*-->\n`)
	// mdLink is a markdown link [text](target).
	mdLink = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
)

// renderTopic turns a topic's markdown into text for a terminal: the
// markdown stays (it reads well as text), links name what they point at:
// another topic as the command that shows it, a file of the repository by
// its path, a web page by its address.
func renderTopic(md string) string {
	return rewriteLinks(md, func(name string) string { return "`teamctl help " + name + "`" })
}

// rewriteLinks drops the comment lines of a topic and writes each link as
// its text and what it points at: another topic as topicRef names it, a
// file of the repository by its path from the root, a web page by its
// address. A link whose text already says where it points keeps the text
// alone.
func rewriteLinks(md string, topicRef func(name string) string) string {
	md = htmlComment.ReplaceAllString(md, "")
	return mdLink.ReplaceAllStringFunc(md, func(link string) string {
		m := mdLink.FindStringSubmatch(link)
		text, target := m[1], m[2]
		target, _, _ = strings.Cut(target, "#")
		said := strings.TrimSuffix(strings.Trim(text, "`"), "/")
		switch {
		case target == "":
			return text
		case strings.Contains(target, "://"):
			return text + " (" + target + ")"
		case !strings.Contains(target, "/") && strings.HasSuffix(target, ".md"):
			name := strings.TrimSuffix(target, ".md")
			if said == name {
				return topicRef(name)
			}
			return text + " (" + topicRef(name) + ")"
		default:
			// ../../../examples/team.yaml, from cmd/teamctl/help: the
			// path from the repository's root.
			rel := strings.TrimPrefix(path.Clean("cmd/teamctl/help/"+target), "/")
			if said == rel {
				return text
			}
			return text + " (" + rel + ")"
		}
	})
}

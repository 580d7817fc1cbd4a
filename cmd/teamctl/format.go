package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// Format is an output format (SPEC §8). Each command offers its own list
// of them through -o (addFormatFlag); a command without a list has no -o.
type Format string

const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
	FormatGitHub   Format = "github"
	FormatYAML     Format = "yaml"
)

// formatHelp is the registry of formats: each one's description, shown by
// shell completion and in the output help topic (help/output.md).
var formatHelp = map[Format]string{
	FormatText:     "human-readable",
	FormatJSON:     "stable JSON document",
	FormatMarkdown: "for pull requests and job summaries",
	FormatGitHub:   "GitHub Actions annotations",
	FormatYAML:     "a team file",
}

// formatValue is the -o/--output flag of one command: it accepts only the
// command's formats, so a command never sees one it cannot write.
type formatValue struct {
	cmd     *cobra.Command
	formats []Format // the first is the default
	f       *Format
}

func (v *formatValue) String() string { return string(*v.f) }
func (v *formatValue) Type() string   { return "format" }

func (v *formatValue) Set(s string) error {
	// -o JSON works as -o json: formats are names, not case-sensitive.
	f := Format(strings.ToLower(s))
	if !slices.Contains(v.formats, f) {
		return &formatError{command: v.cmd.Name(), format: s, formats: v.formats}
	}
	*v.f = f
	return nil
}

// formatError is a format the command cannot write. Its wording is the
// same for every command.
type formatError struct {
	command string
	format  string
	formats []Format
}

func (e *formatError) Error() string {
	return fmt.Sprintf("%s: output %q is not supported; use %s", e.command, e.format, orList(e.formats))
}

// orList joins formats as "text, json or markdown".
func orList(formats []Format) string {
	s := make([]string, len(formats))
	for i, f := range formats {
		s[i] = string(f)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// addFormatFlag gives cmd the -o/--output flag with the formats it can
// write, the first being the default; f holds the chosen format once the
// flags are parsed. Every command that has output formats calls it once
// (version: addFormatFlag(cmd, &f, FormatText, FormatJSON)).
func addFormatFlag(cmd *cobra.Command, f *Format, formats ...Format) {
	*f = formats[0]
	cmd.Flags().VarP(&formatValue{cmd: cmd, formats: formats, f: f}, "output", "o", "output `FORMAT`: "+orList(formats))
}

// commandFormats returns the formats cmd's -o accepts; none when it has
// no -o.
func commandFormats(cmd *cobra.Command) []Format {
	fl := cmd.Flags().Lookup("output")
	if fl == nil {
		return nil
	}
	if v, ok := fl.Value.(*formatValue); ok {
		return v.formats
	}
	return nil
}

// registerFormatCompletions completes -o with each command's own formats.
func registerFormatCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if formats := commandFormats(c); formats != nil {
			_ = c.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				out := make([]string, len(formats))
				for i, f := range formats {
					out[i] = string(f) + "\t" + formatHelp[f]
				}
				return out, cobra.ShellCompDirectiveNoFileComp
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

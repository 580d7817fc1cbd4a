package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/schema"
)

func newCmdCompletion(app *App, _ *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell completion script",
		Long: `Print a script that completes teamctl's commands, flags, output formats
and rule ids in your shell.

  bash:  source <(teamctl completion bash)
         # or, for every session: teamctl completion bash > /etc/bash_completion.d/teamctl
  zsh:   teamctl completion zsh > "${fpath[1]}/_teamctl"   # then start a new shell
  fish:  teamctl completion fish > ~/.config/fish/completions/teamctl.fish`,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("completion: name the shell: bash, zsh or fish (teamctl completion bash)")
			case len(args) > 1 || !slices.Contains(shells, args[0]):
				return fmt.Errorf("completion: unknown shell %q; teamctl completes bash, zsh and fish", args[0])
			}
			return nil
		},
		ValidArgs: shells,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(app.IO.Out, true)
			case "zsh":
				return root.GenZshCompletion(app.IO.Out)
			case "fish":
				return root.GenFishCompletion(app.IO.Out, true)
			}
			return fmt.Errorf("completion: unknown shell %q: pick bash, zsh or fish", args[0])
		},
	}
}

// shells are the shells teamctl completion writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

// registerCompletions teaches the shell completion the values of flags:
// the output formats each command accepts.
func registerCompletions(root *cobra.Command) {
	root.CompletionOptions.DisableDefaultCmd = true // ours is newCmdCompletion
	registerFormatCompletions(root)
}

// completeRuleIDs completes rule ids (offline and live, from the registry
// schema.Rules), each with the checklist sentence it checks, for arguments
// and flags that take them.
func completeRuleIDs(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, r := range schema.Rules() {
		if r.ID != schema.RuleSchema { // every loaded team passes it; not a check to pick
			out = append(out, r.ID+"\t"+r.Title)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

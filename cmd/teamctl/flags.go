package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/teamctl/teamctl/schema/suggest"
)

// sharedFlags are the groups of flags several commands share. A command
// says which it reads (usesFlags) and its --help shows those only: schema
// has no -f, version no -w.
type sharedFlags uint8

const (
	teamFileFlag   sharedFlags = 1 << iota // -f/--file
	workspaceFlag                          // -w/--workspace
	connectionFlag                         // --debug, --parallelism: requests to a workspace

	allSharedFlags = teamFileFlag | workspaceFlag | connectionFlag
)

// sharedFlagsKey is the annotation in which a command records its shared
// flags.
const sharedFlagsKey = "teamctl/shared-flags"

// usesFlags records that cmd reads the shared flags which (none when zero).
// A command that does not call it gets them all, so that a new command
// works before it narrows them.
func usesFlags(cmd *cobra.Command, which sharedFlags) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[sharedFlagsKey] = fmt.Sprint(uint8(which))
	return cmd
}

// addSharedFlags gives each command of root the shared flags it reads, all
// bound to g: only one command runs.
func addSharedFlags(root *cobra.Command, g *GlobalOptions) {
	for _, cmd := range root.Commands() {
		which := allSharedFlags
		if s, ok := cmd.Annotations[sharedFlagsKey]; ok {
			var n uint8
			fmt.Sscan(s, &n)
			which = sharedFlags(n)
		}
		f := cmd.Flags()
		if which&teamFileFlag != 0 {
			f.StringVarP(&g.File, "file", "f", defaultTeamFile, "team file or directory of *.yaml files")
		}
		if which&workspaceFlag != 0 {
			f.StringVarP(&g.Workspace, "workspace", "w", "", "workspace URL (default $TEAMCTL_WORKSPACE, else "+defaultWorkspace+")")
		}
		if which&connectionFlag != 0 {
			f.BoolVar(&g.Debug, "debug", false, "trace workspace requests to stderr, with secrets masked")
			f.IntVar(&g.Parallelism, "parallelism", 0, "most workspace requests in flight at once (SCIM without Bulk); 0 chooses from the provider's answers, 4 to 16")
		}
	}
}

// flagErrorFunc words every flag error, in one place for every command:
// a format the command cannot write, -o on a command without formats, and
// a flag it does not know, with the flag it most likely meant. args are
// the command line, which pflag's errors do not quote in full.
func flagErrorFunc(args []string) func(*cobra.Command, error) error {
	return func(cmd *cobra.Command, err error) error {
		// A Terraform habit: -out is -o with the value "ut" to pflag.
		if hint := singleDashLongFlag(cmd, args); hint != "" {
			return fmt.Errorf("%s: %s", cmd.Name(), hint)
		}
		var fe *formatError
		if errors.As(err, &fe) {
			return fe
		}
		msg := err.Error()
		if commandFormats(cmd) == nil && (strings.HasPrefix(msg, "unknown flag: --output") || strings.HasPrefix(msg, "unknown shorthand flag: 'o'")) {
			return fmt.Errorf("%s: has no -o/--output: it writes one format only", cmd.Name())
		}
		if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
			name, _, _ = strings.Cut(name, "=")
			if best, ok := suggest.Closest(name, longFlags(cmd)); ok {
				return fmt.Errorf("%s: unknown flag --%s; did you mean --%s?", cmd.Name(), name, best)
			}
			return fmt.Errorf("%s: unknown flag --%s; see %s --help", cmd.Name(), name, cmd.CommandPath())
		}
		if short, ok := strings.CutPrefix(msg, "unknown shorthand flag: '"); ok && short != "" {
			return fmt.Errorf("%s: unknown flag -%s; see %s --help", cmd.Name(), short[:1], cmd.CommandPath())
		}
		return fmt.Errorf("%s: %w", cmd.Name(), err)
	}
}

// singleDashLongFlag finds a long flag written with one dash (-out,
// -auto-approve, as Terraform and Go's flag package take them) or a close
// misspelling of one (-detailed-exit-code), and says which flag was meant.
func singleDashLongFlag(cmd *cobra.Command, args []string) string {
	names := longFlags(cmd)
	for _, arg := range args {
		if arg == "--" {
			break
		}
		if !strings.HasPrefix(arg, "-") || strings.HasPrefix(arg, "--") || len(arg) < 3 {
			continue
		}
		// -ojson (a shorthand with its value) is near no long flag.
		name, _, _ := strings.Cut(arg[1:], "=")
		if best, ok := suggest.Closest(name, names); ok {
			return fmt.Sprintf("unknown flag %s; did you mean --%s? (long flags take two dashes)", arg, best)
		}
	}
	return ""
}

// longFlags returns the long names of the flags cmd accepts, sorted, its
// own and those it inherits, hidden ones left out.
func longFlags(cmd *cobra.Command) []string {
	var names []string
	add := func(f *pflag.Flag) {
		if !f.Hidden && !slices.Contains(names, f.Name) {
			names = append(names, f.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	slices.Sort(names)
	return names
}

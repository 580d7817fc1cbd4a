package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/render"
	"golang.org/x/term"
)

// Exit codes (SPEC §5).
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // plan --detailed-exitcode, diff: there are differences
)

// IOStreams are the standard streams, injected so that commands can be
// tested without touching the process's own.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	InTTY  bool // In is a terminal: apply may ask for confirmation
	OutTTY bool // Out is a terminal: colour allowed
	ErrTTY bool // ErrOut is a terminal: progress lines allowed
}

// App is what every command gets from the process: streams, environment and
// clock. Outside run nothing reads os.Stdout, os.Getenv or time.Now.
type App struct {
	IO     IOStreams
	Getenv func(string) string
	Now    func() time.Time
	// secrets is what no sink may show (sinks.go); execute sets it, and
	// an App without it hides nothing.
	secrets *secretSet
}

// GlobalOptions are the flags every command shares (SPEC §5).
type GlobalOptions struct {
	File      string
	Workspace string
	// Output is the format picked with the command's own -o
	// (addFormatFlag); commands without one leave it empty.
	Output Format
	// findings, when set by the command's view, writes the findings of a
	// team file that does not load (writeFindings).
	findings findingsView
	NoColor  bool
	// Debug traces workspace requests to stderr (secrets masked).
	Debug bool
	// Parallelism bounds concurrent workspace requests (SCIM without Bulk);
	// 0 chooses from the provider's answers.
	Parallelism int
}

// Color reports whether output to stdout may use ANSI colour: on a
// terminal, or where CLICOLOR_FORCE asks for it (a CI log), unless
// --no-color, NO_COLOR or TERM=dumb says no.
func (g *GlobalOptions) Color(app *App) bool {
	if g.NoColor || app.Getenv("NO_COLOR") != "" || dumbTerminal(app) {
		return false
	}
	force := app.Getenv("CLICOLOR_FORCE")
	return app.IO.OutTTY || force != "" && force != "0"
}

// dumbTerminal reports TERM=dumb: a terminal that understands no escape
// codes, so neither colour nor a redrawn progress line.
func dumbTerminal(app *App) bool { return app.Getenv("TERM") == "dumb" }

// WorkspaceURL returns the workspace flag, else $TEAMCTL_WORKSPACE, else the
// default file workspace.
func (g *GlobalOptions) WorkspaceURL(app *App) string {
	if g.Workspace != "" {
		return g.Workspace
	}
	if w := app.Getenv("TEAMCTL_WORKSPACE"); w != "" {
		return w
	}
	return defaultWorkspace
}

const (
	defaultTeamFile  = "team.yaml"
	defaultWorkspace = "file:.teamctl/workspace.json"
)

// exitCodeError carries an exit code other than 1 for an outcome that is not
// an error, or an error whose message was already printed (err nil).
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }

// noArgs is cobra.NoArgs for a command that reads the team file: a path
// given as an argument gets the -f it needs ("teamctl plan team.yaml").
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if looksLikeTeamFile(args[0]) {
		return fmt.Errorf("%s: takes no arguments; to use the team file %s, pass it with -f: %s -f %s", cmd.Name(), args[0], cmd.CommandPath(), shellQuote(args[0]))
	}
	return fmt.Errorf("%s: takes no arguments, got %q; see %s --help", cmd.Name(), args[0], cmd.CommandPath())
}

// looksLikeTeamFile reports whether an argument names a team file or
// directory rather than something else.
func looksLikeTeamFile(arg string) bool {
	if strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
}

// silentExit returns an error that makes teamctl exit with code without
// printing anything more: the command has already said what happened.
func silentExit(code int) error { return &exitCodeError{code: code} }

func newRootCmd(app *App) *cobra.Command {
	g := &GlobalOptions{}
	root := &cobra.Command{
		Use:   "teamctl",
		Short: "Keep a Callaro workspace's team in git",
		Long: `teamctl validates a team file against the readiness rules of a well-run
launch, compares it with the live workspace, and applies the difference as an
ordered plan of invites and role changes.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       versionText(currentVersion()), // --version; the same text as teamctl version
	}
	root.SetVersionTemplate("{{.Version}}")
	root.SetIn(app.IO.In)
	root.SetOut(app.IO.Out)
	root.SetErr(app.IO.ErrOut)

	pf := root.PersistentFlags()
	pf.BoolVar(&g.NoColor, "no-color", false, "never colour output (also NO_COLOR)")

	// One line per command, each defined in its own file, with the shared
	// flags it reads (its --help shows no others).
	const (
		none      sharedFlags = 0
		team                  = teamFileFlag
		workspace             = workspaceFlag | connectionFlag
	)
	root.AddCommand(
		usesFlags(newCmdVersion(app, g), none),
		usesFlags(newCmdValidate(app, g), team),
		usesFlags(newCmdSchema(app, g), none),
		usesFlags(newCmdCompletion(app, g), none),
		usesFlags(newCmdPlan(app, g), team|workspace),
		usesFlags(newCmdApply(app, g), team|workspace),
		usesFlags(newCmdShow(app, g), none), // the plan file alone
		usesFlags(newCmdDiff(app, g), team|workspace),
		usesFlags(newCmdExport(app, g), workspace),
		usesFlags(newCmdInit(app, g), team|workspace),
		usesFlags(newCmdCodeowners(app, g), team),
		usesFlags(newCmdReadiness(app, g), team|workspace),
		usesFlags(newCmdReview(app, g), team|workspace),
		usesFlags(newCmdExpire(app, g), team),
		usesFlags(newCmdJournal(app, g), workspaceFlag), // the journal's place; no requests
		usesFlags(newCmdGen(app, g), none),
		usesFlags(newCmdMan(app, g), none),
	)
	addSharedFlags(root, g) // -f, -w, ... on the commands that read them
	root.SetHelpCommand(newCmdHelp(app, root))
	withTopicList(root)
	root.SetFlagErrorFunc(flagErrorFunc(nil))
	registerCompletions(root)
	return root
}

func run() int {
	// The first Ctrl-C asks the command to stop after what is in flight
	// (apply finishes its batch and reports); once it has, a second Ctrl-C
	// kills teamctl at once, as signals do by default.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	context.AfterFunc(ctx, stop)
	app := &App{
		IO: IOStreams{
			In:     os.Stdin,
			Out:    os.Stdout,
			ErrOut: os.Stderr,
			InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
			OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
			ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		},
		Getenv: os.Getenv,
		Now:    time.Now,
	}
	return execute(ctx, app, os.Args[1:])
}

// execute runs teamctl with args and returns the exit code. It is the one
// place that prints an error.
func execute(ctx context.Context, app *App, args []string) int {
	// Every output passes a sink (sinks.go) of one secret set, so that no
	// team file, server text or error can show the SCIM token, whatever
	// quoted it, nor give a CI runner a command.
	app.secrets = newSecretSet(secrets(app.Getenv))
	app.IO.Out, app.IO.ErrOut = newStreamSink(app.IO.Out, app.secrets), newStreamSink(app.IO.ErrOut, app.secrets)
	defer flush(app.IO.ErrOut)
	defer flush(app.IO.Out)
	root := newRootCmd(app)
	root.SetArgs(args)
	root.SetFlagErrorFunc(flagErrorFunc(args))
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	code := exitError
	var ec *exitCodeError
	if errors.As(err, &ec) {
		if ec.err == nil {
			return ec.code
		}
		code, err = ec.code, ec.err
	}
	// Errors quote team files and servers: never let them drive the
	// terminal.
	fmt.Fprintf(app.IO.ErrOut, "Error: %s\n", render.Printable(operationFirst(root, cmd, err.Error())))
	return code
}

// operationFirst starts every error with the command that failed, as
// "plan: ...", whichever package said it ("scim: ...", "load team: ...").
func operationFirst(root, cmd *cobra.Command, msg string) string {
	if cmd == nil || cmd == root || strings.HasPrefix(msg, cmd.Name()+": ") {
		return msg
	}
	return cmd.Name() + ": " + msg
}

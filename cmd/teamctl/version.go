package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/safejson"
)

// Release builds stamp these with -ldflags "-X main.version=v1.2.0
// -X main.commit=... -X main.date=..." (.goreleaser.yaml). Other builds
// leave them empty and teamctl reads what the Go toolchain recorded.
var (
	version string
	commit  string
	date    string
)

// versionInfo is what teamctl version prints; its JSON form is a stable
// document like the others (SPEC §6).
type versionInfo struct {
	FormatVersion string `json:"format_version"`
	Version       string `json:"version"`
	Commit        string `json:"commit"`   // empty when unknown (go install of a module version)
	Modified      bool   `json:"modified"` // built from a work tree with uncommitted changes
	Date          string `json:"date"`     // RFC 3339; empty when unknown
	GoVersion     string `json:"go_version"`
	Platform      string `json:"platform"` // GOOS/GOARCH
}

// stamp is what a release build's linker flags set.
type stamp struct{ version, commit, date string }

// buildVersion combines the linker stamp with the build info the Go
// toolchain embeds: a stamp wins; else the module version (v1.2.0 after go
// install ...@v1.2.0; a pseudo-version or "(devel)" in a clone) and the vcs
// settings (revision, commit time, modified) that go build records in a
// git work tree. A source build has no build time, so its date is the
// commit's.
func buildVersion(s stamp, info *debug.BuildInfo) versionInfo {
	v := versionInfo{
		FormatVersion: "1",
		Version:       s.version,
		Commit:        s.commit,
		Date:          s.date,
		GoVersion:     runtime.Version(),
		Platform:      runtime.GOOS + "/" + runtime.GOARCH,
	}
	if info == nil {
		info = &debug.BuildInfo{}
	}
	if info.GoVersion != "" {
		v.GoVersion = info.GoVersion
	}
	if v.Version == "" {
		v.Version = info.Main.Version
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	if s.commit != "" { // the stamp describes the build; the vcs settings could disagree
		return v
	}
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			v.Commit = kv.Value
		case "vcs.time":
			if v.Date == "" {
				v.Date = kv.Value
			}
		case "vcs.modified":
			v.Modified = kv.Value == "true"
		}
	}
	return v
}

// currentVersion is the running binary's version.
func currentVersion() versionInfo {
	info, _ := debug.ReadBuildInfo()
	return buildVersion(stamp{version, commit, date}, info)
}

// versionText is the human form, for teamctl version and --version alike.
func versionText(v versionInfo) string {
	unknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	c := unknown(v.Commit)
	if v.Modified {
		c += " (modified)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "teamctl %s\n", v.Version)
	fmt.Fprintf(&b, "  commit: %s\n", c)
	fmt.Fprintf(&b, "  built:  %s\n", unknown(v.Date))
	fmt.Fprintf(&b, "  go:     %s %s\n", v.GoVersion, v.Platform)
	return b.String()
}

// VersionOptions are the inputs of teamctl version.
type VersionOptions struct {
	IO     IOStreams
	Output Format // text or json (addFormatFlag refuses the rest)
}

func newCmdVersion(app *App, g *GlobalOptions) *cobra.Command {
	opts := &VersionOptions{IO: app.IO}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print teamctl's version, commit, build date and Go version",
		Long: `Print the version of teamctl, the commit it was built from, when it was
built and with which Go. Release binaries carry what the release stamped;
a build from source (go install, go build) reports the module version and
what the Go toolchain recorded from git, where the date is the commit's.
teamctl --version prints the same text.`,
		Example: `  teamctl version
  teamctl version -o json`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			opts.Output = g.Output
			return runVersion(opts, currentVersion())
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON)
	return cmd
}

func runVersion(opts *VersionOptions, v versionInfo) error {
	if opts.Output == FormatJSON {
		enc := safejson.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := io.WriteString(opts.IO.Out, versionText(v))
	return err
}

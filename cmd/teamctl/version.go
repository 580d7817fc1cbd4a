package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newCmdVersion(app *App, _ *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print teamctl's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := "(devel)"
			if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
				v = info.Main.Version
			}
			_, err := fmt.Fprintf(app.IO.Out, "teamctl %s\n", v)
			return err
		},
	}
}

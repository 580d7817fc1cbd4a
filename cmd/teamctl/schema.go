package main

import (
	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/schema"
)

func newCmdSchema(app *App, _ *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the team file",
		Long: `Print the JSON Schema (draft 2020-12) of the team file, for editors that
complete and check YAML, such as VS Code with yaml-language-server:

  teamctl schema > team.schema.json

and on the first line of team.yaml:

  # yaml-language-server: $schema=./team.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			data, err := schema.JSONSchema()
			if err != nil {
				return err
			}
			_, err = app.IO.Out.Write(data)
			return err
		},
	}
}

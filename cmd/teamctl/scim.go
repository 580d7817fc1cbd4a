package main

import (
	"fmt"

	"github.com/teamctl/teamctl/reconcile/scim"
)

// openSCIM opens a scim+https:// workspace: the token (TEAMCTL_SCIM_TOKEN or
// TEAMCTL_SCIM_TOKEN_FILE) and CA file (TEAMCTL_SCIM_CA_FILE) from the
// environment, --debug and --parallelism from the flags.
func openSCIM(app *App, g *GlobalOptions, url string) (*scim.Workspace, error) {
	cfg, err := scim.ConfigFromEnv(url, app.Getenv)
	if err != nil {
		return nil, err
	}
	hideSecret(app, cfg.Token) // read from a pipe, secrets could not see it
	if g.Parallelism < 0 {
		return nil, fmt.Errorf("--parallelism %d: want 1 or more, or 0 to choose from the provider's answers", g.Parallelism)
	}
	cfg.Parallelism = g.Parallelism
	cfg.Notice = app.IO.ErrOut
	if g.Debug {
		cfg.Debug = app.IO.ErrOut
	}
	return scim.New(cfg)
}

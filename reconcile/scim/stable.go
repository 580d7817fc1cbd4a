package scim

import (
	"context"
	"errors"
	"fmt"

	"github.com/teamctl/teamctl/reconcile"
)

// stableReads bounds the reads of the workspace Snapshot makes before it
// refuses one that keeps changing.
const stableReads = 3

// unstableError says that a read of the workspace changed while it was
// made: a list whose totalResults moved between pages (someone created
// or deleted a user, and the pages shifted), or a user in a role group
// that the list of users left out. Nothing is planned from such a read:
// a user the pages skipped would look like a member value that names
// nobody, and prune would remove it.
type unstableError struct{ what string }

func (e *unstableError) Error() string { return e.what }

// readStable reads the users and role groups, and classifies the role-group
// members that are no user, until a read holds still; it refuses after
// stableReads reads that changed under it.
func (w *Workspace) readStable(ctx context.Context) (*state, []reconcile.Dangling, error) {
	var last *unstableError
	for range stableReads {
		st, err := w.read(ctx)
		var ds []reconcile.Dangling
		if err == nil {
			ds, err = w.dangling(ctx, st)
		}
		if !errors.As(err, &last) {
			return st, ds, err
		}
		w.tracef("the workspace changed while teamctl read it (%s); reading it again", last.what)
	}
	return nil, nil, fmt.Errorf("scim: read the workspace: it changed under each of %d reads (the last time: %s); teamctl plans only from a read that holds still: try again when nobody else is changing the workspace", stableReads, last.what)
}

package reconcile

import "context"

// Workspace is what reconcile needs of a live workspace backend. Backends
// (reconcile/local, reconcile/scim) return concrete types that satisfy it.
type Workspace interface {
	// Snapshot reads the whole live workspace.
	Snapshot(ctx context.Context) (*Live, error)
	// Execute carries out a batch of changes that are independent of each
	// other (each about a different person, all of one phase of the plan),
	// in any order, concurrently or in bulk as the backend sees fit. It
	// returns one error per change, in the order of batch: nil where the
	// change was applied.
	Execute(ctx context.Context, batch []Change) []error
}

// HaltError is an error Execute returns for a change when Apply should
// attempt nothing after the batch: the workspace does not show what it
// accepted, so later changes would rest on a state nobody can see, and a
// later plan would make them again.
type HaltError struct{ Err error }

func (e *HaltError) Error() string { return e.Err.Error() }
func (e *HaltError) Unwrap() error { return e.Err }

// NoteSender is implemented by workspaces that say whether their
// invitations carry the invite note (Change.Note). For a workspace that is
// not one, or says no, the command tells the admin to send the note
// to the people an apply invited.
type NoteSender interface {
	// SendsInviteNote reports whether an invite or resend-invite that
	// Execute carries out delivers the change's Note to the person.
	SendsInviteNote() bool
}

// SendsInviteNote reports whether ws delivers the invite note with its
// invitations.
func SendsInviteNote(ws Workspace) bool {
	n, ok := ws.(NoteSender)
	return ok && n.SendsInviteNote()
}

// Confirmer is implemented by workspaces that report a change applied only
// once the workspace shows it (SPEC §8 "Applied means seen"): SCIM reads
// back what each batch touched; the file workspace's document, written and
// synced, is the workspace itself.
type Confirmer interface {
	// ConfirmsWrites reports whether Execute returns nil for a change
	// only when the workspace, read back, shows it.
	ConfirmsWrites() bool
}

// Verified reports whether every applied change of results was confirmed
// by the workspace: true when nothing was applied, or when ws confirms its
// writes.
func Verified(ws Workspace, results Results) bool {
	if c, ok := ws.(Confirmer); ok && c.ConfirmsWrites() {
		return true
	}
	for _, r := range results {
		if r.Outcome == Applied {
			return false
		}
	}
	return true
}

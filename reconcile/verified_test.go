package reconcile_test

import (
	"context"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
)

// unconfirmed is a workspace that does not say it confirms its writes.
type unconfirmed struct{}

func (unconfirmed) Snapshot(context.Context) (*reconcile.Live, error) { return &reconcile.Live{}, nil }
func (unconfirmed) Execute(_ context.Context, b []reconcile.Change) []error {
	return make([]error, len(b))
}

type confirmed struct{ unconfirmed }

func (confirmed) ConfirmsWrites() bool { return true }

func TestVerified(t *testing.T) {
	applied := reconcile.Results{{Outcome: reconcile.Applied}}
	failed := reconcile.Results{{Outcome: reconcile.Failed}}
	tests := []struct {
		name    string
		ws      reconcile.Workspace
		results reconcile.Results
		want    bool
	}{
		{"nothing applied, no confirmation", unconfirmed{}, failed, true},
		{"applied, no confirmation", unconfirmed{}, applied, false},
		{"applied, confirmed", confirmed{}, applied, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reconcile.Verified(tt.ws, tt.results); got != tt.want {
				t.Errorf("Verified() = %v, want %v", got, tt.want)
			}
		})
	}
}

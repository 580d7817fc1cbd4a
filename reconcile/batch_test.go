package reconcile_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
)

// batcher is a workspace that sets its own batch size (reconcile.Batcher).
type batcher struct {
	*memory
	limit int
}

func (w *batcher) BatchLimit() int { return w.limit }

// A workspace that is a Batcher sets the batch size unless ApplyOptions
// does; a limit of 0 passes each phase whole, however large (the file
// workspace, whose every Execute writes the whole document).
func TestApplyTakesTheWorkspacesBatchLimit(t *testing.T) {
	tests := []struct {
		name      string
		limit     int  // the workspace's BatchLimit
		batcher   bool // whether the workspace is a Batcher at all
		batchSize int  // ApplyOptions.BatchSize
		want      []int
	}{
		{"no limit: the whole phase", 0, true, 0, []int{60}},
		{"the workspace's limit", 25, true, 0, []int{25, 25, 10}},
		{"the options' size wins", 0, true, 40, []int{40, 20}},
		{"not a Batcher: the default", 0, false, 0, []int{reconcile.DefaultBatchSize, reconcile.DefaultBatchSize, 60 - 2*reconcile.DefaultBatchSize}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team, mem := reviewers(60)
			var ws reconcile.Workspace = mem
			if tt.batcher {
				ws = &batcher{mem, tt.limit}
			}
			rs := reconcile.Apply(context.Background(), ws, mustDiff(t, team, mem, ""), reconcile.ApplyOptions{BatchSize: tt.batchSize})
			if !rs.OK() {
				t.Fatalf("Apply() = %q", outcomes(rs))
			}
			var got []int
			for _, b := range mem.batches {
				got = append(got, len(b))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Execute batches mismatch (-want +got):\n%s", d)
			}
		})
	}
}

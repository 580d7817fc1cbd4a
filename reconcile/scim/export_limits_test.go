package scim

// SetSnapshotLimit sets the bytes one read of w's workspace may take, so
// that tests reach the limit without hundreds of MiB.
func SetSnapshotLimit(w *Workspace, n int64) { w.snapshotLimit = n }

package scim

import (
	"context"
	"fmt"
	"sync/atomic"
)

// What teamctl reads of a SCIM provider is bounded whatever the provider
// says (teamctl help workspaces): one response, one read of the workspace
// (every page of users and groups), and each attribute it keeps.
const (
	maxResponseBytes = 32 << 20
	// maxSnapshotBytes bounds one read of the workspace: 100,000 users of
	// a kilobyte each take 100 MB.
	maxSnapshotBytes = 256 << 20
	// maxAddressBytes bounds an id, a userName and an email: no email
	// address is longer than 254 bytes (RFC 5321).
	maxAddressBytes = 512
	// maxNameBytes bounds a display name and its parts.
	maxNameBytes = 1024
)

// budget is what is left of a read's bytes; it is shared by the requests of
// the read, which run concurrently.
type budget struct {
	limit int64
	left  atomic.Int64
}

type budgetKey struct{}

// withSnapshotBudget returns ctx with a fresh budget of limit bytes for the
// responses of one read of the workspace.
func withSnapshotBudget(ctx context.Context, limit int64) context.Context {
	b := &budget{limit: limit}
	b.left.Store(limit)
	return context.WithValue(ctx, budgetKey{}, b)
}

// readLimit is the most bytes a response may have under ctx's budget.
func readLimit(ctx context.Context) int64 {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	if b == nil {
		return maxResponseBytes
	}
	return min(maxResponseBytes, max(b.left.Load(), 0)+1)
}

// spend takes n bytes from ctx's budget, and fails once it is spent.
func spend(ctx context.Context, n int) error {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	if b == nil || b.left.Add(-int64(n)) >= 0 {
		return nil
	}
	return fmt.Errorf("the workspace's users and groups pass %s, the most teamctl reads of a workspace at once; the provider sends more than any team needs (teamctl help workspaces)", mib(b.limit))
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkSizes refuses attribute values larger than any real one: a
// provider that sends them is broken or hostile, and teamctl would carry
// them into every plan.
func (d *userDoc) checkSizes() error {
	type attr struct {
		name  string
		value string
		limit int
	}
	attrs := [...]attr{
		{"id", d.ID, maxAddressBytes},
		{"userName", d.UserName, maxAddressBytes},
		{"displayName", d.DisplayName, maxNameBytes},
		{"name.formatted", d.Name.Formatted, maxNameBytes},
		{"name.givenName", d.Name.GivenName, maxNameBytes},
		{"name.familyName", d.Name.FamilyName, maxNameBytes},
	}
	for _, a := range attrs {
		if len(a.value) > a.limit {
			return d.tooLarge(a.name, len(a.value), a.limit)
		}
	}
	for _, e := range d.Emails {
		if len(e.Value) > maxAddressBytes {
			return d.tooLarge("email", len(e.Value), maxAddressBytes)
		}
	}
	return nil
}

func (d *userDoc) tooLarge(attr string, n, limit int) error {
	return fmt.Errorf("user %.40q: its %s is %d bytes, more than any real one has (at most %d); fix the user in the workspace", d.ID, attr, n, limit)
}

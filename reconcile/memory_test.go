package reconcile_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// memory is an in-memory workspace for tests of Apply: it can hold a member
// in several roles (as SCIM can), fail chosen changes, and record the
// active admins after every change, to check the admin floor step by step.
type memory struct {
	members map[string]reconcile.Member
	now     time.Time
	// fail makes the change about the key fail with the given error.
	fail map[string]error
	// batches records the keys of each batch passed to Execute.
	batches [][]string
	// admins records the active admins after each change.
	admins []int
	// cancel, when set, is called after the first batch.
	cancel func()
}

func newMemory(now time.Time, ms ...reconcile.Member) *memory {
	w := &memory{members: map[string]reconcile.Member{}, now: now, fail: map[string]error{}}
	for _, m := range ms {
		w.members[m.Key()] = m
	}
	return w
}

func (w *memory) Snapshot(context.Context) (*reconcile.Live, error) {
	l := &reconcile.Live{Name: "acme"}
	for _, m := range w.members {
		m.OtherRoles = slices.Clone(m.OtherRoles)
		l.Members = append(l.Members, m)
	}
	slices.SortFunc(l.Members, func(a, b reconcile.Member) int { return strings.Compare(a.Key(), b.Key()) })
	return l, nil
}

func (w *memory) Execute(ctx context.Context, batch []reconcile.Change) []error {
	errs := make([]error, len(batch))
	var keys []string
	for i, c := range batch {
		keys = append(keys, c.Key())
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if err := w.fail[c.Key()]; err != nil {
			errs[i] = err
			continue
		}
		errs[i] = w.apply(c)
		w.admins = append(w.admins, w.activeAdmins())
	}
	w.batches = append(w.batches, keys)
	if w.cancel != nil {
		w.cancel()
	}
	return errs
}

func (w *memory) apply(c reconcile.Change) error {
	m, ok := w.members[c.Key()]
	expires := w.now.Add(7 * 24 * time.Hour)
	switch c.Action {
	case reconcile.Invite:
		if ok && m.Status != reconcile.Suspended {
			return fmt.Errorf("%s already a member", c.Email)
		}
		w.members[c.Key()] = reconcile.Member{Email: c.Email, Role: c.RoleAfter, Status: reconcile.Invited, InvitedAt: &w.now, InviteExpiresAt: &expires}
	case reconcile.UpdateInvite, reconcile.ResendInvite:
		if !ok || m.Status != reconcile.Invited {
			return fmt.Errorf("%s has no pending invite", c.Email)
		}
		m.Role, m.OtherRoles = c.RoleAfter, nil
		if c.Action == reconcile.ResendInvite {
			m.InvitedAt, m.InviteExpiresAt = &w.now, &expires
		}
		w.members[c.Key()] = m
	case reconcile.ChangeRole:
		if !ok || m.Status != reconcile.Active {
			return fmt.Errorf("%s is not active", c.Email)
		}
		m.Role, m.OtherRoles = c.RoleAfter, nil
		w.members[c.Key()] = m
	case reconcile.CancelInvite, reconcile.Remove:
		if !ok {
			return fmt.Errorf("%s is not a member", c.Email)
		}
		delete(w.members, c.Key())
	}
	return nil
}

func (w *memory) activeAdmins() int {
	n := 0
	for _, m := range w.members {
		if m.Status == reconcile.Active && (m.Role == schema.Admin || slices.Contains(m.OtherRoles, schema.Admin)) {
			n++
		}
	}
	return n
}

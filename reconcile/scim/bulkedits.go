package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// With Bulk, the first round of a batch costs one request when it fits
// one: the user requests, then every membership the batch adds, then the
// memberships of people who leave, in that order, in one Bulk request (RFC
// 7644 section 3.7). A user the request creates is named in its group by a
// bulkId reference, one reference an operation (providers were seen to
// resolve only the last of several in one operation). Whatever the
// provider did not carry out is done by the usual steps after (users
// alone, editGroups), which send only what is still missing. A batch that
// does not fit goes the usual way. Memberships a change of role takes away
// are never in the request: they wait until the new role shows.

// groupEdit adds the users of jobs to g, or removes them from it, as one
// operation of a Bulk request.
type groupEdit struct {
	g    *group
	add  bool
	jobs []*job
	// members are the values to add or remove: user ids, or bulkId
	// references to users created earlier in the same request.
	members []string
	ifMatch string

	done bool   // the provider carried it out
	etag string // the group's version after it
}

func (e *groupEdit) operation(i int) bulkOperation {
	return bulkOperation{Method: http.MethodPatch, BulkID: editBulkID(i), Version: e.ifMatch, Path: "/Groups/" + url.PathEscape(e.g.id), Data: memberOps(e.add, e.members)}
}

// record updates the state with an edit the provider carried out, once the
// users it created have their ids.
func (e *groupEdit) record() {
	if !e.done {
		return
	}
	for _, j := range e.jobs {
		if j.userID != "" {
			updateMembers(e.g.members, e.add, j.userID)
			j.viaBulk = true
		}
	}
	e.g.etag = e.etag
}

// bulkEdits returns the membership edits of jobs to send with ops in one
// Bulk request, adds before removes, or nil when the batch should go the
// usual way: no Bulk, user requests that need a read first (PUT), or more
// than one Bulk request holds.
func (w *Workspace) bulkEdits(f features, st *state, jobs []*job, ops []*userOp) []*groupEdit {
	if !f.bulk || slices.ContainsFunc(ops, func(op *userOp) bool { return op.method == http.MethodPut }) {
		return nil
	}
	w.mu.Lock()
	etags := w.feat.etag
	w.mu.Unlock()
	created := map[*userOp]string{} // create → its bulkId
	for i, op := range ops {
		if op.kind == opCreate {
			created[op] = "bulkId:" + opBulkID(i)
		}
	}
	var edits []*groupEdit
	versioned := map[*group]bool{}
	edit := func(role schema.Role, add bool, js []*job, members []string) {
		g := st.groups[role]
		perPatch := w.membersPerPatch()
		for start := 0; start < len(js); start += perPatch {
			end := min(start+perPatch, len(js))
			e := &groupEdit{g: g, add: add, jobs: js[start:end], members: members[start:end]}
			// Only the first edit of a group can name its version: the
			// edits before change it.
			if etags && !versioned[g] {
				e.ifMatch, versioned[g] = g.etag, true
			}
			edits = append(edits, e)
		}
	}
	for _, role := range schema.Roles {
		var js []*job
		var members []string
		for _, j := range jobs {
			if j.err != nil || j.c.RoleAfter != role || !adds(j.c.Action) {
				continue
			}
			switch {
			case j.op != nil && j.op.kind == opCreate:
				// One bulkId reference an operation: providers were seen
				// to resolve only the last of several.
				edit(role, true, []*job{j}, []string{created[j.op]})
			case j.userID != "" && !st.groups[role].members[j.userID]:
				js, members = append(js, j), append(members, j.userID)
			}
		}
		if len(js) > 0 {
			edit(role, true, js, members)
		}
	}
	for _, role := range schema.Roles {
		var js []*job
		var members []string
		for _, j := range jobs {
			if j.err != nil || j.userID == "" || adds(j.c.Action) || !st.groups[role].members[j.userID] {
				continue // a change of role leaves the old group only once the new one shows
			}
			if (j.c.Action == reconcile.Remove || j.c.Action == reconcile.CancelInvite) && w.ep.delete && j.op != nil {
				continue // deleting the user takes it out of its groups
			}
			js, members = append(js, j), append(members, j.userID)
		}
		if len(js) > 0 {
			edit(role, false, js, members)
		}
	}
	if len(ops)+len(edits) < 2 || len(ops)+len(edits) > f.bulkMaxOps {
		return nil
	}
	size := bulkOverhead
	for _, op := range ops {
		size += bulkSize(op)
	}
	for i, e := range edits {
		b, _ := json.Marshal(e.operation(i))
		size += len(b) + 1
	}
	if size > f.bulkMaxPayload {
		return nil
	}
	return edits
}

// adds reports whether a change of this kind puts its person in the
// group of RoleAfter.
func adds(a reconcile.Action) bool {
	switch a {
	case reconcile.Invite, reconcile.ResendInvite, reconcile.ChangeRole, reconcile.UpdateInvite, reconcile.Rename:
		return true
	}
	return false
}

// runBulkBatch sends ops and edits in one Bulk request, then alone, with
// bounded concurrency, the ops the provider did not carry out.
func (w *Workspace) runBulkBatch(ctx context.Context, ops []*userOp, edits []*groupEdit) {
	w.sendAlone(ctx, w.sendBulkEdits(ctx, ops, edits))
}

// cleanStrays takes out of each group the Bulk references (bulkId:...)
// teamctl sent it that the provider stored as members instead of
// resolving them, once the round is read back, and says so. A stray
// teamctl cannot take out fails the changes whose edit wrote it: an apply
// never ends complete with a value it wrote still wrong.
func (w *Workspace) cleanStrays(ctx context.Context, st *state, edits []*groupEdit) {
	for _, e := range edits {
		var strays []string
		for _, m := range e.members {
			if e.add && strings.HasPrefix(m, "bulkId:") && e.g.members[m] {
				strays = append(strays, m)
			}
		}
		if len(strays) == 0 {
			continue
		}
		err := w.membersRequest(ctx, e.g, false, strays)
		if err == nil {
			err = w.refreshGroup(ctx, e.g)
		}
		if err == nil && slices.ContainsFunc(strays, func(m string) bool { return e.g.members[m] }) {
			err = errNotSeen
		}
		if err != nil {
			for _, j := range e.jobs {
				if j.err == nil {
					j.err = fmt.Errorf("the provider stored teamctl's Bulk reference %s in group %q as a member instead of resolving it, and taking it out failed (%w); remove it in the workspace", strings.Join(strays, ", "), e.g.name, err)
				}
			}
			continue
		}
		w.noticef("group %q: the provider stored teamctl's Bulk reference %s as a member instead of resolving it; teamctl took it out", e.g.name, strings.Join(strays, ", "))
	}
}

package scim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/go-multierror"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// Applied means seen: after each round of writes of a batch, Execute
// reads back what the round touched (each role group it edited, once; the
// users it created or (de)activated, a page of them a request) and
// fails, with errNotSeen, every change the read does not show. A round
// sent in Bulk whose effects do not show switches Bulk off for the rest of
// the run and is sent again in single requests. A group that shows none
// of the members the provider accepted for it stops the apply
// (reconcile.HaltError).

// errNotSeen is why a change the provider acknowledged is not applied.
var errNotSeen = errors.New("the provider acknowledged it, but the workspace does not show it")

// round is the group edits of one round of writes: by role, the jobs whose
// user joins the group, and those whose user leaves it.
type round struct {
	add, remove map[schema.Role][]*job
}

func newRound() round {
	return round{add: map[schema.Role][]*job{}, remove: map[schema.Role][]*job{}}
}

// firstRound is what a batch does first: the users join their new role
// groups, and people who leave the workspace leave their groups.
func (w *Workspace) firstRound(st *state, jobs []*job) round {
	r := newRound()
	for _, j := range jobs {
		if j.err != nil || j.userID == "" {
			continue
		}
		switch {
		case adds(j.c.Action):
			r.add[j.c.RoleAfter] = append(r.add[j.c.RoleAfter], j)
		case w.ep.delete && j.op != nil:
			// Deleting the user took it out of its groups.
		default:
			for _, role := range st.roles(j.userID) {
				r.remove[role] = append(r.remove[role], j)
			}
		}
	}
	return r
}

// secondRound takes the people whose new role shows out of their other
// role groups. It runs only after the first round was read back, so that
// nobody is ever left without a role, whatever the provider does with a
// failed request.
func secondRound(st *state, jobs []*job) round {
	r := newRound()
	for _, j := range jobs {
		if j.err != nil || j.userID == "" || !adds(j.c.Action) {
			continue
		}
		for _, role := range st.roles(j.userID) {
			if role != j.c.RoleAfter {
				r.remove[role] = append(r.remove[role], j)
			}
		}
	}
	return r
}

func (r round) empty() bool { return len(r.add) == 0 && len(r.remove) == 0 }

// roles returns the role groups the round touches.
func (r round) roles() []schema.Role {
	var rs []schema.Role
	for _, role := range schema.Roles {
		if len(r.add[role]) > 0 || len(r.remove[role]) > 0 {
			rs = append(rs, role)
		}
	}
	return rs
}

// editGroups sends the edits of r that the state says are still needed:
// adds first, then removes, each group's edits in requests of its own.
func (w *Workspace) editGroups(ctx context.Context, st *state, r round) {
	w.eachGroup(ctx, st, r.add, true)
	w.eachGroup(ctx, st, r.remove, false)
}

// readBack reads again the groups r touched and the users whose requests
// (create, activate, deactivate, delete) the jobs carried, into st. A job
// whose read failed gets the error.
func (w *Workspace) readBack(ctx context.Context, st *state, r round, jobs []*job) {
	var g multierror.Group
	for _, role := range r.roles() {
		grp := st.groups[role]
		g.Go(func() error {
			if err := w.refreshGroup(ctx, grp); err != nil {
				return fmt.Errorf("read back group %q: %w", grp.name, err)
			}
			return nil
		})
	}
	var users []*job
	for _, j := range jobs {
		if j.err == nil && j.op != nil && j.userID != "" {
			users = append(users, j)
		}
	}
	var found map[string]*user // nil: gone
	if len(users) > 0 {
		g.Go(func() (err error) {
			found, err = w.readUsers(ctx, st, users)
			return err
		})
	}
	err := g.Wait()
	for id, u := range found {
		st.update(id, u)
	}
	if err != nil {
		err.ErrorFormat = listErrors
		for _, j := range jobs {
			if j.err == nil {
				j.err = fmt.Errorf("the provider acknowledged it, but reading it back failed: %w", err)
			}
		}
	}
}

// listErrors formats the errors of concurrent requests, all of them.
func listErrors(errs []error) string {
	if len(errs) == 1 {
		return errs[0].Error()
	}
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	slices.Sort(msgs)
	return fmt.Sprintf("%d errors: %s", len(errs), strings.Join(msgs, "; "))
}

// usersPerRead bounds the userNames of one filtered read, so that its URL
// stays short enough for every provider.
const usersPerRead = 50

// readUsers reads the users of jobs, by id (nil for those that are gone):
// with `userName eq … or …` filters, a page of them a request, or, where
// the provider has no such filter, each user by id, concurrently. It
// reads st but does not change it.
func (w *Workspace) readUsers(ctx context.Context, st *state, jobs []*job) (map[string]*user, error) {
	f, err := w.discover(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]bool{}
	var names []string
	var rest []string // users read by id
	for _, j := range jobs {
		id := j.userID
		if byID[id] {
			continue
		}
		byID[id] = true
		name := j.op.email
		if name == "" && j.op.user != nil {
			name = j.op.user.email
		}
		if name == "" || !f.filter || w.noOr() {
			rest = append(rest, id)
			continue
		}
		names = append(names, name)
	}
	found := map[string]*user{}
	for chunk := range slices.Chunk(names, min(usersPerRead, f.pageSize)) {
		terms := make([]string, len(chunk))
		for i, n := range chunk {
			terms[i] = fmt.Sprintf("userName eq %q", n)
		}
		resp, err := w.do(ctx, http.MethodGet, fmt.Sprintf("/Users?count=%d&filter=%s", f.pageSize, url.QueryEscape(strings.Join(terms, " or "))), nil, "")
		if isStatus(err, http.StatusBadRequest) {
			if len(chunk) > 1 {
				w.refuseOr(err)
			}
			rest = slices.Collect(func(yield func(string) bool) {
				for id := range byID {
					if found[id] == nil && !yield(id) {
						return
					}
				}
			})
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read back users: %w", err)
		}
		var lr struct {
			TotalResults flex              `json:"totalResults"`
			Resources    []json.RawMessage `json:"Resources"`
		}
		if err := json.Unmarshal(resp.body, &lr); err != nil {
			return nil, fmt.Errorf("read back users: the response is not a SCIM list: %v", err)
		}
		for _, raw := range lr.Resources {
			if u, err := parseUser(raw); err == nil && byID[u.id] {
				found[u.id] = u
			}
		}
		if lr.TotalResults.int() > len(lr.Resources) {
			rest = nil // a partial answer: read each one not found by id
			for id := range byID {
				if found[id] == nil {
					rest = append(rest, id)
				}
			}
		}
	}
	slices.Sort(rest)
	rest = slices.DeleteFunc(slices.Compact(rest), func(id string) bool { return found[id] != nil })
	var mu sync.Mutex
	var g multierror.Group
	sem := make(chan struct{}, w.parallelism(reads))
	for _, id := range rest {
		g.Go(func() error {
			sem <- struct{}{}
			defer func() { <-sem }()
			resp, err := w.do(ctx, http.MethodGet, "/Users/"+url.PathEscape(id), nil, "")
			if isStatus(err, http.StatusNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read back user %s: %w", id, err)
			}
			u, err := parseUser(resp.body)
			if err != nil {
				return fmt.Errorf("read back user %s: %w", id, err)
			}
			mu.Lock()
			found[id] = u
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		err.ErrorFormat = listErrors
		return nil, err
	}
	out := make(map[string]*user, len(byID))
	for id := range byID {
		out[id] = found[id]
	}
	return out, nil
}

// update puts what a read shows of the user id into the state: u, or
// nothing when it is gone.
func (st *state) update(id string, u *user) {
	if u == nil {
		st.forget(id)
		return
	}
	if old := st.users[id]; old != nil && st.byKey[old.key()] == old {
		delete(st.byKey, old.key())
	}
	st.users[id] = u
	if cur := st.byKey[u.key()]; cur == nil || cur.id == id {
		st.byKey[u.key()] = u
	}
}

// shows reports whether st shows what j's user request and the edits of
// the round (second tells which) were to do.
func (w *Workspace) shows(st *state, j *job, second bool) bool {
	u := st.users[j.userID]
	if !second && j.op != nil {
		switch j.op.kind {
		case opCreate, opActivate:
			if u == nil || !u.active {
				return false
			}
		case opDeactivate:
			if u != nil && u.active {
				return false
			}
		case opDelete:
			if u != nil {
				return false
			}
		case opRename:
			if u == nil || u.key() != identity(j.op.email) {
				return false
			}
		}
	}
	switch {
	case adds(j.c.Action):
		held := st.roles(j.userID)
		if !slices.Contains(held, j.c.RoleAfter) {
			return false
		}
		return !second || len(held) == 1
	case w.ep.delete && j.op != nil:
		return true
	}
	return len(st.roles(j.userID)) == 0
}

// settleRound reads back a round and fails the jobs it does not show. It
// returns the jobs not shown whose requests went in Bulk, for the caller
// to send again alone; those are not failed.
func (w *Workspace) settleRound(ctx context.Context, st *state, r round, jobs []*job, second bool) []*job {
	if r.empty() && (second || !slices.ContainsFunc(jobs, func(j *job) bool { return j.err == nil && j.op != nil })) {
		return nil
	}
	var acked []*job
	for _, j := range jobs {
		if j.err == nil && j.userID != "" {
			acked = append(acked, j)
		}
	}
	readJobs := acked
	if second {
		readJobs = nil // users were read after the first round
	}
	w.readBack(ctx, st, r, readJobs)
	var again []*job
	unseen := map[schema.Role]int{}
	for _, j := range acked {
		if j.err != nil || w.shows(st, j, second) {
			continue
		}
		if j.viaBulk {
			again = append(again, j)
			continue
		}
		w.tracef("read back: %s %s is not shown (roles %v)", j.c.Action, j.c.Email, st.roles(j.userID))
		j.err = errNotSeen
		if !second && adds(j.c.Action) {
			unseen[j.c.RoleAfter]++
		}
	}
	// A group that lists none of the members the provider accepted for it
	// in this round does not list members at all, as far as teamctl can
	// tell: going on would add them again on every run.
	for role, n := range unseen {
		g := st.groups[role]
		shown := 0
		for _, j := range r.add[role] {
			if g.members[j.userID] {
				shown++
			}
		}
		if shown > 0 {
			continue
		}
		halt := &reconcile.HaltError{Err: fmt.Errorf("%w: group %q lists none of the %s the provider accepted for it (GET /Groups/%s shows %d), so nothing more is applied; "+
			"check that the provider returns a group's members when the group is read (--debug shows its answers)", errNotSeen, g.name, count(n, "new member"), g.id, len(g.members))}
		for _, j := range r.add[role] {
			if errors.Is(j.err, errNotSeen) {
				j.err = halt
			}
		}
	}
	return again
}

// retryAlone sends again, in single requests, the first round of the jobs
// whose Bulk requests did not show, after switching Bulk off for the rest
// of the run.
func (w *Workspace) retryAlone(ctx context.Context, st *state, jobs []*job) {
	w.mu.Lock()
	w.feat.bulk = false
	w.mu.Unlock()
	w.noticef("the provider acknowledged a Bulk request but does not show all it asked for; teamctl sends single requests for the rest of this run (add ?bulk=off to the workspace URL to skip Bulk from the start; --debug shows the answers)")
	var ops []*userOp
	for _, j := range jobs {
		j.viaBulk = false
		j.op, j.userID = nil, ""
		if j.err = w.prepare(st, j); j.err == nil && j.op != nil {
			ops = append(ops, j.op)
		}
	}
	w.sendAlone(ctx, ops)
	for _, j := range jobs {
		if j.err == nil && j.op != nil {
			j.err = w.settleUser(ctx, st, j)
		}
	}
	r := w.firstRound(st, jobs)
	w.editGroups(ctx, st, r)
	w.settleRound(ctx, st, r, jobs, false)
}

// count is n things, in the plural when n is not 1.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// noticef tells the user, on Config.Notice (else in the trace), what they
// should know about the provider.
func (w *Workspace) noticef(format string, args ...any) {
	if w.cfg.Notice == nil {
		w.tracef(format, args...)
		return
	}
	w.traceMu.Lock()
	defer w.traceMu.Unlock()
	fmt.Fprintln(w.cfg.Notice, "scim: "+fmt.Sprintf(format, args...))
}

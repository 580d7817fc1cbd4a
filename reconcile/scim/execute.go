package scim

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

const (
	userSchema  = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

	// editAttempts bounds re-reads of a group that changed under a request.
	editAttempts = 4
	// stopGrace is how long a batch in flight may go on after the caller
	// asked to stop (Ctrl-C), so that no change is left half made.
	stopGrace = 30 * time.Second
)

// job is one change on its way through Execute.
type job struct {
	c      reconcile.Change
	userID string
	op     *userOp // the request about the user itself, if any
	err    error
	// viaBulk is set when a Bulk request carried the job's user request
	// or group edit, and the provider acknowledged it.
	viaBulk bool
}

// Execute carries out a batch of independent changes, in two rounds,
// each read back (see verify.go). First the users: an invite creates one
// (or adopts the existing user with that userName, reactivating it), a
// remove deactivates (or deletes) one; then every member a change adds
// joins its new role group, and people who leave the workspace leave
// theirs. Only once the new roles show does the second round take people
// out of their old role groups, so that nobody who changes role is ever
// left without one, whatever the provider does with a failed request. It
// returns one error per change, nil for those applied: seen in the
// workspace, not only acknowledged.
//
// When ctx is cancelled during the batch, the batch goes on for up to 30
// seconds more, so that an invite does not stop between creating the user
// and adding it to its group; the caller stops before the next batch.
func (w *Workspace) Execute(ctx context.Context, batch []reconcile.Change) []error {
	errs := make([]error, len(batch))
	defer w.scrubAll(errs)
	if len(batch) == 0 {
		return errs
	}
	if ctx.Err() != nil {
		for i, c := range batch {
			errs[i] = changeError(c, ctx.Err())
		}
		return errs
	}
	ctx, stop := withGrace(ctx, stopGrace)
	defer stop()
	fail := func(err error) []error { // err names the package already
		for i, c := range batch {
			errs[i] = fmt.Errorf("%s %s: %w", c.Action, c.Email, err)
		}
		return errs
	}
	f, err := w.discover(ctx)
	if err != nil {
		return fail(err)
	}
	if err := w.checkNote(ctx); err != nil {
		return fail(err)
	}
	w.mu.Lock()
	st := w.st
	w.mu.Unlock()
	if st == nil {
		if st, err = w.read(ctx); err != nil {
			return fail(err)
		}
	}

	jobs := make([]*job, len(batch))
	var ops []*userOp
	for i, c := range batch {
		j := &job{c: c}
		jobs[i] = j
		j.err = w.prepare(st, j)
		if j.op != nil {
			ops = append(ops, j.op)
		}
	}
	// The first round: the users, then their new role groups, and
	// leavers out of theirs; in one Bulk request where it fits.
	edits := w.bulkEdits(f, st, jobs, ops)
	if edits != nil {
		w.runBulkBatch(ctx, ops, edits)
	} else {
		w.runUserOps(ctx, f, ops)
	}
	for _, j := range jobs {
		if j.err == nil && j.op != nil {
			j.viaBulk = j.op.bulk
			j.err = w.settleUser(ctx, st, j)
		}
	}
	for _, e := range edits {
		e.record()
	}
	first := w.firstRound(st, jobs)
	w.editGroups(ctx, st, first)
	if again := w.settleRound(ctx, st, first, jobs, false); len(again) > 0 {
		w.retryAlone(ctx, st, again)
	}
	w.resendTruncated(ctx, st, first, jobs)
	w.cleanStrays(ctx, st, edits)
	// The second round, once the new roles show: out of the old groups.
	second := secondRound(st, jobs)
	w.editGroups(ctx, st, second)
	w.settleRound(ctx, st, second, jobs, true)
	for i, j := range jobs {
		if j.err != nil {
			errs[i] = changeError(j.c, j.err)
		}
	}
	return errs
}

// resendTruncated sends again, in smaller requests, the adds of the first
// round r that the read-back does not show in a group that shows others
// of them: the provider acknowledged whole requests but kept only part
// (truncation, perpatch.go). It stops when a resend lands nothing.
func (w *Workspace) resendTruncated(ctx context.Context, st *state, r round, jobs []*job) {
	for {
		again := newRound()
		var resent []*job
		for role, js := range r.add {
			var unseen []*job
			for _, j := range js {
				var halt *reconcile.HaltError
				if errors.Is(j.err, errNotSeen) && !errors.As(j.err, &halt) {
					unseen = append(unseen, j)
				}
			}
			if len(unseen) == 0 || len(unseen) == len(js) {
				continue // all shown, or none: no truncation
			}
			sent := min(len(js), w.membersPerPatch())
			w.shrinkPerPatch(sent, "the provider acknowledged adding %d members to group %q, but it shows only %d of them", len(js), st.groups[role].name, len(js)-len(unseen))
			for _, j := range unseen {
				j.err = nil
			}
			again.add[role] = unseen
			resent = append(resent, unseen...)
		}
		if again.empty() {
			return
		}
		w.editGroups(ctx, st, again)
		w.settleRound(ctx, st, again, resent, false)
		r = again
	}
}

// withGrace returns a context that is cancelled grace after parent is.
func withGrace(parent context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	stopAfter := context.AfterFunc(parent, func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
		case <-ctx.Done():
		}
	})
	return ctx, func() {
		stopAfter()
		cancel()
	}
}

func changeError(c reconcile.Change, err error) error {
	return fmt.Errorf("scim: %s %s: %w", c.Action, c.Email, err)
}

// lookup finds the user a change is about: by id, else by identity.
func (st *state) lookup(c reconcile.Change) *user {
	if c.ID != "" {
		if u, ok := st.users[c.ID]; ok {
			return u
		}
	}
	return st.byKey[c.Key()]
}

// prepare decides the request about the user of j, if one is needed.
func (w *Workspace) prepare(st *state, j *job) error {
	c := j.c
	if c.Reason.Kind == reconcile.ReasonDangling {
		return prepareDangling(st, j)
	}
	u := st.lookup(c)
	switch c.Action {
	case reconcile.Invite, reconcile.ResendInvite:
		if !isRole(c.RoleAfter) {
			return fmt.Errorf("no role to invite to")
		}
		if u == nil {
			j.op = createUser(c)
			w.sendNote(j.op, c.Note)
			return nil
		}
		j.userID = u.id
		if !u.active {
			j.op = w.setActive(u, true)
			w.sendNote(j.op, c.Note)
		}
	case reconcile.ChangeRole, reconcile.UpdateInvite:
		if !isRole(c.RoleAfter) {
			return fmt.Errorf("no role to change to")
		}
		if u == nil {
			return fmt.Errorf("no such user in the workspace")
		}
		j.userID = u.id
	case reconcile.Rename:
		if !isRole(c.RoleAfter) {
			return fmt.Errorf("no role to keep")
		}
		// The user under the old email: by id, else by that email (a
		// saved plan carries no ids), never by the new one.
		u = nil
		if c.ID != "" {
			u = st.users[c.ID]
		}
		if u == nil {
			u = st.byKey[identity(c.EmailBefore)]
		}
		taken := st.byKey[c.Key()]
		switch {
		case u == nil && taken != nil:
			j.userID = taken.id // renamed already: only the role is left to check
			return nil
		case u == nil:
			return fmt.Errorf("no user %s in the workspace", c.EmailBefore)
		case taken != nil && taken != u:
			return fmt.Errorf("%s cannot be renamed to %s: the workspace already holds %s (user %s)", c.EmailBefore, c.Email, c.Email, taken.id)
		}
		j.userID = u.id
		if u.key() != c.Key() {
			j.op = w.renameUser(u, c.Email)
		}
	case reconcile.Remove, reconcile.CancelInvite:
		if u == nil {
			return nil
		}
		j.userID = u.id
		switch {
		case w.ep.delete:
			j.op = &userOp{kind: opDelete, method: http.MethodDelete, path: "/Users/" + url.PathEscape(u.id), ifMatch: u.etag, user: u}
		case u.active:
			j.op = w.setActive(u, false)
		}
	default:
		return fmt.Errorf("unknown action %q", c.Action)
	}
	return nil
}

// prepareDangling prepares the removal of a role-group member value that
// is no user: it edits the groups that hold that exact value, and nothing
// else. It resolves the value to nobody: a value that names a user now
// (by id, or as an address) is refused, never taken for that user.
func prepareDangling(st *state, j *job) error {
	v := j.c.ID
	if j.c.Action != reconcile.Remove || v == "" {
		return fmt.Errorf("a member value can only be removed")
	}
	if u := st.users[v]; u != nil {
		return fmt.Errorf("member value %s is now the id of user %s; teamctl removes a value only while it names nothing: plan again", v, u.email)
	}
	if u := st.claims()[identity(v)]; u != nil && identity(v) != "" {
		return fmt.Errorf("member value %s is now an address of user %s (id %s); teamctl never removes a user for a member value: plan again", v, u.email, u.id)
	}
	if len(st.roles(v)) > 0 {
		j.userID = v // out of its groups, and only that
	}
	return nil
}

func isRole(r schema.Role) bool { return slices.Contains(schema.Roles, r) }

type opKind int

const (
	opCreate opKind = iota
	opActivate
	opDeactivate
	opDelete
	opRename // a new userName and primary email
)

// userOp is one request about a user, sent alone or inside a Bulk request.
type userOp struct {
	kind    opKind
	method  string
	path    string
	body    any
	ifMatch string
	user    *user // the user it is about; nil for a create
	email   string
	note    string // the invite note it sets (note=), for a create or an activation

	// Results.
	bulk     bool // acknowledged inside a Bulk request
	status   int
	location string
	etag     string
	resp     []byte
	err      error
}

func createUser(c reconcile.Change) *userOp {
	email := strings.TrimSpace(c.Email)
	doc := map[string]any{
		"schemas":  []string{userSchema},
		"userName": email,
		"active":   true,
		"emails":   []map[string]any{{"value": email, "primary": true, "type": "work"}},
	}
	if c.Name != "" {
		doc["displayName"] = c.Name
		doc["name"] = map[string]any{"formatted": c.Name}
	}
	return &userOp{kind: opCreate, method: http.MethodPost, path: "/Users", body: doc, email: email}
}

func (w *Workspace) setActive(u *user, active bool) *userOp {
	k := opDeactivate
	if active {
		k = opActivate
	}
	w.mu.Lock()
	usePatch := w.feat.patch
	w.mu.Unlock()
	op := &userOp{kind: k, method: http.MethodPatch, path: "/Users/" + url.PathEscape(u.id), ifMatch: u.etag, user: u}
	if usePatch {
		op.body = patchOp(map[string]any{"op": "replace", "path": "active", "value": active})
	} else {
		op.method = http.MethodPut // body filled in by putUser
	}
	return op
}

// renameUser gives u the userName email and makes it the one, primary,
// email: a PATCH of both, or, for providers without PATCH, a PUT of the
// user read back (putUser).
func (w *Workspace) renameUser(u *user, email string) *userOp {
	email = strings.TrimSpace(email)
	w.mu.Lock()
	usePatch := w.feat.patch
	w.mu.Unlock()
	op := &userOp{kind: opRename, method: http.MethodPatch, path: "/Users/" + url.PathEscape(u.id), ifMatch: u.etag, user: u, email: email}
	if usePatch {
		op.body = patchOp(
			map[string]any{"op": "replace", "path": "userName", "value": email},
			map[string]any{"op": "replace", "path": "emails", "value": primaryEmail(email)},
		)
	} else {
		op.method = http.MethodPut // body filled in by putUser
	}
	return op
}

func primaryEmail(email string) []map[string]any {
	return []map[string]any{{"value": email, "primary": true, "type": "work"}}
}

func patchOp(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{patchSchema}, "Operations": ops}
}

// runUserOps sends the requests, in Bulk when the provider has it,
// otherwise one by one with bounded concurrency.
func (w *Workspace) runUserOps(ctx context.Context, f features, ops []*userOp) {
	if len(ops) == 0 {
		return
	}
	var single []*userOp
	if f.bulk && len(ops) > 1 {
		single = w.runBulk(ctx, f, ops)
	} else {
		single = ops
	}
	w.sendAlone(ctx, single)
}

// sendAlone sends each op in a request of its own, at most
// parallelism() at once.
func (w *Workspace) sendAlone(ctx context.Context, single []*userOp) {
	sem := make(chan struct{}, w.parallelism(writes))
	var wg sync.WaitGroup
	for _, op := range single {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			w.sendUserOp(ctx, op)
		}()
	}
	wg.Wait()
}

func (w *Workspace) sendUserOp(ctx context.Context, op *userOp) {
	if op.method == http.MethodPut {
		w.putUser(ctx, op)
		return
	}
	resp, err := w.do(ctx, op.method, op.path, op.body, op.ifMatch)
	if err != nil && unsupported(err) && op.method == http.MethodPatch {
		w.disable("patch")
		w.putUser(ctx, op)
		return
	}
	op.setResult(resp, err)
}

func (op *userOp) setResult(resp *response, err error) {
	op.err = err
	if resp != nil {
		op.status = resp.status
		op.location = resp.header.Get("Location")
		op.etag = resp.header.Get("Etag")
		op.resp = resp.body
	}
}

// putUser sets active by replacing the whole user (for providers without
// PATCH): it reads the user, changes active and writes it back.
func (w *Workspace) putUser(ctx context.Context, op *userOp) {
	for range editAttempts {
		resp, err := w.do(ctx, http.MethodGet, op.path, nil, "")
		if err != nil {
			op.err = err
			return
		}
		var doc map[string]any
		if err := json.Unmarshal(resp.body, &doc); err != nil {
			op.err = fmt.Errorf("GET %s: the user does not parse: %v", op.path, err)
			return
		}
		delete(doc, "meta")
		delete(doc, "password")
		if op.kind == opRename {
			doc["userName"], doc["emails"] = op.email, primaryEmail(op.email)
		} else {
			doc["active"] = op.kind == opActivate
		}
		if op.note != "" {
			w.ep.note.setIn(doc, op.note)
		}
		etag := ""
		if w.etags() {
			etag = resp.header.Get("Etag")
		}
		resp, err = w.do(ctx, http.MethodPut, op.path, doc, etag)
		if isStatus(err, http.StatusPreconditionFailed) {
			continue
		}
		op.setResult(resp, err)
		return
	}
	op.err = fmt.Errorf("PUT %s: the user kept changing; try again", op.path)
}

func (w *Workspace) etags() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.feat.etag
}

func isStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == status
}

func isScimType(err error, t string) bool {
	var e *Error
	return errors.As(err, &e) && strings.EqualFold(e.ScimType, t)
}

// settleUser reads the outcome of j's user request into the state. A
// create refused as a duplicate (409) adopts the existing user; a stale
// version (412) reads the user again and retries; deleting or deactivating
// a user that is gone is done.
func (w *Workspace) settleUser(ctx context.Context, st *state, j *job) error {
	op := j.op
	switch {
	case op.kind == opCreate && isStatus(op.err, http.StatusConflict):
		u, err := w.findUser(ctx, st, op.email)
		if err != nil {
			return fmt.Errorf("%w; looking up the existing user: %v", op.err, err)
		}
		j.userID = u.id
		if !u.active {
			act := w.setActive(u, true)
			w.sendNote(act, op.note)
			w.sendUserOp(ctx, act)
			if act.err != nil {
				return act.err
			}
			u.active = true
		}
		return nil
	case op.kind != opCreate && isStatus(op.err, http.StatusNotFound):
		if op.kind == opActivate {
			return op.err
		}
		st.forget(op.user.id)
		return nil
	case op.kind != opCreate && isStatus(op.err, http.StatusPreconditionFailed):
		if err := w.resolveConflict(ctx, op); err != nil {
			return err
		}
	case op.err != nil:
		return op.err
	}
	switch op.kind {
	case opCreate:
		u, err := createdUser(op)
		if err != nil {
			return err
		}
		st.users[u.id] = u
		st.byKey[u.key()] = u
		j.userID = u.id
	case opActivate, opDeactivate:
		op.user.active = op.kind == opActivate
		if op.etag != "" {
			op.user.etag = op.etag
		}
	case opDelete:
		st.forget(op.user.id)
	case opRename:
		u := op.user
		if st.byKey[u.key()] == u {
			delete(st.byKey, u.key())
		}
		u.email, u.aliases = op.email, nil
		st.byKey[u.key()] = u
		if op.etag != "" {
			u.etag = op.etag
		}
	}
	return nil
}

// resolveConflict handles a 412 on a request about a user: the user
// changed since teamctl read it, perhaps by teamctl's own earlier attempt
// whose answer was lost. It reads the user again: when the change is
// already made it is done; otherwise it sends the request again with the
// new version.
func (w *Workspace) resolveConflict(ctx context.Context, op *userOp) error {
	for range editAttempts {
		resp, err := w.do(ctx, http.MethodGet, op.path, nil, "")
		if isStatus(err, http.StatusNotFound) && op.kind != opActivate {
			op.err = nil
			return nil
		}
		if err != nil {
			return err
		}
		u, err := parseUser(resp.body)
		if err != nil {
			return fmt.Errorf("GET %s: %w", op.path, err)
		}
		etag := cmp.Or(resp.header.Get("Etag"), u.etag)
		if (op.kind == opActivate && u.active) || (op.kind == opDeactivate && !u.active) || (op.kind == opRename && u.key() == identity(op.email)) {
			op.err, op.etag = nil, etag
			return nil
		}
		op.ifMatch, op.err = etag, nil
		w.sendUserOp(ctx, op)
		if !isStatus(op.err, http.StatusPreconditionFailed) {
			return op.err
		}
	}
	return fmt.Errorf("%s %s: the user kept changing; try again", op.method, op.path)
}

func (st *state) forget(id string) {
	if u, ok := st.users[id]; ok {
		delete(st.users, id)
		if st.byKey[u.key()] == u {
			delete(st.byKey, u.key())
		}
	}
	for _, g := range st.groups {
		delete(g.members, id)
	}
}

// createdUser reads the user a create made, from the response body or, in
// a Bulk response, from its location.
func createdUser(op *userOp) (*user, error) {
	if len(op.resp) > 0 {
		if u, err := parseUser(op.resp); err == nil && u.id != "" {
			if u.email == "" {
				u.email = op.email
			}
			if op.etag != "" {
				u.etag = op.etag
			}
			return u, nil
		}
	}
	if op.location != "" {
		if loc, err := url.Parse(op.location); err == nil {
			if id := path.Base(loc.Path); id != "" && id != "/" && id != "." {
				id, _ = url.PathUnescape(id)
				return &user{id: id, email: op.email, active: true, etag: op.etag}, nil
			}
		}
	}
	return nil, fmt.Errorf("%s %s: the provider created the user but did not say its id", op.method, op.path)
}

// findUser finds the existing user with the given userName, comparing
// identities on teamctl's side: first with a filter, then, for providers
// that compare case-sensitively or do not filter, in the full list.
func (w *Workspace) findUser(ctx context.Context, st *state, email string) (*user, error) {
	key := schema.Key(email)
	filter := fmt.Sprintf("userName eq %q", email)
	resp, err := w.do(ctx, http.MethodGet, "/Users?filter="+url.QueryEscape(filter), nil, "")
	if err == nil {
		var lr struct {
			Resources []json.RawMessage `json:"Resources"`
		}
		if json.Unmarshal(resp.body, &lr) == nil {
			for _, raw := range lr.Resources {
				if u, err := parseUser(raw); err == nil && u.key() == key {
					st.users[u.id] = u
					st.byKey[key] = u
					return u, nil
				}
			}
		}
	}
	f, err := w.discover(ctx)
	if err != nil {
		return nil, err
	}
	all, err := w.list(withSnapshotBudget(ctx, w.snapshotLimit), "/Users", f.pageSize, "")
	if err != nil {
		return nil, err
	}
	var claimant *user
	for _, raw := range all {
		u, err := parseUser(raw)
		switch {
		case err != nil:
		case u.key() == key:
			st.users[u.id] = u
			st.byKey[key] = u
			return u, nil
		case claimant == nil && u.claims(key):
			claimant = u
		}
	}
	if claimant != nil {
		return nil, fmt.Errorf("no user has the userName %s; user %q (id %s) carries the address without being it, and teamctl never adopts another user: fix that user in the workspace", email, claimant.email, claimant.id)
	}
	return nil, fmt.Errorf("no user %s found", email)
}

// eachGroup runs the edits of each group, the groups concurrently, and
// sets the error of every job whose edit failed.
func (w *Workspace) eachGroup(ctx context.Context, st *state, byRole map[schema.Role][]*job, add bool) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for role, js := range byRole {
		g := st.groups[role]
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The size is read for each request: a refusal may shrink it.
			for rest := js; len(rest) > 0; {
				chunk := rest[:min(len(rest), w.membersPerPatch())]
				rest = rest[len(chunk):]
				errs := w.editMembers(ctx, g, add, chunk)
				mu.Lock()
				for i, err := range errs {
					if err != nil && chunk[i].err == nil {
						chunk[i].err = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// editMembers adds or removes the users of js in g, in one request. When
// the provider refuses it for a reason other than a change under it, each
// member is tried alone, so that one bad change does not fail the others.
func (w *Workspace) editMembers(ctx context.Context, g *group, add bool, js []*job) []error {
	ids := make([]string, len(js))
	for i, j := range js {
		ids[i] = j.userID
	}
	errs := make([]error, len(js))
	err := w.membersRequest(ctx, g, add, ids)
	if err == nil {
		return errs
	}
	var e *Error
	if len(js) == 1 || !errors.As(err, &e) || e.Status >= 500 || isAuth(err) {
		for i := range errs {
			errs[i] = groupError(g, add, err)
		}
		return errs
	}
	for i, id := range ids {
		if err := w.membersRequest(ctx, g, add, []string{id}); err != nil {
			errs[i] = groupError(g, add, err)
		}
	}
	return errs
}

func groupError(g *group, add bool, err error) error {
	if add {
		return fmt.Errorf("add to group %q: %w", g.name, err)
	}
	return fmt.Errorf("remove from group %q: %w", g.name, err)
}

// membersRequest brings g to hold (add) or not hold the users ids. It
// sends If-Match with the group's version where the provider has ETags,
// and on 412, or a remove that finds nothing to remove (noTarget), reads
// the group again and sends what is still needed.
func (w *Workspace) membersRequest(ctx context.Context, g *group, add bool, ids []string) error {
	// Each turn sends at most membersPerPatch of what is still needed.
	// Only re-reads count against editAttempts: every other turn lands
	// members or halves the size, so the loop ends.
	var last error      // the provider's last answer, for the error that gives up
	putInstead := false // PATCH remove answered noTarget for members the group holds
	for tries := 0; tries < editAttempts; {
		var pending []string
		for _, id := range ids {
			if g.members[id] != add {
				pending = append(pending, id)
			}
		}
		if len(pending) == 0 {
			return nil
		}
		w.mu.Lock()
		usePatch, etags := w.feat.patch, w.feat.etag
		w.mu.Unlock()
		if !usePatch || putInstead {
			err := w.putMembers(ctx, g, add, pending)
			if isStatus(err, http.StatusPreconditionFailed) {
				tries++
				last = err
				continue
			}
			return err
		}
		part := pending[:min(len(pending), w.membersPerPatch())]
		ifMatch := ""
		if etags {
			ifMatch = g.etag
		}
		resp, err := w.do(ctx, http.MethodPatch, "/Groups/"+url.PathEscape(g.id), memberOps(add, part), ifMatch)
		switch {
		case err == nil:
			g.etag = resp.header.Get("Etag")
			shown, ok := landed(resp.body, add, part)
			if !ok {
				shown = part // acknowledged; the read-back judges
			}
			updateMembers(g.members, add, shown...)
			if len(shown) < len(part) {
				w.shrinkPerPatch(len(part), "the provider carried out only %d members of a request of %d to group %q", len(shown), len(part), g.name)
			}
		case tooMany(err) && len(part) > 1:
			w.shrinkPerPatch(len(part), "the provider refused a request of %d members to group %q (%v)", len(part), g.name, err)
		case isStatus(err, http.StatusPreconditionFailed):
			tries++
			last = err
			if err := w.refreshGroup(ctx, g); err != nil {
				return err
			}
		case !add && isScimType(err, "noTarget"):
			// The provider finds nothing to remove: either someone
			// removed it meanwhile (the read shows it gone, and it is
			// done), or the provider cannot remove by filter what the
			// group holds (a known server bug): then the group is
			// written whole, with PUT, as for a provider without PATCH.
			tries++
			last = err
			if err := w.refreshGroup(ctx, g); err != nil {
				return err
			}
			if slices.ContainsFunc(part, func(id string) bool { return g.members[id] }) {
				w.tracef("group %q: PATCH remove answered noTarget for members the group holds (%v); writing the group with PUT", g.name, err)
				putInstead = true
			}
		case unsupported(err):
			tries++
			last = err
			w.disable("patch")
		default:
			return err
		}
	}
	return fmt.Errorf("group %q kept changing under %d attempts; try again (the provider's last answer: %w)", g.name, editAttempts, last)
}

// memberOps is the PatchOp that adds the members ids to a group, or
// removes them (one remove operation each, by a value filter).
func memberOps(add bool, ids []string) map[string]any {
	if add {
		values := make([]map[string]any, len(ids))
		for i, id := range ids {
			values[i] = map[string]any{"value": id}
		}
		return patchOp(map[string]any{"op": "add", "path": "members", "value": values})
	}
	ops := make([]map[string]any, len(ids))
	for i, id := range ids {
		ops[i] = map[string]any{"op": "remove", "path": fmt.Sprintf("members[value eq %q]", id)}
	}
	return patchOp(ops...)
}

// refreshGroup reads g again.
func (w *Workspace) refreshGroup(ctx context.Context, g *group) error {
	resp, err := w.do(ctx, http.MethodGet, "/Groups/"+url.PathEscape(g.id), nil, "")
	if err != nil {
		return err
	}
	fresh, err := parseGroup(resp.body)
	if err != nil {
		return fmt.Errorf("GET /Groups/%s: %v", g.id, err)
	}
	g.members = fresh.members
	g.etag = cmp.Or(resp.header.Get("Etag"), fresh.etag)
	return nil
}

// putMembers replaces the group's member list (for providers without
// PATCH), reading it first and sending If-Match where ETags are supported.
func (w *Workspace) putMembers(ctx context.Context, g *group, add bool, ids []string) error {
	p := "/Groups/" + url.PathEscape(g.id)
	resp, err := w.do(ctx, http.MethodGet, p, nil, "")
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(resp.body, &doc); err != nil {
		return fmt.Errorf("GET %s: the group does not parse: %v", p, err)
	}
	fresh, err := parseGroup(resp.body)
	if err != nil {
		return fmt.Errorf("GET %s: %v", p, err)
	}
	members := fresh.members
	updateMembers(members, add, ids...)
	list := make([]map[string]any, 0, len(members))
	for _, id := range slices.Sorted(maps.Keys(members)) {
		list = append(list, map[string]any{"value": id})
	}
	delete(doc, "meta")
	doc["schemas"] = []string{groupSchema}
	doc["members"] = list
	ifMatch := ""
	if w.etags() {
		ifMatch = cmp.Or(resp.header.Get("Etag"), fresh.etag)
	}
	resp, err = w.do(ctx, http.MethodPut, p, doc, ifMatch)
	if err != nil {
		return err
	}
	g.members = members
	g.etag = resp.header.Get("Etag")
	return nil
}

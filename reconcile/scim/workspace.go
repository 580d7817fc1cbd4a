package scim

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-multierror"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// Workspace is a SCIM service provider seen as a team workspace. It
// satisfies reconcile.Workspace. It is safe for use by one apply at a time.
type Workspace struct {
	cfg    Config
	ep     endpoint
	client *http.Client

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	traceMu sync.Mutex

	snapshotLimit int64 // bytes one read of the workspace may take (limits.go)

	pace *pacer // every request waits its turn (pace.go)

	mu   sync.Mutex
	feat *features // nil until discovered
	// perPatch is the most members one group request carries; it only
	// shrinks (perpatch.go).
	perPatch int
	st       *state // the last read of users and role groups; nil until read
}

// New returns the workspace at cfg.URL. It checks the URL and the token but
// makes no request: discovery happens on first use.
func New(cfg Config) (*Workspace, error) {
	ep, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	if strings.ContainsAny(cfg.Token, "\r\n") {
		return nil, fmt.Errorf("scim: the token in %s holds a line break", TokenEnv)
	}
	client, err := newHTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	w := &Workspace{cfg: cfg, ep: ep, client: client, now: time.Now, sleep: sleepCtx, snapshotLimit: maxSnapshotBytes}
	w.pace = newPacer(ep.rate, w.tracef)
	w.pace.maxHold = cfg.Retry.withDefaults().MaxDelay
	w.perPatch = cmp.Or(ep.perPatch, defaultPerPatch)
	return w, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Workspace) timeout() time.Duration {
	if w.cfg.Timeout > 0 {
		return w.cfg.Timeout
	}
	return 30 * time.Second
}

// features are what the provider supports, as discovered and as learnt
// when it turned out to advertise more than it does.
type features struct {
	pageSize       int
	filter         bool
	patch          bool
	bulk           bool
	bulkMaxOps     int
	bulkMaxPayload int
	etag           bool
	// noOr is set once the provider refused a filter that joins terms
	// with or: it is then asked one term a request.
	noOr bool
	// cursor: the provider pages by cursor (RFC 9865, cursor.go).
	cursor bool
	// zeroBased: the provider counts startIndex from 0 (dialect.go).
	zeroBased bool
}

const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// flex reads a JSON boolean or number that some providers write as a
// string.
type flex string

func (f *flex) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*f = flex(strings.TrimSpace(s))
		return nil
	}
	*f = flex(strings.TrimSpace(string(b)))
	return nil
}

func (f flex) bool() bool { return strings.EqualFold(string(f), "true") }
func (f flex) int() int   { n, _ := strconv.Atoi(string(f)); return n }

type serviceProviderConfig struct {
	Patch struct {
		Supported flex `json:"supported"`
	} `json:"patch"`
	Bulk struct {
		Supported      flex `json:"supported"`
		MaxOperations  flex `json:"maxOperations"`
		MaxPayloadSize flex `json:"maxPayloadSize"`
	} `json:"bulk"`
	Filter struct {
		Supported  flex `json:"supported"`
		MaxResults flex `json:"maxResults"`
	} `json:"filter"`
	Etag struct {
		Supported flex `json:"supported"`
	} `json:"etag"`
	Pagination struct {
		Cursor      flex `json:"cursor"`
		MaxPageSize flex `json:"maxPageSize"`
	} `json:"pagination"`
}

// discover reads /ServiceProviderConfig once. A provider without one, or
// with one that does not parse, gets cautious defaults: 100 per page,
// PATCH, no Bulk, no ETags. What it advertises is checked in use: Bulk or
// PATCH that answer 404, 405 or 501 are switched off, and If-Match is sent
// only with a version the provider gave.
func (w *Workspace) discover(ctx context.Context) (features, error) {
	w.mu.Lock()
	if w.feat != nil {
		f := *w.feat
		w.mu.Unlock()
		return f, nil
	}
	w.mu.Unlock()

	f := features{pageSize: defaultPageSize, patch: true, filter: true}
	resp, err := w.do(ctx, http.MethodGet, "/ServiceProviderConfig", nil, "")
	var spc serviceProviderConfig
	switch {
	case err == nil && json.Unmarshal(resp.body, &spc) == nil:
		if n := spc.Filter.MaxResults.int(); n > 0 {
			f.pageSize = min(n, maxPageSize)
		}
		f.filter = spc.Filter.Supported.bool()
		f.patch = spc.Patch.Supported.bool()
		f.etag = spc.Etag.Supported.bool()
		f.cursor = spc.Pagination.Cursor.bool()
		if n := spc.Pagination.MaxPageSize.int(); f.cursor && n > 0 {
			f.pageSize = min(n, maxPageSize)
		}
		f.bulkMaxOps = spc.Bulk.MaxOperations.int()
		f.bulkMaxPayload = spc.Bulk.MaxPayloadSize.int()
		f.bulk = spc.Bulk.Supported.bool() && f.bulkMaxOps > 1
		if f.bulk && f.bulkMaxPayload <= 0 {
			f.bulkMaxPayload = 256 << 10
		}
		if f.bulk && w.ep.noBulk {
			w.tracef("the service provider has Bulk; not using it (bulk=off)")
			f.bulk = false
		}
	case err == nil:
		w.tracef("the service provider config does not parse; using defaults")
	default:
		var e *Error
		if !errors.As(err, &e) || isAuth(err) {
			return features{}, fmt.Errorf("scim: discovery: %w", err)
		}
		w.tracef("no service provider config (%v); using defaults", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.feat = &f
	return f, nil
}

// noOr reports whether the provider refused an or filter.
func (w *Workspace) noOr() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.feat != nil && w.feat.noOr
}

// refuseOr remembers that the provider refused an or filter (with err).
func (w *Workspace) refuseOr(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.feat != nil && !w.feat.noOr {
		w.feat.noOr = true
		w.tracef("the service provider refuses filters joined with or (%v); asking one term a request", err)
	}
}

func isAuth(err error) bool {
	var a *authError
	return errors.As(err, &a)
}

// unsupported reports whether err says the provider does not have the
// feature after all.
func unsupported(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Status == http.StatusNotImplemented || e.Status == http.StatusMethodNotAllowed || e.Status == http.StatusNotFound)
}

func (w *Workspace) disable(what string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch what {
	case "bulk":
		w.feat.bulk = false
	case "patch":
		w.feat.patch = false
	}
	w.tracef("the service provider does not support %s after all; going without", what)
}

// user is a SCIM user as teamctl reads it.
type user struct {
	id      string
	email   string // its userName, which is its identity (identity.go)
	aliases []string
	name    string
	active  bool
	etag    string
}

func (u *user) key() string { return identity(u.email) }

// group is a role group.
type group struct {
	id      string
	name    string
	etag    string
	members map[string]bool // user ids
}

// updateMembers adds ids to a group's member set, or removes them when add
// is false.
func updateMembers(members map[string]bool, add bool, ids ...string) {
	for _, id := range ids {
		if add {
			members[id] = true
		} else {
			delete(members, id)
		}
	}
}

// state is the last read of the provider, updated by Execute as it goes.
type state struct {
	users  map[string]*user // by id
	byKey  map[string]*user // by identity; the user teamctl manages
	groups map[schema.Role]*group
}

// roles returns the role groups the user is in, broadest first.
func (s *state) roles(id string) []schema.Role {
	var rs []schema.Role
	for _, r := range schema.Roles {
		if g := s.groups[r]; g != nil && g.members[id] {
			rs = append(rs, r)
		}
	}
	return rs
}

// Snapshot reads every user and the role groups, and returns the users in
// a role group as members.
func (w *Workspace) Snapshot(ctx context.Context) (_ *reconcile.Live, err error) {
	defer w.scrub(&err)
	if err := w.checkNote(ctx); err != nil {
		return nil, err
	}
	st, dangling, err := w.readStable(ctx)
	if err != nil {
		return nil, err
	}
	// SCIM does not tell the workspace's name: Name stays empty, so that
	// the plan does not compare it with the team file's workspace key.
	live := &reconcile.Live{}
	seen := map[string]*user{}
	for _, u := range st.users {
		roles := st.roles(u.id)
		if len(roles) == 0 {
			continue
		}
		if u.key() == "" {
			return nil, fmt.Errorf("scim: user %s is in the %s role group but has no userName; give it one in the workspace", u.id, roles[0])
		}
		if other, ok := seen[u.key()]; ok {
			a, b := min(other.id, u.id), max(other.id, u.id)
			return nil, fmt.Errorf("scim: users %s and %s are both %s and both in role groups; remove one of them in the workspace", a, b, u.key())
		}
		seen[u.key()] = u
		m := reconcile.Member{Email: u.email, Name: u.name, Role: roles[0], Status: reconcile.Active, ID: u.id}
		if len(roles) > 1 {
			m.OtherRoles = roles[1:]
		}
		if !u.active {
			m.Status, m.InRoleGroup = reconcile.Suspended, true
		}
		live.Members = append(live.Members, m)
	}
	slices.SortFunc(live.Members, func(a, b reconcile.Member) int {
		return cmp.Or(strings.Compare(a.Key(), b.Key()), strings.Compare(a.ID, b.ID))
	})
	live.Aliases = st.liveAliases()
	live.Dangling = dangling
	return live, nil
}

// read lists users and groups and keeps them as the state.
func (w *Workspace) read(ctx context.Context) (*state, error) {
	ctx = withSnapshotBudget(ctx, w.snapshotLimit)
	f, err := w.discover(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := w.readGroups(ctx, f)
	if err != nil {
		return nil, err
	}
	st := &state{users: map[string]*user{}, byKey: map[string]*user{}, groups: groups}
	users, err := w.list(ctx, "/Users", f.pageSize, "")
	if err != nil {
		return nil, err
	}
	for _, raw := range users {
		u, err := parseUser(raw)
		if err != nil {
			return nil, fmt.Errorf("scim: list /Users: %w", err)
		}
		st.users[u.id] = u
	}
	st.index()
	w.mu.Lock()
	w.st = st
	w.mu.Unlock()
	return st, nil
}

// index picks, for each identity, the user teamctl manages: one in a role
// group, else an active one, else the first by id.
func (s *state) index() {
	s.byKey = map[string]*user{}
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rank := func(u *user) int {
		switch {
		case len(s.roles(u.id)) > 0:
			return 2
		case u.active:
			return 1
		}
		return 0
	}
	for _, id := range ids {
		u := s.users[id]
		if cur, ok := s.byKey[u.key()]; !ok || rank(u) > rank(cur) {
			s.byKey[u.key()] = u
		}
	}
}

func (w *Workspace) findGroup(groups []json.RawMessage, name string, role schema.Role) (*group, error) {
	var exact, folded []*group
	var names []string
	for _, raw := range groups {
		g, err := parseGroup(raw)
		if err != nil {
			return nil, fmt.Errorf("scim: list /Groups: %w", err)
		}
		names = append(names, g.name)
		switch {
		case g.name == name:
			exact = append(exact, g)
		case equalFoldASCII(g.name, name):
			folded = append(folded, g)
		}
	}
	found, err := oneGroup(exact, folded, name, role)
	if err != nil || found != nil {
		return found, err
	}
	slices.Sort(names)
	have := "no groups"
	if len(names) > 0 {
		have = "groups " + strings.Join(quoteAll(names), ", ")
	}
	return nil, fmt.Errorf("scim: the %s role group %q does not exist (the workspace has %s): create it in the workspace, or name another with ?%ss=NAME in the workspace URL", role, name, have, role)
}

// oneGroup picks the role group among the groups named name exactly, else
// among those whose names differ from it only in case; nil when there is
// none. Two candidates are an error naming both: teamctl cannot tell which
// one grants the role, and taking either would let whoever made the other
// decide who is an admin.
func oneGroup(exact, folded []*group, name string, role schema.Role) (*group, error) {
	candidates := exact
	if len(candidates) == 0 {
		candidates = folded
	}
	switch len(candidates) {
	case 0:
		return nil, nil
	case 1:
		return candidates[0], nil
	}
	ids := make([]string, len(candidates))
	for i, g := range candidates {
		ids[i] = g.id
	}
	slices.Sort(ids)
	return nil, fmt.Errorf("scim: %d groups are named %q (ids %s): teamctl cannot tell which one is the %s role group; rename or delete the others in the workspace, or name another group with ?%ss=NAME in the workspace URL", len(candidates), name, strings.Join(ids, ", "), role, role)
}

func quoteAll(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return q
}

// maxPages bounds a list, whatever the server says of its size.
const maxPages = 10000

// list reads every resource at path page by page, with query added to
// each request (RFC 7644 section 3.4.2.4). It advances by the resources
// new to it, never by itemsPerPage, stops at totalResults, and drops
// resources seen before (a page may shift when the list changes
// meanwhile, or hold more than asked, repeating some). A list that ends
// with fewer resources than the server says it has is read again once,
// and refused when it is still short: nothing is planned from part of a
// workspace.
func (w *Workspace) list(ctx context.Context, path string, pageSize int, query string) ([]json.RawMessage, error) {
	if w.byCursor() {
		out, refused, err := w.listByCursor(ctx, path, pageSize, query)
		if !refused {
			return out, err
		}
	}
	out, total, err := w.listOnce(ctx, path, pageSize, query)
	if err != nil || len(out) >= total {
		return out, err
	}
	w.tracef("list %s: the pages held %d resources, the server says it has %d; reading it again", path, len(out), total)
	w.checkZeroBased(ctx, path, query, out)
	out, total, err = w.listOnce(ctx, path, pageSize, query)
	if err == nil && len(out) < total {
		return nil, fmt.Errorf("scim: list %s: the server says it has %d resources but its pages held %d, twice; it does not paginate correctly, and teamctl does not plan from part of a list", path, total, len(out))
	}
	return out, err
}

// listOnce reads the list once; it returns the resources and the last
// totalResults the server gave.
func (w *Workspace) listOnce(ctx context.Context, path string, pageSize int, query string) ([]json.RawMessage, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // pages fetched ahead and not needed
	var out []json.RawMessage
	seen := map[string]bool{}
	start := 1
	var ahead map[int]<-chan listPage
	firstTotal := 0
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, 0, fmt.Errorf("scim: list %s: more than %d pages; giving up", path, maxPages)
		}
		next, ok := ahead[start]
		if !ok {
			next = w.fetchPage(ctx, path, start, pageSize, query, nil)
		}
		lp := <-next
		if lp.err != nil {
			return nil, 0, pageErrors(lp.err, start, ahead)
		}
		if page == 0 {
			firstTotal = lp.total
		} else if lp.total != firstTotal {
			return nil, 0, &unstableError{fmt.Sprintf("list %s: totalResults was %d on the first page and %d at startIndex=%d", path, firstTotal, lp.total, start)}
		}
		fresh := 0
		for _, raw := range lp.resources {
			var head struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &head) != nil || head.ID == "" {
				return nil, 0, fmt.Errorf("scim: list %s: a resource without an id", path)
			}
			if !seen[head.ID] {
				seen[head.ID] = true
				out = append(out, raw)
				fresh++
			}
		}
		if len(lp.resources) == 0 {
			return out, lp.total, nil
		}
		if fresh == 0 {
			return nil, 0, fmt.Errorf("scim: list %s: the server answered startIndex=%d with resources it had already listed; it does not paginate correctly", path, start)
		}
		if fresh < len(lp.resources) || len(lp.resources) > pageSize {
			w.tracef("list %s: the page at startIndex=%d held %d resources (%d asked), %d of them listed before", path, start, len(lp.resources), pageSize, len(lp.resources)-fresh)
		}
		// Stop at totalResults; a server that says fewer than it has
		// already returned is read on until an empty page.
		start += fresh
		if start > lp.total && lp.total >= len(out) {
			return out, lp.total, nil
		}
		if page == 0 {
			ahead = w.fetchAhead(ctx, path, start, len(lp.resources), lp.total, pageSize, query)
		}
	}
}

// pageErrors is the error of the page at start, with those of the other
// pages fetched ahead that have failed too, so that all are seen at once.
func pageErrors(err error, start int, ahead map[int]<-chan listPage) error {
	all := &multierror.Error{Errors: []error{err}, ErrorFormat: listErrors}
	for _, s := range slices.Sorted(maps.Keys(ahead)) {
		if s == start {
			continue
		}
		select {
		case lp := <-ahead[s]:
			if lp.err != nil && !errors.Is(lp.err, context.Canceled) {
				all = multierror.Append(all, lp.err)
			}
		default:
		}
	}
	if len(all.Errors) == 1 {
		return err
	}
	return all
}

// listPage is one page of a list, or why it could not be read.
type listPage struct {
	resources []json.RawMessage
	total     int
	err       error
}

// fetchAhead asks, at most parallelism() at a time, for the pages
// after the first at the starts a server that pages regularly puts them:
// every n resources up to total. The first page tells both. list takes
// them in order and checks each as it does any page; a server that pages
// otherwise is read on page by page, and costs only the pages fetched in
// vain. On a regular server the list costs the same requests, in a
// fraction of the time.
func (w *Workspace) fetchAhead(ctx context.Context, path string, start, n, total, pageSize int, query string) map[int]<-chan listPage {
	ahead := map[int]<-chan listPage{}
	sem := make(chan struct{}, w.parallelism(reads))
	for s := start; s <= total && len(ahead) < maxPages; s += n {
		ahead[s] = w.fetchPage(ctx, path, s, pageSize, query, sem)
	}
	return ahead
}

// fetchPage reads the page at start in the background, holding a slot of
// sem (when not nil) while it does.
func (w *Workspace) fetchPage(ctx context.Context, path string, start, pageSize int, query string, sem chan struct{}) <-chan listPage {
	done := make(chan listPage, 1)
	go func() {
		if sem != nil {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				done <- listPage{err: fmt.Errorf("scim: list %s: %w", path, ctx.Err())}
				return
			}
		}
		resp, err := w.do(ctx, http.MethodGet, fmt.Sprintf("%s?startIndex=%d&count=%d%s", path, start-w.indexShift(), pageSize, query), nil, "")
		if err != nil {
			done <- listPage{err: fmt.Errorf("scim: list %s: %w", path, err)}
			return
		}
		var lr struct {
			TotalResults flex              `json:"totalResults"`
			Resources    []json.RawMessage `json:"Resources"`
		}
		if err := json.Unmarshal(resp.body, &lr); err != nil {
			done <- listPage{err: fmt.Errorf("scim: list %s: the response is not a SCIM list: %v", path, err)}
			return
		}
		done <- listPage{resources: lr.Resources, total: lr.TotalResults.int()}
	}()
	return done
}

type userDoc struct {
	ID       string `json:"id"`
	UserName string `json:"userName"`
	Name     struct {
		Formatted  string `json:"formatted"`
		GivenName  string `json:"givenName"`
		FamilyName string `json:"familyName"`
	} `json:"name"`
	DisplayName string          `json:"displayName"`
	Active      json.RawMessage `json:"active"`
	Emails      []struct {
		Value   string `json:"value"`
		Primary flex   `json:"primary"`
	} `json:"emails"`
	Meta struct {
		Version string `json:"version"`
	} `json:"meta"`
}

func parseUser(raw []byte) (*user, error) {
	var d userDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("a user does not parse: %v", err)
	}
	if err := d.checkSizes(); err != nil {
		return nil, err
	}
	u := &user{id: d.ID, email: strings.Trim(d.UserName, " \t\r\n"), active: true, etag: d.Meta.Version}
	u.aliases = aliases(d.UserName, d.emails())
	var active flex
	if len(d.Active) > 0 && json.Unmarshal(d.Active, &active) == nil && strings.EqualFold(string(active), "false") {
		u.active = false
	}
	u.name = cmp.Or(d.DisplayName, d.Name.Formatted, strings.TrimSpace(d.Name.GivenName+" "+d.Name.FamilyName))
	return u, nil
}

type groupDoc struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Members     []struct {
		Value string `json:"value"`
	} `json:"members"`
	Meta struct {
		Version string `json:"version"`
	} `json:"meta"`
}

func parseGroup(raw []byte) (*group, error) {
	var d groupDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("a group does not parse: %v", err)
	}
	if len(d.DisplayName) > maxNameBytes {
		return nil, fmt.Errorf("group %.40q: its displayName is %d bytes, more than any real one has (at most %d); fix the group in the workspace", d.ID, len(d.DisplayName), maxNameBytes)
	}
	g := &group{id: d.ID, name: d.DisplayName, etag: d.Meta.Version, members: map[string]bool{}}
	for _, m := range d.Members {
		g.members[m.Value] = true
	}
	return g, nil
}

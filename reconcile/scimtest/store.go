package scimtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	scimfilter "github.com/elimity-com/scim/filter"
	"github.com/elimity-com/scim/schema"
	filter "github.com/scim2/filter-parser/v2"
)

// store holds the users and groups of the server. The elimity-com/scim
// library parses and validates requests and calls the handlers below, which
// read and write the store under its lock.
type store struct {
	mu      sync.Mutex
	nextID  int
	users   map[string]*resource
	groups  map[string]*resource
	opts    *Options
	created time.Time
	// nextCursor holds, by request, the nextCursor of a cursor page, for
	// the server to add to the list response ("" on the last page).
	nextCursor map[string]string
}

// resource is one stored user or group: its validated attributes and its
// version, which is its ETag when ETags are on.
type resource struct {
	id      string
	seq     int // creation order, for stable pagination
	attrs   scim.ResourceAttributes
	version int
}

func newStore(opts *Options) *store {
	return &store{
		users:      map[string]*resource{},
		groups:     map[string]*resource{},
		opts:       opts,
		created:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		nextCursor: map[string]string{},
	}
}

func (s *store) newID(prefix string) (string, int) {
	s.nextID++
	return fmt.Sprintf("%s-%04d", prefix, s.nextID), s.nextID
}

func (r *resource) etag() string { return `W/"` + strconv.Itoa(r.version) + `"` }

func (s *store) toResource(r *resource) scim.Resource {
	attrs := make(scim.ResourceAttributes, len(r.attrs))
	for k, v := range r.attrs {
		attrs[k] = v
	}
	res := scim.Resource{ID: r.id, Attributes: attrs, Meta: scim.Meta{Created: &s.created, LastModified: &s.created}}
	if s.opts.ETags {
		res.Meta.Version = r.etag()
	}
	return res
}

// checkVersion answers 412 when ETags are on and the request's If-Match names
// another version than the stored one.
func (s *store) checkVersion(req *http.Request, r *resource) error {
	if !s.opts.ETags {
		return nil
	}
	m := req.Header.Get("If-Match")
	if m == "" || m == "*" || m == r.etag() {
		return nil
	}
	return scimerrors.ScimError{Status: http.StatusPreconditionFailed, Detail: fmt.Sprintf("resource %s has version %s, not %s", r.id, r.etag(), m)}
}

func notFound(id string) error { return scimerrors.ScimErrorResourceNotFound(id) }

// insert stores a new resource in m; the lock is held.
func (s *store) insert(m map[string]*resource, prefix string, attrs scim.ResourceAttributes) scim.Resource {
	id, seq := s.newID(prefix)
	r := &resource{id: id, seq: seq, attrs: attrs, version: 1}
	m[id] = r
	return s.toResource(r)
}

// get returns the resource with id in m.
func (s *store) get(m map[string]*resource, id string) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := m[id]
	if !ok {
		return scim.Resource{}, notFound(id)
	}
	return s.toResource(r), nil
}

// writable returns the resource a write request is about, checking its
// version; the lock is held.
func (s *store) writable(req *http.Request, m map[string]*resource, id string) (*resource, error) {
	r, ok := m[id]
	if !ok {
		return nil, notFound(id)
	}
	if err := s.checkVersion(req, r); err != nil {
		return nil, err
	}
	return r, nil
}

// page lists the resources of m that pass the filter, in creation order,
// and cuts the requested page out of them: from startIndex, or after the
// resource a cursor names (Options.Cursor, cursor.go).
func (s *store) page(req *http.Request, m map[string]*resource, params scim.ListRequestParams, pass func(*resource) bool) (scim.Page, error) {
	all := make([]*resource, 0, len(m))
	for _, r := range m {
		if pass(r) {
			all = append(all, r)
		}
	}
	slices.SortFunc(all, func(a, b *resource) int { return a.seq - b.seq })
	count := params.Count
	if s.opts.ShortPage > 0 && count > s.opts.ShortPage {
		count = s.opts.ShortPage
	}
	start := min(params.StartIndex-1, len(all))
	if s.opts.Dialect.ZeroBasedStartIndex {
		n, _ := strconv.Atoi(req.URL.Query().Get("startIndex"))
		start = min(max(n, 0), len(all))
	}
	if s.opts.IgnoreStartIndex {
		start = 0
	}
	byCursor := s.byCursor(req)
	if byCursor {
		var err error
		if start, err = s.cursorStart(req, all); err != nil {
			return scim.Page{}, err
		}
	}
	end := min(start+count, len(all))
	if byCursor {
		s.setNextCursor(req, all, end)
	}
	page := scim.Page{TotalResults: len(all), Resources: []scim.Resource{}}
	if prev := start - count; s.opts.Quirks.OverfullPages && prev >= 0 {
		for _, r := range all[prev : prev+2] {
			page.Resources = append(page.Resources, s.toResource(r))
		}
	}
	for _, r := range all[start:end] {
		page.Resources = append(page.Resources, s.toResource(r))
	}
	return page, nil
}

func passes(params scim.ListRequestParams, r *resource) bool {
	if params.FilterValidator == nil {
		return true
	}
	attrs := map[string]interface{}(r.attrs)
	if params.FilterValidator.PassesFilter(attrs) != nil {
		return false
	}
	return true
}

// userHandler serves /Users.
type userHandler struct{ s *store }

func userName(attrs scim.ResourceAttributes) string {
	n, _ := attrs["userName"].(string)
	return n
}

func (s *store) sameUserName(a, b string) bool {
	if s.opts.CaseSensitiveUserNames {
		return a == b
	}
	return strings.EqualFold(a, b)
}

func (h userHandler) Create(_ *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	name := userName(attrs)
	for _, u := range s.users {
		if s.sameUserName(userName(u.attrs), name) {
			return scim.Resource{}, scimerrors.ScimErrorUniqueness
		}
	}
	if _, ok := attrs["active"]; !ok {
		attrs["active"] = true
	}
	return s.insert(s.users, "u", attrs), nil
}

func (h userHandler) Get(_ *http.Request, id string) (scim.Resource, error) {
	return h.s.get(h.s.users, id)
}

func (h userHandler) GetAll(req *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	exact := exactUserName(params)
	return s.page(req, s.users, params, func(r *resource) bool {
		if exact != "" && s.opts.CaseSensitiveUserNames && userName(r.attrs) != exact {
			return false
		}
		return passes(params, r)
	})
}

// exactUserName returns the value of a `userName eq "..."` filter, which a
// server with case-sensitive user names compares exactly (the library
// compares case-insensitively, as RFC 7643 says for userName).
func exactUserName(params scim.ListRequestParams) string {
	if params.FilterValidator == nil {
		return ""
	}
	e, ok := params.FilterValidator.GetFilter().(*filter.AttributeExpression)
	if !ok || !strings.EqualFold(e.AttributePath.AttributeName, "userName") || e.Operator != filter.EQ {
		return ""
	}
	v, _ := e.CompareValue.(string)
	return v
}

func (h userHandler) Replace(req *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.writable(req, s.users, id)
	if err != nil {
		return scim.Resource{}, err
	}
	if _, ok := attrs["active"]; !ok {
		attrs["active"] = true
	}
	r.attrs = attrs
	r.version++
	return s.toResource(r), nil
}

func (h userHandler) Delete(req *http.Request, id string) error {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.writable(req, s.users, id)
	if err != nil {
		return err
	}
	delete(s.users, id)
	// A deleted user leaves every group, as RFC 7643 section 4.2 expects.
	for _, g := range s.groups {
		if ms := members(g.attrs); slices.Contains(ms, id) {
			setMembers(g.attrs, slices.DeleteFunc(ms, func(m string) bool { return m == id }))
			g.version++
		}
	}
	return nil
}

func (h userHandler) Patch(req *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.writable(req, s.users, id)
	if err != nil {
		return scim.Resource{}, err
	}
	attrs := cloneAttrs(r.attrs)
	for _, op := range ops {
		switch {
		case op.Path == nil:
			values, ok := op.Value.(map[string]interface{})
			if !ok {
				return scim.Resource{}, scimerrors.ScimErrorInvalidValue
			}
			for k, v := range values {
				attrs[k] = v
			}
		case op.Path.AttributePath.URIPrefix != nil && !strings.EqualFold(op.Path.AttributePath.URI(), userCoreSchema):
			// An attribute of a schema extension lives under the URN.
			uri := op.Path.AttributePath.URI()
			ext, _ := attrs[uri].(map[string]interface{})
			ext = maps.Clone(ext)
			if ext == nil {
				ext = map[string]interface{}{}
			}
			if op.Op == scim.PatchOperationRemove {
				delete(ext, op.Path.AttributePath.AttributeName)
			} else {
				ext[op.Path.AttributePath.AttributeName] = op.Value
			}
			attrs[uri] = ext
		case op.Op == scim.PatchOperationRemove:
			delete(attrs, op.Path.AttributePath.AttributeName)
		default:
			attrs[op.Path.AttributePath.AttributeName] = op.Value
		}
	}
	r.attrs = attrs
	r.version++
	return s.toResource(r), nil
}

const userCoreSchema = "urn:ietf:params:scim:schemas:core:2.0:User"

// groupHandler serves /Groups.
type groupHandler struct{ s *store }

func members(attrs scim.ResourceAttributes) []string {
	list, _ := attrs["members"].([]interface{})
	ids := make([]string, 0, len(list))
	for _, m := range list {
		if mm, ok := m.(map[string]interface{}); ok {
			if v, ok := mm["value"].(string); ok {
				ids = append(ids, v)
			}
		}
	}
	return ids
}

func setMembers(attrs scim.ResourceAttributes, ids []string) {
	list := make([]interface{}, len(ids))
	for i, id := range ids {
		list[i] = map[string]interface{}{"value": id, "type": "User"}
	}
	attrs["members"] = list
}

func cloneAttrs(a scim.ResourceAttributes) scim.ResourceAttributes {
	c := make(scim.ResourceAttributes, len(a))
	for k, v := range a {
		c[k] = v
	}
	return c
}

func (h groupHandler) Create(_ *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	setMembers(attrs, members(attrs))
	return s.insert(s.groups, "g", attrs), nil
}

func (h groupHandler) Get(_ *http.Request, id string) (scim.Resource, error) {
	r, err := h.s.get(h.s.groups, id)
	return h.s.shown(r), err
}

// shown is a group as the server answers it: without its members when
// Quirks.HideMembers.
func (s *store) shown(r scim.Resource) scim.Resource {
	if s.opts.Quirks.HideMembers && r.Attributes != nil {
		r.Attributes["members"] = []interface{}{}
	}
	return r
}

func (h groupHandler) GetAll(req *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	page, err := s.page(req, s.groups, params, func(r *resource) bool { return passes(params, r) })
	if err != nil {
		return page, err
	}
	for i, r := range page.Resources {
		page.Resources[i] = s.shown(r)
		if s.opts.ListWithoutMembers {
			delete(r.Attributes, "members")
		}
	}
	return page, nil
}

func (h groupHandler) Replace(req *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.writable(req, s.groups, id)
	if err != nil {
		return scim.Resource{}, err
	}
	ms := members(attrs)
	if err := s.checkMembers(r, ms); err != nil {
		return scim.Resource{}, err
	}
	setMembers(attrs, ms)
	r.attrs = attrs
	r.version++
	return s.shown(s.toResource(r)), nil
}

func (h groupHandler) Delete(req *http.Request, id string) error {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.writable(req, s.groups, id)
	if err != nil {
		return err
	}
	delete(s.groups, id)
	return nil
}

// checkMembers answers 400 when group g may not hold the members ids:
// one new to the group is not a stored user (a literal bulkId reference passes under
// Quirks.BulkLastRefOnly), or one is new to the group named by
// Quirks.RefuseAddsTo; or (500) the group is named by
// Quirks.RefuseRemovesFrom and ids leave out one of its members.
func (s *store) checkMembers(g *resource, ids []string) error {
	if name, _ := g.attrs["displayName"].(string); name != "" && name == s.opts.Quirks.RefuseAddsTo {
		for _, id := range ids {
			if !slices.Contains(members(g.attrs), id) {
				return scimerrors.ScimError{ScimType: scimerrors.ScimTypeMutability, Status: http.StatusBadRequest, Detail: fmt.Sprintf("group %q is managed elsewhere", name)}
			}
		}
	}
	if name, _ := g.attrs["displayName"].(string); name != "" && name == s.opts.Quirks.RefuseRemovesFrom {
		for _, id := range members(g.attrs) {
			if !slices.Contains(ids, id) {
				return scimerrors.ScimError{Status: http.StatusInternalServerError, Detail: fmt.Sprintf("group %q: member removal failed", name)}
			}
		}
	}
	for _, id := range ids {
		if (s.opts.Quirks.BulkLastRefOnly || s.opts.Quirks.BulkNoRefs) && strings.HasPrefix(id, "bulkId:") {
			continue
		}
		if s.opts.Quirks.AnyMemberValue || slices.Contains(members(g.attrs), id) {
			continue // stored as given, or held already
		}
		if _, ok := s.users[id]; !ok {
			return scimerrors.ScimError{ScimType: scimerrors.ScimTypeInvalidValue, Status: http.StatusBadRequest, Detail: fmt.Sprintf("member %q is not a user", id)}
		}
	}
	return nil
}

var memberAttribute = func() schema.CoreAttribute {
	a, _ := schema.CoreGroupSchema().Attributes.ContainsAttribute("members")
	return a
}()

// Patch applies add, remove and replace of members (RFC 7644 section
// 3.5.2) atomically: when one operation fails, none is applied.
func (h groupHandler) Patch(req *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.writable(req, s.groups, id)
	if err != nil {
		return scim.Resource{}, err
	}
	ops = s.truncate(ops)
	attrs := cloneAttrs(r.attrs)
	ms := members(attrs)
	for _, op := range ops {
		if op.Path == nil {
			values, ok := op.Value.(map[string]interface{})
			if !ok {
				return scim.Resource{}, scimerrors.ScimErrorInvalidValue
			}
			for k, v := range values {
				if strings.EqualFold(k, "members") {
					ms = applyMembers(op.Op, ms, valueIDs(v))
					continue
				}
				attrs[k] = v
			}
			continue
		}
		if !strings.EqualFold(op.Path.AttributePath.AttributeName, "members") {
			if op.Op == scim.PatchOperationRemove {
				delete(attrs, op.Path.AttributePath.AttributeName)
			} else {
				attrs[op.Path.AttributePath.AttributeName] = op.Value
			}
			continue
		}
		if op.Path.ValueExpression != nil {
			if op.Op != scim.PatchOperationRemove {
				return scim.Resource{}, scimerrors.ScimErrorInvalidPath
			}
			v := scimfilter.NewFilterValidator(op.Path.ValueExpression, schema.Schema{Attributes: scimfilter.MultiValuedFilterAttributes(memberAttribute)})
			kept := ms[:0:0]
			for _, m := range ms {
				if v.PassesFilter(map[string]interface{}{"value": m, "type": "User"}) != nil {
					kept = append(kept, m)
				}
			}
			if len(kept) == len(ms) || (s.opts.Quirks.NoTargetUnlessLast && len(kept) > 0) {
				// RFC 7644 section 3.12: a filter that matches nothing
				// yields noTarget.
				return scim.Resource{}, scimerrors.ScimErrorNoTarget
			}
			ms = kept
			continue
		}
		ms = applyMembers(op.Op, ms, valueIDs(op.Value))
	}
	if err := s.checkMembers(r, ms); err != nil {
		return scim.Resource{}, err
	}
	setMembers(attrs, ms)
	r.attrs = attrs
	r.version++
	return s.shown(s.toResource(r)), nil
}

func valueIDs(v interface{}) []string {
	list, ok := v.([]interface{})
	if !ok {
		list = []interface{}{v}
	}
	return members(scim.ResourceAttributes{"members": list})
}

func applyMembers(op string, ms, ids []string) []string {
	switch op {
	case scim.PatchOperationAdd:
		for _, id := range ids {
			if !slices.Contains(ms, id) {
				ms = append(ms, id)
			}
		}
	case scim.PatchOperationReplace:
		ms = slices.Clone(ids)
	case scim.PatchOperationRemove:
		if len(ids) == 0 {
			return nil
		}
		ms = slices.DeleteFunc(ms, func(m string) bool { return slices.Contains(ids, m) })
	}
	return ms
}

// truncate keeps the first Quirks.TruncatePatch members of a PATCH: of
// the values of its member adds, and of its member removes.
func (s *store) truncate(ops []scim.PatchOperation) []scim.PatchOperation {
	left := s.opts.Quirks.TruncatePatch
	if left <= 0 {
		return ops
	}
	var kept []scim.PatchOperation
	for _, op := range ops {
		switch {
		case op.Path != nil && op.Path.ValueExpression != nil:
			if left == 0 {
				continue
			}
			left--
		case op.Path != nil && strings.EqualFold(op.Path.AttributePath.AttributeName, "members") && op.Op == scim.PatchOperationAdd:
			list, ok := op.Value.([]interface{})
			if !ok {
				list = []interface{}{op.Value}
			}
			n := min(left, len(list))
			left -= n
			op.Value = list[:n]
		}
		kept = append(kept, op)
	}
	return kept
}

package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/go-multierror"

	"github.com/teamctl/teamctl/schema"
)

// readGroups finds the three role groups with their members. It asks for
// them by name, in one request, and reads a group alone only when that
// answer leaves out its members (as large providers do in lists) or, with
// ETags, its version: a read of the workspace then costs one request for
// the groups, besides the pages of users. A provider that does not filter,
// refuses the filter, or compares names by exact case gets the whole list.
func (w *Workspace) readGroups(ctx context.Context, f features) (map[schema.Role]*group, error) {
	if f.filter {
		groups, ok, err := w.roleGroupsByName(ctx, f)
		if err != nil || ok {
			return groups, err
		}
	}
	// The list names the groups; each role group is then read alone, as
	// providers may leave members out of lists, and give an ETag only for
	// a single resource.
	list, err := w.list(ctx, "/Groups", f.pageSize, "&excludedAttributes=members")
	if err != nil {
		return nil, err
	}
	groups := map[schema.Role]*group{}
	for _, r := range schema.Roles {
		g, err := w.findGroup(list, w.ep.groups[r], r)
		if err != nil {
			return nil, err
		}
		if err := w.refreshGroup(ctx, g); err != nil {
			return nil, fmt.Errorf("scim: read the %s group %q: %w", r, g.name, err)
		}
		groups[r] = g
	}
	return groups, nil
}

// roleGroupsByName reads the role groups with a filter on their names:
// the or of the three in one request, or, from a provider that refuses
// that (400), each with a single eq, concurrently. It reports false, with
// no error, when the answer does not hold all three.
func (w *Workspace) roleGroupsByName(ctx context.Context, f features) (map[schema.Role]*group, bool, error) {
	if !w.noOr() {
		terms := make([]string, len(schema.Roles))
		for i, r := range schema.Roles {
			terms[i] = fmt.Sprintf("displayName eq %q", w.ep.groups[r])
		}
		list, err := w.list(ctx, "/Groups", f.pageSize, "&filter="+url.QueryEscape(strings.Join(terms, " or ")))
		switch {
		case err == nil:
			return w.pickRoleGroups(ctx, list)
		case isAuth(err):
			return nil, false, err
		case !isStatus(err, http.StatusBadRequest):
			w.tracef("the role groups cannot be read by name (%v); listing every group", err)
			return nil, false, nil
		}
		w.refuseOr(err)
	}
	lists := make([][]json.RawMessage, len(schema.Roles))
	var g multierror.Group
	for i, r := range schema.Roles {
		g.Go(func() error {
			list, err := w.list(ctx, "/Groups", f.pageSize, "&filter="+url.QueryEscape(fmt.Sprintf("displayName eq %q", w.ep.groups[r])))
			if err != nil {
				return fmt.Errorf("read the %s group %q: %w", r, w.ep.groups[r], err)
			}
			lists[i] = list
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		err.ErrorFormat = listErrors
		if slices.ContainsFunc(err.Errors, isAuth) {
			return nil, false, err
		}
		w.tracef("the role groups cannot be read by name (%v); listing every group", err)
		return nil, false, nil
	}
	return w.pickRoleGroups(ctx, slices.Concat(lists...))
}

// pickRoleGroups finds the role groups in a filtered list, and reads
// alone those whose members (or, with ETags, version) it leaves out.
func (w *Workspace) pickRoleGroups(ctx context.Context, list []json.RawMessage) (map[schema.Role]*group, bool, error) {
	w.mu.Lock()
	etags := w.feat.etag
	w.mu.Unlock()
	groups := map[schema.Role]*group{}
	for _, r := range schema.Roles {
		g, raw, err := pickGroup(list, w.ep.groups[r], r)
		if err != nil {
			return nil, false, err
		}
		if g == nil {
			return nil, false, nil
		}
		if !hasMembers(raw) || (etags && g.etag == "") {
			if err := w.refreshGroup(ctx, g); err != nil {
				return nil, false, fmt.Errorf("scim: read the %s group %q: %w", r, g.name, err)
			}
		}
		groups[r] = g
	}
	return groups, true, nil
}

// pickGroup returns the group named name, or else the one whose name
// differs only in case, with its document; an error when two are.
func pickGroup(list []json.RawMessage, name string, role schema.Role) (*group, json.RawMessage, error) {
	var exact, folded []*group
	docs := map[*group]json.RawMessage{}
	for _, raw := range list {
		g, err := parseGroup(raw)
		switch {
		case err != nil:
			continue
		case g.name == name:
			exact = append(exact, g)
		case equalFoldASCII(g.name, name):
			folded = append(folded, g)
		default:
			continue
		}
		docs[g] = raw
	}
	g, err := oneGroup(exact, folded, name, role)
	if err != nil || g == nil {
		return nil, nil, err
	}
	return g, docs[g], nil
}

// hasMembers reports whether a group document lists its members, even as
// an empty list.
func hasMembers(raw json.RawMessage) bool {
	var d struct {
		Members json.RawMessage `json:"members"`
	}
	return json.Unmarshal(raw, &d) == nil && d.Members != nil
}

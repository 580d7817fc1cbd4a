package scim

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// maxDanglingReads bounds the member values Snapshot asks the provider
// about; the rest are reported unconfirmed, and left alone.
const maxDanglingReads = 200

// dangling returns the role-group members that name no user listed, by
// group and value, each with what the provider says it is. A value is
// taken for a user's address, without a request, when it is the userName
// or an email of a listed user; otherwise the provider is asked for it as
// a user and as a group. Only a value both reads answer 404 for is
// DanglingMissing, the kind a plan may remove: teamctl never guesses that
// a value names nothing. A value the user read finds is a user the list
// of users left out: the list was not a true picture of the workspace,
// and Snapshot fails rather than plan from it.
func (w *Workspace) dangling(ctx context.Context, st *state) ([]reconcile.Dangling, error) {
	var ds []reconcile.Dangling
	kinds := map[string]reconcile.Dangling{} // by value: one read a value
	reads := 0
	var claims map[string]*user // built on the first value that is no user
	for _, r := range schema.Roles {
		g := st.groups[r]
		if g == nil {
			continue
		}
		for _, v := range slices.Sorted(maps.Keys(g.members)) {
			if st.users[v] != nil {
				continue
			}
			d, ok := kinds[v]
			if !ok {
				var err error
				if claims == nil {
					claims = st.claims()
				}
				if d, err = w.classify(ctx, claims, v, &reads); err != nil {
					return nil, err
				}
				kinds[v] = d
			}
			d.Group, d.Role, d.Value = g.name, r, v
			ds = append(ds, d)
		}
	}
	return ds, nil
}

// classify finds what the member value v is.
func (w *Workspace) classify(ctx context.Context, claims map[string]*user, v string, reads *int) (reconcile.Dangling, error) {
	if u := claims[identity(v)]; u != nil && identity(v) != "" {
		return reconcile.Dangling{Kind: reconcile.DanglingUser, User: u.email}, nil
	}
	if *reads >= maxDanglingReads {
		return reconcile.Dangling{Kind: reconcile.DanglingUnconfirmed, Detail: fmt.Sprintf("teamctl asks about at most %d member values a read", maxDanglingReads)}, nil
	}
	*reads++
	if v == "" || v == "." || v == ".." {
		return reconcile.Dangling{Kind: reconcile.DanglingUnconfirmed, Detail: "the value cannot be read as an id"}, nil
	}
	_, err := w.do(ctx, http.MethodGet, "/Users/"+url.PathEscape(v), nil, "")
	switch {
	case err == nil:
		return reconcile.Dangling{}, &unstableError{fmt.Sprintf("user %s is in a role group but was not in the list of users", v)}
	case isAuth(err):
		return reconcile.Dangling{}, fmt.Errorf("scim: read member %s: %w", v, err)
	case !isStatus(err, http.StatusNotFound):
		return reconcile.Dangling{Kind: reconcile.DanglingUnconfirmed, Detail: "GET /Users/" + v + ": " + err.Error()}, nil
	}
	_, err = w.do(ctx, http.MethodGet, "/Groups/"+url.PathEscape(v), nil, "")
	switch {
	case err == nil:
		return reconcile.Dangling{Kind: reconcile.DanglingGroup}, nil
	case isAuth(err):
		return reconcile.Dangling{}, fmt.Errorf("scim: read member %s: %w", v, err)
	case !isStatus(err, http.StatusNotFound):
		return reconcile.Dangling{Kind: reconcile.DanglingUnconfirmed, Detail: "GET /Groups/" + v + ": " + err.Error()}, nil
	}
	return reconcile.Dangling{Kind: reconcile.DanglingMissing}, nil
}

// claims indexes the users by every address they carry: their
// identity, and their aliases (emails), the identity first, then by id.
func (st *state) claims() map[string]*user {
	m := make(map[string]*user, len(st.byKey))
	for k, u := range st.byKey {
		m[k] = u
	}
	for _, id := range slices.Sorted(maps.Keys(st.users)) {
		u := st.users[id]
		for _, a := range u.aliases {
			if k := identity(a); m[k] == nil {
				m[k] = u
			}
		}
	}
	return m
}

package render

import (
	"io"
	"slices"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// Rosters are who holds each role, live and declared, for teamctl diff.
type Rosters struct {
	WorkspaceURL string
	File         string
	Live         map[string][]schema.Role // identity: roles held (suspended members hold none)
	Declared     map[string][]schema.Role
}

// NewRosters collects the roles each identity holds in the workspace and
// in the team file.
func NewRosters(team *schema.Team, live *reconcile.Live, url, file string) Rosters {
	r := Rosters{WorkspaceURL: url, File: file, Live: map[string][]schema.Role{}, Declared: map[string][]schema.Role{}}
	for _, p := range team.People {
		r.Declared[p.Key()] = appendRole(r.Declared[p.Key()], p.Role)
	}
	for _, m := range live.Members {
		if m.Status == reconcile.Suspended {
			continue
		}
		for _, role := range append([]schema.Role{m.Role}, m.OtherRoles...) {
			r.Live[m.Key()] = appendRole(r.Live[m.Key()], role)
		}
	}
	return r
}

func appendRole(rs []schema.Role, r schema.Role) []schema.Role {
	if r == "" || slices.Contains(rs, r) {
		return rs
	}
	rs = append(rs, r)
	slices.SortFunc(rs, func(a, b schema.Role) int { return b.Rank() - a.Rank() })
	return rs
}

// Move is one identity whose roles differ between the workspace and the
// team file: From are its live roles, To its declared ones (either empty).
type Move struct {
	Email string        `json:"email"`
	From  []schema.Role `json:"from"`
	To    []schema.Role `json:"to"`
}

// Moves lists the identities whose roles differ, sorted.
func (r Rosters) Moves() []Move {
	var keys []string
	for k := range r.Live {
		keys = append(keys, k)
	}
	for k := range r.Declared {
		if _, ok := r.Live[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []Move
	for _, k := range keys {
		from, to := r.Live[k], r.Declared[k]
		if !slices.Equal(from, to) {
			out = append(out, Move{Email: k, From: nonNilRoles(from), To: nonNilRoles(to)})
		}
	}
	return out
}

func nonNilRoles(rs []schema.Role) []schema.Role {
	if rs == nil {
		return []schema.Role{}
	}
	return rs
}

// toRoster lists who holds each role, identities sorted, never null.
func toRoster(m map[string][]schema.Role) roster {
	r := roster{Admins: []string{}, Operators: []string{}, Reviewers: []string{}}
	for k, roles := range m {
		for _, role := range roles {
			r.add(role, k)
		}
	}
	for _, l := range [][]string{r.Admins, r.Operators, r.Reviewers} {
		slices.Sort(l)
	}
	return r
}

// DiffJSON writes the diff document: both rosters and the moves between
// them.
func DiffJSON(w io.Writer, r Rosters) error {
	moves := r.Moves()
	return writeJSON(w, struct {
		FormatVersion string `json:"format_version"`
		WorkspaceURL  string `json:"workspace_url"`
		File          string `json:"file"`
		Same          bool   `json:"same"`
		Live          roster `json:"live"`
		Declared      roster `json:"declared"`
		Moves         []Move `json:"moves"`
	}{FormatVersion, r.WorkspaceURL, r.File, len(moves) == 0, toRoster(r.Live), toRoster(r.Declared), append([]Move{}, moves...)})
}

package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/teamctl/teamctl/schema"
)

// ownershipMermaid draws who owns and who backs up the admin role and each
// workflow as a Mermaid flowchart, which GitHub renders. Gaps are red: an
// area with no owner or no backup, a person the team does not declare, a
// backup admin who is not an admin, and the people in flagged (key → why,
// such as "not signed in"). Node ids are generated; user text appears only
// in quoted, escaped labels.
func ownershipMermaid(team *schema.Team, flagged map[string]string) string {
	g := &graph{team: team, people: team.Index(), flagged: flagged, ids: map[string]string{}}
	g.adminRole()
	for _, w := range team.Workflows {
		g.workflow(w)
	}
	return g.String()
}

type graph struct {
	team    *schema.Team
	people  map[string]schema.Person
	flagged map[string]string

	ids     map[string]string // person key → node id
	nodes   []string          // person nodes, in order of first use
	areas   []string          // area and gap nodes
	edges   []string
	gaps    []string // ids of red nodes
	drafts  []string // ids of draft workflows
	redLink []int    // indexes of red edges
	nArea   int
	nGap    int
}

// person returns the node id of the person r points at, adding the node
// on first use.
func (g *graph) person(r schema.Ref) string {
	key := r.Key()
	if id, ok := g.ids[key]; ok {
		return id
	}
	id := "p" + strconv.Itoa(len(g.ids))
	g.ids[key] = id
	label, gap := r.Email, false
	if p, ok := g.people[key]; !ok {
		label, gap = r.Email+" (undeclared)", true
	} else if p.Name != "" {
		label = p.Name
	}
	if why, ok := g.flagged[key]; ok {
		label, gap = label+" ("+why+")", true
	}
	g.nodes = append(g.nodes, fmt.Sprintf("  %s[\"%s\"]", id, mermaidText(label)))
	if gap {
		g.gaps = append(g.gaps, id)
	}
	return id
}

func (g *graph) area(shape, label string) string {
	id := "a" + strconv.Itoa(g.nArea)
	g.nArea++
	open, close := "([", "])"
	if shape == "role" {
		open, close = "{{", "}}"
	}
	g.areas = append(g.areas, fmt.Sprintf("  %s%s\"%s\"%s", id, open, mermaidText(label), close))
	return id
}

// gap adds a red note pointing at area.
func (g *graph) gap(area, what string) {
	id := "g" + strconv.Itoa(g.nGap)
	g.nGap++
	g.areas = append(g.areas, fmt.Sprintf("  %s[\"%s\"]", id, mermaidText(what)))
	g.gaps = append(g.gaps, id, area)
	g.edge(id, area, "-.-", "", true)
}

func (g *graph) edge(from, to, arrow, label string, red bool) {
	if label != "" {
		arrow += "|" + label + "|"
	}
	if red {
		g.redLink = append(g.redLink, len(g.edges))
	}
	g.edges = append(g.edges, fmt.Sprintf("  %s %s %s", from, arrow, to))
}

// adminRole: the admins who are not the backup admin own the role (all
// admins, when every admin is a backup); the backup admin backs it up.
func (g *graph) adminRole() {
	a := g.area("role", "admin role")
	backups := map[string]bool{}
	for _, b := range g.team.BackupAdmins {
		backups[b.Key()] = true
	}
	admins := g.team.ByRole(schema.Admin)
	owners := slices.DeleteFunc(slices.Clone(admins), func(p schema.Person) bool { return backups[p.Key()] })
	if len(owners) == 0 {
		owners = admins
	}
	owner := map[string]bool{}
	for _, p := range owners {
		owner[p.Key()] = true
		g.edge(g.person(schema.Ref{Email: p.Email, Pos: p.Pos}), a, "-->", "owns", false)
	}
	if len(owners) == 0 {
		g.gap(a, "no admin")
	}
	for _, b := range g.team.BackupAdmins {
		p, ok := g.people[b.Key()]
		id := g.person(b)
		if ok && p.Role != schema.Admin {
			g.gaps = append(g.gaps, id)
		}
		g.edge(id, a, "-.->", "backup", !ok || p.Role != schema.Admin || owner[b.Key()])
	}
	if len(g.team.BackupAdmins) == 0 {
		g.gap(a, "no backup admin")
	}
}

func (g *graph) workflow(w schema.Workflow) {
	label := w.Name
	if w.State == schema.Pilot || w.State == schema.Draft {
		label += " (" + string(w.State) + ")"
	}
	a := g.area("workflow", label)
	if w.State == schema.Draft {
		g.drafts = append(g.drafts, a)
	}
	needs := w.State != schema.Draft // live and pilot workflows need owners
	if w.Owner != nil {
		_, ok := g.people[w.Owner.Key()]
		g.edge(g.person(*w.Owner), a, "-->", "owns", !ok)
	} else if needs {
		g.gap(a, "no owner")
	}
	for _, b := range w.Backups {
		_, ok := g.people[b.Key()]
		self := w.Owner != nil && b.Key() == w.Owner.Key()
		g.edge(g.person(b), a, "-.->", "backup", !ok || self)
	}
	if len(w.Backups) == 0 && needs {
		g.gap(a, "no backup")
	}
}

func (g *graph) String() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	b.WriteString("  classDef gap fill:#ffebe9,stroke:#cf222e,color:#82071e\n")
	b.WriteString("  classDef draft stroke-dasharray:4 4,color:#57606a\n")
	for _, l := range slices.Concat(g.nodes, g.areas, g.edges) {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if len(g.gaps) > 0 {
		fmt.Fprintf(&b, "  class %s gap\n", strings.Join(unique(g.gaps), ","))
	}
	if len(g.drafts) > 0 {
		fmt.Fprintf(&b, "  class %s draft\n", strings.Join(g.drafts, ","))
	}
	if len(g.redLink) > 0 {
		ix := make([]string, len(g.redLink))
		for i, n := range g.redLink {
			ix[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(&b, "  linkStyle %s stroke:#cf222e,color:#cf222e\n", strings.Join(ix, ","))
	}
	return b.String()
}

// unique returns ids without repeats, in order of first appearance.
func unique(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

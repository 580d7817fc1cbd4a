package edit

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/schema"
)

// genTeam writes a team file of people in every style the format allows
// (block or flow entries, "-" on a line of its own, quoted or plain
// values, trailing and leading comments, blank lines) and returns it with
// the emails it declares.
func genTeam(r *rand.Rand, n int) (string, []string) {
	var b strings.Builder
	b.WriteString("# generated\nversion: 1\nworkspace: acme\n")
	var emails []string
	i := 0
	for _, role := range []string{"admins", "operators", "reviewers"} {
		if r.IntN(4) == 0 {
			b.WriteString("\n# the " + role + "\n")
		}
		fmt.Fprintf(&b, "%s:%s\n", role, pick(r, "", "   # a comment"))
		for k := 0; k < n/3+1; k++ {
			email := fmt.Sprintf("p%d@acme.io", i)
			i++
			emails = append(emails, email)
			if r.IntN(5) == 0 {
				b.WriteString(pick(r, "\n", "  # about "+email+"\n", "  # two\n  # lines\n"))
			}
			date := fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(9), 1+r.IntN(28))
			switch r.IntN(6) {
			case 0: // flow
				fmt.Fprintf(&b, "  - {email: %s%s}%s\n", email, pick(r, "", ", name: P", ", reviewed: "+date), pick(r, "", "  # flow"))
			case 1: // "-" alone
				fmt.Fprintf(&b, "  -\n    email: %s\n", email)
			default:
				fmt.Fprintf(&b, "  - email: %s%s\n", pick(r, email, `"`+email+`"`), pick(r, "", "   # c"))
				if r.IntN(2) == 0 {
					fmt.Fprintf(&b, "    name: %s\n", pick(r, "Pat Doe", `"Pat: Doe"`, "'Pat'  # n"))
				}
				if r.IntN(2) == 0 {
					fmt.Fprintf(&b, "    reviewed: %s\n", pick(r, date, `"`+date+`"`, date+"  # last"))
				}
				if r.IntN(4) == 0 {
					fmt.Fprintf(&b, "    until: 2027-01-31\n")
				}
			}
		}
	}
	b.WriteString(pick(r, "", "# the end\n", "\n"))
	return b.String(), emails
}

func pick(r *rand.Rand, s ...string) string { return s[r.IntN(len(s))] }

// TestPropertyEdits marks and removes random people of generated teams:
// the result always loads; the marked carry today's date and nobody
// else's date moves; marking changes nothing but review dates; the
// removed are gone and everyone else is still declared.
func TestPropertyEdits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for run := range 200 {
		src, emails := genTeam(r, 3+r.IntN(12))
		dir := t.TempDir()
		path := filepath.Join(dir, "team.yaml")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		before, err := schema.Load(path)
		if err != nil {
			t.Fatalf("run %d: the generated team does not load: %v\n%s", run, err, src)
		}
		some := func() []string {
			var out []string
			for _, e := range emails {
				if r.IntN(3) == 0 {
					out = append(out, e)
				}
			}
			return out
		}

		marked := some()
		team, err := Open([]string{path})
		if err != nil {
			t.Fatal(err)
		}
		if err := team.SetDate(marked, "reviewed", day); err != nil {
			t.Fatalf("run %d: SetDate(%v): %v\n%s", run, marked, err, src)
		}
		out := string(team.Docs[0].Bytes())
		if d := cmp.Diff(withoutDates(src), withoutDates(out)); d != "" {
			t.Fatalf("run %d: marking changed more than dates (-before +after):\n%s", run, d)
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		after, err := schema.Load(path)
		if err != nil {
			t.Fatalf("run %d: the marked team does not load: %v\n%s", run, err, out)
		}
		for i, p := range after.People {
			want := before.People[i].Reviewed
			if slices.Contains(marked, p.Key()) {
				want = &day
			}
			if (want == nil) != (p.Reviewed == nil) || want != nil && *want != *p.Reviewed {
				t.Fatalf("run %d: %s reviewed %v, want %v\n%s", run, p.Email, p.Reviewed, want, out)
			}
		}

		removed := some()
		team, err = Open([]string{path})
		if err != nil {
			t.Fatal(err)
		}
		if err := team.Remove(removed); err != nil {
			t.Fatalf("run %d: Remove(%v): %v\n%s", run, removed, err, out)
		}
		if err := team.Write(); err != nil {
			t.Fatal(err)
		}
		left, err := schema.Load(path)
		if err != nil {
			data, _ := os.ReadFile(path)
			t.Fatalf("run %d: the team without %v does not load: %v\n%s", run, removed, err, data)
		}
		var got, want []string
		for _, p := range left.People {
			got = append(got, p.Key())
		}
		for _, e := range emails {
			if !slices.Contains(removed, e) {
				want = append(want, e)
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("run %d: people after removing %v (-want +got):\n%s", run, removed, d)
		}
	}
}

package render_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// githubHTML renders md as GitHub renders a comment: cmark-gfm, the
// reference implementation of GitHub Flavored Markdown, with raw HTML
// allowed and GitHub's extensions, tagfilter among them (it keeps
// <details>). The test skips where cmark-gfm is not installed, unless CI
// is set: .ci/run installs it (Debian package cmark-gfm).
func githubHTML(t *testing.T, md string) string {
	t.Helper()
	path, err := exec.LookPath("cmark-gfm")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("cmark-gfm is not installed (apt-get install cmark-gfm); this test renders the comment as GitHub does, and never skips under CI")
		}
		t.Fatalf("cmark-gfm is not installed and CI is set: .ci/run installs it (%v)", err)
	}
	cmd := exec.Command(path, "--unsafe", "-t", "html",
		"-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist")
	cmd.Stdin = strings.NewReader(md)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cmark-gfm: %v: %s", err, stderr.String())
	}
	return string(out)
}

// htmlTag matches an HTML start or end tag and names it.
var htmlTag = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*)`)

// commentTags are every element a plan comment is made of; anything else
// came from a name, an email or a note.
var commentTags = map[string]bool{
	"h3": true, "p": true, "strong": true, "ul": true, "li": true, "blockquote": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"details": true, "summary": true, "pre": true, "code": true,
}

func TestPlanMarkdownAsGitHubRendersIt(t *testing.T) {
	hostileTeam, hostilePlan := hostileTeam()
	hostilePlan.Changes = append(hostilePlan.Changes, reconcile.Change{Action: reconcile.Invite, Email: "mallory@evil.example", Name: "<b>Mallory</b> http://evil.example www.evil.example @everyone",
		RoleAfter: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: schema.Pos{File: "team/<i>admins</i>.yaml", Line: 3}})
	bigAdmin := adminAmongReviewers(2200)
	tests := []struct {
		name   string
		plan   *reconcile.Plan
		team   *schema.Team
		admins []string // the admin changes, as GitHub shows them
	}{
		{"example", examplePlan(), exampleTeam(), []string{
			"<li><strong>raised</strong> <code>sam@acme.io</code> (Sam Lee): operator → admin",
			"<li><strong>removed</strong> <code>old@acme.io</code>: was admin",
		}},
		{"hostile", hostilePlan, hostileTeam, []string{
			"<li><strong>granted</strong> <code>mallory@evil.example</code> (&lt;b&gt;Mallory&lt;/b&gt; http://evil.example www.evil.example @\u200deveryone): invite as admin (team/&lt;i&gt;admins&lt;/i&gt;.yaml:3: declared as admin)</li>",
		}},
		{"admin among reviewers", adminAmongReviewers(12), nil, []string{
			"<li><strong>granted</strong> <code>mallory@acme.io</code> (Mallory): invite as admin",
			"<li><strong>raised</strong> <code>rita@acme.io</code>: reviewer → admin",
		}},
		{"admin among 2200 reviewers, cut", bigAdmin, nil, []string{
			"<li><strong>granted</strong> <code>mallory@acme.io</code> (Mallory): invite as admin",
			"<li><strong>raised</strong> <code>rita@acme.io</code>: reviewer → admin",
		}},
		{"operators only", operatorsOnly(), nil, []string{"<p><strong>No admin changes.</strong></p>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var md strings.Builder
			if err := render.PlanMarkdown(&md, tt.plan, tt.team); err != nil {
				t.Fatal(err)
			}
			html := githubHTML(t, md.String())
			head, fold, ok := strings.Cut(html, "<details>")
			if !ok {
				t.Fatalf("no <details> element:\n%s", html)
			}
			for _, a := range tt.admins {
				if !strings.Contains(head, a) {
					t.Errorf("above the fold, no %q:\n%s", a, head)
				}
			}
			if strings.Contains(fold, "<details>") || strings.Count(fold, "</details>") != 1 {
				t.Errorf("the fold is not one <details> element:\n%s", fold)
			}
			// The counts are a table of 6 rows, above the fold.
			if got := strings.Count(head, "<tr>"); !strings.Contains(head, "<table>") || got != 7 {
				t.Errorf("the counts are no table of 6 rows (%d <tr>):\n%s", got, head)
			}
			// Nothing else became an element, a link, or a comment.
			for _, m := range htmlTag.FindAllStringSubmatch(html, -1) {
				if !commentTags[strings.ToLower(m[2])] {
					t.Errorf("element <%s%s> in the comment, from user text", m[1], m[2])
				}
			}
			if n := strings.Count(html, "<!--"); n != 1 || !strings.HasPrefix(html, "<!-- teamctl-plan: ") {
				t.Errorf("%d HTML comments, want only the marker first", n)
			}
		})
	}
}

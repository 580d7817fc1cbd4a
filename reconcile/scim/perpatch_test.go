package scim_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

func reviewerInvites(from, n int) []reconcile.Change {
	var batch []reconcile.Change
	for i := from; i < from+n; i++ {
		batch = append(batch, reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("r%03d@acme.io", i), RoleAfter: schema.Reviewer})
	}
	return batch
}

// TestMembersPerPatch invites 100 reviewers, then 40 more, and counts the
// group requests: the size starts at members_per_patch= or 100, halves on
// each refusal or truncation, resends only what did not land, and stays
// halved for the rest of the run.
func TestMembersPerPatch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		quirks scimtest.Quirks
		url    string
		// PATCH /Groups requests of the first Execute, and of the second.
		first, second int
		notice        string
	}{
		// 100 members, 1 request; 40, 1.
		{name: "no limit", first: 1, second: 1},
		{name: "option", url: "?members_per_patch=20", first: 5, second: 2},
		// 100 refused, 50 refused, 25 ×4; then 25 + 15.
		{name: "400 tooMany", quirks: scimtest.Quirks{PatchMembersLimit: 40}, first: 6, second: 2, notice: "refused a request of 100 members"},
		{name: "413", quirks: scimtest.Quirks{PatchMembersLimit: 40, PatchLimitStatus: http.StatusRequestEntityTooLarge}, first: 6, second: 2, notice: "413"},
		// 100 → 30 land; 50 of the 70 left → 30; 25 → 25; 15 → 15.
		{name: "truncated, answer shows it", quirks: scimtest.Quirks{TruncatePatch: 30}, first: 4, second: 2, notice: "carried out only 30 members of a request of 100"},
		// The answers say nothing: the read-back shows 30 of 100; the 70
		// left go 50 at a time (30 and 20 land), then 25 at a time.
		{name: "truncated, read-back shows it", quirks: scimtest.Quirks{TruncatePatch: 30, PatchNoContent: true}, notice: "shows only 30 of them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := scimtest.New(t, scimtest.Options{Quirks: tc.quirks})
			seed(srv, nil)
			var notices strings.Builder
			ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL += tc.url; c.Notice = &notices })
			snapshot(t, ws)
			for i, batch := range [][]reconcile.Change{reviewerInvites(0, 100), reviewerInvites(100, 40)} {
				srv.ResetCounts()
				noErrors(t, ws.Execute(ctx, batch))
				want := []int{tc.first, tc.second}[i]
				if got := srv.Counts()["PATCH /Groups"]; want > 0 && got != want {
					t.Errorf("Execute %d: PATCH /Groups = %d, want %d", i+1, got, want)
				}
			}
			if got := len(srv.Groups()[2].Members); got != 140 {
				t.Errorf("Reviewers holds %d members, want 140", got)
			}
			if !strings.Contains(notices.String(), tc.notice) {
				t.Errorf("notices %q, want one with %q", notices.String(), tc.notice)
			}
			if tc.notice == "" && notices.Len() > 0 {
				t.Errorf("notices %q, want none", notices.String())
			}
		})
	}
}

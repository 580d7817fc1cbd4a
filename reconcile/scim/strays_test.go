package scim_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// TestBulkStraysCleanedUp is issue 19's fourth finding: a provider that
// resolves no bulkId reference stored "bulkId:op-0" as an Admins member;
// teamctl's read-back noticed and sent single requests, then reported
// every change applied, leaving the stray it had written. The stray is
// taken out in the same run, and the run says so.
func TestBulkStraysCleanedUp(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true, Quirks: scimtest.Quirks{BulkNoRefs: true}})
	seed(srv, nil)
	var notice bytes.Buffer
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.Notice = &notice })
	snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, invites(3, schema.Admin)))
	for name, values := range memberValues(srv) {
		for _, v := range values {
			if strings.HasPrefix(v, "bulkId:") {
				t.Errorf("group %s holds member %q after the apply: a stray teamctl wrote", name, v)
			}
		}
	}
	if got := len(roles(srv)); got != 3 {
		t.Errorf("%d users in role groups, want 3", got)
	}
	if !strings.Contains(notice.String(), "took it out") {
		t.Errorf("notice = %q; want it to say the strays were taken out", notice.String())
	}
}

package scim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// dialectMembers are ten people over several pages of 3, one suspended.
func dialectMembers() []reconcile.Member {
	var ms []reconcile.Member
	for i := range 10 {
		m := member(fmt.Sprintf("d%02d@acme.io", i), schema.Roles[i%3])
		if i == 4 {
			m.Status = reconcile.Suspended
		}
		ms = append(ms, m)
	}
	return ms
}

// statuses is each member's role and status, by email.
func statuses(live *reconcile.Live) map[string]string {
	out := map[string]string{}
	for _, m := range live.Members {
		out[m.Email] = string(m.Role) + " " + string(m.Status)
	}
	return out
}

// TestDialects reads the same workspace from servers that write it each
// their own way, and from one that writes it by the RFCs: the reads agree,
// and each request the dialect needs is the one teamctl sends.
func TestDialects(t *testing.T) {
	plain := scimtest.New(t, scimtest.Options{PageSize: 3})
	seed(plain, dialectMembers())
	want := statuses(snapshot(t, newWorkspace(t, plain, nil)))
	if len(want) != 10 || !strings.Contains(want["d04@acme.io"], string(reconcile.Suspended)) {
		t.Fatalf("the plain server reads as %v, want ten members, d04 suspended", want)
	}
	for _, tc := range []struct {
		name string
		opts scimtest.Options
		// trace holds a request teamctl must send, and never one it must not.
		trace, never string
	}{
		{name: "active as True and False", opts: scimtest.Options{Dialect: scimtest.Dialect{StringActive: true}}},
		{name: "resources in lower case", opts: scimtest.Options{Dialect: scimtest.Dialect{LowercaseResources: true}}},
		{name: "startIndex from 0", opts: scimtest.Options{Dialect: scimtest.Dialect{ZeroBasedStartIndex: true}}, trace: "counts startIndex from 0"},
		{name: "no service provider config", opts: scimtest.Options{NoServiceProviderConfig: true}, trace: "no service provider config"},
		{name: "cursor pages", opts: scimtest.Options{Cursor: true}, trace: "cursor=after-", never: "startIndex="},
		{name: "cursor only", opts: scimtest.Options{CursorOnly: true}, trace: "cursor=after-", never: "startIndex="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.PageSize = 3
			srv := scimtest.New(t, opts)
			seed(srv, dialectMembers())
			var trace strings.Builder
			ws := newWorkspace(t, srv, func(c *scim.Config) { c.Debug = &trace })
			got := statuses(snapshot(t, ws))
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Snapshot() mismatch (-want +got):\n%s", d)
			}
			if !strings.Contains(trace.String(), tc.trace) {
				t.Errorf("the trace has no %q", tc.trace)
			}
			if tc.never != "" && strings.Contains(trace.String(), tc.never) {
				t.Errorf("the trace has %q", tc.never)
			}
		})
	}
}

package scim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// BenchmarkSnapshot reads a workspace of 1000 members; requests/op is what
// the server saw.
func BenchmarkSnapshot(b *testing.B) {
	for _, page := range []int{100, 1000} {
		b.Run(fmt.Sprintf("page%d", page), func(b *testing.B) {
			srv := scimtest.New(b, scimtest.Options{PageSize: page})
			var members []reconcile.Member
			for i := range 1000 {
				members = append(members, member(fmt.Sprintf("u%04d@acme.io", i), schema.Roles[i%3]))
			}
			seed(srv, members)
			srv.ResetCounts()
			for b.Loop() {
				ws, err := scim.New(scim.Config{URL: srv.URL, Token: srv.Token()})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ws.Snapshot(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(srv.Counts()["total"])/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkInvite invites 100 people into an empty workspace, one by one
// with 4 in flight, or in Bulk, with 2ms of latency a request.
func BenchmarkInvite(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts scimtest.Options
	}{
		{"parallel4", scimtest.Options{Faults: scimtest.Faults{Latency: 2 * time.Millisecond}}},
		{"bulk", scimtest.Options{Bulk: true, BulkMaxOperations: 50, Faults: scimtest.Faults{Latency: 2 * time.Millisecond}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var batch []reconcile.Change
			for i := range 100 {
				batch = append(batch, reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("n%03d@acme.io", i), RoleAfter: schema.Roles[i%3]})
			}
			requests := 0
			for b.Loop() {
				b.StopTimer()
				srv := scimtest.New(b, tc.opts)
				seed(srv, nil)
				ws, err := scim.New(scim.Config{URL: srv.URL, Token: srv.Token()})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ws.Snapshot(ctx); err != nil {
					b.Fatal(err)
				}
				srv.ResetCounts()
				b.StartTimer()
				for _, err := range ws.Execute(ctx, batch) {
					if err != nil {
						b.Fatal(err)
					}
				}
				requests += srv.Counts()["total"]
				srv.Close()
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}

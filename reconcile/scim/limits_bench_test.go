package scim_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/reconcile/synth"
	"github.com/teamctl/teamctl/schema"
)

// BenchmarkLimits onboards the generated roster (every person an invite,
// no Bulk, as providers without it are applied) into an empty workspace,
// twice in one run, and reports:
//
//   - at the provider's limit (writes rationed at 50 a second, reads at
//     5/3 of it, as Slack rations 600 writes and 1,000 reads a minute; 429
//     with Retry-After over budget), teamctl given no rate=: wall/floor, the
//     apply's wall time over the floor (the fewest writes over the rate:
//     one create a person and ceil(n/100) group requests a role), and
//     429/requests in percent;
//   - with no limit: writes/s, the apply's writes a second, against
//     capacity-writes/s, the creates a second the same server takes from 8
//     connections sending nothing else (measured in the same run), and
//     their ratio.
//
// Run with make bench BENCH=Limits (or go test -p=1 -run='^$'
// -bench=Limits -benchtime=1x -count=3 ./reconcile/scim).
func BenchmarkLimits(b *testing.B) {
	for _, tc := range []struct {
		people int
		writes float64 // the provider's writes a second
	}{
		{1000, 50},
		{10000, 50},
	} {
		b.Run(synth.SizeName(tc.people), func(b *testing.B) {
			path, _ := synth.BenchFiles(b, tc.people)
			team, err := schema.Load(path)
			if err != nil {
				b.Fatal(err)
			}
			var wallFloor, throttled, writesPerSec, capacity float64
			for b.Loop() {
				b.StopTimer()
				limited := scimtest.New(b, scimtest.Options{RateLimit: scimtest.RateLimit{Writes: tc.writes, Reads: tc.writes * 5 / 3}})
				seed(limited, nil)
				b.StartTimer()
				took, plan := onboard(b, limited, team)
				b.StopTimer()
				c := limited.Counts()
				wallFloor += took.Seconds() / (float64(fewestWrites(plan)) / tc.writes)
				throttled += 100 * float64(c["429"]) / float64(c["total"])
				limited.Close()

				free := scimtest.New(b, scimtest.Options{})
				seed(free, nil)
				took, _ = onboard(b, free, team)
				writesPerSec += float64(free.Counts()["writes"]) / took.Seconds()
				free.Close()
				capacity += createCapacity(b, tc.people)
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(wallFloor/n, "wall/floor")
			b.ReportMetric(throttled/n, "429/requests-%")
			b.ReportMetric(writesPerSec/n, "writes/s")
			b.ReportMetric(capacity/n, "capacity-writes/s")
			b.ReportMetric(writesPerSec/capacity, "writes/capacity")
		})
	}
}

// onboard plans the team against srv and applies the plan, as teamctl
// apply does from a fresh start, and returns the wall time of the apply
// with the plan it applied; every change must apply.
func onboard(b *testing.B, srv *scimtest.Server, team *schema.Team) (time.Duration, *reconcile.Plan) {
	b.Helper()
	start := time.Now()
	ws, plan := scenarioPlan(b, srv, team)
	for _, r := range reconcile.Apply(ctx, ws, plan, reconcile.ApplyOptions{}) {
		if r.Outcome != reconcile.Applied {
			b.Fatalf("%s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
		}
	}
	return time.Since(start), plan
}

// fewestWrites is the fewest requests without Bulk that onboard a plan's
// invites: one create each, and per role ceil(n/100) group requests.
func fewestWrites(plan *reconcile.Plan) int {
	byRole := map[schema.Role]int{}
	n := 0
	for _, c := range plan.Changes {
		if c.Action == reconcile.Invite {
			n++
			byRole[c.RoleAfter]++
		}
	}
	for _, k := range byRole {
		n += ceilDiv(k, 100)
	}
	return n
}

// createCapacity measures the creates a second a fresh server takes from
// 8 connections that send nothing else, over n creates.
func createCapacity(b *testing.B, n int) float64 {
	b.Helper()
	srv := scimtest.New(b, scimtest.Options{})
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	const conns = 8
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	start := time.Now()
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < n; i += conns {
				body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"cap%06d@acme.io","active":true}`, i)
				req, _ := http.NewRequest(http.MethodPost, srv.BaseURL+"/Users", bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+srv.Token())
				req.Header.Set("Content-Type", "application/scim+json")
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					errs <- fmt.Errorf("create: %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return float64(n) / took.Seconds()
}

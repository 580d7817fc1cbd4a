package scim_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// TestPacing invites people, one request each (no Bulk), into a server
// that answers 429 over 20 writes a second, and counts its 429s: counts,
// not durations, so that a loaded machine cannot fail it.
func TestPacing(t *testing.T) {
	const people = 80
	for _, tc := range []struct {
		name string
		rl   scimtest.RateLimit
		url  string // options added to the workspace URL
		most int    // 429s allowed
	}{
		// Learned from 429s: the requests in flight when the first comes
		// (4), and a few more while the rate settles; without the pacer,
		// more than a dozen.
		{name: "learned", rl: scimtest.RateLimit{Writes: 20}, most: 6},
		// The provider says its budget in RateLimit headers.
		{name: "headers", rl: scimtest.RateLimit{Writes: 20, Headers: true}, most: 2},
		// rate= at the provider's limit: nothing to learn.
		{name: "rate option", rl: scimtest.RateLimit{Writes: 20}, url: "?rate=20/s", most: 0},
		{name: "rate option per minute", rl: scimtest.RateLimit{Writes: 20}, url: "?rate=1200/m", most: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := scimtest.New(t, scimtest.Options{RateLimit: tc.rl})
			seed(srv, nil)
			ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL += tc.url })
			snapshot(t, ws)
			var batch []reconcile.Change
			for i := range people {
				batch = append(batch, reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("p%03d@acme.io", i), RoleAfter: schema.Roles[i%3]})
			}
			noErrors(t, ws.Execute(ctx, batch))
			c := srv.Counts()
			t.Logf("%d of %d writes answered 429", c["429"], c["writes"])
			if c["429"] > tc.most {
				t.Errorf("the server answered %d of %d writes with 429, want at most %d", c["429"], c["writes"], tc.most)
			}
			_, w := ws.Pace()
			if w.Throttled != c["429"] {
				t.Errorf("Pace() counts %d writes answered 429, the server %d", w.Throttled, c["429"])
			}
			if len(srv.Users()) != people {
				t.Errorf("the server holds %d users, want %d", len(srv.Users()), people)
			}
		})
	}
}

// TestPerMinuteRetryAfterWaited: a provider that rations by the minute
// (Slack) asks up to a minute; by default teamctl waits that out rather
// than failing the change.
func TestPerMinuteRetryAfterWaited(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 2, FailWriteStatus: 429, RetryAfter: "45"}})
	seed(srv, nil)
	ws, err := scim.New(scim.Config{URL: srv.URL, Token: srv.Token()})
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	scim.SetSleep(ws, func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	})
	snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "ana@acme.io", RoleAfter: schema.Admin}}))
	if !slices.Contains(waits, 45*time.Second) {
		t.Errorf("waits %v, want the 45s the provider asked", waits)
	}
}

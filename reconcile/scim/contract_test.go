package scim_test

import (
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/reconcile/workspacetest"
	"github.com/teamctl/teamctl/schema"
)

// fastRetry keeps retries quick in tests; Retry-After still wins.
var fastRetry = scim.Retry{Attempts: 8, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second, MaxElapsed: 20 * time.Second}

// seed puts members into a server: users, and the three role groups.
func seed(srv *scimtest.Server, members []reconcile.Member) {
	byRole := map[schema.Role][]string{}
	for _, m := range members {
		id := srv.AddUser(scimtest.User{UserName: m.Email, DisplayName: m.Name, Emails: []string{m.Email}, Active: m.Status != reconcile.Suspended})
		for _, r := range append([]schema.Role{m.Role}, m.OtherRoles...) {
			byRole[r] = append(byRole[r], id)
		}
	}
	srv.AddGroup("Admins", byRole[schema.Admin]...)
	srv.AddGroup("Operators", byRole[schema.Operator]...)
	srv.AddGroup("Reviewers", byRole[schema.Reviewer]...)
}

func newWorkspace(t *testing.T, srv *scimtest.Server, mod func(*scim.Config)) *scim.Workspace {
	t.Helper()
	cfg := scim.Config{URL: srv.URL, Token: srv.Token(), Retry: fastRetry, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	ws, err := scim.New(cfg)
	if err != nil {
		t.Fatalf("scim.New() error: %v", err)
	}
	return ws
}

// quirks are the server behaviours the contract runs against.
var quirks = []struct {
	name string
	opts scimtest.Options
	cfg  func(*scim.Config)
}{
	{name: "Plain"},
	{name: "SmallShortPages", opts: scimtest.Options{PageSize: 3, ShortPage: 2}},
	{name: "ListsWithoutMembers", opts: scimtest.Options{ListWithoutMembers: true, PageSize: 2}},
	{name: "Bulk", opts: scimtest.Options{Bulk: true, BulkMaxOperations: 4, BulkMaxPayloadSize: 2000}},
	{name: "ETags", opts: scimtest.Options{ETags: true}},
	{name: "BulkETagsTLS", opts: scimtest.Options{Bulk: true, ETags: true, TLS: true}},
	{name: "CaseSensitiveNumericErrors", opts: scimtest.Options{CaseSensitiveUserNames: true, NumericErrorStatus: true}},
	{name: "NoPatch", opts: scimtest.Options{NoPatch: true, ETags: true}},
	{name: "AdvertisesMore", opts: scimtest.Options{Advertise: &scimtest.Features{Patch: true, Bulk: true, BulkMaxOperations: 10, BulkMaxPayloadSize: 1 << 20, ETags: true, MaxResults: 50}, PageSize: 2}},
	{name: "AdvertisesLess", opts: scimtest.Options{Bulk: true, ETags: true, Advertise: &scimtest.Features{}}},
	{name: "NoDiscovery", opts: scimtest.Options{NoServiceProviderConfig: true, PageSize: 4}},
	{name: "Throttled", opts: scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 3, FailWriteStatus: 429, RetryAfter: "0"}}},
	{name: "Unavailable", opts: scimtest.Options{Bulk: true, Faults: scimtest.Faults{FailWriteEvery: 2, RetryAfter: "0"}}},
	{name: "Resets", opts: scimtest.Options{PageSize: 3, Faults: scimtest.Faults{ResetEvery: 4}}},
	{name: "Parallelism1", cfg: func(c *scim.Config) { c.Parallelism = 1 }},
	{name: "CursorPages", opts: scimtest.Options{Cursor: true, PageSize: 3}},
	{name: "CursorOnly", opts: scimtest.Options{CursorOnly: true, PageSize: 3, ListWithoutMembers: true}},
	{name: "EntraDialect", opts: scimtest.Options{Bulk: true, Dialect: scimtest.Dialect{StringActive: true, CapitalisedMethods: true}}},
	{name: "LowercaseResources", opts: scimtest.Options{PageSize: 3, Dialect: scimtest.Dialect{LowercaseResources: true}}},
	{name: "ZeroBasedStartIndex", opts: scimtest.Options{PageSize: 3, Dialect: scimtest.Dialect{ZeroBasedStartIndex: true}}},
	{name: "RateLimited", opts: scimtest.Options{RateLimit: scimtest.RateLimit{Reads: 200, Writes: 100}}},
	{name: "SmallPatches", opts: scimtest.Options{Quirks: scimtest.Quirks{PatchMembersLimit: 2, TruncatePatch: 1}}},
}

func TestContract(t *testing.T) {
	for _, q := range quirks {
		t.Run(q.name, func(t *testing.T) {
			t.Parallel()
			workspacetest.Run(t, func(t *testing.T, members []reconcile.Member) reconcile.Workspace {
				srv := scimtest.New(t, q.opts)
				seed(srv, members)
				return newWorkspace(t, srv, func(c *scim.Config) {
					c.CAFile = srv.CAFile
					if q.cfg != nil {
						q.cfg(c)
					}
				})
			})
		})
	}
}

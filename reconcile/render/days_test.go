package render

import (
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
)

// TestInviteAgeCenturies: an invite sent or expiring centuries from now (a
// hostile or broken workspace) is counted in calendar days, never capped
// at what a time.Duration holds ("106751 days").
func TestInviteAgeCenturies(t *testing.T) {
	now := time.Date(2026, time.November, 26, 12, 0, 0, 0, time.UTC)
	far := now.AddDate(300, 0, 0)
	long := now.AddDate(-300, 0, 0)
	for _, tt := range []struct {
		q    reconcile.Pending
		want string
	}{
		{reconcile.Pending{InvitedAt: &now, ExpiresAt: &far, Declared: true}, "sent today, expires in 109572 days"},
		{reconcile.Pending{InvitedAt: &long, ExpiresAt: &long, Declared: true}, "sent 109573 days ago, expired 109573 days ago"},
	} {
		if got := inviteAge(tt.q, now); got != tt.want {
			t.Errorf("inviteAge() = %q, want %q", got, tt.want)
		}
	}
}

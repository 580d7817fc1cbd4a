package scim

import (
	"context"
	"time"
)

// SetSleep replaces how w waits between retries, so tests can see the
// waits without spending them.
func SetSleep(w *Workspace, sleep func(ctx context.Context, d time.Duration) error) { w.sleep = sleep }

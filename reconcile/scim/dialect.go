package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Dialects (SPEC §9): providers write RFC 7643 and 7644 each their own
// way, and teamctl reads them all. Most of it is in how documents are
// read: active as the string "True" or "False" (Entra ID) is a flex;
// "Resources" is matched in any case, as encoding/json matches names; a
// Bulk response's methods are compared in any case ("Post"); a missing
// or broken /ServiceProviderConfig gets cautious defaults (discover).
// What needs a request of its own is a startIndex counted from 0: the
// first pass of a list then ends one resource short, and one request
// tells why.

// indexShift is what to take off a 1-based startIndex before sending it.
func (w *Workspace) indexShift() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.feat != nil && w.feat.zeroBased {
		return 1
	}
	return 0
}

// checkZeroBased asks, after a list read in full came out short, for the
// resource at startIndex=0: a provider that counts from 1 answers it as
// startIndex=1 (RFC 7644 section 3.4.2.4: less than 1 is 1), with a
// resource the list has; one that counts from 0 answers the resource the
// list skipped. The provider is then read from 0 for the rest of the run.
func (w *Workspace) checkZeroBased(ctx context.Context, path, query string, listed []json.RawMessage) {
	if w.indexShift() == 1 || w.feat == nil {
		return
	}
	resp, err := w.do(ctx, http.MethodGet, fmt.Sprintf("%s?startIndex=0&count=1%s", path, query), nil, "")
	if err != nil {
		return
	}
	var lr struct {
		Resources []struct {
			ID string `json:"id"`
		} `json:"Resources"`
	}
	if json.Unmarshal(resp.body, &lr) != nil || len(lr.Resources) == 0 || lr.Resources[0].ID == "" {
		return
	}
	for _, raw := range listed {
		var head struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &head) == nil && head.ID == lr.Resources[0].ID {
			return
		}
	}
	w.mu.Lock()
	w.feat.zeroBased = true
	w.mu.Unlock()
	w.tracef("list %s: the service provider counts startIndex from 0; reading from 0", path)
}

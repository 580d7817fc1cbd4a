package scim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Membership batches (SPEC §9, members_per_patch=). One group request adds
// or removes at most perPatch members: members_per_patch= when given,
// else defaultPerPatch. Providers cap it, each its own way: AWS IAM
// Identity Center refuses more than 100 (400 tooMany), gateways answer 413,
// and FusionAuth keeps only the first 100 and answers 200. On each of
// these the size is halved and only what did not land is sent again; the
// smaller size holds for the rest of the run.

const (
	// defaultPerPatch is where the size starts without members_per_patch=:
	// the cap of the strictest provider seen (AWS IAM Identity Center).
	defaultPerPatch = 100
	// maxPerPatch bounds members_per_patch=.
	maxPerPatch = 10000
)

// parsePerPatch reads members_per_patch=N.
func parsePerPatch(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPerPatch {
		return 0, fmt.Errorf("scim: workspace URL: members_per_patch=%q: want a whole number from 1 to %d", v, maxPerPatch)
	}
	return n, nil
}

// membersPerPatch is the most members one group request carries now.
func (w *Workspace) membersPerPatch() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.perPatch
}

// shrinkPerPatch halves the size of group requests after the provider
// refused or truncated one of sent members (why says so, as a format and
// its arguments); it leaves a size already below sent alone (another
// request shrank it meanwhile).
func (w *Workspace) shrinkPerPatch(sent int, why string, args ...any) {
	w.mu.Lock()
	if w.perPatch < sent || w.perPatch == 1 {
		w.mu.Unlock()
		return
	}
	w.perPatch = max(1, sent/2)
	n := w.perPatch
	w.mu.Unlock()
	w.noticef("%s; teamctl sends at most %d members a request for the rest of this run (members_per_patch=%d in the workspace URL starts there)", fmt.Sprintf(why, args...), n, n)
}

// tooMany reports whether the provider refused a group request for its
// size.
func tooMany(err error) bool {
	return isStatus(err, http.StatusRequestEntityTooLarge) || (isStatus(err, http.StatusBadRequest) && isScimType(err, "tooMany"))
}

// landed returns the members of ids that a group request's answer shows
// as added (or, when add is false, removed), and whether the answer shows
// the group's members at all. An answer without a body, without members
// or showing none of ids landed says nothing: the read-back judges.
func landed(body []byte, add bool, ids []string) ([]string, bool) {
	if len(body) == 0 || !hasMembers(json.RawMessage(body)) {
		return nil, false
	}
	g, err := parseGroup(body)
	if err != nil {
		return nil, false
	}
	var out []string
	for _, id := range ids {
		if g.members[id] == add {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, false
	}
	return out, true
}

// BatchLimit is how many changes of a phase one Execute takes
// (reconcile.Batcher): a membership request's worth (membersPerPatch),
// so that a phase's group edits cost about ceil(n/membersPerPatch)
// requests a group rather than three for every 25 changes; and, under
// rate=, no more than the rate carries in half the stop grace, so that a
// batch in flight when apply is interrupted still finishes.
func (w *Workspace) BatchLimit() int {
	n := w.membersPerPatch()
	if r := w.ep.rate; r != nil {
		n = min(n, int(float64(r.limit())*stopGrace.Seconds()/2))
	}
	return max(n, 1)
}

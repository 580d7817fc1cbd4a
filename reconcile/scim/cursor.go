package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Cursor pagination (RFC 9865, SPEC §9). A provider whose
// /ServiceProviderConfig says pagination.cursor is read by cursor: each
// page names the next (nextCursor), so pages never shift when the list
// changes between two requests, as startIndex pages do; it is the stable
// read. The pages come one after the other (each names the next), so a
// cursor list is not fetched ahead. A provider that refuses the first
// cursor request (400) is read by startIndex for the rest of the run.

// byCursor reports whether lists are read by cursor.
func (w *Workspace) byCursor() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.feat != nil && w.feat.cursor
}

// listByCursor reads every resource at path by cursor, with query added to
// each request. refused is true when the provider refused the first
// request with 400: the caller then pages by startIndex.
func (w *Workspace) listByCursor(ctx context.Context, path string, pageSize int, query string) (_ []json.RawMessage, refused bool, _ error) {
	var out []json.RawMessage
	seen := map[string]bool{}
	cursors := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, false, fmt.Errorf("scim: list %s: more than %d pages; giving up", path, maxPages)
		}
		// The first page is asked with an empty cursor (RFC 9865 section 2).
		resp, err := w.do(ctx, http.MethodGet, fmt.Sprintf("%s?cursor=%s&count=%d%s", path, url.QueryEscape(cursor), pageSize, query), nil, "")
		if page == 0 && isStatus(err, http.StatusBadRequest) {
			w.mu.Lock()
			w.feat.cursor = false
			w.mu.Unlock()
			w.tracef("the service provider advertises cursor pages but refuses them (%v); paging by startIndex", err)
			return nil, true, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("scim: list %s: %w", path, err)
		}
		var lr struct {
			TotalResults *flex             `json:"totalResults"`
			Resources    []json.RawMessage `json:"Resources"`
			NextCursor   string            `json:"nextCursor"`
		}
		if err := json.Unmarshal(resp.body, &lr); err != nil {
			return nil, false, fmt.Errorf("scim: list %s: the response is not a SCIM list: %v", path, err)
		}
		for _, raw := range lr.Resources {
			var head struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &head) != nil || head.ID == "" {
				return nil, false, fmt.Errorf("scim: list %s: a resource without an id", path)
			}
			if !seen[head.ID] {
				seen[head.ID] = true
				out = append(out, raw)
			}
		}
		if lr.NextCursor == "" {
			if lr.TotalResults != nil && lr.TotalResults.int() > len(out) {
				return nil, false, fmt.Errorf("scim: list %s: the server says it has %d resources but its cursor pages held %d; teamctl does not plan from part of a list", path, lr.TotalResults.int(), len(out))
			}
			return out, false, nil
		}
		if cursors[lr.NextCursor] {
			return nil, false, fmt.Errorf("scim: list %s: the server gave a cursor it had given before; it does not paginate correctly", path)
		}
		cursors[lr.NextCursor] = true
		cursor = lr.NextCursor
	}
}

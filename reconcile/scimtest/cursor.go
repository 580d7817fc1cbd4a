package scimtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	scimerrors "github.com/elimity-com/scim/errors"
)

// Cursor pagination (RFC 9865). With Options.Cursor, a list request that
// carries a cursor parameter (empty for the first page) is answered from
// just after the resource the cursor names, with nextCursor on every page
// but the last; /ServiceProviderConfig advertises pagination.cursor. A
// cursor names a resource by its creation order, so that pages do not
// shift when resources come or go between two requests. With
// Options.CursorOnly, startIndex is refused (400) and a list without
// either is paged by cursor, as AWS's newer SCIM endpoints do.

// requestHeader carries a request's number from serveHTTP to the
// handlers, through the library.
const requestHeader = "X-Scimtest-Request"

// byCursor reports whether a list request is paged by cursor.
func (s *store) byCursor(req *http.Request) bool {
	if !s.opts.Cursor && !s.opts.CursorOnly {
		return false
	}
	q := req.URL.Query()
	return q.Has("cursor") || (s.opts.CursorOnly && !q.Has("startIndex"))
}

// cursorStart is where the page a cursor asks for starts in all.
func (s *store) cursorStart(req *http.Request, all []*resource) (int, error) {
	c := req.URL.Query().Get("cursor")
	if c == "" {
		return 0, nil
	}
	after, err := strconv.Atoi(strings.TrimPrefix(c, "after-"))
	if err != nil || !strings.HasPrefix(c, "after-") {
		return 0, scimerrors.ScimError{Status: http.StatusBadRequest, ScimType: "invalidCursor", Detail: "the cursor is not one this server gave"}
	}
	for i, r := range all {
		if r.seq > after {
			return i, nil
		}
	}
	return len(all), nil
}

// setNextCursor keeps the cursor of the page after all[:end] for the
// response; the lock is held.
func (s *store) setNextCursor(req *http.Request, all []*resource, end int) {
	next := ""
	if end < len(all) && end > 0 {
		next = "after-" + strconv.Itoa(all[end-1].seq)
	}
	s.nextCursor[req.Header.Get(requestHeader)] = next
}

// takeNextCursor returns and forgets the nextCursor of request id.
func (s *store) takeNextCursor(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.nextCursor[id]
	delete(s.nextCursor, id)
	return c, ok
}

// addNextCursor puts the nextCursor of a cursor page into its list
// response, and drops startIndex, which a cursor page has not.
func (s *Server) addNextCursor(id string, rec *httptest.ResponseRecorder) {
	next, ok := s.store.takeNextCursor(id)
	if !ok || rec.Code != http.StatusOK {
		return
	}
	rewriteJSON(rec, func(doc map[string]any) {
		delete(doc, "startIndex")
		if next != "" {
			doc["nextCursor"] = next
		}
	})
}

// rewriteJSON changes the recorded JSON document with edit.
func rewriteJSON(rec *httptest.ResponseRecorder, edit func(map[string]any)) {
	var doc map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		return
	}
	edit(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		return
	}
	rec.Body.Reset()
	rec.Body.Write(b)
}

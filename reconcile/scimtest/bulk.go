package scimtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// The elimity-com/scim library does not implement /Bulk (RFC 7644 section
// 3.7), so the server does: each operation is replayed as a request through
// the library's own handler, around the same store.

type bulkRequest struct {
	Schemas      []string        `json:"schemas"`
	FailOnErrors int             `json:"failOnErrors"`
	Operations   []bulkOperation `json:"Operations"`
}

type bulkOperation struct {
	Method  string          `json:"method"`
	BulkID  string          `json:"bulkId,omitempty"`
	Version string          `json:"version,omitempty"`
	Path    string          `json:"path"`
	Data    json.RawMessage `json:"data,omitempty"`
}

type bulkResult struct {
	Method   string          `json:"method"`
	BulkID   string          `json:"bulkId,omitempty"`
	Version  string          `json:"version,omitempty"`
	Location string          `json:"location,omitempty"`
	Status   string          `json:"status"`
	Response json.RawMessage `json:"response,omitempty"`
}

const bulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

func (s *Server) bulk(w http.ResponseWriter, r *http.Request) {
	limit := s.bulkMaxPayloadSize()
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "invalidSyntax", "cannot read the request body")
		return
	}
	if len(body) > limit {
		s.writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the size of the bulk operation exceeds the maxPayloadSize (%d)", limit))
		return
	}
	var req bulkRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.Schemas) != 1 || req.Schemas[0] != bulkRequestSchema {
		s.writeError(w, http.StatusBadRequest, "invalidSyntax", "not a BulkRequest")
		return
	}
	if n := s.bulkMaxOperations(); len(req.Operations) > n {
		s.writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the number of operations exceeds the maxOperations (%d)", n))
		return
	}
	s.mu.Lock()
	s.counts["bulk operations"] += len(req.Operations)
	s.mu.Unlock()

	results := make([]bulkResult, 0, len(req.Operations))
	errs := 0
	created := map[string]string{} // bulkId → id of the resource its POST created
	for _, op := range req.Operations {
		if req.FailOnErrors > 0 && errs >= req.FailOnErrors && !s.opts.Quirks.IgnoreFailOnErrors {
			break
		}
		res := s.bulkOne(r, op, created)
		code, _ := strconv.Atoi(res.Status)
		if code >= 400 {
			errs++
		}
		if code < 300 && strings.EqualFold(op.Method, http.MethodPost) && op.BulkID != "" && res.Location != "" {
			created[op.BulkID] = path.Base(res.Location)
		}
		results = append(results, res)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:BulkResponse"},
		"Operations": results,
	})
}

func (s *Server) bulkOne(parent *http.Request, op bulkOperation, created map[string]string) bulkResult {
	res := bulkResult{Method: op.Method, BulkID: op.BulkID}
	method := strings.ToUpper(op.Method)
	if s.opts.Quirks.BulkLastRefOnly && method != http.MethodPost {
		res.BulkID = ""
	}
	if !isWrite(method) || !strings.HasPrefix(op.Path, "/") {
		res.Status = strconv.Itoa(http.StatusBadRequest)
		res.Response = errorDoc(http.StatusBadRequest, "invalidValue", "bad method or path")
		return res
	}
	// RFC 7644 section 3.7.2: "bulkId:ID" in the data stands for the id of
	// the resource the operation with that bulkId created.
	unresolved := ""
	refs, last := len(bulkIDRef.FindAll(op.Data, -1)), 0
	op.Data = bulkIDRef.ReplaceAllFunc(op.Data, func(m []byte) []byte {
		if last++; (s.opts.Quirks.BulkLastRefOnly && last < refs) || s.opts.Quirks.BulkNoRefs {
			return m // stored literally
		}
		ref := string(bulkIDRef.FindSubmatch(m)[1])
		id, ok := created[ref]
		if !ok {
			unresolved = ref
			return m
		}
		return []byte(strconv.Quote(id))
	})
	if unresolved != "" {
		res.Status = strconv.Itoa(http.StatusConflict)
		res.Response = errorDoc(http.StatusConflict, "invalidValue", "bulkId "+unresolved+" does not name a resource created earlier in the request")
		return res
	}
	if s.opts.Quirks.BulkPatchNoop && method == http.MethodPatch {
		res.Status = strconv.Itoa(http.StatusOK)
		return res
	}
	sub := httptest.NewRequestWithContext(parent.Context(), method, BasePath+op.Path, bytes.NewReader(op.Data))
	sub.Header.Set("Content-Type", "application/scim+json")
	if op.Version != "" {
		sub.Header.Set("If-Match", op.Version)
	}
	rec := httptest.NewRecorder()
	_, endpoint := kind(sub)
	s.route(rec, sub, endpoint)
	res.Status = strconv.Itoa(rec.Code)
	res.Location = rec.Header().Get("Location")
	res.Version = rec.Header().Get("Etag")
	if rec.Code >= 400 {
		res.Response = json.RawMessage(bytes.TrimSpace(rec.Body.Bytes()))
	}
	return res
}

// bulkIDRef matches a bulkId reference in the data of a Bulk operation.
var bulkIDRef = regexp.MustCompile(`"bulkId:([^"]+)"`)

func errorDoc(status int, scimType, detail string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":   strconv.Itoa(status),
		"scimType": scimType,
		"detail":   detail,
	})
	return b
}

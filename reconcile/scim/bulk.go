package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	bulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	// bulkOverhead is room for the envelope of a Bulk request.
	bulkOverhead = 256
)

type bulkOperation struct {
	Method  string `json:"method"`
	BulkID  string `json:"bulkId"`
	Version string `json:"version,omitempty"`
	Path    string `json:"path"`
	Data    any    `json:"data,omitempty"`
}

type bulkResult struct {
	Method   string          `json:"method"`
	BulkID   string          `json:"bulkId"`
	Location string          `json:"location"`
	Version  string          `json:"version"`
	Status   json.RawMessage `json:"status"`
	Response json.RawMessage `json:"response"`
}

// runBulk sends ops in Bulk requests (RFC 7644 section 3.7) within the
// provider's maxOperations and maxPayloadSize. It returns the operations
// to send alone: those that do not fit a Bulk request, those the provider
// asked to retry later (429, 503), and all of them when Bulk turns out not
// to work.
func (w *Workspace) runBulk(ctx context.Context, f features, ops []*userOp) []*userOp {
	var single, chunk []*userOp
	size := bulkOverhead
	flush := func() {
		if len(chunk) > 0 {
			single = append(single, w.sendBulk(ctx, chunk)...)
		}
		chunk, size = nil, bulkOverhead
	}
	for _, op := range ops {
		if op.method == http.MethodPut {
			single = append(single, op) // read-modify-write: not for Bulk
			continue
		}
		n := bulkSize(op)
		if n+bulkOverhead > f.bulkMaxPayload {
			single = append(single, op)
			continue
		}
		if len(chunk) == f.bulkMaxOps || size+n > f.bulkMaxPayload {
			flush()
		}
		chunk = append(chunk, op)
		size += n
	}
	flush()
	return single
}

func bulkSize(op *userOp) int {
	b, _ := json.Marshal(bulkOperation{Method: op.method, BulkID: "op-00000", Version: op.ifMatch, Path: op.path, Data: op.body})
	return len(b) + 1
}

// sendBulk sends one Bulk request and reads each operation's outcome into
// its op. It returns the ops to send again alone.
func (w *Workspace) sendBulk(ctx context.Context, ops []*userOp) []*userOp {
	return w.sendBulkEdits(ctx, ops, nil)
}

// sendBulkEdits sends one Bulk request of ops and then the group edits,
// and reads each operation's outcome into its op or edit. It returns the
// ops to send again alone; edits not carried out are left to editGroups.
// With edits, the provider is asked to stop at the first error
// (failOnErrors 1); nothing depends on it doing so, as no membership a
// change of role takes away is in the request.
func (w *Workspace) sendBulkEdits(ctx context.Context, ops []*userOp, edits []*groupEdit) []*userOp {
	req := map[string]any{"schemas": []string{bulkRequestSchema}}
	list := make([]bulkOperation, 0, len(ops)+len(edits))
	for i, op := range ops {
		list = append(list, bulkOperation{Method: op.method, BulkID: opBulkID(i), Version: op.ifMatch, Path: op.path, Data: op.body})
	}
	for i, e := range edits {
		list = append(list, e.operation(i))
	}
	req["Operations"] = list
	if len(edits) > 0 {
		req["failOnErrors"] = 1
	}
	resp, err := w.do(ctx, http.MethodPost, "/Bulk", req, "")
	if err != nil {
		if unsupported(err) {
			w.disable("bulk")
			return ops
		}
		if isStatus(err, http.StatusRequestEntityTooLarge) {
			return ops
		}
		for _, op := range ops {
			op.err = err
		}
		return nil
	}
	var br struct {
		Operations []bulkResult `json:"Operations"`
	}
	if err := json.Unmarshal(resp.body, &br); err != nil {
		for _, op := range ops {
			op.err = fmt.Errorf("POST /Bulk: the response is not a BulkResponse: %v", err)
		}
		return nil
	}
	// A provider may leave bulkId out of the results of operations other
	// than POST (RFC 7644 section 3.7.3 asks for it only there): those
	// are matched by position, as providers answer in order.
	byID := map[string]bulkResult{}
	for k, r := range br.Operations {
		id := r.BulkID
		if id == "" && k < len(list) && (r.Method == "" || strings.EqualFold(r.Method, list[k].Method)) {
			id = list[k].BulkID
		}
		byID[id] = r
	}
	var again []*userOp
	for i, op := range ops {
		r, ok := byID[opBulkID(i)]
		if !ok {
			// Not carried out (the provider stopped early): send it alone.
			again = append(again, op)
			continue
		}
		status := bulkStatus(r.Status)
		switch {
		case status >= 200 && status < 300:
			op.status, op.location, op.etag, op.bulk = status, r.Location, r.Version, true
		case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == 0:
			again = append(again, op)
		default:
			op.err = parseError(op.method, op.path, status, r.Response, w.redact)
		}
	}
	for i, e := range edits {
		if r, ok := byID[editBulkID(i)]; ok {
			if status := bulkStatus(r.Status); status >= 200 && status < 300 {
				e.done, e.etag = true, r.Version
			}
		}
	}
	return again
}

func opBulkID(i int) string   { return "op-" + strconv.Itoa(i) }
func editBulkID(i int) string { return "group-" + strconv.Itoa(i) }

// bulkStatus reads an operation's status: "201", 201 or {"code": 201}.
func bulkStatus(raw json.RawMessage) int {
	if n := parseStatus(raw); n != 0 {
		return n
	}
	var obj struct {
		Code json.RawMessage `json:"code"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return parseStatus(obj.Code)
	}
	return 0
}

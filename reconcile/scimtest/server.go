// Package scimtest runs an in-memory SCIM 2.0 service provider (RFC 7643,
// RFC 7644) on 127.0.0.1 for tests and benchmarks. It is built on
// github.com/elimity-com/scim, a third-party implementation of the protocol,
// so clients are tested against someone else's reading of the RFCs, not a
// mock of their own. Switches reproduce the quirks of real providers: small
// or short pages, Bulk on and off, ETags, case-sensitive user names,
// discovery documents that claim more or less than the server does, a
// rate limit (429 with Retry-After, optionally RateLimit headers), and
// injected faults (429/503 with Retry-After, connection resets, slow
// responses, a failing list page, latency).
package scimtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/elimity-com/scim"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
	filter "github.com/scim2/filter-parser/v2"
	"golang.org/x/time/rate"
)

// DefaultToken is the bearer token the server accepts unless Options.Token
// says otherwise.
const DefaultToken = "scimtest-token-7f3a9c"

// BasePath is where the SCIM endpoints live on the server.
const BasePath = "/scim/v2"

// Options configure a server. The zero value is a well-behaved server with
// 100 results per page, PATCH, no Bulk and no ETags.
type Options struct {
	Token string // accepted bearer token; DefaultToken when empty
	TLS   bool   // serve HTTPS with a self-signed certificate (see CAFile)

	// PageSize is the most results a list returns (filter.maxResults);
	// 100 when zero.
	PageSize int
	// ShortPage, when positive, makes every list page hold at most this
	// many results, fewer than asked and fewer than PageSize, as some
	// providers do.
	ShortPage int

	Bulk               bool // serve /Bulk
	BulkMaxOperations  int  // 1000 when zero
	BulkMaxPayloadSize int  // bytes; 1 MiB when zero

	ETags bool // version resources and honour If-Match (412 on mismatch)

	NoPatch bool // answer PATCH with 501, as servers without PATCH do

	// ListWithoutMembers leaves members out of group lists (a single GET
	// still has them), as large providers do.
	ListWithoutMembers bool

	// IgnoreStartIndex answers every list from the first result, as a
	// broken provider might.
	IgnoreStartIndex bool

	// CaseSensitiveUserNames makes userName uniqueness and `userName eq`
	// filters compare exactly, as some providers do (RFC 7643 says they
	// should not).
	CaseSensitiveUserNames bool

	// NumericErrorStatus writes the status of error documents as a JSON
	// number instead of the string RFC 7644 asks for.
	NumericErrorStatus bool

	// EchoAuthorization puts the request's Authorization header in the
	// detail of the errors the server makes itself (401, injected faults),
	// as a careless or hostile provider might.
	EchoAuthorization bool

	// Advertise, when set, is what /ServiceProviderConfig claims instead of
	// the truth, for servers that advertise less or more than they do.
	Advertise *Features
	// NoServiceProviderConfig answers /ServiceProviderConfig with 404.
	NoServiceProviderConfig bool

	// Cursor pages lists by cursor (RFC 9865) when a request asks, and
	// advertises it; CursorOnly refuses startIndex too (cursor.go).
	Cursor, CursorOnly bool

	// Dialect writes what the server answers as some providers do.
	Dialect Dialect

	// NoteExtension adds the schema extension NoteSchema to users, with
	// the string attribute inviteNote (NoteAttribute), as a provider that
	// emails invitees a message it keeps on the user; /Schemas lists it.
	NoteExtension bool

	Faults Faults

	// RateLimit rations requests, as SaaS providers do.
	RateLimit RateLimit

	// Quirks act out what real providers were seen to do wrong.
	Quirks Quirks
}

// Dialect is how some providers write what RFC 7643 and 7644 say, each a
// switch (dialect.go).
type Dialect struct {
	// StringActive writes a user's active as the string "True" or
	// "False", as Entra ID does.
	StringActive bool
	// LowercaseResources names the resources of a list "resources".
	LowercaseResources bool
	// ZeroBasedStartIndex reads startIndex as counted from 0.
	ZeroBasedStartIndex bool
	// CapitalisedMethods writes the methods of a Bulk response as "Post",
	// "Patch", "Put" and "Delete".
	CapitalisedMethods bool
}

// Quirks are misbehaviours of shipped SCIM providers, one switch each.
type Quirks struct {
	// BulkLastRefOnly resolves only the last bulkId reference in the data
	// of a Bulk operation and stores the others literally (a group then
	// holds the member "bulkId:op-0"), and leaves bulkId out of the
	// results of operations other than POST (RFC 7644 section 3.7.3 asks
	// for it only for POST).
	BulkLastRefOnly bool
	// BulkPatchNoop answers 200 to a PATCH inside a Bulk request without
	// carrying it out, as a provider that mis-wraps the PatchOp does.
	BulkPatchNoop bool
	// HideMembers stores the members a request gives a group but answers
	// every read of a group (list, filter, GET by id, PATCH response) with
	// "members": [].
	HideMembers bool
	// SingleEqFilter answers 400 invalidFilter to every filter but a
	// single `attr eq "value"`.
	SingleEqFilter bool
	// IgnoreFailOnErrors carries out every operation of a Bulk request,
	// whatever its failOnErrors says.
	IgnoreFailOnErrors bool
	// OverfullPages makes every list page after the first begin with the
	// first two resources of the page before it (as a client asking count
	// at a time would have had it), on top of the count asked for.
	OverfullPages bool
	// TruncatePatch, when positive, keeps only the first TruncatePatch
	// members a group PATCH adds (or removes) and answers 200 all the
	// same, as FusionAuth was seen to keep only the first 100.
	TruncatePatch int
	// PatchMembersLimit, when positive, refuses a group PATCH that adds
	// or removes more members than that, with PatchLimitStatus (400 with
	// scimType tooMany when zero; 413 as some gateways do).
	PatchMembersLimit int
	PatchLimitStatus  int
	// PatchNoContent answers a group PATCH that succeeds with 204 and no
	// body, as RFC 7644 section 3.5.2 allows: only a read shows what it
	// did.
	PatchNoContent bool
	// RefuseAddsTo names a group to which adding members (PATCH or PUT)
	// answers 400, alone or inside a Bulk request.
	RefuseAddsTo string
	// AnyMemberValue stores every member value a request gives a group as
	// given, as SCIMMY does: a userName, a group's id, the id of no one.
	AnyMemberValue bool
	// StrictIDs answers 400 invalidValue, not 404, to a request for a
	// user or group by an id not of the form the server gives (u-NNNN,
	// g-NNNN), as providers with UUID ids do.
	StrictIDs bool
	// RefuseRemovesFrom names a group from which removing members (PATCH
	// or PUT) answers 500, so that a removal stops halfway: the user
	// deactivated, still in the group.
	RefuseRemovesFrom string
	// NoTargetUnlessLast answers 400 noTarget to a PATCH remove of
	// members[value eq "ID"] unless it leaves the group empty, as a
	// shipped server does; a PUT of the group works.
	NoTargetUnlessLast bool
	// BulkNoRefs resolves no bulkId reference in the data of a Bulk
	// operation: a group then holds the member "bulkId:op-0" as given.
	BulkNoRefs bool
	// DeleteDuringList names a user the server deletes (as another admin
	// might) right after it answers the first page of a list of users,
	// once: the pages after it shift, and totalResults shrinks with them.
	DeleteDuringList string
}

// NoteSchema is the user schema extension of Options.NoteExtension, and
// NoteAttribute the path of its note attribute (a note= option).
const (
	NoteSchema    = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
	NoteAttribute = NoteSchema + ":inviteNote"
)

// noteExtension is the schema NoteSchema.
func noteExtension() scim.SchemaExtension {
	return scim.SchemaExtension{Schema: schema.Schema{
		ID:   NoteSchema,
		Name: optional.NewString("Invitation"),
		Attributes: []schema.CoreAttribute{
			schema.SimpleCoreAttribute(schema.SimpleStringParams(schema.StringParams{Name: "inviteNote"})),
		},
	}}
}

// Features are what a discovery document advertises.
type Features struct {
	Patch              bool
	Bulk               bool
	BulkMaxOperations  int
	BulkMaxPayloadSize int
	ETags              bool
	MaxResults         int
}

// Faults inject failures. Counters are per kind of request and start at 1;
// "every N" means requests N, 2N, 3N … of that kind.
type Faults struct {
	// FailWriteEvery makes every Nth write (POST, PUT, PATCH, DELETE; a
	// Bulk request counts once) answer FailWriteStatus (503 when zero)
	// with a Retry-After of RetryAfter (none when empty), without applying
	// it.
	FailWriteEvery  int
	FailWriteStatus int
	RetryAfter      string

	// ResetEvery makes every Nth request be carried out, then the
	// connection be closed halfway through the response.
	ResetEvery int

	// SlowEvery makes every Nth request be carried out, then answered only
	// after SlowDelay (or when the client gives up).
	SlowEvery int
	SlowDelay time.Duration

	// FailListPage makes the Nth list request (GET /Users or /Groups)
	// answer 500 once.
	FailListPage int

	// Latency delays every request, for benchmarks.
	Latency time.Duration

	// Detail, when set, is the text of the errors the server makes itself
	// (401, injected faults), as a hostile provider would write it: line
	// breaks, workflow commands, anything.
	Detail string
}

// RateLimit rations requests as SaaS providers do: each class of request
// (reads: GET; writes: the rest, a Bulk request counting once) has a
// budget of Window's worth of requests that refills at its rate, and a
// request over it is answered 429 with an integer Retry-After (the seconds
// until the budget holds one request again), without being carried out.
type RateLimit struct {
	Reads, Writes float64       // requests a second; 0: no limit
	Window        time.Duration // how much time's requests the budget holds (a burst); 1s when zero
	// Headers sends RateLimit-Limit (the budget), RateLimit-Remaining and
	// RateLimit-Reset (integer seconds until the budget is whole) with
	// every answer of a rationed class.
	Headers bool
}

// Server is a running SCIM service provider.
type Server struct {
	// URL is the workspace URL for teamctl: scim+http(s)://127.0.0.1:PORT/scim/v2.
	URL string
	// BaseURL is the plain HTTP(S) base of the SCIM endpoints.
	BaseURL string
	// CAFile is a PEM file with the server's certificate when Options.TLS.
	CAFile string

	ts    *httptest.Server
	tmp   string // holds CAFile
	store *store
	scim  scim.Server

	mu       sync.Mutex
	opts     Options
	counts   map[string]int
	seen     map[string]int         // fault counters: "write", "list", "all"
	failed   map[int]bool           // list requests that already failed once
	requests int                    // every request ever, to number them
	budget   map[bool]*rate.Limiter // by whether the class is writes; nil: no limit
}

// New starts a server on 127.0.0.1 and stops it when the test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s, err := Start(opts)
	if err != nil {
		tb.Fatalf("scimtest: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Start starts a server on 127.0.0.1, for callers without a testing.TB
// (a testscript command); they call Close.
func Start(opts Options) (*Server, error) {
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	s := &Server{opts: opts, counts: map[string]int{}, seen: map[string]int{}, failed: map[int]bool{}}
	s.SetRateLimit(opts.RateLimit)
	s.store = newStore(&s.opts)
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// Handshake errors from clients that rightly refuse the self-signed
	// certificate are expected; keep them out of test output.
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	scheme := "http"
	if opts.TLS {
		scheme = "https"
	}
	s.BaseURL = scheme + "://" + s.ts.Listener.Addr().String() + BasePath
	s.URL = "scim+" + s.BaseURL
	users := scim.ResourceType{ID: optional.NewString("User"), Name: "User", Endpoint: "/Users", Schema: schema.CoreUserSchema(), Handler: userHandler{s.store}}
	if opts.NoteExtension {
		users.SchemaExtensions = []scim.SchemaExtension{noteExtension()}
	}
	srv, err := scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{MaxResults: s.pageSize(), SupportPatch: !opts.NoPatch, SupportFiltering: true},
		ResourceTypes: []scim.ResourceType{
			users,
			{ID: optional.NewString("Group"), Name: "Group", Endpoint: "/Groups", Schema: schema.CoreGroupSchema(), Handler: groupHandler{s.store}},
		},
	}, scim.WithBaseURL(s.BaseURL))
	if err != nil {
		s.ts.Listener.Close()
		return nil, err
	}
	s.scim = srv
	if !opts.TLS {
		s.ts.Start()
		return s, nil
	}
	s.ts.StartTLS()
	dir, err := os.MkdirTemp("", "scimtest-")
	if err == nil {
		s.tmp = dir
		s.CAFile = filepath.Join(dir, "ca.pem")
		err = os.WriteFile(s.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw}), 0o600)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() {
	s.ts.CloseClientConnections()
	s.ts.Close()
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// Token returns the accepted bearer token.
func (s *Server) Token() string { return s.opts.Token }

// SetQuirks replaces the quirks, as the provider mending its ways (or
// falling into new ones) between two runs.
func (s *Server) SetQuirks(q Quirks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.opts.Quirks = q
}

// SetFaults replaces the injected faults and restarts their counters.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Faults = f
	s.seen = map[string]int{}
	s.failed = map[int]bool{}
}

// SetRateLimit replaces the rate limit, with full budgets.
func (s *Server) SetRateLimit(rl RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.RateLimit = rl
	window := rl.Window
	if window <= 0 {
		window = time.Second
	}
	s.budget = map[bool]*rate.Limiter{}
	for write, perSecond := range map[bool]float64{false: rl.Reads, true: rl.Writes} {
		if perSecond > 0 {
			s.budget[write] = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond*window.Seconds())))
		}
	}
}

// ration spends a request of r's class from its budget. It reports false,
// with the Retry-After to send, when the budget is spent; with
// RateLimit.Headers it sets the rate-limit headers.
func (s *Server) ration(w http.ResponseWriter, r *http.Request) (ok bool, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lim := s.budget[isWrite(r.Method)]
	if lim == nil {
		return true, 0
	}
	now := time.Now()
	ok = lim.AllowN(now, 1)
	if !ok {
		s.counts["429"]++
		// The seconds until one request fits, rounded up.
		retryAfter = max(1, int(math.Ceil((1-lim.TokensAt(now))/float64(lim.Limit()))))
	}
	if s.opts.RateLimit.Headers {
		left := max(0, lim.TokensAt(now))
		full := (float64(lim.Burst()) - left) / float64(lim.Limit())
		w.Header().Set("RateLimit-Limit", strconv.Itoa(lim.Burst()))
		w.Header().Set("RateLimit-Remaining", strconv.Itoa(int(left)))
		w.Header().Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil(full))))
	}
	return ok, retryAfter
}

// Counts returns how many requests of each kind the server received, by
// "METHOD /Endpoint" ("GET /Users", "PATCH /Groups", "POST /Bulk",
// "GET /ServiceProviderConfig"), plus "total", "writes" (POST, PUT, PATCH
// and DELETE requests), "bulk operations" (the operations inside Bulk
// requests) and "429" (requests refused by the rate limit).
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		c[k] = v
	}
	return c
}

// ResetCounts sets every request count back to zero.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
}

func (s *Server) pageSize() int {
	if s.opts.PageSize > 0 {
		return s.opts.PageSize
	}
	return 100
}

func (s *Server) features() Features {
	if s.opts.Advertise != nil {
		return *s.opts.Advertise
	}
	return Features{
		Patch:              !s.opts.NoPatch,
		Bulk:               s.opts.Bulk,
		BulkMaxOperations:  s.bulkMaxOperations(),
		BulkMaxPayloadSize: s.bulkMaxPayloadSize(),
		ETags:              s.opts.ETags,
		MaxResults:         s.pageSize(),
	}
}

func (s *Server) bulkMaxOperations() int {
	if s.opts.BulkMaxOperations > 0 {
		return s.opts.BulkMaxOperations
	}
	return 1000
}

func (s *Server) bulkMaxPayloadSize() int {
	if s.opts.BulkMaxPayloadSize > 0 {
		return s.opts.BulkMaxPayloadSize
	}
	return 1 << 20
}

// kind names a request for counting: "GET /Users", "POST /Bulk".
func kind(r *http.Request) (string, string) {
	p := strings.TrimPrefix(r.URL.Path, BasePath)
	endpoint := "/" + strings.SplitN(strings.TrimPrefix(p, "/"), "/", 2)[0]
	return r.Method + " " + endpoint, endpoint
}

func isWrite(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch || method == http.MethodDelete
}

// fault is what the fault switches decide for one request.
type fault struct {
	status     int
	retryAfter string
	reset      bool
	slow       time.Duration
	latency    time.Duration
	n          int    // the request's number
	detail     string // the error text, when not the server's own
}

func (s *Server) decide(r *http.Request, endpoint string) fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, _ := kind(r)
	s.counts[k]++
	s.counts["total"]++
	f := s.opts.Faults
	var d fault
	d.latency, d.detail = f.Latency, f.Detail
	s.seen["all"]++
	s.requests++
	d.n = s.requests
	n := s.seen["all"]
	if isWrite(r.Method) {
		s.counts["writes"]++
		s.seen["write"]++
		if w := s.seen["write"]; f.FailWriteEvery > 0 && w%f.FailWriteEvery == 0 {
			d.status = f.FailWriteStatus
			if d.status == 0 {
				d.status = http.StatusServiceUnavailable
			}
			d.retryAfter = f.RetryAfter
			return d
		}
	}
	if r.Method == http.MethodGet && (endpoint == "/Users" || endpoint == "/Groups") && !strings.Contains(strings.TrimPrefix(r.URL.Path, BasePath+endpoint), "/") {
		s.seen["list"]++
		if l := s.seen["list"]; l == f.FailListPage && !s.failed[l] {
			s.failed[l] = true
			d.status = http.StatusInternalServerError
			return d
		}
	}
	if f.ResetEvery > 0 && n%f.ResetEvery == 0 {
		d.reset = true
	}
	if f.SlowEvery > 0 && n%f.SlowEvery == 0 {
		d.slow = f.SlowDelay
	}
	return d
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, BasePath) {
		http.NotFound(w, r)
		return
	}
	_, endpoint := kind(r)
	d := s.decide(r, endpoint)
	id := strconv.Itoa(d.n)
	r.Header.Set(requestHeader, id)
	if !sleep(r, d.latency) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.opts.Token {
		s.writeError(w, http.StatusUnauthorized, "", cmp.Or(d.detail, "missing or invalid bearer token")+s.echo(r))
		return
	}
	if ok, after := s.ration(w, r); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(after))
		s.writeError(w, http.StatusTooManyRequests, "", "too many requests; retry after "+strconv.Itoa(after)+"s")
		return
	}
	if d.status != 0 {
		if d.retryAfter != "" {
			w.Header().Set("Retry-After", d.retryAfter)
		}
		s.writeError(w, d.status, "", cmp.Or(d.detail, "injected fault")+s.echo(r))
		return
	}

	rec := httptest.NewRecorder()
	s.route(rec, r, endpoint)
	s.addNextCursor(id, rec)
	s.speak(rec)
	if s.opts.Quirks.PatchNoContent && r.Method == http.MethodPatch && endpoint == "/Groups" && rec.Code == http.StatusOK {
		rec = httptest.NewRecorder()
		rec.WriteHeader(http.StatusNoContent)
	}
	if r.Method == http.MethodGet && r.URL.Path == BasePath+"/Users" && rec.Code == http.StatusOK {
		s.deleteDuringList()
	}
	if s.opts.NumericErrorStatus && rec.Code >= 400 {
		numericStatus(rec)
	}

	if !sleep(r, d.slow) {
		return
	}
	if d.reset {
		reset(w, rec)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// deleteDuringList deletes the user Quirks.DeleteDuringList names, once.
func (s *Server) deleteDuringList() {
	s.mu.Lock()
	id := s.opts.Quirks.DeleteDuringList
	s.opts.Quirks.DeleteDuringList = ""
	s.mu.Unlock()
	if id != "" {
		s.DeleteUser(id)
	}
}

func (s *Server) echo(r *http.Request) string {
	if !s.opts.EchoAuthorization {
		return ""
	}
	return " (Authorization: " + r.Header.Get("Authorization") + ")"
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, endpoint string) {
	switch {
	case endpoint == "/ServiceProviderConfig":
		s.serviceProviderConfig(w)
	case endpoint == "/Bulk" && r.Method == http.MethodPost:
		if !s.opts.Bulk {
			s.writeError(w, http.StatusNotImplemented, "", "bulk operations are not supported")
			return
		}
		s.bulk(w, r)
	case s.opts.CursorOnly && r.Method == http.MethodGet && r.URL.Query().Has("startIndex"):
		s.writeError(w, http.StatusBadRequest, "invalidValue", "startIndex is not supported: page with cursor (RFC 9865)")
	case r.Method == http.MethodPatch && endpoint == "/Groups" && s.tooLarge(r):
		if s.opts.Quirks.PatchLimitStatus == http.StatusRequestEntityTooLarge {
			s.writeError(w, http.StatusRequestEntityTooLarge, "", "request too large")
			return
		}
		s.writeError(w, http.StatusBadRequest, "tooMany", fmt.Sprintf("at most %d members a request", s.opts.Quirks.PatchMembersLimit))
	case r.Method == http.MethodPatch && s.opts.NoPatch:
		s.writeError(w, http.StatusNotImplemented, "", "PATCH is not supported")
	case s.opts.Quirks.StrictIDs && !ownID(r.URL.Path):
		s.writeError(w, http.StatusBadRequest, "invalidValue", "not a valid id")
	case s.opts.Quirks.SingleEqFilter && r.Method == http.MethodGet && !singleEq(r.URL.Query().Get("filter")):
		s.writeError(w, http.StatusBadRequest, "invalidFilter", "only a single attribute eq value filter is supported")
	default:
		http.StripPrefix(strings.TrimSuffix(BasePath, "/v2"), s.scim).ServeHTTP(w, r)
	}
}

// tooLarge reports whether a group PATCH adds or removes more members
// than Quirks.PatchMembersLimit; it leaves the request's body to be read
// again.
func (s *Server) tooLarge(r *http.Request) bool {
	limit := s.opts.Quirks.PatchMembersLimit
	if limit <= 0 {
		return false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var doc struct {
		Operations []struct {
			Path  string          `json:"path"`
			Value json.RawMessage `json:"value"`
		} `json:"Operations"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	n := 0
	for _, op := range doc.Operations {
		var list []json.RawMessage
		var obj struct {
			Members []json.RawMessage `json:"members"`
		}
		switch {
		case strings.Contains(op.Path, "["):
			n++
		case json.Unmarshal(op.Value, &list) == nil:
			n += len(list)
		case json.Unmarshal(op.Value, &obj) == nil:
			n += len(obj.Members)
		}
	}
	return n > limit
}

// ownID reports whether a path that names a user or group by id names it
// by an id of the server's own form; any other path passes.
func ownID(p string) bool {
	rest := strings.TrimPrefix(p, BasePath)
	for _, prefix := range []string{"/Users/", "/Groups/"} {
		if id, ok := strings.CutPrefix(rest, prefix); ok {
			digits := strings.TrimPrefix(id, prefix[1:2]+"-")
			if len(digits) == len(id) || digits == "" {
				return false
			}
			for _, c := range digits {
				if c < '0' || c > '9' {
					return false
				}
			}
		}
	}
	return true
}

// singleEq reports whether a filter is empty or one `attr eq "value"`.
func singleEq(f string) bool {
	if f == "" {
		return true
	}
	e, err := filter.ParseFilter([]byte(f))
	if err != nil {
		return false
	}
	a, ok := e.(*filter.AttributeExpression)
	return ok && a.Operator == filter.EQ
}

// sleep waits d or until the client goes away; it reports whether to go on.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// reset writes the status line, the headers and half of the body, then
// closes the connection, as a dying proxy does.
func reset(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("scimtest: response writer cannot hijack")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	body := rec.Body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
	for k, vs := range rec.Header() {
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(buf, "Content-Length: %d\r\n\r\n", len(body))
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST rather than FIN
	}
}

func (s *Server) serviceProviderConfig(w http.ResponseWriter) {
	if s.opts.NoServiceProviderConfig {
		s.writeError(w, http.StatusNotFound, "", "no such endpoint")
		return
	}
	f := s.features()
	writeJSON(w, http.StatusOK, map[string]any{
		"schemas":        []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"patch":          map[string]any{"supported": f.Patch},
		"bulk":           map[string]any{"supported": f.Bulk, "maxOperations": f.BulkMaxOperations, "maxPayloadSize": f.BulkMaxPayloadSize},
		"filter":         map[string]any{"supported": true, "maxResults": f.MaxResults},
		"changePassword": map[string]any{"supported": false},
		"sort":           map[string]any{"supported": false},
		"etag":           map[string]any{"supported": f.ETags},
		"pagination":     map[string]any{"cursor": s.opts.Cursor || s.opts.CursorOnly, "index": !s.opts.CursorOnly, "defaultPageSize": f.MaxResults, "maxPageSize": f.MaxResults},
		"authenticationSchemes": []map[string]any{{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token",
			"description": "Authentication with a bearer token", "primary": true,
		}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) writeError(w http.ResponseWriter, status int, scimType, detail string) {
	var st any = strconv.Itoa(status)
	if s.opts.NumericErrorStatus {
		st = status
	}
	doc := map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"}, "status": st, "detail": detail}
	if scimType != "" {
		doc["scimType"] = scimType
	}
	writeJSON(w, status, doc)
}

// numericStatus rewrites the status of the recorded error document as a
// number.
func numericStatus(rec *httptest.ResponseRecorder) {
	var doc map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		return
	}
	if st, ok := doc["status"].(string); ok {
		if n, err := strconv.Atoi(st); err == nil {
			doc["status"] = n
		}
	}
	b, _ := json.Marshal(doc)
	rec.Body = bytes.NewBuffer(b)
}

// User is a user as the server stores it.
type User struct {
	ID          string // AddUser: the id to store it under; the server picks one when empty
	UserName    string
	DisplayName string
	Emails      []string // the first is primary
	Active      bool
}

// Group is a group as the server stores it.
type Group struct {
	ID          string
	DisplayName string
	Members     []string // user ids, in the order they were added
}

// AddUser stores a user directly (not through the API) and returns its id.
func (s *Server) AddUser(u User) string {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	id, seq := st.newID("u")
	if u.ID != "" {
		id = u.ID // a provider's id, such as a hostile "..", as given
	}
	attrs := scim.ResourceAttributes{"userName": u.UserName, "active": u.Active}
	if u.DisplayName != "" {
		attrs["displayName"] = u.DisplayName
	}
	if len(u.Emails) > 0 {
		var emails []interface{}
		for i, e := range u.Emails {
			emails = append(emails, map[string]interface{}{"value": e, "primary": i == 0, "type": "work"})
		}
		attrs["emails"] = emails
	}
	st.users[id] = &resource{id: id, seq: seq, attrs: attrs, version: 1}
	return id
}

// AddGroup stores a group with the given members and returns its id.
func (s *Server) AddGroup(name string, memberIDs ...string) string {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	id, seq := st.newID("g")
	attrs := scim.ResourceAttributes{"displayName": name}
	setMembers(attrs, memberIDs)
	st.groups[id] = &resource{id: id, seq: seq, attrs: attrs, version: 1}
	return id
}

// AddMember puts a user in a group directly, changing the group's version.
func (s *Server) AddMember(groupID, userID string) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	g := st.groups[groupID]
	setMembers(g.attrs, append(members(g.attrs), userID))
	g.version++
}

// DeleteUser removes a user directly, as someone else might, leaving any
// group memberships dangling.
func (s *Server) DeleteUser(id string) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.users, id)
}

// Users returns the stored users in creation order.
func (s *Server) Users() []User {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var us []User
	for _, r := range sorted(st.users) {
		u := User{ID: r.id, UserName: userName(r.attrs), Active: r.attrs["active"] != false}
		u.DisplayName, _ = r.attrs["displayName"].(string)
		list, _ := r.attrs["emails"].([]interface{})
		for _, e := range list {
			if m, ok := e.(map[string]interface{}); ok {
				if v, ok := m["value"].(string); ok {
					u.Emails = append(u.Emails, v)
				}
			}
		}
		us = append(us, u)
	}
	return us
}

// UserAttributes returns a copy of the stored attributes of the user id
// (nil for no such user), extension attributes under their schema's URN.
func (s *Server) UserAttributes(id string) map[string]any {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.users[id]
	if !ok {
		return nil
	}
	data, err := json.Marshal(r.attrs)
	if err != nil {
		return nil
	}
	var out map[string]any
	if json.Unmarshal(data, &out) != nil {
		return nil
	}
	return out
}

// Groups returns the stored groups in creation order.
func (s *Server) Groups() []Group {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var gs []Group
	for _, r := range sorted(st.groups) {
		name, _ := r.attrs["displayName"].(string)
		gs = append(gs, Group{ID: r.id, DisplayName: name, Members: members(r.attrs)})
	}
	return gs
}

func sorted(m map[string]*resource) []*resource {
	rs := make([]*resource, 0, len(m))
	for _, r := range m {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b *resource) int { return a.seq - b.seq })
	return rs
}

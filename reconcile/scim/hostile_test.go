package scim_test

// Hostile servers on 127.0.0.1, as an attacker would run them (issue 11):
// redirects that would carry the token elsewhere, users that pass for a
// declared person by their emails or by Unicode folding, answers too large
// for memory, and text made to harm a terminal.

import (
	"bufio"
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// witness is a server that records the Authorization headers it is sent.
type witness struct {
	*httptest.Server
	mu   sync.Mutex
	hits int
	auth []string
}

func newWitness(t *testing.T) *witness {
	w := &witness{}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.hits++
		if a := r.Header.Get("Authorization"); a != "" {
			w.auth = append(w.auth, a)
		}
		rw.Header().Set("Content-Type", "application/scim+json")
		fmt.Fprint(rw, `{"Resources":[],"totalResults":0}`)
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *witness) seen() (int, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits, w.auth
}

// caFile writes the certificate of a TLS test server to a PEM file.
func caFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// scimURL is the workspace URL of a test server.
func scimURL(srv *httptest.Server) string { return "scim+" + srv.URL + "/scim/v2" }

func TestRedirectNeverFollowed(t *testing.T) {
	const token = "rd-7Qx2Lp9Vw4Kz8Nt3Hj6"
	for _, tc := range []struct {
		name   string
		tls    bool
		status int
		to     func(victim *witness) string
	}{
		{"http/other port", false, http.StatusFound, func(v *witness) string { return v.URL + "/scim/v2/ServiceProviderConfig" }},
		{"https/plain http", true, http.StatusTemporaryRedirect, func(v *witness) string { return v.URL + "/scim/v2/ServiceProviderConfig" }},
		{"https/permanent", true, http.StatusPermanentRedirect, func(v *witness) string { return v.URL + "/x" }},
		{"http/see other", false, http.StatusSeeOther, func(v *witness) string { return v.URL }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			victim := newWitness(t)
			hostile := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tc.to(victim), tc.status)
			}))
			if tc.tls {
				hostile.StartTLS()
			} else {
				hostile.Start()
			}
			defer hostile.Close()
			env := map[string]string{scim.TokenEnv: token}
			if tc.tls {
				env[scim.CAFileEnv] = caFile(t, hostile)
			}
			cfg, err := scim.ConfigFromEnv(scimURL(hostile), func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			var trace bytes.Buffer
			cfg.Debug, cfg.Retry = &trace, fastRetry
			ws, err := scim.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ws.Snapshot(ctx)
			if hits, auth := victim.seen(); hits != 0 || len(auth) != 0 {
				t.Errorf("the redirect target had %d requests, Authorization %q; want none", hits, auth)
			}
			var re *scim.RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("Snapshot() error = %v, want a RedirectError", err)
			}
			if want := victim.URL; !strings.Contains(err.Error(), "redirected to "+want) {
				t.Errorf("error %q does not name where the redirect pointed (%s)", err, want)
			}
			if !strings.Contains(trace.String(), fmt.Sprintf("< %d ", tc.status)) || !strings.Contains(trace.String(), "Location: ") {
				t.Errorf("--debug does not show the redirect and its Location:\n%s", trace.String())
			}
			if strings.Contains(trace.String(), token) || strings.Contains(err.Error(), token) {
				t.Errorf("the token shows")
			}
		})
	}
}

// front puts a proxy before srv that answers some requests itself.
func front(t *testing.T, srv *scimtest.Server, intercept func(w http.ResponseWriter, r *http.Request) bool) string {
	t.Helper()
	base, err := url.Parse(srv.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	base.Path = ""
	proxy := httputil.NewSingleHostReverseProxy(base)
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !intercept(w, r) {
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(p.Close)
	return scimURL(p)
}

// A write answered with a redirect is not carried out, and never reported
// applied: Go's client would have turned it into a GET that answers 200.
func TestRedirectedWriteNotApplied(t *testing.T) {
	for _, remove := range []string{"deactivate", "delete"} {
		t.Run(remove, func(t *testing.T) {
			srv := scimtest.New(t, scimtest.Options{})
			seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("sam@acme.io", schema.Operator)})
			u := front(t, srv, func(w http.ResponseWriter, r *http.Request) bool {
				if (r.Method == http.MethodPatch || r.Method == http.MethodDelete || r.Method == http.MethodPut) && strings.Contains(r.URL.Path, "/Users/") {
					http.Redirect(w, r, r.URL.Path, http.StatusFound)
					return true
				}
				return false
			})
			ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL = u + "?remove=" + remove })
			live := snapshot(t, ws)
			sam := live.Members[1]
			errs := ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Remove, Email: sam.Email, ID: sam.ID, RoleBefore: schema.Operator}})
			var re *scim.RedirectError
			if !errors.As(errs[0], &re) {
				t.Fatalf("Execute() = %v, want the redirect reported", errs[0])
			}
			for _, u := range srv.Users() {
				if u.UserName == "sam@acme.io" && !u.Active {
					t.Errorf("sam was deactivated")
				}
			}
			if len(srv.Users()) != 2 {
				t.Errorf("the workspace has %d users, want 2", len(srv.Users()))
			}
		})
	}
}

// groupsOf lists the role groups each userName is in.
func groupsOf(srv *scimtest.Server) map[string][]string {
	names := map[string]string{}
	for _, u := range srv.Users() {
		names[u.ID] = u.UserName
	}
	out := map[string][]string{}
	for _, g := range srv.Groups() {
		for _, id := range g.Members {
			out[names[id]] = append(out[names[id]], g.DisplayName)
		}
	}
	return out
}

// A user is its userName alone: one whose emails carry a declared
// person's address, or whose userName is that address only under Unicode
// case folding, is never adopted for them, not even when the provider
// refuses the create as a duplicate; the plan holds the invite back and
// says why.
func TestIdentityIsTheUserNameAlone(t *testing.T) {
	const kim = "kim@acme.io"
	for _, tc := range []struct {
		name     string
		user     scimtest.User
		conflict bool // the provider refuses to create kim
	}{
		{"email attribute", scimtest.User{UserName: "mallory", Emails: []string{kim}, Active: true}, false},
		{"email attribute/409", scimtest.User{UserName: "mallory", Emails: []string{kim}, Active: true}, true},
		{"kelvin sign", scimtest.User{UserName: "\u212Aim@acme.io", Active: true}, false}, // the server folds Unicode: 409
		{"kelvin sign/inactive", scimtest.User{UserName: "\u212Aim@acme.io", Emails: []string{kim}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := scimtest.New(t, scimtest.Options{})
			seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin)})
			impostor := srv.AddUser(tc.user)
			u := srv.URL
			if tc.conflict {
				u = front(t, srv, func(w http.ResponseWriter, r *http.Request) bool {
					if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Users") {
						w.Header().Set("Content-Type", "application/scim+json")
						w.WriteHeader(http.StatusConflict)
						fmt.Fprint(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"email taken"}`)
						return true
					}
					return false
				})
			}
			ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL = u })

			// plan: the invite is held back, naming the impostor.
			team := &schema.Team{Workspace: "acme", People: []schema.Person{
				{Email: "dana@acme.io", Role: schema.Admin},
				{Email: kim, Role: schema.Admin},
			}, Policy: schema.Policy{MaxRemovals: 10}}
			plan, err := reconcile.Diff(team, snapshot(t, ws), reconcile.DiffOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range plan.Changes {
				if c.Email == kim {
					t.Errorf("the plan has %s %s; want it held back", c.Action, c.Email)
				}
			}
			if len(plan.Held) != 1 || plan.Held[0].Email != kim || !strings.Contains(plan.Held[0].Why, impostor) || !strings.Contains(plan.Held[0].Why, "never adopts") {
				t.Errorf("plan.Held = %+v; want kim's invite held, naming user %s", plan.Held, impostor)
			}

			// apply (as a plan made before the impostor appeared would): the
			// invite creates kim or fails, and never adopts the impostor.
			errs := ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: kim, RoleAfter: schema.Admin}})
			if g := groupsOf(srv)[tc.user.UserName]; len(g) != 0 {
				t.Errorf("the impostor %q was adopted into %v (Execute: %v)", tc.user.UserName, g, errs[0])
			}
			if errs[0] == nil && len(groupsOf(srv)[kim]) == 0 {
				t.Errorf("Execute() succeeded, but %s holds no role", kim)
			}
			if errs[0] != nil && !strings.Contains(errs[0].Error(), "never adopts another user") {
				t.Errorf("Execute() = %v; want it to say why it does not adopt %s", errs[0], impostor)
			}
		})
	}
}

func TestTokenPiecesNeverShown(t *testing.T) {
	const token = "tok-AAAAbbbbCCCCddddEEEEffffGGGGhhhh0042"
	prefix := `{"status":"400","detail":"`
	// The first token straddles the 300-byte cut of an error's detail, the
	// second the 2,000-byte cut of a body in --debug.
	detail := strings.Repeat("x", 280) + token + strings.Repeat("y", 2000-15-len(prefix)-280-2*len(token)) + token + " and on"
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, prefix+detail+`"}`)
	}))
	defer hostile.Close()
	var trace bytes.Buffer
	ws, err := scim.New(scim.Config{URL: scimURL(hostile), Token: token, Debug: &trace, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ws.Snapshot(ctx)
	if err == nil {
		t.Fatal("Snapshot() succeeded")
	}
	for what, s := range map[string]string{"error": err.Error(), "--debug": trace.String()} {
		for i := 0; i+8 <= len(token); i++ {
			if strings.Contains(s, token[i:i+8]) {
				t.Errorf("the %s holds %q, 8 bytes of the token:\n%s", what, token[i:i+8], s)
				break
			}
		}
	}
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("error %q does not show where the token was", err)
	}
}

// Whatever names the server gives its users and groups, errors hold no
// piece of the token.
func TestTokenNeverInErrorsOfServerNames(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	token := srv.Token()
	srv.AddGroup("Admins")
	srv.AddGroup("Operators")
	srv.AddGroup("x" + token[3:])
	a := srv.AddUser(scimtest.User{UserName: token[2:] + "@acme.io", Active: true})
	b := srv.AddUser(scimtest.User{UserName: token[2:] + "@ACME.io", Active: true})
	_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Snapshot() error = %v, want the reviewer group missing", err)
	}
	srv.AddGroup("Reviewers", a, b)
	_, err2 := newWorkspace(t, srv, nil).Snapshot(ctx)
	if err2 == nil || !strings.Contains(err2.Error(), "both") {
		t.Fatalf("Snapshot() error = %v, want two users of one identity", err2)
	}
	for _, err := range []error{err, err2} {
		for i := 0; i+8 <= len(token); i++ {
			if strings.Contains(err.Error(), token[i:i+8]) {
				t.Errorf("error %q holds 8 bytes of the token", err)
				break
			}
		}
	}
}

// Role group names and hosts fold ASCII letters only, as identities do: a
// look-alike is no role group, and no loopback address.
func TestLookAlikeNames(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	srv.AddGroup("Admins")
	srv.AddGroup("Operators")
	srv.AddGroup("Reviewer\u017F") // LONG S, which Unicode folds to s
	_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
	if err == nil || !strings.Contains(err.Error(), `the reviewer role group "Reviewers" does not exist`) {
		t.Errorf("Snapshot() error = %v, want the Reviewers group missing", err)
	}
	_, err = scim.New(scim.Config{URL: "scim+http://localho\u017Ft/v2", Token: "t"})
	if err == nil || !strings.Contains(err.Error(), "allowed only for loopback addresses") {
		t.Errorf("New(scim+http://localho\u017Ft) error = %v, want plain http refused", err)
	}
}

func TestSnapshotBytesBounded(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{PageSize: 10})
	var ids []string
	for i := range 200 {
		ids = append(ids, srv.AddUser(scimtest.User{UserName: fmt.Sprintf("u%03d@acme.io", i), DisplayName: strings.Repeat("n", 1000), Active: true}))
	}
	srv.AddGroup("Admins", ids...)
	srv.AddGroup("Operators")
	srv.AddGroup("Reviewers")
	ws := newWorkspace(t, srv, nil)
	scim.SetSnapshotLimit(ws, 64<<10)
	_, err := ws.Snapshot(ctx)
	if err == nil || !strings.Contains(err.Error(), "pass 65536 bytes, the most teamctl reads of a workspace at once") {
		t.Fatalf("Snapshot() error = %v; want the snapshot limit named", err)
	}
	scim.SetSnapshotLimit(ws, 1<<20)
	if _, err := ws.Snapshot(ctx); err != nil {
		t.Errorf("Snapshot() under the limit: %v", err)
	}
}

func TestHugeAttributesRefused(t *testing.T) {
	for _, tc := range []struct {
		user scimtest.User
		want string
	}{
		{scimtest.User{UserName: strings.Repeat("a", 600) + "@acme.io"}, "its userName is 608 bytes, more than any real one has (at most 512)"},
		{scimtest.User{UserName: "a@acme.io", Emails: []string{strings.Repeat("e", 513)}}, "its email is 513 bytes"},
		{scimtest.User{UserName: "a@acme.io", DisplayName: strings.Repeat("n", 100_000)}, "its displayName is 100000 bytes, more than any real one has (at most 1024)"},
	} {
		srv := scimtest.New(t, scimtest.Options{})
		seed(srv, nil)
		srv.AddUser(tc.user)
		_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Snapshot() error = %v, want %q", err, tc.want)
		}
	}
}

// rawServer answers every request with the bytes of response, as no Go
// server would write them.
func rawServer(t *testing.T, response string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
					_, _ = conn.Write([]byte(response))
				}
			}()
		}
	}()
	return "scim+http://" + ln.Addr().String() + "/scim/v2"
}

func TestDebugEscapesServerBytes(t *testing.T) {
	body := `{"detail":"x"}`
	u := rawServer(t, "HTTP/1.1 400 Bad \x1b]0;owned\x07\x1b[2J\xc2\x9b6n\r\n"+
		"Content-Type: application/json\r\n"+
		"Etag: W/\"\xc2\x9b31m\xe2\x80\xaegnp\x9b\"\r\n"+
		"Location: /\xe2\x80\xae\r\n"+
		fmt.Sprintf("Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body))
	var trace bytes.Buffer
	ws, err := scim.New(scim.Config{URL: u, Token: "t-0123456789", Debug: &trace, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Snapshot(ctx); err == nil {
		t.Fatal("Snapshot() succeeded")
	}
	got := trace.String()
	for _, raw := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\x9b\""} {
		if strings.Contains(got, raw) {
			t.Errorf("--debug writes %q raw:\n%q", raw, got)
		}
	}
	for _, esc := range []string{`\x1b]0;owned\a\x1b[2J\u009b6n`, `\u009b31m\u202egnp\x9b`} {
		if !strings.Contains(got, esc) {
			t.Errorf("--debug does not show %s escaped:\n%s", esc, got)
		}
	}
}

func TestURLPasswordNeverShown(t *testing.T) {
	for _, raw := range []string{
		"scim+https://bob:hunter2%zz@scim.example.com/v2",
		"scim+https://bob:hunter2@scim.example.com:port/v2",
		"scim+https://bob:hunter2@scim.example.com/v2?admins=%zz",
		"scim+https:bob:hunter2@scim.example.com/v2",
		"scim+https://hunter2@scim.example.com/v2#x",
		"scim+http://bob:hunter2@[::1/v2",
	} {
		_, err := scim.New(scim.Config{URL: raw, Token: "t"})
		if err == nil {
			t.Errorf("New(%q) succeeded", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("New(%q) error shows the password: %v", raw, err)
		}
		if !strings.Contains(err.Error(), "credentials in the URL are not allowed") {
			t.Errorf("New(%q) error = %v, want credentials refused", raw, err)
		}
	}
	for raw, want := range map[string]string{
		"scim+https://bob:hunter2%zz@scim.example.com/v2?admins=X": "scim+https://scim.example.com/v2?admins=X",
		"scim+https://scim.example.com/v2":                         "scim+https://scim.example.com/v2",
		"https://bob@x/a@b":                                        "https://x/a@b",
	} {
		if got := scim.RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// bigNames serves pages of users with names of nameBytes, pages pages of
// perPage users, as the attacker did (40 pages of 100-KB names).
func bigNames(t testing.TB, pages, perPage, nameBytes int) string {
	name := strconv.Quote(strings.Repeat("n", nameBytes)) // quoted once: the server allocates little
	total := pages * perPage
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/ServiceProviderConfig"):
			fmt.Fprintf(w, `{"filter":{"supported":true,"maxResults":%d},"patch":{"supported":true}}`, perPage)
		case strings.HasSuffix(r.URL.Path, "/Groups"):
			fmt.Fprint(w, `{"totalResults":3,"Resources":[{"id":"g1","displayName":"Admins","members":[{"value":"u1"}]},{"id":"g2","displayName":"Operators","members":[{"value":"u2"}]},{"id":"g3","displayName":"Reviewers","members":[{"value":"u3"}]}]}`)
		case strings.HasSuffix(r.URL.Path, "/Users"):
			start := 1
			fmt.Sscan(r.URL.Query().Get("startIndex"), &start)
			fmt.Fprintf(w, `{"totalResults":%d,"Resources":[`, total)
			for i := start; i < start+perPage && i <= total; i++ {
				if i > start {
					fmt.Fprint(w, ",")
				}
				fmt.Fprintf(w, `{"id":"u%d","userName":"u%d@acme.io","displayName":`, i, i)
				io.WriteString(w, name)
				io.WriteString(w, "}")
			}
			fmt.Fprint(w, "]}")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return scimURL(srv)
}

// A snapshot's memory is bounded by its limit, not by what the provider
// sends: on the old code this read all 40 pages.
func TestSnapshotHostileMemory(t *testing.T) {
	const limit = 4 << 20
	ws, err := scim.New(scim.Config{URL: bigNames(t, 40, 10, 100_000), Token: "t-0123456789", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	scim.SetSnapshotLimit(ws, limit)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = ws.Snapshot(ctx)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "the most teamctl reads of a workspace at once") {
		t.Errorf("Snapshot() error = %v, want the limit named", err)
	}
	t.Logf("Snapshot() allocated %d MiB", (after.TotalAlloc-before.TotalAlloc)>>20)
	if got := after.TotalAlloc - before.TotalAlloc; got > 12*limit {
		t.Errorf("Snapshot() allocated %d MiB for a limit of %d MiB", got>>20, limit>>20)
	}
}

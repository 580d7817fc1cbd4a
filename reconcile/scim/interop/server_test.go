package interop_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// installHint is what to run when the servers are not installed.
const installHint = "run `make interop-deps` (npm ci in reconcile/scim/interop/testdata)"

// startTimeout bounds a server's start, from exec to its first line.
const startTimeout = 60 * time.Second

// provider is an SCIM service provider from npm that a Node script in
// testdata starts.
type provider struct {
	name    string // as the providers help topic names it
	script  string // in testdata
	pkg     string // the npm package, checked for in node_modules
	env     []string
	pending map[string]string
	// hidesMembers says the provider stores group members but does not
	// show them over SCIM; the tests read them from its store instead.
	hidesMembers bool
}

// skipPending skips a test that p does not pass today, naming the finding,
// unless INTEROP_PENDING=1 asks to run it.
func (p provider) skipPending(t *testing.T, name string) {
	t.Helper()
	if why, ok := p.pending[name]; ok && os.Getenv("INTEROP_PENDING") != "1" {
		t.Skipf("pending: %s", why)
	}
}

// workspace is one isolated set of SCIM resources of a running server.
type workspace struct {
	base  string // http://127.0.0.1:PORT/PATH
	token string
	// members, when set, is where the test reads a group's members from
	// the provider's own store (members+ID), for a provider that does
	// not show them over SCIM; teamctl never uses it.
	members string
	// signUp, when set, is where a person signs up on their own, outside
	// SCIM (Better Auth's email sign-up).
	signUp string
}

// URL is the workspace as teamctl names it.
func (w workspace) URL() string { return "scim+" + w.base }

// server is a running provider: its workspaces are handed out one per
// test, so that no test sees another's users.
type server struct {
	p    provider
	node string // the node command
	mu   sync.Mutex
	free []workspace
}

// take returns a workspace no test has had, starting another process of
// the provider when this one has none left (go test -count=N).
func (s *server) take(t *testing.T) workspace {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.free) == 0 {
		s.free = launch(t, s.p, s.node)
	}
	w := s.free[0]
	s.free = s.free[1:]
	return w
}

// workspacesPerServer is how many isolated workspaces each server makes:
// one per contract subtest and round trip, with room to spare.
const workspacesPerServer = 24

var (
	serversMu sync.Mutex
	servers   = map[string]*server{}
	starting  = map[string]*sync.Mutex{} // one start of each provider at a time
	stops     []func()
)

// TestMain stops the servers the tests started and removes the teamctl
// they built.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, stop := range stops {
		stop()
	}
	if binary.dir != "" {
		_ = os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// start returns the running server of p, starting it on first use. Without
// node or the installed packages the test fails under CI (CI=true) and is
// skipped elsewhere, with what to run.
func start(t *testing.T, p provider) *server {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %s", msg, installHint)
		}
		t.Skipf("%s: %s", msg, installHint)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("interop: no node on PATH")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", p.pkg, "package.json")); err != nil {
		missing("interop: %s is not installed", p.pkg)
	}

	serversMu.Lock()
	once := starting[p.name]
	if once == nil {
		once = &sync.Mutex{}
		starting[p.name] = once
	}
	serversMu.Unlock()
	once.Lock()
	defer once.Unlock()
	serversMu.Lock()
	s, ok := servers[p.name]
	serversMu.Unlock()
	if ok {
		return s
	}
	s = &server{p: p, node: node, free: launch(t, p, node)}
	serversMu.Lock()
	servers[p.name] = s
	serversMu.Unlock()
	return s
}

// launch starts a process of p's script and returns its workspaces; the
// process is stopped by TestMain.
func launch(t *testing.T, p provider, node string) []workspace {
	t.Helper()
	cmd := exec.Command(node, p.script)
	cmd.Dir = "testdata"
	cmd.Env = append(os.Environ(), fmt.Sprintf("WORKSPACES=%d", workspacesPerServer), "NODE_ENV=test", "DO_NOT_TRACK=1")
	cmd.Env = append(cmd.Env, p.env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("interop: start %s: %v", p.name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		// Closing stdin asks the script to exit; a kill follows if it
		// has not within 5s.
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}

	type hello struct {
		Port       int `json:"port"`
		Workspaces []struct {
			Path    string `json:"path"`
			Token   string `json:"token"`
			Members string `json:"members"`
			SignUp  string `json:"signUp"`
		} `json:"workspaces"`
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var h hello
	select {
	case line, ok := <-lines:
		if !ok {
			stop()
			t.Fatalf("interop: %s exited before it listened; its stderr:\n%s", p.name, logs)
		}
		if err := json.Unmarshal([]byte(line), &h); err != nil || h.Port == 0 || len(h.Workspaces) == 0 {
			stop()
			t.Fatalf("interop: %s said %q, not its port and workspaces; its stderr:\n%s", p.name, line, logs)
		}
	case <-time.After(startTimeout):
		stop()
		t.Fatalf("interop: %s did not listen within %s; its stderr:\n%s", p.name, startTimeout, logs)
	}
	var free []workspace
	for _, w := range h.Workspaces {
		ws := workspace{base: fmt.Sprintf("http://127.0.0.1:%d%s", h.Port, w.Path), token: w.Token}
		if w.Members != "" {
			ws.members = fmt.Sprintf("http://127.0.0.1:%d%s", h.Port, w.Members)
		}
		if w.SignUp != "" {
			ws.signUp = fmt.Sprintf("http://127.0.0.1:%d%s", h.Port, w.SignUp)
		}
		free = append(free, ws)
	}
	serversMu.Lock()
	stops = append(stops, stop)
	serversMu.Unlock()
	return free
}

// lockedBuffer collects a child's stderr for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// client sends the seeding requests straight to the provider, not through
// teamctl, so that what a test starts from does not depend on the code it
// tests.
type client struct {
	ws   workspace
	http *http.Client
}

func newClient(ws workspace) *client {
	return &client{ws: ws, http: &http.Client{Timeout: 20 * time.Second}}
}

// send makes one request and decodes a 2xx answer into out (when not nil).
func (c *client) send(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	// A full URL is the provider's own API, outside SCIM: plain JSON.
	target, mediaType := c.ws.base+path, "application/scim+json"
	if strings.HasPrefix(path, "http://") {
		target, mediaType = path, "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.ws.token)
	req.Header.Set("Accept", mediaType)
	if body != nil {
		req.Header.Set("Content-Type", mediaType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(b)))
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: %v", method, path, err)
		}
	}
	return nil
}

// create posts a resource and returns its id.
func (c *client) create(ctx context.Context, path string, doc map[string]any) (string, error) {
	var got struct {
		ID string `json:"id"`
	}
	if err := c.send(ctx, http.MethodPost, path, doc, &got); err != nil {
		return "", err
	}
	if got.ID == "" {
		return "", fmt.Errorf("POST %s: the answer has no id", path)
	}
	return got.ID, nil
}

const (
	userSchema  = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// roleGroups are the role groups' names in teamctl's default workspace URL.
var roleGroups = map[schema.Role]string{schema.Admin: "Admins", schema.Operator: "Operators", schema.Reviewer: "Reviewers"}

// seed creates the members as users, the three role groups, and puts each
// member in the groups of their roles with one PATCH per group.
func seed(ctx context.Context, c *client, members []reconcile.Member) error {
	byRole := map[schema.Role][]map[string]any{}
	for _, m := range members {
		doc := map[string]any{
			"schemas":  []string{userSchema},
			"userName": m.Email,
			"emails":   []map[string]any{{"value": m.Email, "primary": true, "type": "work"}},
			"active":   m.Status != reconcile.Suspended,
		}
		if m.Name != "" {
			doc["displayName"] = m.Name
		}
		id, err := c.create(ctx, "/Users", doc)
		if err != nil {
			return fmt.Errorf("seed %s: %w", m.Email, err)
		}
		for _, r := range append([]schema.Role{m.Role}, m.OtherRoles...) {
			byRole[r] = append(byRole[r], map[string]any{"value": id})
		}
	}
	for _, r := range schema.Roles {
		id, err := c.create(ctx, "/Groups", map[string]any{"schemas": []string{groupSchema}, "displayName": roleGroups[r]})
		if err != nil {
			return fmt.Errorf("seed the %s group: %w", r, err)
		}
		if len(byRole[r]) == 0 {
			continue
		}
		patch := map[string]any{
			"schemas":    []string{patchSchema},
			"Operations": []map[string]any{{"op": "add", "path": "members", "value": byRole[r]}},
		}
		if err := c.send(ctx, http.MethodPatch, "/Groups/"+id, patch, nil); err != nil {
			return fmt.Errorf("seed the %s group's members: %w", r, err)
		}
	}
	return nil
}

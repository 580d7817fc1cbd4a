// Package journal keeps the audit log of applies: a file of JSON lines,
// one record per change an apply carried out, failed or left alone, so that
// a team can answer "who gave ana@acme.io admin, and when" long after the
// terminal scrolled away.
//
// The journal only ever grows. Records are appended with O_APPEND, the
// records of one batch of an apply in writes of whole lines followed by
// one fsync: once as "started" before the batch goes to the workspace,
// once with each change's outcome after. So a crash never hides a change
// that was made (its started record is on disk), and two applies writing
// to the same journal never interleave within a line. A crash in the
// middle of a write can cut its last line short (a file workspace's batch
// is a whole phase, megabytes of records): Read reports that line and
// goes on, and the next apply starts on a new line. The cut record is never needed: a
// started record is cut only before its batch goes out, and an outcome
// only after its started record is on disk, which then says the change
// may have been made. A record holds emails, roles, actions, the
// workspace and the outcome; never a token: error texts and URLs are
// redacted before they are written.
package journal

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/internal/jsonstr"
)

// Env names the environment variable that sets the journal's path.
const Env = "TEAMCTL_JOURNAL"

// DefaultPath is the journal of an apply to anything but a file workspace.
const DefaultPath = ".teamctl/journal.jsonl"

// PathFor returns where the journal of the workspace at workspaceURL is
// kept by default: journal.jsonl in the directory of a file: workspace
// (.teamctl/journal.jsonl for the default workspace), else DefaultPath.
func PathFor(workspaceURL string) string {
	if path, ok := strings.CutPrefix(workspaceURL, "file:"); ok && path != "" {
		return filepath.Join(filepath.Dir(path), "journal.jsonl")
	}
	return DefaultPath
}

// Record is one line of the journal: what one apply did about one change.
type Record struct {
	Time time.Time `json:"time"`
	// Apply identifies the apply: every record of one apply shares it.
	Apply string `json:"apply"`
	// Actor is who applied (--actor, TEAMCTL_ACTOR), User and Host the
	// operating-system account and machine it ran on.
	Actor        string `json:"actor,omitempty"`
	User         string `json:"user,omitempty"`
	Host         string `json:"host,omitempty"`
	Workspace    string `json:"workspace"`
	WorkspaceURL string `json:"workspace_url"`
	TeamDigest   string `json:"team_digest,omitempty"`
	// Commit is the commit of the team file's repository the apply ran
	// from, when known (GITHUB_SHA under GitHub Actions).
	Commit string `json:"commit,omitempty"`
	Action string `json:"action"`
	Email  string `json:"email"`
	// EmailBefore is the email a rename took the member from: the journal
	// finds the person by either.
	EmailBefore string `json:"email_before,omitempty"`
	RoleBefore  string `json:"role_before,omitempty"`
	RoleAfter   string `json:"role_after,omitempty"`
	Reason      string `json:"reason,omitempty"`
	// ReasonCode is the reason's stable kind (reconcile.ReasonKind).
	ReasonCode string `json:"reason_code,omitempty"`
	// Result is "started" (written before the change went to the
	// workspace), then "applied", "failed" or "not attempted".
	Result string `json:"result"`
	Error  string `json:"error,omitempty"`
}

// Apply describes an apply, for the records it writes.
type Apply struct {
	Actor, User, Host string
	Workspace         string // the team file's workspace name
	WorkspaceURL      string
	TeamDigest        string
	Commit            string // the repository's commit, when known
	// Secrets are values that must never reach the journal (the SCIM
	// token); any occurrence in an error text is replaced.
	Secrets []string
	// Redact, when not nil, scrubs every string a record carries (the
	// command's one redaction of secrets, pieces of them included): an
	// email or a reason can quote a server as well as an error can.
	Redact func(string) string
	// Explain puts a change's reason into words, with its position
	// (render.ReasonLine); without it records carry the reason_code only.
	Explain func(reconcile.Change) string
	// Now stamps each record; time.Now when nil.
	Now func() time.Time
}

// Writer appends the records of one apply to a journal.
type Writer struct {
	f      *os.File
	id     string
	apply  Apply
	redact *strings.Replacer
	// cut is set when the journal does not end with a newline: the last
	// record was cut short by a crash in the middle of its write, and the
	// first append starts a new line.
	cut bool
}

// Open opens the journal at path for appending, creating it (and its
// directory) if needed. Open it before the first change, so that an
// unwritable journal stops the apply before it changes anything.
func Open(path string, a Apply) (*Writer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	// Never append through a link (a journal linked to a shell's rc file
	// would run what a name says) nor to a pipe (which would block).
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() && !info.IsDir() { // a directory: open's own error
		what := "not a regular file"
		if info.Mode()&fs.ModeSymlink != 0 {
			what = "a symbolic link"
		}
		return nil, fmt.Errorf("journal: %s is %s; teamctl appends only to a journal file of its own, so remove it", path, what)
	}
	// 0600: the journal lists people's emails.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var pairs []string
	for _, s := range a.Secrets {
		if s = strings.TrimSpace(s); s != "" {
			pairs = append(pairs, s, "[REDACTED]")
		}
	}
	a.WorkspaceURL = redactURL(a.WorkspaceURL)
	return &Writer{f: f, id: newID(), apply: a, redact: strings.NewReplacer(pairs...), cut: endsCut(path)}, nil
}

// endsCut reports whether the file at path ends in the middle of a line.
func endsCut(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	last := make([]byte, 1)
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return false
	}
	_, err = f.ReadAt(last, fi.Size()-1)
	return err == nil && last[0] != '\n'
}

// ID returns the identifier shared by the records this Writer writes.
func (w *Writer) ID() string { return w.id }

// Path returns the journal's path.
func (w *Writer) Path() string { return w.f.Name() }

// Started is the result of the record written for each change of a batch
// just before the batch goes to the workspace. A started change with no
// outcome later in the same apply was in flight when the apply died: it
// may or may not have been made.
const Started = "started"

// Start appends a started record for each change of batch and syncs the
// file. Apply calls it before each batch
// (reconcile.ApplyOptions.Starting), so that no change is ever made
// without a trace, even if teamctl is killed halfway through.
func (w *Writer) Start(batch []reconcile.Change) error {
	return w.append(len(batch), func(i int) Record { return w.record(batch[i], Started, nil) })
}

// Write appends one record per result and syncs the file. Apply calls it
// after each batch (reconcile.ApplyOptions.Progress).
func (w *Writer) Write(results []reconcile.Result) error {
	return w.append(len(results), func(i int) Record {
		return w.record(results[i].Change, string(results[i].Outcome), results[i].Err)
	})
}

// chunk is about how many bytes append writes at once: a batch of a file
// workspace is a whole phase, 20 MB of records at 100,000 people, written
// through one buffer of this size.
const chunk = 1 << 20

// append writes the n records rec returns, whole lines in each write, and
// syncs the file once.
func (w *Writer) append(n int, rec func(int) Record) error {
	if n == 0 {
		return nil
	}
	now := time.Now
	if w.apply.Now != nil {
		now = w.apply.Now
	}
	t := now().UTC()
	buf := make([]byte, 0, min(n*512, chunk)+4096)
	if w.cut {
		buf = append(buf, '\n') // end the line a crash cut short
	}
	for i := range n {
		r := rec(i)
		r.Time = t
		var err error
		if buf, err = appendRecord(buf, &r, w.apply.Redact); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		if len(buf) >= chunk || i == n-1 {
			if _, err := w.f.Write(buf); err != nil {
				return fmt.Errorf("journal: %w", err)
			}
			w.cut, buf = false, buf[:0]
		}
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// appendRecord appends r as one line of JSON, byte for byte as
// json.Encoder writes it, but without reflection: an apply of 100,000
// invites writes 200,000 records (TestAppendRecordAsEncoder compares).
func appendRecord(b []byte, r *Record, redact func(string) string) ([]byte, error) {
	var err error
	b = append(b, `{"time":`...)
	if b, err = jsonstr.AppendTime(b, r.Time); err != nil {
		return nil, err
	}
	str := func(name, v string, omitEmpty bool) {
		if v == "" && omitEmpty {
			return
		}
		if redact != nil {
			v = redact(v)
		}
		b = append(b, `,"`+name+`":`...)
		b = jsonstr.Append(b, v)
	}
	str("apply", r.Apply, false)
	str("actor", r.Actor, true)
	str("user", r.User, true)
	str("host", r.Host, true)
	str("workspace", r.Workspace, false)
	str("workspace_url", r.WorkspaceURL, false)
	str("team_digest", r.TeamDigest, true)
	str("commit", r.Commit, true)
	str("action", r.Action, false)
	str("email", r.Email, false)
	str("email_before", r.EmailBefore, true)
	str("role_before", r.RoleBefore, true)
	str("role_after", r.RoleAfter, true)
	str("reason", r.Reason, true)
	str("reason_code", r.ReasonCode, true)
	str("result", r.Result, false)
	str("error", r.Error, true)
	return append(b, "}\n"...), nil
}

func (w *Writer) record(c reconcile.Change, result string, err error) Record {
	a := w.apply
	rec := Record{
		Apply: w.id,
		Actor: a.Actor, User: a.User, Host: a.Host,
		Workspace: a.Workspace, WorkspaceURL: a.WorkspaceURL, TeamDigest: a.TeamDigest, Commit: a.Commit,
		Action: string(c.Action), Email: c.Email, EmailBefore: c.EmailBefore,
		RoleBefore: string(c.RoleBefore), RoleAfter: string(c.RoleAfter),
		ReasonCode: string(c.Reason.Kind), Result: result,
	}
	if a.Explain != nil {
		rec.Reason = a.Explain(c)
	}
	if err != nil {
		rec.Error = w.scrub(err.Error())
	}
	return rec
}

// bearer matches an Authorization header's credentials, should a server
// echo one into an error.
var bearer = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)

func (w *Writer) scrub(s string) string {
	return bearer.ReplaceAllString(w.redact.Replace(s), "$1 [REDACTED]")
}

// Close closes the journal file.
func (w *Writer) Close() error { return w.f.Close() }

// redactURL drops credentials and the query from a workspace URL.
func redactURL(raw string) string {
	if strings.HasPrefix(raw, "file:") {
		return raw // a path carries no credentials
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Read parses a journal. A line that is not a record (cut short by a
// crash, edited by hand) does not stop it: Read returns every record it
// could read and an error naming each bad line.
func Read(data []byte) ([]Record, error) {
	var recs []Record
	var errs []error
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			errs = append(errs, fmt.Errorf("line %d: not a journal record: %v", i+1, err))
			continue
		}
		recs = append(recs, r)
	}
	return recs, errors.Join(errs...)
}

// Settle returns the records that say what became of each change: a
// started record is left out when the same apply recorded the change's
// outcome later, and kept when it did not (the apply died with the change
// in flight). Order is kept.
func Settle(recs []Record) []Record {
	type change struct{ apply, action, email string }
	settled := map[change]bool{}
	for _, r := range recs {
		if r.Result != Started {
			settled[change{r.Apply, r.Action, r.Email}] = true
		}
	}
	var out []Record
	for _, r := range recs {
		if r.Result == Started && settled[change{r.Apply, r.Action, r.Email}] {
			continue
		}
		out = append(out, r)
	}
	return out
}

package schema

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits on the input, so that a hostile or mistaken file costs bounded time
// and memory. A team of 100,000 people, each with a name, is about 6 MiB
// (teamctl help performance); the loader allocates at most 160 bytes per input
// byte (TestLoadHostileMemory).
const (
	// MaxSize is the most bytes Load reads: from one file, and from all the
	// files of a directory team together.
	MaxSize = 8 << 20
	// MaxFiles is the most *.yaml/*.yml files a directory team may hold.
	MaxFiles = 100
)

// Load reads a team from path: one YAML file, or a directory whose *.yaml
// and *.yml files (not those of subdirectories) are merged into one team.
//
// When the input does not match the format, Load returns Diagnostics: every
// problem of every file, sorted by position. Any other error is an I/O
// problem (a missing file matches fs.ErrNotExist).
func Load(path string) (*Team, error) {
	files, skipped, err := teamFiles(path)
	if err != nil {
		return nil, err
	}
	l := newLoader()
	if len(files) > 1 {
		l.people = map[string]int{}
	}
	digest := sha256.New()
	total := 0
	for _, name := range files {
		data, err := readFile(name, MaxSize-total)
		if errors.Is(err, errTooLarge) {
			l.errorf(Pos{File: name, Line: 1, Col: 1}, "", "the file is larger than the %s limit of a team (all files together); remove what is not part of the team", byteSize(MaxSize))
			break
		}
		if err != nil {
			return nil, err
		}
		total += len(data)
		// The digest covers each file's name (not its directory, so that it
		// does not depend on where teamctl runs) and its bytes.
		fmt.Fprintf(digest, "%s\x00%d\x00", filepath.Base(name), len(data))
		digest.Write(data)
		l.file(name, data)
	}
	t := l.finish(files)
	if len(l.diags) > 0 {
		l.diags.Sort()
		if l.left > 0 {
			last := l.diags[len(l.diags)-1]
			l.diags = append(l.diags, Diagnostic{Pos: last.Pos, Message: fmt.Sprintf("too many errors: %d are shown, %d more were found before checking stopped; fix the ones above first", maxDiagnostics, l.left)})
		}
		return nil, l.diags
	}
	t.Digest = "sha256:" + hex.EncodeToString(digest.Sum(nil))
	t.Skipped = skipped
	return t, nil
}

var errTooLarge = errors.New("file too large")

// byteSize says n bytes in MiB or KiB.
func byteSize(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// teamFiles returns the files that make up the team at path, sorted, and
// the entries of a team directory it left out, sorted: subdirectories
// (named with a final /) and files of other extensions, hidden ones
// (.git, .DS_Store) aside: they are not worth saying.
//
// Only regular files are read, and their type is checked before they are
// opened, so that a FIFO or a device never blocks the loader. A symbolic
// link (path itself, or an entry of a directory team) is followed only when
// it resolves inside the git repository that holds the team (or, outside a
// repository, inside the team's directory): a pull request cannot link a
// team file to a token or a key elsewhere on the machine that runs teamctl.
func teamFiles(path string) (files, skipped []string, err error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load team: %w", err)
	}
	dir := path
	if !info.IsDir() {
		dir = filepath.Dir(path)
	}
	bound := linkBound(dir)
	if info, err = statInside(bound, path, info); err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, nil, notRegular(path, info)
		}
		return []string{path}, nil, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load team: %w", err)
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || ext != ".yaml" && ext != ".yml" {
			switch {
			case strings.HasPrefix(e.Name(), "."): // .git, .DS_Store
			case e.IsDir():
				skipped = append(skipped, e.Name()+"/")
			default:
				skipped = append(skipped, e.Name())
			}
			continue
		}
		name := filepath.Join(path, e.Name())
		info, err := e.Info() // lstat: a link is a link here
		if err == nil {
			info, err = statInside(bound, name, info)
		}
		if err != nil {
			return nil, nil, err
		}
		if !info.Mode().IsRegular() {
			return nil, nil, notRegular(name, info)
		}
		files = append(files, name)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("load team: directory %s holds no *.yaml or *.yml files", path)
	}
	if len(files) > MaxFiles {
		return nil, nil, fmt.Errorf("load team: directory %s holds %d team files, more than the limit of %d", path, len(files), MaxFiles)
	}
	slices.Sort(files)
	slices.Sort(skipped)
	return files, skipped, nil
}

// linkBound returns the directory that symbolic links in a team may point
// into, absolute and with its own links resolved: the nearest directory from
// dir upward that holds .git, else dir itself. It is "" when dir cannot be
// resolved, and then no link is followed.
func linkBound(dir string) string {
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return ""
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}

// statInside returns what name is, given its Lstat info, without opening
// it. A symbolic link is followed only if it resolves inside bound.
func statInside(bound, name string, info fs.FileInfo) (fs.FileInfo, error) {
	if info.Mode()&fs.ModeSymlink == 0 {
		return info, nil
	}
	target, err := filepath.Abs(name)
	if err == nil {
		target, err = filepath.EvalSymlinks(target)
	}
	if err != nil {
		return nil, fmt.Errorf("load team: %w", err)
	}
	if rel, err := filepath.Rel(bound, target); bound == "" || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("load team: %s is a symbolic link to a file outside the repository; teamctl follows links only within the repository that holds the team (or the team's directory, outside a repository), so replace the link with the file itself", name)
	}
	if info, err = os.Stat(target); err != nil {
		return nil, fmt.Errorf("load team: %w", err)
	}
	return info, nil
}

func notRegular(name string, info fs.FileInfo) error {
	return fmt.Errorf("load team: %s is not a regular file (%s); a team file is a YAML text file", name, fileType(info.Mode()))
}

// fileType names the kind of a file that is not a regular one.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "of mode " + m.String()
}

// readFile reads at most limit bytes of a regular file.
func readFile(name string, limit int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("load team: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load team: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("load team: %s is not a regular file", name)
	}
	// Sized from the file, so that a large team is read without copies.
	buf := bytes.NewBuffer(make([]byte, 0, min(info.Size(), int64(limit))+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, int64(limit)+1)); err != nil {
		return nil, fmt.Errorf("load team: %w", err)
	}
	data := buf.Bytes()
	if len(data) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// loader merges the files of a team, collecting every diagnostic.
type loader struct {
	team     *Team
	diags    Diagnostics
	declared map[string]Pos // scalar path → where it is set, across files
	people   map[string]int // identity → index of its first declaration in team.People
	flows    map[string]Pos // workflow name (lower case) → declaration
	format   *shape
	left     int // problems past maxDiagnostics, not recorded
}

func newLoader() *loader {
	return &loader{
		team:     &Team{Policy: DefaultPolicy()},
		declared: map[string]Pos{},
		flows:    map[string]Pos{},
		format:   teamShape(),
	}
}

// maxDiagnostics bounds the diagnostics of one team: past it, the input is
// not a team file with mistakes but something else, and more lines help
// nobody.
const maxDiagnostics = 100

func (l *loader) errorf(pos Pos, path, format string, args ...any) {
	if len(l.diags) >= maxDiagnostics {
		l.left++
		return
	}
	l.diags = append(l.diags, Diagnostic{Pos: pos, Path: path, Message: fmt.Sprintf(format, args...)})
}

// file checks and merges one file.
func (l *loader) file(name string, data []byte) {
	if !l.text(name, data) {
		return
	}
	root, ok := l.parse(name, data)
	if !ok {
		return
	}
	before := len(l.diags)
	l.check(name, root, l.format, "")
	if len(l.diags) > before {
		// A file that does not match the format is not merged: its values
		// would only add confusing follow-on errors.
		return
	}
	l.merge(name, root)
}

// text reports input that is not UTF-8 text: binary files, NUL bytes and
// control characters, at the first offending byte.
func (l *loader) text(name string, data []byte) bool {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		pos := Pos{File: name, Line: line, Col: col}
		switch {
		case r == utf8.RuneError && size == 1:
			l.errorf(pos, "", "the file is not UTF-8 text (byte 0x%02x); save it as UTF-8", data[i])
			return false
		case r == 0:
			l.errorf(pos, "", "the file holds a NUL byte, so it looks binary; a team file is YAML text")
			return false
		case r == '\n':
			line, col = line+1, 0
		case r == '\t', r == '\r', r == '\ufeff' && i == 0:
		case isControl(r):
			l.errorf(pos, "", "the file holds the control character %U; remove it (write \\e or \\x1b in double quotes if it is really meant)", r)
			return false
		}
		i += size
		col++
	}
	return true
}

// yamlLine matches the line number that go-yaml puts in its messages.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrors are the messages of go-yaml's parser, as opposed to its
// scanner.
var yamlParserErrors = []string{
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
}

// parse decodes the single YAML document of a file into a node tree. An
// empty file, a syntax error and a second document are diagnostics.
func (l *loader) parse(name string, data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) || err == nil && len(doc.Content) == 0 {
		l.errorf(Pos{File: name, Line: 1, Col: 1}, "", "the file is empty; a team file is a map that starts with `version: 1` (teamctl init writes one)")
		return nil, false
	}
	if err != nil {
		l.syntax(name, data, err)
		return nil, false
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		l.errorf(Pos{File: name, Line: max(next.Line, 1), Col: 1}, "", "the file holds a second YAML document after `---`; a team file is one document, so split the team into files of a directory instead")
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		l.syntax(name, data, err)
		return nil, false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		// Never the value itself: a file that is one scalar is most likely
		// not YAML at all (a token, a key, a note), and this message may
		// end up in a pull request's comments.
		what := "a single value"
		if root.Kind != yaml.ScalarNode {
			what = describe(root)
		}
		l.errorf(nodePos(name, root), "", "the file is %s, but a team file is a map of keys (version, workspace, admins, ...); teamctl init writes one", what)
		return nil, false
	}
	return root, true
}

// syntax turns a go-yaml error into a diagnostic on the line at fault.
func (l *loader) syntax(name string, data []byte, err error) {
	line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n > 0 {
			line = n
		}
		msg = m[2]
		// go-yaml counts the lines of its parser's errors from 0 and those
		// of its scanner's from 1; and its parser names the line where the
		// enclosing block starts, not the one that broke it.
		if slices.Contains(yamlParserErrors, msg) {
			line = brokenLine(data, line+1)
		}
	}
	if tabLine, tab := tabIndent(data, line); tab > 0 {
		l.errorf(Pos{File: name, Line: tabLine, Col: tab}, "", "a tab indents this line; YAML indents with spaces only, so replace the tab with spaces")
		return
	}
	l.errorf(Pos{File: name, Line: line, Col: 1}, "", "invalid YAML: %s; check the indentation and quoting here", msg)
}

// brokenLine finds the line that makes data fail to parse, given the line
// from where go-yaml's parser looked (the start of the block it was in):
// the first line n at or after from such that the lines up to n do not
// parse while those before n do, found by bisection. It returns from when
// the lines before from do not parse either.
func brokenLine(data []byte, from int) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	parses := func(n int) bool { // the first n lines
		var doc yaml.Node
		return yaml.Unmarshal(bytes.Join(lines[:n], nil), &doc) == nil
	}
	lo, hi := from-1, len(lines) // parses(lo) holds; the whole does not
	if lo < 0 || lo >= hi || !parses(lo) {
		return from
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if parses(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// tabIndent returns the line and the 1-based column of a tab in the
// indentation of line, of the lines after it up to the next one with
// text (go-yaml reports a tab after blank lines on the line before them),
// or of the line before it; the column is 0 when there is none.
func tabIndent(data []byte, line int) (int, int) {
	lines := bytes.Split(data, []byte("\n"))
	indentTab := func(n int) int {
		if n < 1 || n > len(lines) {
			return 0
		}
		s := lines[n-1]
		indent := s[:len(s)-len(bytes.TrimLeft(s, " \t"))]
		return bytes.IndexByte(indent, '\t') + 1
	}
	for n := line; n >= 1 && n <= len(lines); n++ {
		if col := indentTab(n); col > 0 {
			return n, col
		}
		if n > line && len(bytes.TrimSpace(lines[n-1])) > 0 {
			break // a line with text and no tab: the tab is not further on
		}
	}
	if col := indentTab(line - 1); col > 0 {
		return line - 1, col
	}
	return line, 0
}

func nodePos(file string, n *yaml.Node) Pos {
	return Pos{File: file, Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// describe names what a node holds, for "expected X, found Y" messages. It
// quotes user text so that nothing in it reaches a terminal raw.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return n.Value
	case "!!timestamp":
		return "the date " + n.Value
	}
	return "the text " + quote(n.Value)
}

// quote quotes s for a message, escaping control and non-printable
// characters, and cutting it to a readable length.
func quote(s string) string {
	const maxRunes = 60
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes]) + "…"
	}
	return strconv.Quote(s)
}

// merge adds a checked file to the team.
func (l *loader) merge(file string, root *yaml.Node) {
	t := l.team
	if t.Pos.File == "" {
		t.Pos = Pos{File: file, Line: 1, Col: 1}
	}
	for k, v := range pairs(root) {
		pos := nodePos(file, v)
		switch k.Value {
		case "version":
			t.Version = 1 // checked: only 1 passes
		case "workspace":
			if l.declare("workspace", pos) {
				t.Workspace = strings.TrimSpace(v.Value)
			}
		case "launch":
			if l.declare("launch", pos) && !isNull(v) {
				d, _ := parseDate(v.Value)
				t.Launch = &d
			}
		case "invite_note":
			if l.declare("invite_note", pos) && !isNull(v) {
				t.InviteNote, t.InviteNotePos = v.Value, pos
			}
		case "admins":
			l.mergePeople(file, v, Admin)
		case "operators":
			l.mergePeople(file, v, Operator)
		case "reviewers":
			l.mergePeople(file, v, Reviewer)
		case "backups":
			if t.BackupsPos.File == "" {
				t.BackupsPos = nodePos(file, k)
			}
			for bk, bv := range pairs(v) {
				if bk.Value == "admin" && l.declare("backups.admin", nodePos(file, bv)) && !isNull(bv) {
					t.BackupAdmins = refs(file, bv)
					t.BackupsPos = nodePos(file, bv)
				}
			}
		case "workflows":
			l.mergeWorkflows(file, v)
		case "approvers":
			l.mergeApprovers(file, k, v)
		case "policy":
			l.mergePolicy(file, v)
		}
	}
}

// declare records that path is set at pos, and reports false with a
// diagnostic naming both places when another file already set it.
func (l *loader) declare(path string, pos Pos) bool {
	if prev, ok := l.declared[path]; ok {
		l.errorf(pos, path, "already declared at %s; declare it in one file only", prev)
		return false
	}
	l.declared[path] = pos
	return true
}

func (l *loader) mergePeople(file string, list *yaml.Node, role Role) {
	l.team.People = slices.Grow(l.team.People, len(list.Content))
	for n, entry := range list.Content {
		p := Person{Role: role, Pos: nodePos(file, entry)}
		for k, v := range pairs(entry) {
			switch k.Value {
			case "email":
				p.Email = strings.TrimSpace(v.Value)
			case "name":
				p.Name = strings.TrimSpace(v.Value)
			case "until":
				if !isNull(v) {
					d, _ := parseDate(v.Value) // checked
					p.Until, p.UntilPos = &d, nodePos(file, v)
				}
			case "previously":
				p.Previously = refs(file, v)
			case "reviewed":
				if !isNull(v) {
					d, _ := parseDate(v.Value) // checked
					p.Reviewed, p.ReviewedPos = &d, nodePos(file, v)
				}
			}
		}
		if l.people == nil {
			// One file: duplicates are the duplicate-person rule's, not
			// the loader's.
			l.team.People = append(l.team.People, p)
			continue
		}
		key := p.Key()
		if i, ok := l.people[key]; !ok {
			l.people[key] = len(l.team.People)
		} else if prev := l.team.People[i]; prev.Pos.File != file {
			l.errorf(p.Pos, fmt.Sprintf("%ss[%d]", role, n), "%s is already declared at %s (as %s); declare each person in one file only", quote(p.Email), prev.Pos, prev.Role)
			continue
		}
		l.team.People = append(l.team.People, p)
	}
}

func (l *loader) mergeWorkflows(file string, list *yaml.Node) {
	for i, entry := range list.Content {
		w := Workflow{State: Live, Pos: nodePos(file, entry)}
		for k, v := range pairs(entry) {
			switch k.Value {
			case "name":
				w.Name = strings.TrimSpace(v.Value)
			case "state":
				if !isNull(v) {
					w.State = WorkflowState(v.Value)
				}
			case "owner":
				if !isNull(v) {
					w.Owner = &Ref{Email: strings.TrimSpace(v.Value), Pos: nodePos(file, v)}
				}
			case "backups":
				w.Backups = refs(file, v)
			}
		}
		key := strings.ToLower(w.Name)
		if prev, ok := l.flows[key]; ok {
			l.errorf(w.Pos, fmt.Sprintf("workflows[%d].name", i), "workflow %s is already declared at %s; declare each workflow once", quote(w.Name), prev)
			continue
		}
		l.flows[key] = w.Pos
		l.team.Workflows = append(l.team.Workflows, w)
	}
}

func (l *loader) mergeApprovers(file string, key, m *yaml.Node) {
	t := l.team
	if t.Approvers == nil {
		t.Approvers = &Approvers{Pos: nodePos(file, key)}
	}
	for k, v := range pairs(m) {
		if !l.declare("approvers."+k.Value, nodePos(file, v)) {
			continue
		}
		var names []string
		for _, r := range refs(file, v) {
			names = append(names, r.Email)
		}
		switch k.Value {
		case "admins":
			t.Approvers.Admins = names
		case "operators":
			t.Approvers.Operators = names
		case "reviewers":
			t.Approvers.Reviewers = names
		}
	}
}

func (l *loader) mergePolicy(file string, m *yaml.Node) {
	p := &l.team.Policy
	for k, v := range pairs(m) {
		if k.Value == "review_every_days" {
			for rk, rv := range pairs(v) {
				if !l.declare("policy.review_every_days."+rk.Value, nodePos(file, rk)) || isNull(rv) {
					continue
				}
				p.ReviewEveryDays[Role(rk.Value)], _ = nodeInt(rv) // checked
			}
			continue
		}
		if k.Value == "rules" {
			for rk, rv := range pairs(v) {
				pos := nodePos(file, rk)
				if !l.declare("policy.rules."+rk.Value, pos) || isNull(rv) {
					continue
				}
				if p.Rules == nil {
					p.Rules, p.RulePos = map[string]Severity{}, map[string]Pos{}
				}
				p.Rules[rk.Value], p.RulePos[rk.Value] = Severity(rv.Value), pos
			}
			continue
		}
		if !l.declare("policy."+k.Value, nodePos(file, v)) || isNull(v) {
			continue
		}
		switch k.Value {
		case "max_admins":
			p.MaxAdmins, _ = nodeInt(v)
		case "max_removals":
			p.MaxRemovals, _ = nodeInt(v)
		case "prune":
			p.Prune, _ = nodeBool(v)
		case "resend_expired":
			p.ResendExpired, _ = nodeBool(v)
		case "expiry_warning_days":
			p.ExpiryWarningDays, _ = nodeInt(v)
		case "review_warning_days":
			p.ReviewWarningDays, _ = nodeInt(v)
		case "inactive_days":
			p.InactiveDays, _ = nodeInt(v)
		}
	}
}

// finish applies the checks that need the whole team and returns it.
func (l *loader) finish(files []string) *Team {
	t := l.team
	t.Files = files
	if t.Pos.File == "" {
		t.Pos = Pos{File: files[0], Line: 1, Col: 1}
	}
	if t.BackupsPos.File == "" {
		t.BackupsPos = t.Pos
	}
	if t.InviteNotePos.File == "" {
		t.InviteNotePos = t.Pos
	}
	if len(l.diags) > 0 {
		return t
	}
	if t.Workspace == "" {
		l.errorf(t.Pos, "workspace", "required: add `workspace: NAME` with the live workspace's name")
	}
	return t
}

// refs reads an email or a list of emails.
func refs(file string, n *yaml.Node) []Ref {
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return nil
		}
		return []Ref{{Email: strings.TrimSpace(n.Value), Pos: nodePos(file, n)}}
	}
	var out []Ref
	for _, e := range n.Content {
		out = append(out, Ref{Email: strings.TrimSpace(e.Value), Pos: nodePos(file, e)})
	}
	return out
}

// pairs yields the keys and values of a mapping node.
func pairs(n *yaml.Node) func(yield func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(n.Content[i], n.Content[i+1]) {
				return
			}
		}
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

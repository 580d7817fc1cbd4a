// Package edit changes people in team files the way a careful person would
// by hand: it touches the lines of the people it changes and nothing else,
// so that comments, key order, quoting, blank lines and layout stay as
// they were, and a pull request shows only what changed.
//
// Re-encoding a YAML node tree does not do that (go-yaml drops blank lines
// and realigns comments), so edit reads the node tree for where each
// person and key is, makes its changes to the text at those places, and
// then parses the result again to check that it says what was meant.
package edit

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/teamctl/teamctl/schema"
)

// roleKeys are the top-level keys that list people.
var roleKeys = []string{"admins", "operators", "reviewers"}

// Doc is one team file being edited.
type Doc struct {
	Path   string
	src    []byte
	root   *yaml.Node // the document's top-level mapping
	lines  []int      // byte offset of the start of each line (0-based)
	nl     string     // the file's line ending
	mode   os.FileMode
	target string // the file written: Path, or where a link at Path points
	edits  []change
}

// change replaces src[start:end] with text.
type change struct {
	start, end int
	text       string
}

// Read reads a team file for editing. The file is expected to load (the
// caller has loaded the team with schema.Load first).
func Read(path string) (*Doc, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("edit: %w", err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("edit: %w", err)
	}
	d, err := parse(path, src, info.Mode().Perm())
	if err != nil {
		return nil, err
	}
	// A team file may be a link within the repository (schema.Load
	// follows those): the edit goes to the file it points at, and the
	// link stays.
	if d.target, err = filepath.EvalSymlinks(path); err != nil {
		return nil, fmt.Errorf("edit: %w", err)
	}
	return d, nil
}

func parse(path string, src []byte, mode os.FileMode) (*Doc, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("edit: %s: %w", path, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("edit: %s is not a team file (a map of keys)", path)
	}
	d := &Doc{Path: path, src: src, root: doc.Content[0], nl: "\n", mode: mode}
	if bytes.Contains(src, []byte("\r\n")) {
		d.nl = "\r\n"
	}
	d.lines = []int{0}
	for i, b := range src {
		if b == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	return d, nil
}

// Entry is one person declared in a Doc.
type Entry struct {
	Email string
	Role  schema.Role
	Line  int
	node  *yaml.Node // the person's mapping
	item  int        // index in the role's sequence
	seq   *yaml.Node
}

// Key returns the person's identity.
func (e Entry) Key() string { return schema.Key(e.Email) }

// People returns the people the file declares, in file order.
func (d *Doc) People() []Entry {
	var out []Entry
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		k, v := d.root.Content[i], d.root.Content[i+1]
		if !slices.Contains(roleKeys, k.Value) || v.Kind != yaml.SequenceNode {
			continue
		}
		role := schema.Role(strings.TrimSuffix(k.Value, "s"))
		for j, p := range v.Content {
			if email := value(p, "email"); email != nil {
				out = append(out, Entry{Email: strings.TrimSpace(email.Value), Role: role, Line: p.Line, node: p, item: j, seq: v})
			}
		}
	}
	return out
}

// value returns the value node of key in mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// SetField sets key of the person e to the plain scalar text: the value
// is replaced where the key is written, else the key is added as the
// entry's last.
func (d *Doc) SetField(e Entry, key, text string) error {
	if v := value(e.node, key); v != nil {
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("edit: %s:%d: %s of %s is not a single value; edit it by hand", d.Path, v.Line, key, e.Email)
		}
		start, end := d.span(v)
		if q := d.src[start]; v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			text = string(q) + text + string(q) // keep the quoting
		}
		if pad := (end - start) - len(text); pad > 0 && d.commentFollows(end) {
			text += strings.Repeat(" ", pad) // keep the comment where it was
		}
		d.edits = append(d.edits, change{start, end, text})
		return nil
	}
	m := e.node
	last := m.Content[len(m.Content)-1]
	if m.Style&yaml.FlowStyle != 0 {
		// - {email: a@b.c, name: A}: add ", key: text" after the last value.
		_, end := d.span(last)
		d.edits = append(d.edits, change{end, end, ", " + key + ": " + text})
		return nil
	}
	first := m.Content[0]
	line := strings.Repeat(" ", first.Column-1) + key + ": " + text + d.nl
	at := d.lineEnd(d.lastLine(m))
	if at == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n' {
		line = d.nl + strings.TrimSuffix(line, d.nl) // the file ends without a newline
	}
	d.edits = append(d.edits, change{at, at, line})
	return nil
}

// Remove takes the person e out of the file: the lines of the entry, and
// the comment lines right above it, which speak of it. With last, e is the
// last person left in its list, and the list is written as [].
func (d *Doc) Remove(e Entry, last bool) error {
	if e.seq.Style&yaml.FlowStyle != 0 {
		return fmt.Errorf("edit: %s:%d: %s is in a list written in brackets ([...]); take them out by hand, or write the list one person a line", d.Path, e.Line, e.Email)
	}
	if d.sharesLine(e) {
		return fmt.Errorf("edit: %s:%d: %s shares a line with another person; take them out by hand", d.Path, e.Line, e.Email)
	}
	first := e.node.Line
	if first > 1 && strings.TrimSpace(d.line(first-1)) == "-" {
		first-- // the entry's "-" stands on a line of its own
	}
	for first > 1 && strings.HasPrefix(strings.TrimSpace(d.line(first-1)), "#") {
		first--
	}
	lastLine := d.lastLine(e.node)
	if first > 1 && blank(d.line(first-1)) && (lastLine == len(d.lines) || blank(d.line(lastLine+1))) {
		first-- // one blank line between what stays, not two
	}
	start := d.lines[first-1]
	end := d.lineEnd(lastLine)
	if last {
		// The list's only person: leave "admins: []" rather than a key
		// without a value.
		key := d.keyOf(e.seq)
		if key == nil {
			return fmt.Errorf("edit: %s:%d: cannot find the list that holds %s", d.Path, e.Line, e.Email)
		}
		_, kend := d.span(key)
		lineEnd := d.lineEnd(key.Line) - len(d.nl)
		if lineEnd < kend {
			lineEnd = kend
		}
		// Keep a comment after the key; replace whatever follows the colon.
		rest := string(d.src[kend:lineEnd])
		colon := strings.Index(rest, ":")
		if colon < 0 {
			return fmt.Errorf("edit: %s:%d: cannot find the colon after %s", d.Path, key.Line, key.Value)
		}
		after := rest[colon+1:]
		comment := ""
		if i := strings.Index(after, "#"); i >= 0 {
			comment = " " + after[i:]
		}
		d.edits = append(d.edits, change{kend + colon + 1, lineEnd, " []" + comment})
	}
	d.edits = append(d.edits, change{start, end, ""})
	return nil
}

// commentFollows reports whether only spaces stand between off and a
// comment on its line.
func (d *Doc) commentFollows(off int) bool {
	i := off
	for i < len(d.src) && (d.src[i] == ' ' || d.src[i] == '\t') {
		i++
	}
	return i > off && i < len(d.src) && d.src[i] == '#'
}

// sharesLine reports whether another item of e's list starts on e's line.
func (d *Doc) sharesLine(e Entry) bool {
	for i, n := range e.seq.Content {
		if i != e.item && n.Line == e.node.Line {
			return true
		}
	}
	return false
}

// keyOf returns the key node whose value is v in the top-level mapping.
func (d *Doc) keyOf(v *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		if d.root.Content[i+1] == v {
			return d.root.Content[i]
		}
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// line returns the text of 1-based line n.
func (d *Doc) line(n int) string { return string(d.src[d.lines[n-1]:d.lineEnd(n)]) }

// lastLine returns the last line of n's text.
func (d *Doc) lastLine(n *yaml.Node) int {
	last := n.Line
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		line := n.Line
		if n.Kind == yaml.ScalarNode {
			_, end := d.span(n)
			line = d.lineOf(max(end-1, 0))
		}
		last = max(last, line)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	if n.Style&yaml.FlowStyle != 0 || n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		// A flow collection ends at its closing bracket.
		_, end := d.span(n)
		last = max(last, d.lineOf(max(end-1, 0)))
	}
	return last
}

// lineOf returns the 1-based line of byte offset off.
func (d *Doc) lineOf(off int) int {
	i, found := slices.BinarySearch(d.lines, off)
	if found {
		return i + 1
	}
	return i
}

// lineEnd returns the offset just past the end of 1-based line n,
// newline included.
func (d *Doc) lineEnd(n int) int {
	if n < len(d.lines) {
		return d.lines[n]
	}
	return len(d.src)
}

// offset returns the byte offset of a node's 1-based line and column
// (go-yaml counts columns in characters).
func (d *Doc) offset(line, col int) int {
	off := d.lines[line-1]
	for c := 1; c < col && off < len(d.src); c++ {
		_, size := utf8.DecodeRune(d.src[off:])
		off += size
	}
	return off
}

// span returns the byte range of a node's text: a scalar's token (quotes
// included, a plain scalar up to a comment or the end of its line), a flow
// collection up to its closing bracket.
func (d *Doc) span(n *yaml.Node) (int, int) {
	start := d.offset(n.Line, n.Column)
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		q := d.src[start]
		for i := start + 1; i < len(d.src); i++ {
			switch {
			case q == '"' && d.src[i] == '\\':
				i++
			case d.src[i] == q && q == '\'' && i+1 < len(d.src) && d.src[i+1] == '\'':
				i++
			case d.src[i] == q:
				return start, i + 1
			}
		}
		return start, len(d.src)
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// A block scalar runs until a line indented no more than its key.
		end := d.lineEnd(n.Line)
		for l := n.Line + 1; l <= len(d.lines); l++ {
			text := d.src[d.lines[l-1]:d.lineEnd(l)]
			trimmed := bytes.TrimLeft(text, " ")
			if len(bytes.TrimSpace(text)) > 0 && len(text)-len(trimmed) < n.Column {
				break
			}
			end = d.lineEnd(l)
		}
		return start, end
	case n.Kind == yaml.ScalarNode:
		end := start
		line := d.lineEnd(n.Line)
		for end < line && d.src[end] != '\n' && d.src[end] != '\r' {
			if d.src[end] == '#' && end > start && (d.src[end-1] == ' ' || d.src[end-1] == '\t') {
				break
			}
			if d.src[end] == ':' && (end+1 == len(d.src) || strings.IndexByte(" \t\r\n", d.src[end+1]) >= 0) {
				break // the end of a key
			}
			if d.src[end] == ',' || d.src[end] == '}' || d.src[end] == ']' {
				if d.inFlow(n) {
					break
				}
			}
			end++
		}
		return start, start + len(bytes.TrimRight(d.src[start:end], " \t"))
	case n.Style&yaml.FlowStyle != 0:
		depth := 0
		for i := start; i < len(d.src); i++ {
			switch d.src[i] {
			case '[', '{':
				depth++
			case ']', '}':
				depth--
				if depth == 0 {
					return start, i + 1
				}
			case '"', '\'':
				// skip a quoted string
				q := d.src[i]
				for i++; i < len(d.src) && d.src[i] != q; i++ {
					if q == '"' && d.src[i] == '\\' {
						i++
					}
				}
			}
		}
		return start, len(d.src)
	}
	return start, d.lineEnd(d.lastLine(n))
}

// inFlow reports whether the byte before a scalar, past spaces, belongs
// to a flow collection ("{", "[", "," or a flow key's ":").
func (d *Doc) inFlow(n *yaml.Node) bool {
	var found bool
	var walk func(p *yaml.Node, flow bool)
	walk = func(p *yaml.Node, flow bool) {
		flow = flow || p.Style&yaml.FlowStyle != 0 && p.Kind != yaml.ScalarNode
		for _, c := range p.Content {
			if c == n {
				found = flow
				return
			}
			walk(c, flow)
		}
	}
	walk(d.root, false)
	return found
}

// Bytes returns the file's text with the edits made, in one pass over
// the text (an --all-due of 50,000 people is 50,000 edits of one file).
// Edits do not overlap; two at one place keep the order they were made.
func (d *Doc) Bytes() []byte {
	edits := slices.Clone(d.edits)
	slices.SortStableFunc(edits, func(a, b change) int { return a.start - b.start })
	grow := 0
	for _, e := range edits {
		grow += len(e.text)
	}
	out := make([]byte, 0, len(d.src)+grow)
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue // overlapping: left out, and Check says the edit failed
		}
		out = append(out, d.src[at:e.start]...)
		out = append(out, e.text...)
		at = max(at, e.end)
	}
	return append(out, d.src[at:]...)
}

// Changed reports whether the file has edits.
func (d *Doc) Changed() bool { return len(d.edits) > 0 }

// Check parses the edited text again and returns it as a Doc, so that the
// caller can check it says what was meant.
func (d *Doc) Check() (*Doc, error) {
	out, err := parse(d.Path, d.Bytes(), d.mode)
	if err != nil {
		return nil, fmt.Errorf("edit: the edited %s would not parse (%v); nothing was written", d.Path, err)
	}
	return out, nil
}

// Write replaces the file with the edited text, atomically: a reader sees
// the old file or the new one, never a part.
func (d *Doc) Write() error {
	if !d.Changed() {
		return nil
	}
	return writeFile(d.target, d.Bytes(), d.mode)
}

func writeFile(path string, data []byte, mode os.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, bytes.NewReader(data)); err != nil {
		f.Close()
		return fmt.Errorf("edit: write %s: %w", path, err)
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return fmt.Errorf("edit: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("edit: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	return nil
}

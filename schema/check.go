package schema

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/teamctl/teamctl/schema/suggest"
	"go.yaml.in/yaml/v3"
)

// check reports every way the node n, at path, does not match the shape s.
// It descends only as deep as the format goes, so deep nesting in the input
// costs nothing more.
func (l *loader) check(file string, n *yaml.Node, s *shape, path string) {
	if l.left > 0 {
		return // enough said: the input is not a team file
	}
	pos := nodePos(file, n)
	if n.Kind == yaml.AliasNode {
		l.errorf(pos, path, "YAML aliases (*%s) are not supported; write the value out in full", n.Value)
		return
	}
	switch s.kind {
	case kindMap:
		l.checkMap(file, n, s, path)
	case kindDict:
		l.checkDict(file, n, s, path)
	case kindList:
		switch {
		case n.Kind == yaml.SequenceNode:
			for i, e := range n.Content {
				ep := path + "[" + strconv.Itoa(i) + "]"
				if isNull(e) {
					l.errorf(nodePos(file, e), ep, "empty list entry; fill it in or remove the `-`")
					continue
				}
				l.check(file, e, s.elem, ep)
			}
		case s.one && n.Kind == yaml.ScalarNode:
			l.check(file, n, s.elem, path)
		default:
			l.expected(pos, path, n, s)
		}
	default:
		if n.Kind != yaml.ScalarNode {
			l.expected(pos, path, n, s)
			return
		}
		if msg := checkScalar(n, s); msg != "" {
			l.errorf(pos, path, "%s", msg)
		}
	}
}

func (l *loader) checkMap(file string, n *yaml.Node, s *shape, path string) {
	if n.Kind != yaml.MappingNode {
		l.expected(nodePos(file, n), path, n, s)
		return
	}
	seen := l.checkKeys(file, n, path, func(k, v *yaml.Node, kp string) {
		f, ok := s.lookup(k.Value)
		switch {
		case !ok:
			l.errorf(nodePos(file, k), path, "unknown key %s; %s", quote(k.Value), suggestKey(k.Value, fieldKeys(s)))
		case isNull(v) && f.required:
			l.errorf(nodePos(file, v), kp, "is empty; write a value, such as `%s: %s`", f.key, sample(f.shape))
		case !isNull(v):
			l.check(file, v, f.shape, kp)
		}
	})
	for _, f := range s.fields {
		if f.required && !seen.has(f.key) {
			l.errorf(nodePos(file, n), join(path, f.key), "required: add `%s: %s`", f.key, sample(f.shape))
		}
	}
}

func (l *loader) checkDict(file string, n *yaml.Node, s *shape, path string) {
	if n.Kind != yaml.MappingNode {
		l.expected(nodePos(file, n), path, n, s)
		return
	}
	l.checkKeys(file, n, path, func(k, v *yaml.Node, kp string) {
		switch {
		case s.noun == "rule" && k.Value == RuleSchema:
			l.errorf(nodePos(file, k), kp, "the schema rule cannot be tuned: a file that does not match the format has no team; remove this line")
		case !slices.Contains(s.keys, k.Value):
			l.errorf(nodePos(file, k), path, "unknown %s %s; %s", s.noun, quote(k.Value), suggestKey(k.Value, s.keys))
		case isNull(v):
			l.errorf(nodePos(file, v), kp, "is empty; write %s", expectedName(s.elem))
		default:
			l.check(file, v, s.elem, kp)
		}
	})
}

// checkKeys reports keys that are not plain text or are repeated, and calls
// visit with every other key, its value and its path. It returns the keys
// seen.
func (l *loader) checkKeys(file string, n *yaml.Node, path string, visit func(k, v *yaml.Node, kp string)) keySet {
	seen := keySet{n: n}
	if len(n.Content) > 2*smallMap {
		seen.index = make(map[string]int, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorf(nodePos(file, k), path, "a key must be plain text, not %s", describe(k))
			continue
		}
		kp := join(path, k.Value)
		if first := seen.add(k.Value, i); first != nil {
			l.errorf(nodePos(file, k), kp, "repeated key (first at line %d); keep one of them", first.Line)
			continue
		}
		visit(k, v, kp)
	}
	return seen
}

// smallMap is the most keys a map may have for keySet to find repeats by
// scanning rather than hashing. Every person entry is such a map, so
// loading a large team builds no map per person.
const smallMap = 8

// keySet is the plain-text keys of a mapping node.
type keySet struct {
	n     *yaml.Node
	index map[string]int // key → index in n.Content; nil for small maps
}

// add adds the key at n.Content[i] and returns the node of an earlier
// equal key, or nil.
func (s *keySet) add(key string, i int) *yaml.Node {
	if s.index != nil {
		if j, ok := s.index[key]; ok {
			return s.n.Content[j]
		}
		s.index[key] = i
		return nil
	}
	if j := s.find(key, i); j >= 0 {
		return s.n.Content[j]
	}
	return nil
}

// has reports whether key was seen, once every key is added.
func (s keySet) has(key string) bool {
	if s.index != nil {
		_, ok := s.index[key]
		return ok
	}
	return s.find(key, len(s.n.Content)) >= 0
}

// find returns the index of the first plain-text key equal to key before
// n.Content[upto], or -1.
func (s keySet) find(key string, upto int) int {
	for j := 0; j < upto; j += 2 {
		if k := s.n.Content[j]; k.Kind == yaml.ScalarNode && k.Value == key {
			return j
		}
	}
	return -1
}

// expected reports a value of the wrong type.
func (l *loader) expected(pos Pos, path string, n *yaml.Node, s *shape) {
	msg := fmt.Sprintf("expected %s, found %s", expectedName(s), describe(n))
	if n.Kind == yaml.ScalarNode && textual(s) {
		msg += "; put it in quotes"
	}
	l.errorf(pos, path, "%s", msg)
}

// textual reports whether s (or the elements of s) is text of some kind.
func textual(s *shape) bool {
	if s.kind == kindList {
		s = s.elem
	}
	switch s.kind {
	case kindString, kindText, kindEmail, kindHandle, kindEnum:
		return true
	}
	return false
}

// checkScalar returns what is wrong with a scalar value of shape s, or "".
func checkScalar(n *yaml.Node, s *shape) string {
	tag := n.ShortTag()
	if s.kind == kindDate && tag == "!!timestamp" {
		tag = "!!str"
	}
	want := "!!str"
	switch s.kind {
	case kindInt:
		want = "!!int"
	case kindBool:
		want = "!!bool"
	}
	if tag != want {
		msg := fmt.Sprintf("expected %s, found %s", expectedName(s), describe(n))
		if want == "!!str" {
			msg += "; put it in quotes"
		}
		return msg
	}
	v := n.Value
	switch s.kind {
	case kindString:
		if strings.TrimSpace(v) == "" {
			return "is empty; write a value or remove the key"
		}
		if r, ok := badRune(v, false); ok {
			return fmt.Sprintf("holds the control character %U; remove it", r)
		}
	case kindText:
		if r, ok := badRune(v, true); ok {
			return fmt.Sprintf("holds the control character %U; remove it", r)
		}
	case kindEmail:
		return emailProblem(v)
	case kindHandle:
		if strings.HasPrefix(v, "@") {
			if !handleRE.MatchString(v) {
				return fmt.Sprintf("%s is not a GitHub handle; write @user or @org/team", quote(v))
			}
			return ""
		}
		if emailProblem(v) != "" {
			return fmt.Sprintf("%s is neither a GitHub @user or @org/team nor an email address", quote(v))
		}
	case kindInt:
		i, ok := nodeInt(n)
		switch {
		case !ok:
			return fmt.Sprintf("%s is not a whole number", quote(v))
		case s.max > 0 && s.min == s.max && i != s.min:
			return fmt.Sprintf("%d is not supported: only %d exists", i, s.min)
		case i < s.min:
			return fmt.Sprintf("must be at least %d, not %d", s.min, i)
		case s.max > 0 && i > s.max:
			return fmt.Sprintf("must be at most %d, not %d", s.max, i)
		}
	case kindDate:
		if _, err := parseDate(v); err != nil {
			return fmt.Sprintf("%s is not a date; write YYYY-MM-DD, such as 2026-12-07", quote(v))
		}
	case kindEnum:
		if !slices.Contains(s.enum, v) {
			return fmt.Sprintf("%s is not one of %s", quote(v), strings.Join(s.enum, ", "))
		}
	}
	return ""
}

var handleRE = regexp.MustCompile(`^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$`)

// CheckEmail returns an error, worded to follow the value's name ("--actor
// is not an email address"), when s is not an email address as a team
// file's emails must be.
func CheckEmail(s string) error {
	if p := emailProblem(s); p != "" {
		return errors.New(p)
	}
	return nil
}

// emailProblem says what is wrong with an email address, or returns "". It
// accepts international addresses, but no spaces, control or invisible
// formatting characters, and none of the characters that make an address
// more than a bare mailbox.
func emailProblem(s string) string {
	v := strings.TrimSpace(s)
	bad := func() string {
		return fmt.Sprintf("%s is not an email address; write it as name@example.com", quote(s))
	}
	if v == "" {
		return "is empty; write an email address such as name@example.com"
	}
	for i, r := range v {
		if r < utf8.RuneSelf { // ASCII, as almost every address: no table lookups
			switch c := v[i]; {
			case c < 0x20 || c == 0x7f:
				return fmt.Sprintf("holds the invisible character %U; remove it", r)
			case c == ' ' || strings.IndexByte(`<>()[]\,;:"`, c) >= 0:
				return bad()
			}
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Sprintf("holds the invisible character %U; remove it", r)
		}
		if unicode.IsSpace(r) {
			return bad()
		}
	}
	if len(v) > 254 {
		return "is longer than 254 bytes, the most an email address may have"
	}
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || strings.Contains(domain, "@") || !strings.Contains(domain, ".") {
		return bad()
	}
	for lb := range strings.SplitSeq(domain, ".") {
		if lb == "" || strings.HasPrefix(lb, "-") || strings.HasSuffix(lb, "-") {
			return bad()
		}
	}
	return ""
}

// badRune returns the first control or bidirectional-override character of
// s. Such characters can rewrite what a terminal shows, so names holding
// them are refused rather than echoed. Text may keep tabs and newlines.
func badRune(s string, text bool) (rune, bool) {
	for _, r := range s {
		if text && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if isControl(r) {
			return r, true
		}
	}
	return 0, false
}

// isControl reports control characters (C0, DEL, C1) and the Unicode
// characters that reorder text (bidirectional overrides and isolates).
func isControl(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return false
}

func parseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// nodeBool reads a !!bool scalar as YAML does (true, True, TRUE, false,
// ...): the library that tagged it !!bool for the check reads its value,
// so that validation and reading cannot disagree.
func nodeBool(n *yaml.Node) (bool, bool) {
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, false
	}
	return b, true
}

func nodeInt(n *yaml.Node) (int, bool) {
	var i int
	if err := n.Decode(&i); err != nil {
		return 0, false
	}
	return i, true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldKeys(s *shape) []string {
	keys := make([]string, len(s.fields))
	for i, f := range s.fields {
		keys[i] = f.key
	}
	return keys
}

// suggestKey names the closest known key, or lists them all.
func suggestKey(got string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := suggest.Distance(strings.ToLower(got), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "known keys: " + strings.Join(known, ", ")
}

// expectedName says in words what a shape holds.
func expectedName(s *shape) string {
	switch s.kind {
	case kindMap:
		return "a map of keys"
	case kindDict:
		return s.what
	case kindList:
		switch {
		case s.one:
			return expectedName(s.elem) + " or a list of them"
		case s.elem.kind == kindMap && len(s.elem.fields) > 0:
			return fmt.Sprintf("a list of entries (- %s: ...)", s.elem.fields[0].key)
		}
		return "a list"
	case kindString, kindText:
		return "text"
	case kindEmail:
		return "an email address"
	case kindHandle:
		return "a GitHub @user, @org/team or an email address"
	case kindInt:
		return "a whole number"
	case kindBool:
		return "true or false"
	case kindDate:
		return "a date (YYYY-MM-DD)"
	case kindEnum:
		return "one of " + strings.Join(s.enum, ", ")
	}
	return "a value"
}

// sample returns an example value of s for messages.
func sample(s *shape) string {
	switch {
	case len(s.ex) > 0:
		return s.ex[0]
	case s.kind == kindInt:
		return strconv.Itoa(s.min)
	case s.kind == kindEnum:
		return s.enum[0]
	case s.kind == kindList:
		return "[...]"
	}
	return "..."
}

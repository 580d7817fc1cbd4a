package edit

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/teamctl/teamctl/schema"
)

// Team is the files of one team being edited together.
type Team struct {
	Docs []*Doc
}

// Open reads every file of a team (schema.Team.Files) for editing.
func Open(files []string) (*Team, error) {
	t := &Team{}
	for _, f := range files {
		d, err := Read(f)
		if err != nil {
			return nil, err
		}
		t.Docs = append(t.Docs, d)
	}
	return t, nil
}

// Find returns the file and entry that declare the person with identity
// key (schema.Key); the first declaration when there are several.
func (t *Team) Find(key string) (*Doc, Entry, bool) {
	l, ok := t.index()[key]
	return l.doc, l.entry, ok
}

// SetDate writes day into key (reviewed, until) of each person of keys,
// and checks that the edited files say so. It changes no file on disk
// (see Write). Keys that no file declares are an error that names them.
func (t *Team) SetDate(keys []string, key string, day schema.Date) error {
	keys = unique(keys)
	idx := t.index()
	if err := missing(idx, keys); err != nil {
		return err
	}
	for _, k := range keys {
		if err := idx[k].doc.SetField(idx[k].entry, key, day.String()); err != nil {
			return err
		}
	}
	return t.check(func(after *Team) error {
		idx := after.index()
		for _, k := range keys {
			l, ok := idx[k]
			if v := value(l.entry.node, key); !ok || v == nil || v.Value != day.String() {
				return fmt.Errorf("edit: the edit of %s did not write %s: %s; nothing was written", k, key, day)
			}
		}
		return nil
	})
}

// Remove takes each person of keys out of the team's files, and checks
// that the edited files no longer declare them and still declare everyone
// else. It changes no file on disk (see Write).
func (t *Team) Remove(keys []string) error {
	keys = unique(keys)
	idx := t.index()
	if err := missing(idx, keys); err != nil {
		return err
	}
	before := t.count()
	left := map[*yaml.Node]int{} // list → people left in it
	for _, k := range keys {
		seq := idx[k].entry.seq
		if _, ok := left[seq]; !ok {
			left[seq] = len(seq.Content)
		}
		left[seq]--
	}
	for _, k := range keys {
		e := idx[k].entry
		last := left[e.seq] == 0
		left[e.seq] = -1 // one "[]" per list
		if err := idx[k].doc.Remove(e, last); err != nil {
			return err
		}
	}
	return t.check(func(after *Team) error {
		idx := after.index()
		for _, k := range keys {
			if _, ok := idx[k]; ok {
				return fmt.Errorf("edit: the edit did not take %s out; nothing was written", k)
			}
		}
		if got, want := after.count(), before-len(keys); got != want {
			return fmt.Errorf("edit: the edited team declares %d people, not %d; nothing was written", got, want)
		}
		return nil
	})
}

// unique returns keys without repeats, in order.
func unique(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	var out []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// located is where a person is declared.
type located struct {
	doc   *Doc
	entry Entry
}

// index returns every declared person by identity, the first
// declaration winning.
func (t *Team) index() map[string]located {
	idx := map[string]located{}
	for _, d := range t.Docs {
		for _, e := range d.People() {
			if _, dup := idx[e.Key()]; !dup {
				idx[e.Key()] = located{d, e}
			}
		}
	}
	return idx
}

func (t *Team) count() int {
	n := 0
	for _, d := range t.Docs {
		n += len(d.People())
	}
	return n
}

// missing returns an error naming the keys no file declares.
func missing(idx map[string]located, keys []string) error {
	var out []string
	for _, k := range keys {
		if _, ok := idx[k]; !ok {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return &NotDeclaredError{Emails: out}
}

// NotDeclaredError names emails the team does not declare.
type NotDeclaredError struct{ Emails []string }

func (e *NotDeclaredError) Error() string {
	return fmt.Sprintf("not in the team file: %s", joinAnd(e.Emails))
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := ""
	for i, v := range s[:len(s)-1] {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out + " and " + s[len(s)-1]
}

// check parses every edited file again and gives the result to verify.
func (t *Team) check(verify func(after *Team) error) error {
	after := &Team{}
	for _, d := range t.Docs {
		a, err := d.Check()
		if err != nil {
			return err
		}
		after.Docs = append(after.Docs, a)
	}
	return verify(after)
}

// Changed returns the files with edits.
func (t *Team) Changed() []*Doc {
	var out []*Doc
	for _, d := range t.Docs {
		if d.Changed() {
			out = append(out, d)
		}
	}
	return out
}

// Write writes every edited file.
func (t *Team) Write() error {
	for _, d := range t.Changed() {
		if err := d.Write(); err != nil {
			return err
		}
	}
	return nil
}

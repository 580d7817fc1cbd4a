package schema

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Meaning returns a digest of what the team declares, "sha256:<hex>": its
// people, roles, workflows, backups, approvers, policy and invite note, but
// not where any of it is written. Comments, key order, quoting and
// indentation, the lines things are on and the names of the files change
// Digest (the bytes) and leave Meaning alone, so that a saved plan stays
// valid across an edit that changes nothing (SPEC §9).
//
// The digest is taken over the loaded Team by reflection, so that a field
// added to the model counts without anyone remembering to add it here:
// every exported field counts except positions (Pos, and maps of them),
// Files and Digest. A field at its zero value is left out, so that a key
// written at its default means what leaving it out means, and a field new
// in this version of teamctl does not change the meaning of a team that
// does not use it. Strings count without their surrounding white space
// (a block scalar's final line break is layout). People count by identity
// and workflows by name, not in the order written: which list comes first
// in a file, or which file of a directory, is layout too.
func (t *Team) Meaning() string {
	c := *t
	c.People = slices.Clone(t.People)
	slices.SortStableFunc(c.People, func(a, b Person) int { return strings.Compare(a.Key(), b.Key()) })
	c.Workflows = slices.Clone(t.Workflows)
	slices.SortStableFunc(c.Workflows, func(a, b Workflow) int { return strings.Compare(a.Name, b.Name) })
	h := sha256.New()
	w := bufio.NewWriter(h)
	w.WriteString("teamctl team meaning v1\n")
	writeMeaning(w, reflect.ValueOf(c))
	w.Flush()
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

var (
	posType  = reflect.TypeFor[Pos]()
	timeType = reflect.TypeFor[time.Time]()
)

// layoutField reports whether a field of the team records where or how
// the team is written rather than what it declares.
func layoutField(owner reflect.Type, f reflect.StructField) bool {
	switch {
	case f.Type == posType:
		return true
	case f.Type.Kind() == reflect.Map && f.Type.Elem() == posType:
		return true // Policy.RulePos
	case owner == reflect.TypeFor[Team]() && (f.Name == "Files" || f.Name == "Digest"):
		return true
	}
	return false
}

// writeMeaning writes v in an unambiguous canonical form: every string
// and list is length-prefixed, every field named, map keys sorted.
func writeMeaning(w *bufio.Writer, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.WriteString("nil")
			return
		}
		w.WriteByte('&')
		writeMeaning(w, v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			w.WriteString(v.Interface().(time.Time).UTC().Format(time.RFC3339Nano))
			return
		}
		w.WriteByte('{')
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || layoutField(t, f) || v.Field(i).IsZero() {
				continue
			}
			w.WriteString(f.Name)
			w.WriteByte(':')
			writeMeaning(w, v.Field(i))
			w.WriteByte(';')
		}
		w.WriteByte('}')
	case reflect.Slice, reflect.Array:
		fmt.Fprintf(w, "[%d:", v.Len())
		for i := range v.Len() {
			writeMeaning(w, v.Index(i))
			w.WriteByte(',')
		}
		w.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			return strings.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
		})
		fmt.Fprintf(w, "map[%d:", v.Len())
		for _, k := range keys {
			writeMeaning(w, k)
			w.WriteByte('=')
			writeMeaning(w, v.MapIndex(k))
			w.WriteByte(',')
		}
		w.WriteByte(']')
	case reflect.String:
		s := strings.TrimSpace(v.String())
		w.WriteString(strconv.Itoa(len(s)))
		w.WriteByte('"')
		w.WriteString(s)
	case reflect.Bool:
		w.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		w.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		w.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	default:
		// No such field today (funcs, channels); if one is added, its
		// printed form still counts rather than nothing.
		fmt.Fprintf(w, "%v", v.Interface())
	}
}

package schema

import (
	"bufio"
	"cmp"
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
	// People and workflows are written in the order of their identity and
	// name, by permutation: a team of 100,000 is not copied to be sorted.
	people := order(len(t.People), func(i int) string { return t.People[i].Key() })
	workflows := order(len(t.Workflows), func(i int) string { return t.Workflows[i].Name })
	h := sha256.New()
	e := &meaningEncoder{
		w:      bufio.NewWriterSize(h, 64<<10),
		fields: map[reflect.Type][]meaningField{},
		orders: map[string][]int{"People:": people, "Workflows:": workflows},
	}
	e.w.WriteString("teamctl team meaning v1\n")
	e.value(reflect.ValueOf(*t))
	e.w.Flush()
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// order returns the indexes 0..n-1 sorted by key, each key computed once;
// equal keys keep their order.
func order(n int, key func(int) string) []int {
	keys := make([]string, n)
	idx := make([]int, n)
	for i := range n {
		keys[i], idx[i] = key(i), i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Or(strings.Compare(keys[a], keys[b]), a-b) })
	return idx
}

// meaningEncoder writes values in Meaning's canonical form, keeping the
// fields of each struct type it met, so that reflection over a large team
// costs a field lookup per field, not a type walk.
type meaningEncoder struct {
	w      *bufio.Writer
	fields map[reflect.Type][]meaningField
	orders map[string][]int // the order to write the Team's lists in, by field label
	num    []byte           // scratch for numbers
}

// meaningField is a field of a struct type that Meaning counts.
type meaningField struct {
	index int
	label string // "Name:"
}

func (e *meaningEncoder) fieldsOf(t reflect.Type) []meaningField {
	if fs, ok := e.fields[t]; ok {
		return fs
	}
	var fs []meaningField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && !layoutField(t, f) {
			fs = append(fs, meaningField{i, f.Name + ":"})
		}
	}
	e.fields[t] = fs
	return fs
}

// list writes the elements of v, in order when it is not nil.
func (e *meaningEncoder) list(v reflect.Value, order []int) {
	e.w.WriteByte('[')
	e.int(int64(v.Len()))
	e.w.WriteByte(':')
	for i := range v.Len() {
		if order != nil {
			i = order[i]
		}
		e.value(v.Index(i))
		e.w.WriteByte(',')
	}
	e.w.WriteByte(']')
}

func (e *meaningEncoder) int(n int64) {
	e.num = strconv.AppendInt(e.num[:0], n, 10)
	e.w.Write(e.num)
}

var (
	teamType = reflect.TypeFor[Team]()
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
	case owner == teamType && (f.Name == "Files" || f.Name == "Digest"):
		return true
	}
	return false
}

// value writes v in an unambiguous canonical form: every string and list
// is length-prefixed, every field named, map keys sorted.
func (e *meaningEncoder) value(v reflect.Value) {
	w := e.w
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.WriteString("nil")
			return
		}
		w.WriteByte('&')
		e.value(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			w.WriteString(v.Interface().(time.Time).UTC().Format(time.RFC3339Nano))
			return
		}
		w.WriteByte('{')
		for _, f := range e.fieldsOf(v.Type()) {
			fv := v.Field(f.index)
			if fv.IsZero() {
				continue
			}
			w.WriteString(f.label)
			if order, ok := e.orders[f.label]; ok && v.Type() == teamType {
				e.list(fv, order)
			} else {
				e.value(fv)
			}
			w.WriteByte(';')
		}
		w.WriteByte('}')
	case reflect.Slice, reflect.Array:
		e.list(v, nil)
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			return strings.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
		})
		w.WriteString("map[")
		e.int(int64(v.Len()))
		w.WriteByte(':')
		for _, k := range keys {
			e.value(k)
			w.WriteByte('=')
			e.value(v.MapIndex(k))
			w.WriteByte(',')
		}
		w.WriteByte(']')
	case reflect.String:
		s := strings.TrimSpace(v.String())
		e.int(int64(len(s)))
		w.WriteByte('"')
		w.WriteString(s)
	case reflect.Bool:
		if v.Bool() {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.num = strconv.AppendUint(e.num[:0], v.Uint(), 10)
		w.Write(e.num)
	case reflect.Float32, reflect.Float64:
		e.num = strconv.AppendFloat(e.num[:0], v.Float(), 'g', -1, 64)
		w.Write(e.num)
	default:
		// No such field today (funcs, channels); if one is added, its
		// printed form still counts rather than nothing.
		fmt.Fprintf(w, "%v", v.Interface())
	}
}

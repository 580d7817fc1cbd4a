package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in a team file. Line and Col are 1-based; zero means
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	s := p.File
	if s == "" {
		s = "-"
	}
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	return s
}

// Compare orders positions by file, line and column.
func (p Pos) Compare(q Pos) int {
	return cmp.Or(strings.Compare(p.File, q.File), cmp.Compare(p.Line, q.Line), cmp.Compare(p.Col, q.Col))
}

// Diagnostic is one problem with the input, at a place.
type Diagnostic struct {
	Pos     Pos
	Path    string // the YAML path, such as operators[1].email; may be empty
	Message string // what is wrong and how to fix it
}

func (d Diagnostic) Error() string {
	if d.Path == "" {
		return d.Pos.String() + ": " + d.Message
	}
	return d.Pos.String() + ": " + d.Path + ": " + d.Message
}

// Diagnostics is every problem found in the input, sorted by position. It is
// the error Load returns when the input does not match the format.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the diagnostics by position, then by message.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(a.Pos.Compare(b.Pos), strings.Compare(a.Path, b.Path), strings.Compare(a.Message, b.Message))
	})
}

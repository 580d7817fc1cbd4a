package codeowners

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// Locations are where GitHub looks for CODEOWNERS, in its order; the first
// found is the one in force.
var Locations = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// File is a parsed CODEOWNERS file.
type File struct {
	Path  string // as opened
	Lines []Line // the rules, in file order
}

// Line is one rule of a CODEOWNERS file.
type Line struct {
	Pattern string
	Owners  []string // may be empty: the path then has no owner
	Line    int
	re      *regexp.Regexp
}

// Find reads the CODEOWNERS file in force in the repository at root. It
// returns nil, nil when the repository has none.
func Find(root string) (*File, error) {
	for _, loc := range Locations {
		path := filepath.Join(root, filepath.FromSlash(loc))
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return Parse(path, data), nil
	}
	return nil, nil
}

// Parse reads the rules of a CODEOWNERS file. Lines GitHub would reject (a
// pattern that cannot be compiled) are left out: GitHub reports them itself.
func Parse(path string, data []byte) *File {
	f := &File{Path: path}
	for i, text := range strings.Split(string(data), "\n") {
		fields := splitFields(text)
		if len(fields) == 0 {
			continue
		}
		re, err := compile(fields[0])
		if err != nil {
			continue
		}
		f.Lines = append(f.Lines, Line{Pattern: fields[0], Owners: fields[1:], Line: i + 1, re: re})
	}
	return f
}

// splitFields splits a line at unescaped white space and drops a comment
// (a # at the start of a field). Escapes stay in the pattern for compile.
func splitFields(line string) []string {
	var fields []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line):
			cur.WriteByte(c)
			cur.WriteByte(line[i+1])
			i++
		case c == '#' && cur.Len() == 0:
			i = len(line)
		case unicode.IsSpace(rune(c)):
			if cur.Len() > 0 {
				fields = append(fields, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		fields = append(fields, cur.String())
	}
	return fields
}

// Match returns the rule in force for path (relative to the repository
// root, with '/'): the last line whose pattern matches.
func (f *File) Match(path string) (Line, bool) {
	for i := len(f.Lines) - 1; i >= 0; i-- {
		if f.Lines[i].re.MatchString(path) {
			return f.Lines[i], true
		}
	}
	return Line{}, false
}

// compile turns a CODEOWNERS pattern into a regular expression over paths
// relative to the repository root. The syntax is gitignore's, as GitHub
// reads it: a leading or inner '/' anchors the pattern at the root; a
// trailing '/' matches what a directory holds; '*' and '?' stay within a
// directory, '**' crosses them; a pattern whose last part has a '*' does
// not reach into subdirectories ("docs/*" is docs/a.md, not docs/a/b.md);
// otherwise a pattern naming a directory owns everything in it.
func compile(pat string) (*regexp.Regexp, error) {
	if strings.Trim(pat, "/") == "" {
		return nil, errors.New("empty pattern")
	}
	p := pat
	anchored := strings.HasPrefix(p, "/")
	p = strings.TrimPrefix(p, "/")
	dirOnly := strings.HasSuffix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if strings.Contains(p, "/") {
		anchored = true
	}
	last := p[strings.LastIndex(p, "/")+1:]
	shallow := strings.Contains(last, "*") && !strings.Contains(last, "**")

	var b strings.Builder
	b.WriteString("^")
	if !anchored {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(p); {
		switch {
		case strings.HasPrefix(p[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 3
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i += 2
		case p[i] == '*':
			b.WriteString("[^/]*")
			i++
		case p[i] == '?':
			b.WriteString("[^/]")
			i++
		case p[i] == '\\' && i+1 < len(p):
			b.WriteString(regexp.QuoteMeta(p[i+1 : i+2]))
			i += 2
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
			i++
		}
	}
	switch {
	case dirOnly:
		b.WriteString("/.*")
	case !shallow:
		b.WriteString("(?:/.*)?")
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

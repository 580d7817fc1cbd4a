package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffContext is the number of unchanged lines shown around each change.
const diffContext = 3

type diffLine struct {
	op   byte // ' ', '-' or '+'
	text string
}

// UnifiedDiff writes the difference between two texts as a unified diff
// (the format of diff -u and git diff) under the headers fromName and
// toName, and reports whether they differ. The line diff comes from
// sergi/go-diff with no time limit, so the result does not depend on the
// machine's speed; the unified format is written here, since go-diff's own
// pretty printer hard-codes colours.
func UnifiedDiff(w io.Writer, fromName, toName, from, to string, color bool) (bool, error) {
	if from == to {
		return false, nil
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	a, b, lines := dmp.DiffLinesToRunes(from, to)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(a, b, false), lines)

	var ls []diffLine
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				ls = append(ls, diffLine{op, l})
			}
		}
	}

	c := painter(color)
	var out strings.Builder
	fmt.Fprintf(&out, "%s\n%s\n", c.paint(ansiBold, "--- "+fromName), c.paint(ansiBold, "+++ "+toName))
	// fromAt[i] and toAt[i] are the 1-based line numbers of ls[i] in each
	// text (for a line absent from a text, that of the next line).
	fromAt, toAt := make([]int, len(ls)+1), make([]int, len(ls)+1)
	fromAt[0], toAt[0] = 1, 1
	for i, l := range ls {
		fromAt[i+1], toAt[i+1] = fromAt[i], toAt[i]
		if l.op != '+' {
			fromAt[i+1]++
		}
		if l.op != '-' {
			toAt[i+1]++
		}
	}
	for i := 0; i < len(ls); {
		if ls[i].op == ' ' {
			i++
			continue
		}
		start, last := max(0, i-diffContext), i
		for j := i; j < len(ls) && j-last <= 2*diffContext; j++ {
			if ls[j].op != ' ' {
				last = j
			}
		}
		end := min(len(ls), last+diffContext+1)
		fromLen, toLen := fromAt[end]-fromAt[start], toAt[end]-toAt[start]
		fmt.Fprintf(&out, "%s\n", c.paint(ansiCyan, fmt.Sprintf("@@ -%s +%s @@", hunkRange(fromAt[start], fromLen), hunkRange(toAt[start], toLen))))
		for _, l := range ls[start:end] {
			text := l.text
			if !strings.HasSuffix(text, "\n") {
				text += "\n\\ No newline at end of file\n"
			}
			switch l.op {
			case '-':
				out.WriteString(c.paint(ansiRed, "-"+strings.TrimSuffix(text, "\n")) + "\n")
			case '+':
				out.WriteString(c.paint(ansiGreen, "+"+strings.TrimSuffix(text, "\n")) + "\n")
			default:
				out.WriteString(" " + text)
			}
		}
		i = end
	}
	_, err := io.WriteString(w, out.String())
	return true, err
}

// hunkRange formats a hunk's start and length as diff -u does: an empty
// range starts at the line before it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

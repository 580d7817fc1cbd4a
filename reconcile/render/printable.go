package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text that reaches a terminal comes partly from people teamctl does not
// trust: a team file in a pull request, and the live side (a SCIM server's
// displayName and error details, a workspace.json someone edited). A
// control character there could move the cursor, rewrite a line of the
// plan, retitle the window or hide text; a bidirectional override could
// show an email backwards. So every such string is passed through field or
// Printable before it is written: control characters, bidirectional
// controls and bytes that are not UTF-8 are shown escaped as Go does
// (\x1b, \n, \u202e, \xff), never sent raw.

// field makes s safe to show as one field of a line: every control
// character is escaped, line breaks and tabs included, so that a value
// can never start a line of its own.
func field(s string) string { return escape(s, false) }

// Printable makes a message safe to write to a terminal, keeping its line
// breaks and tabs: the one place that prints errors passes them through
// it.
func Printable(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	if printable(s, keepLines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r, keepLines):
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'")) // \x1b, \n, \u202e
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func printable(s string, keepLines bool) bool {
	// Most text is printable ASCII (a roster of 100,000 emails): check it
	// byte by byte, and decode runes only from the first other byte.
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r, keepLines) {
			return false
		}
		i += size
	}
	return true
}

func unsafeRune(r rune, keepLines bool) bool {
	if keepLines && (r == '\n' || r == '\t') {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) ||
		r == '\u2028' || r == '\u2029' // line and paragraph separators
}

package render

import (
	"fmt"
	"strings"
	"unicode"
)

// Names, emails, notes and file names come from users. Every one of them
// passes through one of these functions before it reaches Markdown, so that
// a roster can neither inject HTML, nor break out of a code block or a
// table, nor ping anyone on GitHub.

// zwj is the zero-width joiner put after an @ to break a GitHub mention:
// "@everyone" still reads as such but pings nobody.
const zwj = "\u200d"

// mdText escapes s for Markdown prose and table cells: HTML special
// characters become entities, Markdown punctuation is backslash-escaped,
// line breaks become spaces, and @mentions are neutralised.
func mdText(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '@':
			b.WriteRune(r)
			// GitHub links @name only where the @ does not follow a letter
			// or digit, so the @ inside an email address is left as it is.
			if !isASCIIAlnum(prev) {
				b.WriteString(zwj)
			}
		case strings.ContainsRune("\\`*_{}[]()#|~$!", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// codeText makes s safe inside a fenced code block: a line break would let
// it start a line of its own, and so close the fence.
func codeText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// mermaidText makes s safe inside a quoted Mermaid label: anything but
// letters, digits, a little punctuation and the @ of an email address
// becomes an entity code (#60;), which Mermaid shows as the character and
// never interprets.
func mermaidText(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		switch {
		case r == '@' && isASCIIAlnum(prev):
			b.WriteRune(r) // inside an email address
		case unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .,_-/+", r):
			b.WriteRune(r)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			fmt.Fprintf(&b, "#%d;", r)
		}
		prev = r
	}
	return b.String()
}

// markerText makes s safe inside an HTML comment and stable for a workflow
// to search for: letters, digits, '.', '_' and '-' stay, every other byte
// is percent-encoded, so "-->" cannot end the comment.
func markerText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (isASCIIAlnum(rune(c)) || c == '.' || c == '_' || c == '-') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

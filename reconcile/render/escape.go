package render

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
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
// line breaks become spaces, and @mentions are neutralised. GitHub links
// more than Markdown says: a URL ("http://", "www.") is broken with an
// escape, and an email address is put in a code span, where it stays
// text that a reader can copy whole.
func mdText(s string) string {
	var b strings.Builder
	prev := ' '
	for i := 0; i < len(s); {
		if end := emailAt(s, i); end > i {
			b.WriteString("`" + s[i:end] + "`") // no backtick in an address
			i, prev = end, 'x'
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
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
			// or digit; an address with one is in a code span.
			if !isASCIIAlnum(prev) {
				b.WriteString(zwj)
			}
		case r == ':' && strings.HasPrefix(s[i+1:], "//"), r == '.' && endsWithWWW(s[:i]):
			b.WriteByte('\\') // "http\://", "www\.": GitHub's autolinks need them whole
			b.WriteRune(r)
		case strings.ContainsRune("\\`*_{}[]()#|~$!", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
		prev = r
		i += size
	}
	return b.String()
}

// emailAt returns the end of the email address that starts at s[i], as
// GitHub's autolinker sees one (letters, digits, "._+-", an @ after a
// letter or digit, then a domain with a dot), or i when none does. Only
// the start of a word can start an address.
func emailAt(s string, i int) int {
	if i > 0 && isEmailLocal(s[i-1]) {
		return i
	}
	at := i
	for at < len(s) && isEmailLocal(s[at]) {
		at++
	}
	if at == i || at >= len(s) || s[at] != '@' || !isASCIIAlnum(rune(s[at-1])) {
		return i
	}
	end := at + 1
	for end < len(s) && (isASCIIAlnum(rune(s[end])) || strings.IndexByte("._-", s[end]) >= 0) {
		end++
	}
	for end > at+1 && strings.IndexByte("._-", s[end-1]) >= 0 {
		end--
	}
	if !strings.Contains(s[at+1:end], ".") {
		return i
	}
	return end
}

func isEmailLocal(c byte) bool {
	return isASCIIAlnum(rune(c)) || strings.IndexByte("._+-", c) >= 0
}

// endsWithWWW reports whether s ends with a word "www", the start of a
// link to GitHub.
func endsWithWWW(s string) bool {
	n := len(s)
	return n >= 3 && strings.EqualFold(s[n-3:], "www") && (n == 3 || !isASCIIAlnum(rune(s[n-4])))
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

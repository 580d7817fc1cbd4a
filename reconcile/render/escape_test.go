package render

import (
	"regexp"
	"strings"
	"testing"
)

// mentionRE matches what GitHub could link as a mention: an @ after a
// non-alphanumeric character, followed by a name.
var mentionRE = regexp.MustCompile(`(^|[^A-Za-z0-9])@[A-Za-z0-9]`)

func TestMDText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dana Ortiz", "Dana Ortiz"},
		{"dana@acme.io", "`dana@acme.io`"},
		{"ask a.b+c@x-y.acme.io.", "ask `a.b+c@x-y.acme.io`."},
		{"Dana <dana@acme.io>", "Dana &lt;`dana@acme.io`&gt;"},
		{"a.@b.io x@y", "a.@\u200db.io x@y"},
		{"see http://x.io and WWW.evil.io", "see http\\://x.io and WWW\\.evil.io"},
		{"awww.x", "awww.x"},
		{"@everyone", "@\u200deveryone"},
		{"hi @acme/all!", "hi @\u200dacme/all\\!"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"},
		{"a|b", "a\\|b"},
		{"``` x", "\\`\\`\\` x"},
		{"line\nbreak", "line break"},
		{"$x$ & *y*", "\\$x\\$ &amp; \\*y\\*"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkerText(t *testing.T) {
	for in, want := range map[string]string{
		"acme-outbound": "acme-outbound",
		"a --> b":       "a%20--%3E%20b",
		"ünï":           "%C3%BCn%C3%AF",
	} {
		if got := markerText(in); got != want {
			t.Errorf("markerText(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEscape checks that no user string survives escaping as markup, a
// mention, a line break, or the end of an HTML comment or a code fence.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"@everyone", "<img src=x onerror=alert(1)>", "a\n```\nb", "-->", "x@y.z", "`@a`", "#1;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		md := mdText(s)
		if strings.ContainsAny(md, "<>\n\r") || mentionRE.MatchString(md) {
			t.Errorf("mdText(%q) = %q: markup, a line break or a mention survives", s, md)
		}
		if m := mermaidText(s); strings.ContainsAny(m, "\"<>`\n\r[](){}|") || mentionRE.MatchString(m) {
			t.Errorf("mermaidText(%q) = %q", s, m)
		}
		if c := codeText(s); strings.ContainsAny(c, "\n\r") {
			t.Errorf("codeText(%q) = %q: a line break survives", s, c)
		}
		if k := markerText(s); strings.Contains(k, "-->") || strings.Contains(k, ">") || strings.ContainsAny(k, " \n") {
			t.Errorf("markerText(%q) = %q", s, k)
		}
	})
}

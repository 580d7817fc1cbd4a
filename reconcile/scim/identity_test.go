package scim

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/schema"
)

func TestIdentity(t *testing.T) {
	for _, tc := range []struct {
		userName, email string
		same            bool
	}{
		{"kim@acme.io", "kim@acme.io", true},
		{"Kim@ACME.io ", "kim@acme.io", true},
		{"\u212Aim@acme.io", "kim@acme.io", false}, // KELVIN SIGN, which Unicode folds to k
		{"\u212Aim@acme.io", "Kim@acme.io", false},
		{"ki\u017F@acme.io", "kis@acme.io", false},  // LONG S, which Unicode folds to s
		{"kim@acme.io\u00a0", "kim@acme.io", false}, // a no-break space is no ASCII space
		{"\u00c9lise@acme.io", "\u00e9lise@acme.io", false},
		{"mallory", "kim@acme.io", false},
	} {
		if got := identity(tc.userName) == schema.Key(tc.email); got != tc.same {
			t.Errorf("identity(%q) == Key(%q) is %v, want %v", tc.userName, tc.email, got, tc.same)
		}
	}
}

func TestParseUserAliases(t *testing.T) {
	for _, tc := range []struct {
		doc     string
		email   string
		aliases []string
	}{
		{`{"id":"1","userName":"kim@acme.io","emails":[{"value":"Kim@acme.io","primary":true}]}`, "kim@acme.io", nil},
		{`{"id":"2","userName":"mallory","emails":[{"value":"kim@acme.io","primary":true}]}`, "mallory", []string{"kim@acme.io"}},
		{`{"id":"3","userName":"\u212Aim@acme.io"}`, "\u212Aim@acme.io", []string{"kim@acme.io"}},
		{`{"id":"4","userName":"mallory","emails":[{"value":"a@acme.io"},{"value":"A@acme.io"},{"value":"mallory"}]}`, "mallory", []string{"a@acme.io"}},
	} {
		u, err := parseUser([]byte(tc.doc))
		if err != nil {
			t.Fatalf("parseUser(%s): %v", tc.doc, err)
		}
		if u.email != tc.email {
			t.Errorf("parseUser(%s).email = %q, want %q", tc.doc, u.email, tc.email)
		}
		if d := cmp.Diff(tc.aliases, u.aliases); d != "" {
			t.Errorf("parseUser(%s).aliases mismatch (-want +got):\n%s", tc.doc, d)
		}
	}
}

// asciiSame is the identity rule written out plainly: equal once trimmed of
// ASCII spaces, with A-Z and a-z the only letters that match each other.
func asciiSame(a, b string) bool {
	a, b = strings.Trim(a, " \t\r\n"), strings.Trim(b, " \t\r\n")
	if len(a) != len(b) {
		return false
	}
	lower := func(c byte) byte {
		if 'A' <= c && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// FuzzIdentity checks the identity matcher against the rule written out
// plainly: a user is its userName, letters folded in ASCII only; its
// emails never make it anyone; nothing non-ASCII ever matches ASCII.
func FuzzIdentity(f *testing.F) {
	f.Add("kim@acme.io", "kim@acme.io", "kim@acme.io")
	f.Add("\u212Aim@acme.io", "kim@acme.io", "kim@acme.io")
	f.Add("mallory", "kim@acme.io", "kim@acme.io")
	f.Add(" Dana@Acme.IO\t", "dana@acme.io", "x@y.io")
	f.Add("ki\u017F@acme.io", "kis@acme.io", "\u00a0kis@acme.io")
	f.Fuzz(func(t *testing.T, userName, declared, email string) {
		if got, want := identity(userName) == schema.Key(declared), asciiSame(userName, declared); got != want {
			t.Fatalf("identity(%q) == Key(%q) is %v; the ASCII rule says %v", userName, declared, got, want)
		}
		id := identity(userName)
		if trimmed := strings.Trim(userName, " \t\r\n"); len(id) != len(trimmed) {
			t.Fatalf("identity(%q) = %q changes the length", userName, id)
		} else {
			for i := 0; i < len(id); i++ {
				if (id[i] >= utf8.RuneSelf || trimmed[i] >= utf8.RuneSelf) && id[i] != trimmed[i] {
					t.Fatalf("identity(%q) = %q changes a non-ASCII byte", userName, id)
				}
			}
		}
		if !utf8.ValidString(userName) || !utf8.ValidString(email) {
			return // JSON would carry other text
		}
		doc, err := json.Marshal(map[string]any{"id": "1", "userName": userName, "emails": []map[string]any{{"value": email, "primary": true}}})
		if err != nil {
			t.Skip()
		}
		u, err := parseUser(doc)
		if err != nil {
			return // too large: refused, never matched
		}
		if u.key() != identity(userName) {
			t.Fatalf("parseUser(%s).key() = %q, not the identity of its userName", doc, u.key())
		}
		k := schema.Key(u.email)
		if slices.ContainsFunc(u.aliases, func(a string) bool { return schema.Key(a) == k }) {
			t.Fatalf("parseUser(%s): an alias %q is the user's own identity", doc, u.aliases)
		}
	})
}

func TestRedactSecret(t *testing.T) {
	const token = "tok-0123456789abcdefghij"
	for _, tc := range []struct{ in, want string }{
		{"no secret here", "no secret here"},
		{"Bearer " + token + ".", "Bearer [REDACTED]."},
		{"cut " + token[:9], "cut [REDACTED]"},
		{"cut " + token[:7], "cut " + token[:7]},
		{token[5:20] + " and " + token[10:], "[REDACTED] and [REDACTED]"},
		{token + token, "[REDACTED]"},
	} {
		if got := redactSecret(tc.in, token); got != tc.want {
			t.Errorf("redactSecret(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := redactSecret("a short one", "short"); got != "a [REDACTED] one" {
		t.Errorf("a short secret: got %q", got)
	}
}

// FuzzRedact checks that no piece of the secret of minSecretPiece bytes
// survives redaction, wherever it sits.
func FuzzRedact(f *testing.F) {
	f.Add("xx tok-0123456789abcdef yy", "tok-0123456789abcdef")
	f.Fuzz(func(t *testing.T, s, secret string) {
		got := redactSecret(s, secret)
		if len(secret) < minSecretPiece {
			if secret != "" && strings.Contains(got, secret) {
				t.Fatalf("redactSecret(%q, %q) = %q keeps the secret", s, secret, got)
			}
			return
		}
		if strings.ContainsAny(secret, "[]") {
			t.Skip() // a piece could then run into the mark
		}
		for i := 0; i+minSecretPiece <= len(secret); i++ {
			if strings.Contains(got, secret[i:i+minSecretPiece]) {
				t.Fatalf("redactSecret(%q, %q) = %q keeps %q", s, secret, got, secret[i:i+minSecretPiece])
			}
		}
	})
}

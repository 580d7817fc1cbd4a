package schema

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// lookAlikes maps characters to the Latin letter or digit they are easily
// mistaken for. It is a small, deliberate subset of Unicode's confusables
// (UTS #39): the Cyrillic and Greek letters that look exactly like Latin
// ones, dotless i, and digits that pass for letters. Fullwidth forms are
// folded separately.
var lookAlikes = map[rune]rune{
	// Cyrillic
	'а': 'a', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j',
	'ӏ': 'l', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'ѕ': 's', 'у': 'y', 'х': 'x',
	'ԝ': 'w', 'ь': 'b', 'ѵ': 'v',
	// Greek
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'τ': 't',
	'υ': 'u', 'χ': 'x',
	// Latin look-alikes
	'ı': 'i', 'ɑ': 'a', 'ɡ': 'g', 'ℓ': 'l',
	// digits
	'0': 'o', '1': 'l',
}

// skeleton folds an email identity to the form two look-alike addresses
// share: fullwidth forms to ASCII, look-alike letters to Latin, "rn" to "m"
// and "vv" to "w". Only equality of skeletons means anything. It runs once
// per declared person, so plain ASCII addresses take a path without map
// lookups, and an address with nothing to fold is returned as it is.
func skeleton(key string) string {
	folded := true // key needs no rune mapped
	for i := 0; i < len(key); i++ {
		if c := key[i]; c >= utf8.RuneSelf || asciiLookAlikes[c] != 0 || 'A' <= c && c <= 'Z' {
			folded = false
			break
		}
	}
	s := key
	if !folded {
		b := make([]byte, 0, len(key))
		for _, r := range key {
			if r >= '！' && r <= '～' { // fullwidth ASCII
				r -= 0xfee0
			}
			if r < utf8.RuneSelf {
				if l := asciiLookAlikes[r]; l != 0 {
					r = l
				}
			} else if l, ok := lookAlikes[r]; ok {
				r = l
			}
			b = utf8.AppendRune(b, r)
		}
		s = strings.ToLower(string(b))
	}
	if !strings.Contains(s, "rn") && !strings.Contains(s, "vv") {
		return s
	}
	return digraphs.Replace(s)
}

// digraphs are the letter pairs that pass for one letter.
var digraphs = strings.NewReplacer("rn", "m", "vv", "w")

// asciiLookAlikes is lookAlikes for ASCII runes, as a table.
var asciiLookAlikes = func() (t [utf8.RuneSelf]rune) {
	for r, l := range lookAlikes {
		if r < utf8.RuneSelf {
			t[r] = l
		}
	}
	return t
}()

// confusableEmail warns about two declared people whose addresses differ
// only by characters that look alike: an invite to the wrong one goes to a
// stranger.
func confusableEmail(t *Team) []Finding {
	var out []Finding
	first := make(map[string]int, len(t.People)) // skeleton → index in People
	for i, p := range t.People {
		s := skeleton(p.Key())
		j, ok := first[s]
		f := t.People[j]
		switch {
		case !ok:
			first[s] = i
		case f.Key() != p.Key():
			out = append(out, finding(p.Pos, "%s looks like %s (declared at %s) but is another address",
				strconv.QuoteToASCII(p.Email), strconv.QuoteToASCII(f.Email), f.Pos))
		}
	}
	return out
}

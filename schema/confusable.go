package schema

import (
	"strconv"
	"strings"
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
// and "vv" to "w". Only equality of skeletons means anything.
func skeleton(key string) string {
	var b strings.Builder
	for _, r := range key {
		if r >= '！' && r <= '～' { // fullwidth ASCII
			r -= 0xfee0
		}
		if l, ok := lookAlikes[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return strings.NewReplacer("rn", "m", "vv", "w").Replace(strings.ToLower(b.String()))
}

// confusableEmail warns about two declared people whose addresses differ
// only by characters that look alike: an invite to the wrong one goes to a
// stranger.
func confusableEmail(t *Team) []Finding {
	var out []Finding
	first := map[string]Person{}
	for _, p := range t.People {
		s := skeleton(p.Key())
		f, ok := first[s]
		switch {
		case !ok:
			first[s] = p
		case f.Key() != p.Key():
			out = append(out, finding(p.Pos, "%s looks like %s (declared at %s) but is another address",
				strconv.QuoteToASCII(p.Email), strconv.QuoteToASCII(f.Email), f.Pos))
		}
	}
	return out
}

// Package suggest finds the word a user most likely meant: the flag, rule
// or person closest to a misspelling, for "did you mean …?" hints.
package suggest

import "strings"

// Closest returns the candidate nearest to word by edit distance, when it is
// near enough to be a likely misspelling (see Near), and whether there was
// one. Ties go to the earlier candidate, so callers that pass a sorted list
// get the same answer every time. Case is ignored.
func Closest(word string, candidates []string) (string, bool) {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := Distance(strings.ToLower(word), strings.ToLower(c))
		if d == 0 {
			return c, true
		}
		if !Near(word, d) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best, bestDist >= 0
}

// Near reports whether an edit distance d from word is small enough to be a
// typo rather than another word: one edit for short words, up to three for
// long ones (a quarter of the length).
func Near(word string, d int) bool {
	limit := max(1, min(3, len([]rune(word))/4))
	return d <= limit
}

// Distance is the optimal-string-alignment edit distance between a and b:
// insertions, deletions, substitutions and swaps of two neighbouring runes
// each count one ("mrai" is one edit from "mari"). Words longer than 64
// runes are not compared (the distance is the longer length): input comes
// from team files, and the work grows with the product of the lengths.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return max(len(ra), len(rb))
	}
	// Three rows suffice: the previous two and the current one.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

package schema

import "testing"

func TestSkeleton(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"dana@acme.io", "dana@acme.io"},            // nothing to fold: returned as is
		{"dana.10@acme.io", "dana.lo@acme.io"},      // look-alike digits
		{"rita@acrne.io", "rita@acme.io"},           // rn passes for m
		{"vvera@acme.io", "wera@acme.io"},           // vv passes for w
		{"ritа@acme.io", "rita@acme.io"},            // Cyrillic а
		{"ｄａｎａ@acme.io", "dana@acme.io"},            // fullwidth forms
		{"ＤＡＮＡ@acme.io", "dana@acme.io"},            // fullwidth capitals
		{"Dana@Acme.io", "dana@acme.io"},            // capitals, if any reach it
		{"ÿvonne@acme.io", "ÿvonne@acme.io"},        // other letters stay
		{"olıvia.rn1@acme.io", "olivia.ml@acme.io"}, // dotless i, rn and 1 at once
	} {
		if got := skeleton(tc.key); got != tc.want {
			t.Errorf("skeleton(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

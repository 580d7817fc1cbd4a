package schema

import "testing"

func TestKeyFoldsASCIIOnly(t *testing.T) {
	for in, want := range map[string]string{
		"Dana@Acme.IO ":      "dana@acme.io",
		"\tdana@acme.io\n":   "dana@acme.io",
		"\u212Aim@acme.io":   "\u212Aim@acme.io", // the Kelvin sign is no K
		"ki\u017F@acme.io":   "ki\u017F@acme.io", // nor the long s an s
		"\u00c9lise@Acme.io": "\u00c9lise@acme.io",
		"kim@acme.io\u00a0":  "kim@acme.io\u00a0", // a no-break space is kept
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

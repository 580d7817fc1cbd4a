package local

import (
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the workspace file parser: it never
// panics, every error is one line, and what it accepts encodes to a
// document it accepts again.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"acme","members":[{"email":"a@x.io","role":"admin","status":"active"}]}`))
	f.Add([]byte(`{"members":[{"email":"a@x.io","role":"admin","status":"invited","invited_at":"2026-01-01T00:00:00Z"}]}`))
	f.Add([]byte("{\n\"members\": [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := decode(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("decode() error spans lines: %q", err)
			}
			return
		}
		out, err := encode(doc)
		if err != nil {
			t.Fatalf("encode() of an accepted document: %v", err)
		}
		if _, err := decode(out); err != nil {
			t.Fatalf("decode() rejects what encode wrote: %v\n%s", err, out)
		}
	})
}

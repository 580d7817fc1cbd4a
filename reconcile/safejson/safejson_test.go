package safejson

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ascii", "dana@acme.io", `"dana@acme.io"`},
		{"printable non-ASCII stays", "Zoë Ålander 日本", `"Zoë Ålander 日本"`},
		{"right-to-left override", "Eve \u202eevil", `"Eve \u202eevil"`},
		{"bidi isolates and marks", "\u2066a\u2069\u200f\u061c", `"\u2066a\u2069\u200f\u061c"`},
		{"C1 CSI", "a\u009b31mb", `"a\u009b31mb"`},
		{"C1 range ends", "\u0080\u009f", `"\u0080\u009f"`},
		{"zero-width and BOM", "a\u200bb\ufeff", `"a\u200bb\ufeff"`},
		{"C0 and line separators (encoding/json)", "\x1b[2J\u2028", `"\u001b[2J\u2028"`},
		{"above the BMP: private use plane", "x\U000F0000", `"x\udb80\udc00"`},
		{"emoji stays", "🙂", `"🙂"`},
		{"invalid UTF-8", "a\xffb", `"a\ufffdb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, string(got)); d != "" {
				t.Errorf("Marshal(%q) mismatch (-want +got):\n%s", tt.in, d)
			}
			var back string
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("Unmarshal(%s): %v", got, err)
			}
			if want := strings.ToValidUTF8(tt.in, "\ufffd"); back != want {
				t.Errorf("round trip = %q, want %q", back, want)
			}
		})
	}
}

func TestEncoder(t *testing.T) {
	var b bytes.Buffer
	enc := NewEncoder(&b)
	enc.SetIndent("", "  ")
	for _, v := range []any{map[string]string{"name": "\u202e"}, []string{"\u009b"}} {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	want := "{\n  \"name\": \"\\u202e\"\n}\n[\n  \"\\u009b\"\n]\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("Encode mismatch (-want +got):\n%s", d)
	}
	indented, err := MarshalIndent(map[string]string{"k": "\u202e"}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff("{\n \"k\": \"\\u202e\"\n}", string(indented)); d != "" {
		t.Errorf("MarshalIndent mismatch (-want +got):\n%s", d)
	}
}

func TestEscapeUnchanged(t *testing.T) {
	in := []byte(`{"a":"Zoë"}`)
	if got := Escape(in); &got[0] != &in[0] {
		t.Errorf("Escape copied a document that needs no escape")
	}
}

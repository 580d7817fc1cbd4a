package local

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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

// FuzzDecodeAgrees checks the fast decoder against encoding/json, the
// reference (see decode): it accepts nothing that encoding/json refuses,
// and what it accepts it reads the same.
func FuzzDecodeAgrees(f *testing.F) {
	for _, s := range []string{
		`{"name":"acme","members":[{"email":"a@x.io","role":"admin","status":"active"}]}`,
		`{"members":[{"email":"a@x.io","role":"admin","status":"invited","invited_at":"2026-01-01T00:00:00Z","invite_expires_at":"2026-01-08T00:00:00+02:00"}]}`,
		`{"NAME":"acme","Members":null,"settings_missing":["a","\u00e9\ud83d\ude00"],"settings_complete":true}`,
		`{"name":"a","name":"b","members":[{"email":"a@x.io","email":"b@x.io","role":"admin","status":"active"}]}`,
		`{"members":[{"email":"a@x.io","role":"admin","status":"active","extra":1}]}`,
		`{"members":[{"email":"a@x.io","role":"admin","status":"active","accepted_at":null}]} x`,
		`{"ſettings_complete":true,"members":[{"emaiK":"a@x.io"}]}`,
		"{\"name\":\"\xff\\u0000\"}",
		`null`, ` `, `[]`, `{"members":{}}`, `{"settings_complete":1}`,
		`{"members":[{"email":"a@x.io","invited_at":"2026-13-01T00:00:00Z"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ferr := decodeFast(data)
		if ferr != nil {
			return // decode asks encoding/json
		}
		std, serr := decodeStd(data)
		if serr != nil {
			t.Fatalf("go-json accepts what encoding/json refuses (%v):\n%q", serr, data)
		}
		if d := cmp.Diff(std, fast, cmp.AllowUnexported(document{}), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("go-json reads %q otherwise than encoding/json (-std +fast):\n%s", data, d)
		}
	})
}

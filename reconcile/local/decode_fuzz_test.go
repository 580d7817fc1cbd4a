package local

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/teamctl/teamctl/reconcile/safejson"
	"github.com/teamctl/teamctl/schema"
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
		want := encodeReference(t, doc)
		out, err := encode(doc)
		if err != nil {
			t.Fatalf("encode() of an accepted document: %v", err)
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("encode() differs from json.MarshalIndent:\n%s\nwant:\n%s", out, want)
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

// encodeReference is what encode writes, the slow way: members sorted by
// identity, json.MarshalIndent, a newline.
func encodeReference(t *testing.T, doc *document) []byte {
	t.Helper()
	d := *doc
	d.Members = slices.Clone(doc.Members)
	slices.SortStableFunc(d.Members, func(a, b member) int { return strings.Compare(schema.Key(a.Email), schema.Key(b.Email)) })
	if d.SettingsMissing == nil {
		d.SettingsMissing = []string{}
	}
	if d.Members == nil {
		d.Members = []member{}
	}
	data, err := safejson.MarshalIndent(&d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

func TestEncodeAsMarshalIndent(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	nanos := time.Date(2026, 12, 1, 9, 0, 0, 5, time.FixedZone("", -7*3600))
	docs := map[string]*document{
		"empty": {},
		"full": {Name: "acme <&>", SettingsComplete: true, SettingsMissing: []string{"caller ID", "\"quoted\"\n"}, Members: []member{
			{Email: "Zed@acme.io", Role: "reviewer", Status: "active", InvitedAt: &at, InviteExpiresAt: &at, AcceptedAt: &nanos, LastSignInAt: &at},
			{Email: "ana@acme.io", Name: "Ana \u00c5str\u00f6m \u2028", Role: "admin", Status: "invited", InvitedAt: &at, InviteNote: "Open <Campaigns> & check \u202e\n  twice", InviteNoteSentAt: &at},
			{Email: " ANA@acme.io", Role: "operator", Status: "suspended"},
			{Email: "bad\xff@acme.io", Role: "admin", Status: "active"},
			{Email: "eve@acme.io", Name: "Eve \u202eevil\u009b31m", Role: "operator", Status: "active"},
		}},
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			want := encodeReference(t, doc)
			got, err := encode(doc)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("encode() differs from json.MarshalIndent (-want +got):\n%s", d)
			}
		})
	}
}

// TestSortMembersAsStableSort checks sortMembers, which merges a sorted
// prefix with the rest, against a stable sort of the whole list, on
// lists with a sorted prefix of every length and repeated identities.
func TestSortMembersAsStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		for prefix := 0; prefix <= n; prefix += 1 + n/5 {
			ms := make([]member, n)
			for i := range ms {
				ms[i] = member{Email: fmt.Sprintf("P%02d@x.io", r.IntN(n/2+1)), Name: strconv.Itoa(i)}
			}
			slices.SortStableFunc(ms[:prefix], func(a, b member) int { return strings.Compare(schema.Key(a.Email), schema.Key(b.Email)) })
			want := slices.Clone(ms)
			slices.SortStableFunc(want, func(a, b member) int { return strings.Compare(schema.Key(a.Email), schema.Key(b.Email)) })
			doc := &document{Members: ms}
			sortMembers(doc)
			if d := cmp.Diff(want, doc.Members, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("n %d, prefix %d: sortMembers() mismatch (-want +got):\n%s", n, prefix, d)
			}
		}
	}
}

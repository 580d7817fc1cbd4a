package jsonstr

import (
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile/safejson"
)

func TestAppendAsMarshal(t *testing.T) {
	for _, s := range []string{
		"", "dana@acme.io", "Dana Ortiz", `say "hi"`, `back\slash`, "<b>&</b>",
		"tab\there", "new\nline", "\x00\x1f\x7f", "caf\u00e9", "\u2028\u2029", "bad \xff utf-8", "\U0001F600", "Eve \u202eevil\u009b31m", "\u200b\ufeff",
	} {
		want, _ := safejson.Marshal(s)
		if got := Append(nil, s); string(got) != string(want) {
			t.Errorf("Append(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendAsMarshal(f *testing.F) {
	f.Add("dana@acme.io")
	f.Add("<\xff\u2028>")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := safejson.Marshal(s)
		if got := Append(nil, s); string(got) != string(want) {
			t.Errorf("Append(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestAppendTimeAsMarshalJSON(t *testing.T) {
	east := time.FixedZone("", 5*3600+30*60)
	for _, tm := range []time.Time{
		time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 9, 0, 0, 123456789, time.UTC),
		time.Date(2026, 12, 1, 9, 0, 0, 120000000, east),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", -23*3600-59*60)),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 30)),
	} {
		want, wantErr := tm.MarshalJSON()
		got, err := AppendTime(nil, tm)
		if (err != nil) != (wantErr != nil) || (err == nil && string(got) != string(want)) {
			t.Errorf("AppendTime(%v) = %s, %v; want %s, %v", tm, got, err, want, wantErr)
		}
	}
}

func TestMemoAsAppend(t *testing.T) {
	var m Memo
	for _, s := range []string{"plain", "line\nbreak", "line\nbreak", "other <b>", "plain", "line\nbreak", ""} {
		if got, want := m.Append([]byte("x"), s), Append([]byte("x"), s); string(got) != string(want) {
			t.Errorf("Memo.Append(%q) = %s, want %s", s, got, want)
		}
	}
}

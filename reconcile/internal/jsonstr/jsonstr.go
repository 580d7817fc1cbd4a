// Package jsonstr appends JSON strings exactly as safejson (encoding/json,
// with invisible characters escaped) writes them, fast for the common
// case: the hand-written encoders of the file workspace and the journal,
// which write documents of 100,000 members and journals of 200,000 records,
// use it instead of reflection.
package jsonstr

import (
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile/safejson"
)

// Append appends s to dst as a JSON string, byte for byte as
// safejson.Marshal(s) writes it (HTML characters escaped, invalid UTF-8
// replaced, bidirectional, C1 and other invisible characters as \uXXXX).
func Append(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plain[s[i]] {
			q, _ := safejson.Marshal(s) // a string always marshals
			return append(dst, q...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// A Memo appends strings as Append does, and remembers the last one that
// needed escaping with what it became: a file workspace repeats the
// team's invite note, lines and all, on every member an apply invited.
// Its zero value is ready; it is not safe for concurrent use.
type Memo struct {
	in  string
	out []byte
}

// Append appends s to dst as the package's Append does.
func (m *Memo) Append(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plain[s[i]] {
			if m.out == nil || s != m.in {
				m.in, m.out = s, Append(nil, s)
			}
			return append(dst, m.out...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// AppendTime appends t as a JSON string, byte for byte as t.MarshalJSON
// writes it (RFC 3339 with nanoseconds where there are any), and fails
// where it fails.
func AppendTime(dst []byte, t time.Time) ([]byte, error) {
	_, offset := t.Zone()
	if y := t.Year(); y < 0 || y > 9999 || offset <= -24*3600 || offset >= 24*3600 {
		q, err := t.MarshalJSON() // out of RFC 3339's range: its error
		return append(dst, q...), err
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), nil
}

// plain says which bytes encoding/json writes as they are: printable
// ASCII but for the quote, the backslash and the HTML characters.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`"\\<>&`, rune(c))
	}
	return t
}()

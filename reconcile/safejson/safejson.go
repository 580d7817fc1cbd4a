// Package safejson encodes JSON documents that are safe to show: every
// character that could reorder or hide text on a screen, or drive a terminal
// (bidirectional controls such as U+202E, C1 controls such as U+009B,
// zero-width and other format characters, unassigned code points), is written
// as a \uXXXX escape. A JSON reader decodes the same values; a person
// reading the document with cat, less or a pull request's diff sees the
// escape instead of the effect.
//
// encoding/json already escapes the C0 controls, U+2028 and U+2029 (and,
// by default, <, > and &); everything teamctl writes as JSON goes through
// this package for the rest.
package safejson

import (
	"bytes"
	"encoding/json"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Marshal is json.Marshal with Escape applied.
func Marshal(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Escape(data), nil
}

// MarshalIndent is json.MarshalIndent with Escape applied.
func MarshalIndent(v any, prefix, indent string) ([]byte, error) {
	data, err := json.MarshalIndent(v, prefix, indent)
	if err != nil {
		return nil, err
	}
	return Escape(data), nil
}

// An Encoder writes JSON values to a stream, one per line, as json.Encoder
// does, with Escape applied to each.
type Encoder struct {
	w              io.Writer
	prefix, indent string
	buf            bytes.Buffer
}

// NewEncoder returns an Encoder that writes to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// SetIndent indents each value as json.Encoder.SetIndent does.
func (e *Encoder) SetIndent(prefix, indent string) { e.prefix, e.indent = prefix, indent }

// Encode writes v and a newline.
func (e *Encoder) Encode(v any) error {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetIndent(e.prefix, e.indent)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := e.w.Write(Escape(e.buf.Bytes()))
	return err
}

// Escape rewrites a JSON document so that every non-ASCII character that is
// not printable (unicode.IsPrint) is a \uXXXX escape (a surrogate pair above
// U+FFFF). The document means the same: outside strings JSON is ASCII, so
// every such character is inside a string. Invalid UTF-8, which
// encoding/json never writes, becomes \ufffd. data is returned unchanged
// when nothing needs escaping.
func Escape(data []byte) []byte {
	i := firstUnsafe(data)
	if i < 0 {
		return data
	}
	out := make([]byte, 0, len(data)+16)
	out = append(out, data[:i]...)
	for i < len(data) {
		c := data[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) {
			out = appendEscape(out, r)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
}

// firstUnsafe returns the offset of the first character Escape rewrites,
// or -1.
func firstUnsafe(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) {
			return i
		}
		i += size
	}
	return -1
}

const hex = "0123456789abcdef"

func appendEscape(out []byte, r rune) []byte {
	if r > 0xffff {
		r1, r2 := utf16.EncodeRune(r)
		return appendEscape(appendEscape(out, r1), r2)
	}
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

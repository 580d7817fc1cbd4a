package main

import (
	"bytes"
	"cmp"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/teamctl/teamctl/reconcile/scim"
)

// redacted is what a secret is replaced with in any output.
const redacted = "[REDACTED]"

// maxTokenFile bounds how much of the token file secrets reads: a token is
// a line, not a document.
const maxTokenFile = 64 << 10

// secrets returns what no output of teamctl may show: the SCIM token of
// $TEAMCTL_SCIM_TOKEN and the content of the file $TEAMCTL_SCIM_TOKEN_FILE
// names, both as given and trimmed as the SCIM client trims them. A file
// that cannot be read holds no secret teamctl could leak.
func secrets(getenv func(string) string) []string {
	var out []string
	add := func(s string) {
		for _, v := range []string{s, strings.TrimSpace(s)} {
			if v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	add(getenv(scim.TokenEnv))
	// Only a regular file: a pipe (TEAMCTL_SCIM_TOKEN_FILE=<(pass show
	// scim)) can be read once, and that is the SCIM client's read.
	if name := getenv(scim.TokenFileEnv); name != "" && isRegular(name) {
		if f, err := os.Open(name); err == nil {
			data, _ := io.ReadAll(io.LimitReader(f, maxTokenFile))
			f.Close()
			add(string(data))
		}
	}
	return out
}

func isRegular(name string) bool {
	info, err := os.Stat(name)
	return err == nil && info.Mode().IsRegular()
}

// secretSet is what no output of teamctl may show: the secrets of the
// environment, and those learnt later (a token read from a pipe). Every
// sink (sinks.go) redacts with the one set of its run, so a secret hidden
// once is hidden everywhere from then on.
type secretSet struct {
	mu     sync.RWMutex
	pieces map[uint64]struct{} // every minPiece-byte piece of the long secrets
	filter *[1 << 10]uint64    // a bit per hashed piece, to skip most lookups
	starts map[string]struct{} // every shorter piece: how a piece may begin
	short  [][]byte            // secrets shorter than minPiece, longest first
}

// newSecretSet returns the set of secrets.
func newSecretSet(secrets []string) *secretSet {
	set := &secretSet{pieces: map[uint64]struct{}{}, filter: new([1 << 10]uint64), starts: map[string]struct{}{}}
	for _, s := range secrets {
		set.add(s)
	}
	return set
}

// Hide adds a secret to redact from now on: the SCIM token as the client
// read it, which may come from a pipe that secrets could not read.
func (set *secretSet) Hide(secret string) {
	if set == nil {
		return
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	set.add(secret)
}

func (set *secretSet) empty() bool {
	return set == nil || len(set.pieces) == 0 && len(set.short) == 0
}

// String returns s with every secret, and every piece of one, redacted.
func (set *secretSet) String(s string) string {
	if set.hidesNothing() {
		return s // the common case: no conversion
	}
	return string(set.Bytes([]byte(s)))
}

// Bytes is String for bytes.
func (set *secretSet) Bytes(b []byte) []byte {
	if set == nil {
		return b
	}
	set.mu.RLock()
	defer set.mu.RUnlock()
	if set.empty() {
		return b
	}
	out, _ := set.redact(b, true)
	return out
}

func (set *secretSet) hidesNothing() bool {
	if set == nil {
		return true
	}
	set.mu.RLock()
	defer set.mu.RUnlock()
	return set.empty()
}

// redactor is a stream of output redacted with a secretSet: stdout,
// stderr (errors, warnings, --debug traces, GitHub annotations). It writes
// [REDACTED] for every run of the output made of pieces of a secret at
// least minPiece bytes long, so that neither the secret nor 8 bytes of it
// in a row appear: not when a message cuts it short, nor when a renderer
// escapes a character in it (Markdown's \_, say). A secret shorter than
// minPiece is replaced where it appears whole. A secret may be split
// across writes, so the tail of a write that could be part of one is held
// back until the next write or Flush; the rest is written at once, so
// that prompts and progress are not delayed.
type redactor struct {
	mu      sync.Mutex
	w       io.Writer
	set     *secretSet
	pending []byte
}

// minPiece is the shortest piece of a secret that is redacted on its own.
const minPiece = 8

// newRedactor returns a redactor of secrets that writes to w.
func newRedactor(w io.Writer, secrets []string) *redactor {
	return &redactor{w: w, set: newSecretSet(secrets)}
}

// Hide adds a secret to the redactor's set.
func (r *redactor) Hide(secret string) { r.set.Hide(secret) }

func (set *secretSet) add(s string) {
	if s == "" {
		return
	}
	if len(s) < minPiece {
		if !slices.ContainsFunc(set.short, func(b []byte) bool { return string(b) == s }) {
			set.short = append(set.short, []byte(s))
			slices.SortFunc(set.short, func(a, b []byte) int { return cmp.Compare(len(b), len(a)) })
		}
		return
	}
	for i := 0; i+minPiece <= len(s); i++ {
		k := pieceAt(s[i:])
		set.pieces[k] = struct{}{}
		h := pieceHash(k)
		set.filter[h>>6] |= 1 << (h & 63)
		for n := 1; n < minPiece; n++ {
			set.starts[s[i:i+n]] = struct{}{}
		}
	}
}

// pieceAt packs the first minPiece bytes of s.
func pieceAt[T string | []byte](s T) uint64 {
	var k uint64
	for i := range minPiece {
		k = k<<8 | uint64(s[i])
	}
	return k
}

// pieceHash picks a piece's bit in the filter.
func pieceHash(k uint64) uint64 { return k * 0x9e3779b97f4a7c15 >> 48 }

// isPiece reports whether k, a packed piece, is one of a secret.
func (set *secretSet) isPiece(k uint64) bool {
	if h := pieceHash(k); set.filter[h>>6]&(1<<(h&63)) == 0 {
		return false
	}
	_, ok := set.pieces[k]
	return ok
}

func (r *redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.set.mu.RLock()
	defer r.set.mu.RUnlock()
	if len(r.pending) == 0 && r.set.empty() {
		return r.w.Write(p) // nothing to hide (yet)
	}
	data := append(r.pending, p...)
	out, cut := r.set.redact(data, false)
	r.pending = append(r.pending[:0:0], data[cut:]...)
	if _, err := r.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what Write held back.
func (r *redactor) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pending) == 0 {
		return nil
	}
	r.set.mu.RLock()
	out, _ := r.set.redact(r.pending, true)
	r.set.mu.RUnlock()
	r.pending = nil
	_, err := r.w.Write(out)
	return err
}

// redact returns data[:cut], redacted, and cut: all of data when final,
// else up to what later bytes could still make part of a secret.
func (set *secretSet) redact(data []byte, final bool) (out []byte, cut int) {
	type run struct{ start, end int }
	var runs []run
	var k uint64 // data[i:i+minPiece] packed, rolled a byte at a time
	for i := 0; i+minPiece <= len(data); i++ {
		if i == 0 {
			k = pieceAt(data)
		} else {
			k = k<<8 | uint64(data[i+minPiece-1])
		}
		if !set.isPiece(k) {
			continue
		}
		if n := len(runs); n > 0 && i <= runs[n-1].end {
			runs[n-1].end = i + minPiece
		} else {
			runs = append(runs, run{i, i + minPiece})
		}
	}
	cut = len(data)
	if !final {
		// A piece that ends in later bytes starts in the last
		// minPiece-1 bytes of these, with bytes that begin a piece; it
		// would extend a run that reaches it.
		cut = set.pieceStart(data)
		if n := len(runs); n > 0 && runs[n-1].end >= cut && cut < len(data) {
			cut = runs[n-1].start
			runs = runs[:n-1]
		}
		cut = min(cut, len(data)-set.heldShort(data))
	}
	out = make([]byte, 0, cut+len(redacted))
	kept := 0
	for _, rn := range runs {
		if rn.start >= cut {
			break
		}
		out = append(out, data[kept:rn.start]...)
		out = append(out, redacted...)
		kept = rn.end
	}
	if kept < cut {
		out = append(out, data[kept:cut]...)
	}
	for _, s := range set.short {
		out = bytes.ReplaceAll(out, s, []byte(redacted))
	}
	return out, max(cut, kept)
}

// pieceStart returns where the longest tail of data, shorter than
// minPiece, that could begin a piece of a secret starts; len(data) if none.
func (set *secretSet) pieceStart(data []byte) int {
	for j := max(0, len(data)-(minPiece-1)); j < len(data); j++ {
		if _, ok := set.starts[string(data[j:])]; ok {
			return j
		}
	}
	return len(data)
}

// heldShort returns the length of the longest tail of data that is the
// start of a short secret (and not all of it).
func (set *secretSet) heldShort(data []byte) int {
	hold := 0
	for _, s := range set.short {
		for n := min(len(s)-1, len(data)); n > hold; n-- {
			if bytes.HasSuffix(data, s[:n]) {
				hold = n
				break
			}
		}
	}
	return hold
}

// hideSecret makes every sink of app hide secret too: the run's secret
// set, and the streams' (which share it when execute made them).
func hideSecret(app *App, secret string) {
	app.secrets.Hide(secret)
	for _, w := range []io.Writer{app.IO.Out, app.IO.ErrOut} {
		if h, ok := w.(interface{ Hide(string) }); ok {
			h.Hide(secret)
		}
	}
}

// flush flushes w if it holds output back (a redactor, a sink).
func flush(w io.Writer) {
	if f, ok := w.(interface{ Flush() error }); ok {
		f.Flush()
	}
}

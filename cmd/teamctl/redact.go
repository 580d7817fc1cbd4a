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
	if name := getenv(scim.TokenFileEnv); name != "" {
		if f, err := os.Open(name); err == nil {
			data, _ := io.ReadAll(io.LimitReader(f, maxTokenFile))
			f.Close()
			add(string(data))
		}
	}
	return out
}

// redactor is the one place every output of teamctl passes: stdout, stderr
// (errors, warnings, --debug traces, GitHub annotations) and the files of
// GitHub Actions. It replaces every secret with [REDACTED]. A secret may be
// split across writes, so a write's tail that could begin one is held back
// until the next write or Flush; everything else is written at once, so
// prompts and progress are not delayed.
type redactor struct {
	mu      sync.Mutex
	w       io.Writer
	secrets [][]byte
	pending []byte
}

// newRedactor returns w itself when there is nothing to redact.
func newRedactor(w io.Writer, secrets []string) io.Writer {
	if len(secrets) == 0 {
		return w
	}
	r := &redactor{w: w}
	for _, s := range secrets {
		r.secrets = append(r.secrets, []byte(s))
	}
	// Longest first, so that a secret holding another is replaced whole.
	slices.SortFunc(r.secrets, func(a, b []byte) int { return cmp.Compare(len(b), len(a)) })
	return r
}

func (r *redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	data := r.redact(append(r.pending, p...))
	hold := r.held(data)
	r.pending = append(r.pending[:0:0], data[len(data)-hold:]...)
	if _, err := r.w.Write(data[:len(data)-hold]); err != nil {
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
	_, err := r.w.Write(r.pending)
	r.pending = nil
	return err
}

func (r *redactor) redact(data []byte) []byte {
	for _, s := range r.secrets {
		if bytes.Contains(data, s) {
			data = bytes.ReplaceAll(data, s, []byte(redacted))
		}
	}
	return data
}

// held returns the length of the longest tail of data that is the start of
// a secret (and not all of it: whole secrets are replaced already).
func (r *redactor) held(data []byte) int {
	hold := 0
	for _, s := range r.secrets {
		for n := min(len(s)-1, len(data)); n > hold; n-- {
			if bytes.HasSuffix(data, s[:n]) {
				hold = n
				break
			}
		}
	}
	return hold
}

// flush flushes w if it is a redactor.
func flush(w io.Writer) {
	if r, ok := w.(*redactor); ok {
		r.Flush()
	}
}

// redactString is s as a redactor writes it.
func redactString(s string, secrets []string) string {
	var b strings.Builder
	w := newRedactor(&b, secrets)
	io.WriteString(w, s)
	flush(w)
	return b.String()
}

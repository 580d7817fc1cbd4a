package scim

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/teamctl/teamctl/reconcile/render"
)

// Error is a request the service provider refused, with what its SCIM
// error document says (RFC 7644 section 3.12).
type Error struct {
	Method   string
	Path     string // relative to the workspace base, such as /Users/42
	Status   int
	ScimType string
	Detail   string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.ScimType != "" {
		s += " (" + e.ScimType + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// checkPath refuses a request whose path, or the path of an operation of
// its Bulk body, has a segment "." or ".." (escaped or not): a resource id
// the provider gave as "..", put after /Users/, would address the
// collection or the service itself (DELETE /Users/.. is DELETE /), and
// servers and proxies normalise dot segments however they are escaped
// (RFC 3986 section 6.2.2). Every request passes do, so no call site can
// skip it.
func checkPath(method, path string, body any) error {
	paths := []string{path}
	if m, ok := body.(map[string]any); ok {
		if ops, ok := m["Operations"].([]bulkOperation); ok {
			for _, op := range ops {
				paths = append(paths, op.Path)
			}
		}
	}
	for _, p := range paths {
		p, _, _ = strings.Cut(p, "?")
		for _, seg := range strings.Split(p, "/") {
			if s, err := url.PathUnescape(seg); err == nil && (s == "." || s == "..") {
				return fmt.Errorf("%s %s: refused: the id %q names no resource of its own in a URL, and would address what holds it; give the resource another id in the workspace", method, p, s)
			}
		}
	}
	return nil
}

// errorDoc is a SCIM error document. status is a string by the RFC and a
// number on some servers.
type errorDoc struct {
	Status   json.RawMessage `json:"status"`
	ScimType string          `json:"scimType"`
	Detail   string          `json:"detail"`
}

// maxDetail is the most of a server's error text an Error keeps.
const maxDetail = 300

// parseError turns a failed response into an Error, reading the SCIM
// error document when there is one. redact (when not nil) scrubs the
// server's text before it is cut, so that the cut never leaves a piece of
// a secret whole.
func parseError(method, path string, status int, body []byte, redact func(string) string) *Error {
	e := &Error{Method: method, Path: path, Status: status}
	var doc errorDoc
	if json.Unmarshal(body, &doc) == nil {
		e.ScimType = clip(doc.ScimType, maxDetail, redact)
		e.Detail = clip(doc.Detail, maxDetail, redact)
		if st := parseStatus(doc.Status); st != 0 && status == 0 {
			e.Status = st
		}
	}
	if e.Detail == "" && e.ScimType == "" {
		e.Detail = clip(string(body), maxDetail, redact)
	}
	return e
}

// parseStatus reads a status that is a JSON string or number.
func parseStatus(raw json.RawMessage) int {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		n, _ = strconv.Atoi(strings.TrimSpace(s))
	}
	return n
}

// oneLine shortens untrusted text from the server to one printable line.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		// C0, DEL and C1 controls (U+009B is a terminal's CSI too) and
		// bidirectional controls, which could reorder what --debug shows.
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// response is a successful answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to path (relative to the base URL) and retries it
// while it fails for a passing reason: 429, 502, 503, 504, a 500 on a read,
// or a connection error. It never retries other 4xx answers. body, when not
// nil, is sent as JSON. It returns an *Error for a refused request.
func (w *Workspace) do(ctx context.Context, method, path string, body any, ifMatch string) (*response, error) {
	if err := checkPath(method, path, body); err != nil {
		return nil, err
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	retry := w.cfg.Retry.withDefaults()
	start := w.now()
	waited := false // this request has just waited out a Retry-After
	for attempt := 1; ; attempt++ {
		if err := w.pace.wait(ctx, classOf(method), waited, w.now, w.sleep); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		resp, wait, err := w.once(ctx, method, path, payload, ifMatch)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, ctx.Err())
		}
		if wait < 0 || attempt >= retry.Attempts {
			return nil, err
		}
		// The pacer holds the other requests of the lane until a
		// Retry-After has passed; this one waits it here.
		waited = wait > 0
		switch {
		case wait == 0:
			wait = backoff(retry, attempt)
		case wait > retry.MaxDelay:
			return nil, fmt.Errorf("%w (the server asks to retry after %s, longer than teamctl waits)", err, wait)
		}
		if w.now().Add(wait).Sub(start) > retry.MaxElapsed {
			return nil, fmt.Errorf("%w (gave up after %s)", err, retry.MaxElapsed)
		}
		w.tracef("retry %s %s in %s after: %v", method, path, wait.Round(time.Millisecond), err)
		if err := w.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
}

// backoff is exponential with full jitter: a random wait up to base·2^(n-1).
func backoff(r Retry, attempt int) time.Duration {
	ceiling := r.BaseDelay << min(attempt-1, 16)
	if ceiling > r.MaxDelay || ceiling <= 0 {
		ceiling = r.MaxDelay
	}
	return ceiling/2 + rand.N(ceiling/2+1)
}

// once sends one attempt. wait is -1 when the error is final, 0 to retry
// after a backoff, or the server's Retry-After.
func (w *Workspace) once(ctx context.Context, method, path string, payload []byte, ifMatch string) (*response, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, w.timeout())
	defer cancel()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.ep.base.String()+path, rd)
	if err != nil {
		return nil, -1, fmt.Errorf("%s %s: %w", method, path, err)
	}
	// The token goes to this URL alone: the client follows no redirect.
	req.Header.Set("Authorization", "Bearer "+w.cfg.Token)
	req.Header.Set("Accept", "application/scim+json, application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	w.traceRequest(req, payload)
	began := w.now()
	resp, err := w.client.Do(req)
	if err != nil {
		w.pace.strain(classOf(method))
		wait := time.Duration(0)
		if permanent(err) {
			wait = -1
		}
		return nil, wait, fmt.Errorf("%s %s: %s", method, path, w.redact(transportError(err)))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, readLimit(ctx)))
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: reading the response: %s", method, path, w.redact(transportError(err)))
	}
	w.traceResponse(resp, body, w.now().Sub(began))
	w.pace.observe(classOf(method), resp.StatusCode, resp.Header, w.now())
	if err := spend(ctx, len(body)); err != nil {
		return nil, -1, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return &response{status: resp.StatusCode, header: resp.Header, body: body}, 0, nil
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, -1, &RedirectError{Method: method, Path: path, Status: resp.StatusCode, Location: w.redact(where(req.URL, resp.Header.Get("Location")))}
	}
	e := parseError(method, path, resp.StatusCode, body, w.redact)
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		return nil, retryAfter(resp.Header.Get("Retry-After"), w.now()), e
	case http.StatusInternalServerError:
		if method == http.MethodGet {
			return nil, 0, e
		}
	case http.StatusUnauthorized, http.StatusForbidden:
		return nil, -1, &authError{e}
	}
	return nil, -1, e
}

// RedirectError is a 3xx answer. teamctl follows no redirect: a SCIM API
// has no reason to send one, and the token is sent nowhere but the
// workspace URL (SPEC §8).
type RedirectError struct {
	Method   string
	Path     string // relative to the workspace base
	Status   int
	Location string // the scheme and host it pointed to; empty when it said none
}

func (e *RedirectError) Error() string {
	to := "without a Location"
	if e.Location != "" {
		to = "to " + e.Location
	}
	return fmt.Sprintf("%s %s: %d %s: the SCIM service redirected %s; teamctl follows no redirect, so that the token goes only to the workspace URL: if that is where the service lives, put it in the workspace URL", e.Method, e.Path, e.Status, http.StatusText(e.Status), to)
}

// where names the scheme and host a Location points to, relative to the
// request's URL: never its user information, path or query, which may
// carry anything.
func where(from *url.URL, location string) string {
	if location == "" {
		return ""
	}
	u, err := from.Parse(location)
	if err != nil || u.Host == "" {
		return "an address that does not parse"
	}
	return u.Scheme + "://" + u.Host
}

// transportError drops the method and URL Go's client puts in front of a
// transport error: the caller names the request already.
func transportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timed out: " + ue.Err.Error()
		}
		return ue.Err.Error()
	}
	return err.Error()
}

// permanent reports whether a transport error will not go away by trying
// again: a certificate that does not verify.
func permanent(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 when absent.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// authError is a 401 or 403: the token is wrong, expired or lacks rights.
type authError struct{ e *Error }

func (a *authError) Error() string {
	what := "rejected the token"
	if a.e.Status == http.StatusForbidden {
		what = "refused access with this token"
	}
	return fmt.Sprintf("the SCIM service %s (%s %s: %d); check %s (or %s)", what, a.e.Method, a.e.Path, a.e.Status, TokenEnv, TokenFileEnv)
}

func (a *authError) Unwrap() error { return a.e }

// redact removes the token, and every piece of it of minSecretPiece bytes
// or more, from text that came from elsewhere (a server's error detail
// may echo the request, or part of it).
func (w *Workspace) redact(s string) string { return redactSecret(s, w.cfg.Token) }

// scrub redacts the token from *err: the errors a Workspace returns name
// what the server sent (user and group names, ids), which a hostile server
// can make the token.
func (w *Workspace) scrub(err *error) {
	if *err == nil {
		return
	}
	if msg := w.redact((*err).Error()); msg != (*err).Error() {
		*err = &redactedError{msg: msg, err: *err}
	}
}

// scrubAll scrubs each of errs.
func (w *Workspace) scrubAll(errs []error) {
	for i := range errs {
		w.scrub(&errs[i])
	}
}

// redactedError is an error with the token redacted from its text; it
// still wraps the error, for errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// minSecretPiece is the shortest piece of the token redact removes: no
// output holds 8 bytes of the token in a row.
const minSecretPiece = 8

// redactSecret replaces with [REDACTED] each run of s covered by pieces of
// secret minSecretPiece bytes long (all of s that a piece of secret of
// that length or more could be), or secret itself when it is shorter.
func redactSecret(s, secret string) string {
	const mark = "[REDACTED]"
	if secret == "" || len(s) < min(len(secret), minSecretPiece) {
		return s
	}
	if len(secret) < minSecretPiece {
		return strings.ReplaceAll(s, secret, mark)
	}
	pieces := make(map[string]struct{}, len(secret)-minSecretPiece+1)
	for i := 0; i+minSecretPiece <= len(secret); i++ {
		pieces[secret[i:i+minSecretPiece]] = struct{}{}
	}
	var b strings.Builder
	kept, end := 0, -1 // s[:kept] is written; the run being covered ends at end
	for i := 0; i+minSecretPiece <= len(s); i++ {
		if _, ok := pieces[s[i:i+minSecretPiece]]; !ok {
			continue
		}
		if i > end { // a new run
			b.WriteString(s[kept:i])
			b.WriteString(mark)
		}
		end = i + minSecretPiece
		kept = end
	}
	if end < 0 {
		return s
	}
	b.WriteString(s[kept:])
	return b.String()
}

// clip makes server text fit to show: redacted (when redact is not nil)
// before anything else, then on one printable line of at most n bytes.
// Only the first bytes of a long text are read, enough for n after
// redaction.
func clip(s string, n int, redact func(string) string) string {
	if limit := 64*n + 4096; len(s) > limit {
		s = s[:limit]
	}
	if redact != nil {
		s = redact(oneLine(redact(s)))
	} else {
		s = oneLine(s)
	}
	return shorten(s, n)
}

// tracef writes a line of the --debug trace, redacted, then escaped as the
// renderers escape live text (render.Printable): a server's bytes never
// reach the terminal raw.
func (w *Workspace) tracef(format string, args ...any) {
	if w.cfg.Debug == nil {
		return
	}
	line := render.Printable(w.redact(fmt.Sprintf(format, args...)))
	w.traceMu.Lock()
	defer w.traceMu.Unlock()
	fmt.Fprintln(w.cfg.Debug, "scim: "+line)
}

func (w *Workspace) traceRequest(req *http.Request, payload []byte) {
	if w.cfg.Debug == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s", req.Method, req.URL)
	for _, k := range []string{"Authorization", "If-Match", "Content-Type"} {
		if v := req.Header.Get(k); v != "" {
			if k == "Authorization" {
				v = "Bearer ****"
			}
			fmt.Fprintf(&b, "\n>   %s: %s", k, v)
		}
	}
	if len(payload) > 0 {
		fmt.Fprintf(&b, "\n>   %s", w.truncate(payload))
	}
	w.tracef("%s", b.String())
}

func (w *Workspace) traceResponse(resp *http.Response, body []byte, took time.Duration) {
	if w.cfg.Debug == nil {
		return
	}
	s := fmt.Sprintf("< %s (%s)", resp.Status, took.Round(time.Millisecond))
	for _, k := range []string{"Etag", "Retry-After", "Location"} {
		if v := resp.Header.Get(k); v != "" {
			s += fmt.Sprintf("\n<   %s: %s", k, v)
		}
	}
	if resp.StatusCode >= 300 && len(body) > 0 {
		s += "\n<   " + w.truncate(body)
	}
	w.tracef("%s", s)
}

// truncate is a body as the trace shows it: redacted, then cut.
func (w *Workspace) truncate(b []byte) string { return clip(string(b), 2000, w.redact) }

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// Package scim is the workspace backend for SCIM 2.0 service providers
// (RFC 7643, RFC 7644): people are users, roles are memberships of three
// role groups, and a plan's changes become user and group requests.
package scim

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/teamctl/teamctl/schema"
)

// Environment variables the command reads and passes in Config; the
// package itself never reads the environment.
const (
	TokenEnv     = "TEAMCTL_SCIM_TOKEN"
	TokenFileEnv = "TEAMCTL_SCIM_TOKEN_FILE"
	CAFileEnv    = "TEAMCTL_SCIM_CA_FILE"
)

// Config is how to reach a SCIM workspace.
type Config struct {
	// URL is scim+https://HOST/PATH, or scim+http:// for a loopback
	// address, with optional query parameters admins, operators, reviewers
	// (role group names), remove (deactivate or delete), bulk (off
	// never uses Bulk), note (the user attribute that carries the invite
	// note), rate (N/s or N/m: the most requests in that time) and
	// members_per_patch (the most members one group request adds or
	// removes).
	URL   string
	Token string // bearer token; never printed
	// CAFile is a PEM bundle of certificate authorities to trust besides
	// the system's, for a provider with a private CA.
	CAFile string
	// Parallelism bounds concurrent requests when Bulk is unavailable;
	// when zero, it is chosen from the provider's answers (pace.go).
	Parallelism int
	// Debug, when set, receives a trace of every request and response,
	// with the Authorization header masked.
	Debug io.Writer
	// Notice, when set, is told of what the user should know even without
	// Debug: that the provider did not carry out what it acknowledged.
	Notice io.Writer
	// Timeout bounds each HTTP request; 30s when zero.
	Timeout time.Duration
	// Retry bounds retries of failed requests; defaults when zero.
	Retry Retry
}

// Retry bounds how a request that failed for a passing reason (429, 503,
// a connection error) is tried again.
type Retry struct {
	Attempts   int           // tries in all, the first included; 5 when zero
	MaxElapsed time.Duration // give up when the next wait would pass this; 2m when zero
	BaseDelay  time.Duration // first backoff, doubled each time, with jitter; 200ms when zero
	MaxDelay   time.Duration // longest wait, Retry-After included; 60s when zero (a per-minute budget asks at most a minute)
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 5
	}
	if r.MaxElapsed <= 0 {
		r.MaxElapsed = 2 * time.Minute
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 200 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = time.Minute
	}
	return r
}

// ConfigFromEnv returns a Config for rawURL with the token and CA file taken
// from the environment through getenv: TEAMCTL_SCIM_TOKEN, else the file
// named by TEAMCTL_SCIM_TOKEN_FILE; TEAMCTL_SCIM_CA_FILE.
func ConfigFromEnv(rawURL string, getenv func(string) string) (Config, error) {
	cfg := Config{URL: rawURL, CAFile: getenv(CAFileEnv)}
	token := strings.TrimSpace(getenv(TokenEnv))
	if token == "" {
		if f := getenv(TokenFileEnv); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return Config{}, fmt.Errorf("scim: read the token file named by %s: %w", TokenFileEnv, err)
			}
			token = strings.TrimSpace(string(b))
			if token == "" {
				return Config{}, fmt.Errorf("scim: the token file named by %s is empty", TokenFileEnv)
			}
		}
	}
	cfg.Token = token
	return cfg, nil
}

// ErrNoToken is returned by New when Config.Token is empty.
var ErrNoToken = errors.New("scim: no bearer token: set " + TokenEnv + " (or " + TokenFileEnv + " to a file holding it)")

// groupNames are the role groups, by role.
type groupNames map[schema.Role]string

// endpoint is a parsed workspace URL.
type endpoint struct {
	base   *url.URL // http(s)://host/path, no query
	groups groupNames
	delete bool        // remove deletes users instead of deactivating them
	noBulk bool        // bulk=off: never use Bulk
	note   *noteOption // note=: the attribute that carries the invite note; nil without
	rate   *Rate       // rate=: the most requests in a second or a minute; nil without
	// perPatch is members_per_patch=: the most members one group request
	// adds or removes; 0 without.
	perPatch int
}

// parseURL checks a scim+https:// or scim+http:// (loopback only) URL and
// reads its options.
func parseURL(raw string) (endpoint, error) {
	// Credentials are looked for before parsing: Go's parse errors quote
	// the whole URL, password included.
	if _, ok := userInfo(raw); ok {
		return endpoint{}, fmt.Errorf("scim: workspace URL %s: credentials in the URL are not allowed; set %s", RedactURL(raw), TokenEnv)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which RedactURL shows
		}
		return endpoint{}, fmt.Errorf("scim: workspace URL %s: %v", RedactURL(raw), err)
	}
	switch u.Scheme {
	case "scim+https":
		u.Scheme = "https"
	case "scim+http":
		if !isLoopback(u.Hostname()) {
			return endpoint{}, fmt.Errorf("scim: workspace URL %s: scim+http:// is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use scim+https://", redactURL(u))
		}
		u.Scheme = "http"
	default:
		return endpoint{}, fmt.Errorf("scim: workspace URL %s: the scheme must be scim+https (or scim+http for loopback addresses)", redactURL(u))
	}
	if u.Host == "" {
		return endpoint{}, fmt.Errorf("scim: workspace URL %s: no host", redactURL(u))
	}
	if u.User != nil { // userInfo missed it: never expected
		return endpoint{}, fmt.Errorf("scim: workspace URL %s: credentials in the URL are not allowed; set %s", redactURL(u), TokenEnv)
	}
	ep := endpoint{groups: groupNames{schema.Admin: "Admins", schema.Operator: "Operators", schema.Reviewer: "Reviewers"}}
	for k, vs := range u.Query() {
		v := vs[len(vs)-1]
		switch k {
		case "admins":
			ep.groups[schema.Admin] = v
		case "operators":
			ep.groups[schema.Operator] = v
		case "reviewers":
			ep.groups[schema.Reviewer] = v
		case "remove":
			switch v {
			case "deactivate":
			case "delete":
				ep.delete = true
			default:
				return endpoint{}, fmt.Errorf("scim: workspace URL: remove=%q: want deactivate or delete", v)
			}
		case "bulk":
			switch v {
			case "on":
			case "off":
				ep.noBulk = true
			default:
				return endpoint{}, fmt.Errorf("scim: workspace URL: bulk=%q: want on or off", v)
			}
		case "note":
			if ep.note, err = parseNote(v); err != nil {
				return endpoint{}, err
			}
		case "rate":
			r, err := parseRate(v)
			if err != nil {
				return endpoint{}, err
			}
			ep.rate = &r
		case "members_per_patch":
			if ep.perPatch, err = parsePerPatch(v); err != nil {
				return endpoint{}, err
			}
		default:
			return endpoint{}, fmt.Errorf("scim: workspace URL: unknown option %q (known: admins, operators, reviewers, remove, bulk, note, rate, members_per_patch)", k)
		}
	}
	seen := map[string]schema.Role{}
	for _, r := range schema.Roles {
		name := ep.groups[r]
		if strings.TrimSpace(name) == "" {
			return endpoint{}, fmt.Errorf("scim: workspace URL: the %s group name is empty", r)
		}
		if other, ok := seen[strings.ToLower(name)]; ok {
			return endpoint{}, fmt.Errorf("scim: workspace URL: %s and %s both map to group %q", other, r, name)
		}
		seen[strings.ToLower(name)] = r
	}
	u.RawQuery = ""
	u.Fragment = ""
	u.Path = strings.TrimSuffix(u.Path, "/")
	ep.base = u
	return ep, nil
}

func isLoopback(host string) bool {
	if equalFoldASCII(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	if c.Opaque != "" { // scheme:rest, without //: rest may hold anything
		return c.Scheme + ":…"
	}
	return c.String()
}

// userInfo returns the user information of the URL raw, the part of its
// authority before the last @, and whether it has one. It reads raw as
// url.Parse does, without needing raw to parse: authority is what follows
// "//" up to the first "/", and the query and fragment are cut first.
func userInfo(raw string) (string, bool) {
	_, rest, ok := strings.Cut(raw, "//")
	if !ok {
		_, rest, ok = strings.Cut(raw, ":") // scheme:user:pw@host, opaque
		if !ok {
			return "", false
		}
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	authority, _, _ := strings.Cut(rest, "/")
	i := strings.LastIndex(authority, "@")
	if i < 0 {
		return "", false
	}
	return authority[:i], true
}

// RedactURL returns the workspace URL raw fit to show: with any user
// information (user:password@) dropped, even when raw does not parse.
// Commands name a workspace URL in errors only through it.
func RedactURL(raw string) string {
	if info, ok := userInfo(raw); ok {
		raw = strings.Replace(raw, info+"@", "", 1)
	}
	return raw
}

// newHTTPClient returns a client that always verifies certificates, trusting
// the CA file besides the system roots.
func newHTTPClient(cfg Config) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pemBytes, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("scim: read the CA file named by %s: %w", CAFileEnv, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pemBytes) {
			return nil, fmt.Errorf("scim: the CA file %s named by %s holds no PEM certificate", cfg.CAFile, CAFileEnv)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	// A SCIM API has no reason to redirect, and following one would send
	// the token elsewhere: Go's client keeps Authorization for another
	// port or plain http on the same host. do reports any 3xx as an error.
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &http.Client{Transport: tr, CheckRedirect: noRedirect}, nil
}

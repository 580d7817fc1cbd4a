package scim

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseError(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string
	}{
		{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"taken"}`, "POST /Users: 409 Conflict (uniqueness): taken"},
		{`{"status":409,"detail":"line\nbreak \u001b[31mred"}`, "POST /Users: 409 Conflict: line break [31mred"},
		{`{"status":409,"detail":"c1 \u009b31m bidi \u202egnp.exe"}`, "POST /Users: 409 Conflict: c1 31m bidi gnp.exe"},
		{`<html>gateway</html>`, "POST /Users: 409 Conflict: <html>gateway</html>"},
		{``, "POST /Users: 409 Conflict"},
	} {
		if got := parseError("POST", "/Users", 409, []byte(tc.body), nil).Error(); got != tc.want {
			t.Errorf("parseError(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestBulkStatus(t *testing.T) {
	for raw, want := range map[string]int{`"201"`: 201, `201`: 201, `{"code":"412"}`: 412, `{"code":400}`: 400, `null`: 0, `"x"`: 0} {
		if got := bulkStatus(json.RawMessage(raw)); got != want {
			t.Errorf("bulkStatus(%s) = %d, want %d", raw, got, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Fri, 20 Nov 2026 09:00:10 GMT": 10 * time.Second,
		"Fri, 20 Nov 2026 08:00:00 GMT": 0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestParseUser(t *testing.T) {
	for _, tc := range []struct {
		doc         string
		email, name string
		active      bool
	}{
		{`{"id":"1","userName":"Dana@Acme.io","displayName":"Dana","active":true}`, "Dana@Acme.io", "Dana", true},
		{`{"id":"2","userName":"oduarte","emails":[{"value":"o@x.io"},{"value":"olivia@acme.io","primary":"true"}],"name":{"givenName":"Olivia","familyName":"Duarte"},"active":"False"}`, "oduarte", "Olivia Duarte", false}, // the userName alone, never an email
		{`{"id":"3","userName":"x@y.io"}`, "x@y.io", "", true},
	} {
		u, err := parseUser([]byte(tc.doc))
		if err != nil || u.email != tc.email || u.name != tc.name || u.active != tc.active {
			t.Errorf("parseUser(%s) = %+v, %v; want %s %q active=%v", tc.doc, u, err, tc.email, tc.name, tc.active)
		}
	}
}

// FuzzResponses feeds server answers to the parsers: they never panic.
func FuzzResponses(f *testing.F) {
	f.Add([]byte(`{"id":"1","userName":"a@b.io","emails":[{"value":"a@b.io","primary":true}],"members":[{"value":"1"}],"status":"400"}`))
	f.Add([]byte(`{"status":{"code":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseUser(b)
		_, _ = parseGroup(b)
		_ = parseError("GET", "/Users", 500, b, nil).Error()
		_ = bulkStatus(b)
		_ = retryAfter(string(b), time.Unix(0, 0))
	})
}

package scimtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type client struct {
	t     *testing.T
	s     *Server
	token string
}

func (c client) do(method, path, body string, header ...string) (int, http.Header, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.s.BaseURL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/scim+json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	return resp.StatusCode, resp.Header, doc
}

const userSchema = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
const patchSchema = `"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`

func TestUsersAndGroups(t *testing.T) {
	s := New(t, Options{ETags: true})
	c := client{t, s, s.Token()}
	gid := s.AddGroup("Admins")

	code, _, doc := c.do("POST", "/Users", `{`+userSchema+`,"userName":"Dana@Acme.io"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST /Users = %d %v", code, doc)
	}
	uid, _ := doc["id"].(string)
	if code, _, doc := c.do("POST", "/Users", `{`+userSchema+`,"userName":"dana@acme.io"}`); code != http.StatusConflict || doc["scimType"] != "uniqueness" {
		t.Errorf("duplicate POST /Users = %d %v, want 409 uniqueness", code, doc)
	}
	code, _, doc = c.do("GET", `/Users?filter=userName+eq+%22DANA@acme.io%22`, "")
	if code != 200 || doc["totalResults"] != float64(1) {
		t.Errorf("filter = %d %v, want one result", code, doc)
	}

	_, h, _ := c.do("GET", "/Groups/"+gid, "")
	etag := h.Get("Etag")
	add := `{` + patchSchema + `,"Operations":[{"op":"add","path":"members","value":[{"value":"` + uid + `"}]}]}`
	if code, _, doc := c.do("PATCH", "/Groups/"+gid, add, "If-Match", `W/"999"`); code != http.StatusPreconditionFailed {
		t.Errorf("PATCH with stale If-Match = %d %v, want 412", code, doc)
	}
	if code, _, doc := c.do("PATCH", "/Groups/"+gid, add, "If-Match", etag); code != 200 {
		t.Fatalf("PATCH add = %d %v", code, doc)
	}
	remove := `{` + patchSchema + `,"Operations":[{"op":"remove","path":"members[value eq \"` + uid + `\"]"}]}`
	if code, _, doc := c.do("PATCH", "/Groups/"+gid, remove); code != 200 {
		t.Fatalf("PATCH remove = %d %v", code, doc)
	}
	if code, _, doc := c.do("PATCH", "/Groups/"+gid, remove); code != 400 || doc["scimType"] != "noTarget" {
		t.Errorf("second PATCH remove = %d %v, want 400 noTarget", code, doc)
	}
	if got := s.Groups()[0].Members; len(got) != 0 {
		t.Errorf("members = %v, want none", got)
	}
}

func TestAuth(t *testing.T) {
	s := New(t, Options{})
	c := client{t, s, "wrong"}
	if code, _, doc := c.do("GET", "/Users", ""); code != 401 || doc["status"] != "401" {
		t.Errorf("GET /Users with a wrong token = %d %v, want 401", code, doc)
	}
}

func TestPagination(t *testing.T) {
	s := New(t, Options{PageSize: 5, ShortPage: 3})
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		s.AddUser(User{UserName: n + "@x.io", Active: true})
	}
	c := client{t, s, s.Token()}
	_, _, doc := c.do("GET", "/Users?startIndex=4&count=10", "")
	var got []string
	for _, r := range doc["Resources"].([]any) {
		got = append(got, r.(map[string]any)["userName"].(string))
	}
	if d := cmp.Diff([]string{"d@x.io", "e@x.io", "f@x.io"}, got); d != "" {
		t.Errorf("page mismatch (-want +got):\n%s", d)
	}
	if doc["totalResults"] != float64(7) {
		t.Errorf("totalResults = %v, want 7", doc["totalResults"])
	}
}

func TestBulk(t *testing.T) {
	s := New(t, Options{Bulk: true, BulkMaxOperations: 2})
	c := client{t, s, s.Token()}
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
	 {"method":"POST","bulkId":"1","path":"/Users","data":{` + userSchema + `,"userName":"a@x.io"}},
	 {"method":"POST","bulkId":"2","path":"/Users","data":{` + userSchema + `,"userName":"A@x.io"}}]}`
	code, _, doc := c.do("POST", "/Bulk", body)
	if code != 200 {
		t.Fatalf("POST /Bulk = %d %v", code, doc)
	}
	ops := doc["Operations"].([]any)
	var statuses []string
	for _, op := range ops {
		statuses = append(statuses, op.(map[string]any)["status"].(string))
	}
	if d := cmp.Diff([]string{"201", "409"}, statuses); d != "" {
		t.Errorf("bulk statuses mismatch (-want +got):\n%s", d)
	}
	three := strings.Replace(body, `]}`, `,{"method":"DELETE","path":"/Users/x"}]}`, 1)
	if code, _, _ := c.do("POST", "/Bulk", three); code != http.StatusRequestEntityTooLarge {
		t.Errorf("bulk over maxOperations = %d, want 413", code)
	}
	if got := s.Counts()["bulk operations"]; got != 2 {
		t.Errorf("bulk operations = %d, want 2", got)
	}
}

func TestBulkIDReferences(t *testing.T) {
	s := New(t, Options{Bulk: true})
	c := client{t, s, s.Token()}
	gid := s.AddGroup("Admins")
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1,"Operations":[
	 {"method":"POST","bulkId":"u1","path":"/Users","data":{` + userSchema + `,"userName":"a@x.io"}},
	 {"method":"PATCH","bulkId":"g1","path":"/Groups/` + gid + `","data":{` + patchSchema + `,"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u1"}]}]}},
	 {"method":"PATCH","bulkId":"g2","path":"/Groups/` + gid + `","data":{` + patchSchema + `,"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:nope"}]}]}},
	 {"method":"POST","bulkId":"u2","path":"/Users","data":{` + userSchema + `,"userName":"b@x.io"}}]}`
	code, _, doc := c.do("POST", "/Bulk", body)
	if code != 200 {
		t.Fatalf("POST /Bulk = %d %v", code, doc)
	}
	var statuses []string
	for _, op := range doc["Operations"].([]any) {
		statuses = append(statuses, op.(map[string]any)["status"].(string))
	}
	// The unresolvable reference fails, and failOnErrors stops the rest.
	if d := cmp.Diff([]string{"201", "200", "409"}, statuses); d != "" {
		t.Errorf("bulk statuses mismatch (-want +got):\n%s", d)
	}
	users := s.Users()
	if len(users) != 1 {
		t.Fatalf("users = %v, want a@x.io alone", users)
	}
	if got := s.Groups()[0].Members; !cmp.Equal(got, []string{users[0].ID}) {
		t.Errorf("Admins members = %v, want [%s]", got, users[0].ID)
	}
}

func TestFaults(t *testing.T) {
	s := New(t, Options{Faults: Faults{FailWriteEvery: 2, FailWriteStatus: 429, RetryAfter: "3", FailListPage: 1}})
	c := client{t, s, s.Token()}
	if code, _, _ := c.do("GET", "/Users", ""); code != 500 {
		t.Errorf("first list = %d, want 500", code)
	}
	if code, _, _ := c.do("GET", "/Users", ""); code != 200 {
		t.Errorf("second list = %d, want 200", code)
	}
	post := `{` + userSchema + `,"userName":"a@x.io"}`
	if code, _, _ := c.do("POST", "/Users", post); code != 201 {
		t.Errorf("first write = %d, want 201", code)
	}
	code, h, _ := c.do("POST", "/Users", strings.Replace(post, "a@", "b@", 1))
	if code != 429 || h.Get("Retry-After") != "3" {
		t.Errorf("second write = %d Retry-After %q, want 429 and 3", code, h.Get("Retry-After"))
	}
	if n := len(s.Users()); n != 1 {
		t.Errorf("users = %d, want 1 (the failed write is not applied)", n)
	}
	s.SetFaults(Faults{ResetEvery: 1})
	req, _ := http.NewRequest("GET", s.BaseURL+"/Users", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			t.Errorf("reset: read the whole response, want an error")
		}
	}
}

func TestRateLimit(t *testing.T) {
	// A budget of 2 writes (a long window, so that none comes back during
	// the test), reads unlimited.
	s := New(t, Options{RateLimit: RateLimit{Writes: 0.1, Window: 20 * time.Second, Headers: true}})
	c := client{t, s, s.Token()}
	post := `{` + userSchema + `,"userName":"%s@x.io"}`
	for i, name := range []string{"a", "b"} {
		code, h, _ := c.do("POST", "/Users", fmt.Sprintf(post, name))
		if code != 201 {
			t.Fatalf("write %d = %d, want 201", i+1, code)
		}
		if got := h.Get("RateLimit-Remaining"); got != strconv.Itoa(1-i) {
			t.Errorf("write %d: RateLimit-Remaining %q, want %d", i+1, got, 1-i)
		}
	}
	code, h, doc := c.do("POST", "/Users", fmt.Sprintf(post, "c"))
	if code != 429 || h.Get("Retry-After") != "10" || doc["status"] != "429" {
		t.Errorf("third write = %d Retry-After %q status %v, want 429, 10 (the seconds until a write fits) and a SCIM error", code, h.Get("Retry-After"), doc["status"])
	}
	if got := h.Get("RateLimit-Limit"); got != "2" {
		t.Errorf("RateLimit-Limit %q, want 2", got)
	}
	if got := h.Get("RateLimit-Reset"); got != "20" {
		t.Errorf("RateLimit-Reset %q, want 20 (the seconds until the budget is whole)", got)
	}
	if code, _, _ := c.do("GET", "/Users", ""); code != 200 {
		t.Errorf("a read after the writes ran out = %d, want 200: reads have a budget of their own", code)
	}
	if n := len(s.Users()); n != 2 {
		t.Errorf("users = %d, want 2 (the refused write is not applied)", n)
	}
	if got := s.Counts()["429"]; got != 1 {
		t.Errorf(`Counts()["429"] = %d, want 1`, got)
	}
}

func TestDialectAndCursor(t *testing.T) {
	s := New(t, Options{PageSize: 2, Cursor: true, Dialect: Dialect{StringActive: true, LowercaseResources: true}})
	for _, name := range []string{"a", "b", "c"} {
		s.AddUser(User{UserName: name + "@x.io", Active: name != "b"})
	}
	c := client{t, s, s.Token()}
	var actives []any
	cursor := ""
	for page := 0; page < 3; page++ {
		code, _, doc := c.do("GET", "/Users?count=2&cursor="+cursor, "")
		if code != 200 {
			t.Fatalf("page %d = %d, want 200", page+1, code)
		}
		rs, _ := doc["resources"].([]any)
		for _, r := range rs {
			actives = append(actives, r.(map[string]any)["active"])
		}
		next, _ := doc["nextCursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if d := cmp.Diff([]any{"True", "False", "True"}, actives); d != "" {
		t.Errorf("active over the cursor pages (-want +got):\n%s", d)
	}
	only := New(t, Options{CursorOnly: true})
	c = client{t, only, only.Token()}
	if code, _, doc := c.do("GET", "/Users?startIndex=1", ""); code != 400 || doc["scimType"] != "invalidValue" {
		t.Errorf("startIndex on a cursor-only server = %d %v, want 400 invalidValue", code, doc["scimType"])
	}
}

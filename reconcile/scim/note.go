package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// noteOption is the note=ATTRIBUTE option of a workspace URL: the user
// attribute that carries the invite note to the people an apply creates
// or reactivates. SCIM has no standard attribute for an invitation
// message, so the provider must name one in /Schemas (an extension
// attribute it emails from, or a core one); New takes the option as
// written, and the first Snapshot or Execute checks it against /Schemas
// before anything is written.
type noteOption struct {
	raw    string // as written in the URL
	schema string // the schema URN: the core User schema or an extension's
	name   string // the attribute, top-level in the schema

	mu      sync.Mutex
	checked bool // /Schemas has the attribute, a writable single string
}

// parseNote reads note=ATTRIBUTE: "urn:…:User:inviteNote" for an
// attribute of a schema extension, "nickName" (or the core schema's URN
// and the name) for a core one.
func parseNote(v string) (*noteOption, error) {
	n := &noteOption{raw: v, schema: userSchema, name: v}
	if i := strings.LastIndex(v, ":"); i >= 0 {
		n.schema, n.name = v[:i], v[i+1:]
		if !strings.HasPrefix(strings.ToLower(n.schema), "urn:") {
			return nil, fmt.Errorf("scim: workspace URL: note=%q: an attribute with a schema starts with urn: (urn:…:User:inviteNote)", v)
		}
	}
	switch {
	case v == "":
		return nil, fmt.Errorf("scim: workspace URL: note= names no attribute; name the user attribute that carries the invite note (note=urn:…:User:inviteNote)")
	case strings.Contains(n.name, "."):
		return nil, fmt.Errorf("scim: workspace URL: note=%q: sub-attributes are not supported; name a top-level string attribute of the user", v)
	case !validAttrName(n.name):
		return nil, fmt.Errorf("scim: workspace URL: note=%q: %q is not an attribute name (a letter, then letters, digits, - or _)", v, n.name)
	}
	return n, nil
}

// validAttrName reports whether s is an ATTRNAME of RFC 7644 section 3.10.
func validAttrName(s string) bool {
	for i, r := range s {
		switch {
		case r < 0x80 && ('a' <= r|0x20 && r|0x20 <= 'z'):
		case i > 0 && (r == '-' || r == '_' || '0' <= r && r <= '9'):
		default:
			return false
		}
	}
	return s != ""
}

func (n *noteOption) core() bool { return strings.EqualFold(n.schema, userSchema) }

// path is the attribute path of a PATCH operation that sets the note.
func (n *noteOption) path() string {
	if n.core() {
		return n.name
	}
	return n.schema + ":" + n.name
}

// setIn puts the note into a user document for a POST or a PUT.
func (n *noteOption) setIn(doc map[string]any, note string) {
	if n.core() {
		doc[n.name] = note
		return
	}
	ext, _ := doc[n.schema].(map[string]any)
	if ext == nil {
		ext = map[string]any{}
		doc[n.schema] = ext
	}
	ext[n.name] = note
	var schemas []string
	switch s := doc["schemas"].(type) {
	case []string:
		schemas = s
	case []any:
		for _, v := range s {
			if str, ok := v.(string); ok {
				schemas = append(schemas, str)
			}
		}
	}
	if !slices.ContainsFunc(schemas, func(s string) bool { return strings.EqualFold(s, n.schema) }) {
		doc["schemas"] = append(slices.Clone(schemas), n.schema)
	}
}

// SendsInviteNote reports whether the workspace URL names the attribute
// that carries the invite note (note=): without it, the people an apply
// invites get no note, and the command says so (reconcile.NoteSender).
func (w *Workspace) SendsInviteNote() bool { return w.ep.note != nil }

// ConfirmsWrites reports true: Execute reports a change applied only when
// the read-back after its batch shows it (verify.go).
func (w *Workspace) ConfirmsWrites() bool { return true }

// schemaDoc is what teamctl reads of a schema of /Schemas.
type schemaDoc struct {
	ID         string `json:"id"`
	Attributes []struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		MultiValued bool   `json:"multiValued"`
		Mutability  string `json:"mutability"`
	} `json:"attributes"`
}

// checkNote checks, once, that the provider's /Schemas has the note=
// attribute: a single-valued string the client may write. It is nil
// without the option.
func (w *Workspace) checkNote(ctx context.Context) error {
	n := w.ep.note
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.checked {
		return nil
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("scim: note=%s: "+format, append([]any{n.raw}, args...)...)
	}
	resp, err := w.do(ctx, http.MethodGet, "/Schemas", nil, "")
	if err != nil {
		return fail("read the provider's /Schemas to check the attribute: %w; without /Schemas, drop note= and send the invite note yourself", err)
	}
	var list struct {
		Resources []schemaDoc `json:"Resources"`
	}
	if err := json.Unmarshal(resp.body, &list); err != nil || len(list.Resources) == 0 {
		var plain []schemaDoc // some providers answer a bare array
		if json.Unmarshal(resp.body, &plain) != nil || len(plain) == 0 {
			return fail("the provider's /Schemas lists no schema; drop note= and send the invite note yourself")
		}
		list.Resources = plain
	}
	var ids []string
	for _, s := range list.Resources {
		if !strings.EqualFold(s.ID, n.schema) {
			ids = append(ids, oneLine(s.ID))
			continue
		}
		for _, a := range s.Attributes {
			if !strings.EqualFold(a.Name, n.name) {
				continue
			}
			switch {
			case !strings.EqualFold(a.Type, "string") || a.MultiValued:
				return fail("attribute %s of %s is not a single string; name one that is", oneLine(a.Name), oneLine(s.ID))
			case strings.EqualFold(a.Mutability, "readOnly") || strings.EqualFold(a.Mutability, "immutable"):
				return fail("attribute %s of %s is %s, so teamctl cannot set it; name a writable attribute", oneLine(a.Name), oneLine(s.ID), oneLine(a.Mutability))
			}
			n.checked = true
			return nil
		}
		return fail("the provider's schema %s has no attribute %s; name one it lists in /Schemas", oneLine(s.ID), n.name)
	}
	slices.Sort(ids)
	if len(ids) > 10 {
		ids = append(ids[:10], fmt.Sprintf("%d more", len(ids)-10))
	}
	return fail("the provider's /Schemas has no schema %s (it has %s); name an attribute of one of them", n.schema, strings.Join(ids, ", "))
}

// sendNote makes op, the creation or the reactivation of a user, set the
// invite note too, when the URL names its attribute (note=).
func (w *Workspace) sendNote(op *userOp, note string) {
	n := w.ep.note
	if n == nil || note == "" {
		return
	}
	op.note = note
	switch body := op.body.(type) {
	case map[string]any:
		if ops, ok := body["Operations"].([]map[string]any); ok { // PATCH
			body["Operations"] = append(ops, map[string]any{"op": "replace", "path": n.path(), "value": note})
			return
		}
		n.setIn(body, note) // POST
	}
	// A PUT (no PATCH) has no body yet: putUser sets the note with active.
}

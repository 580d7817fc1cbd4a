package scim_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

const note = "Open Campaigns on first login and check you see the launch team."

// withNote returns a Config modifier that adds note=attr to the URL.
func withNote(attr string) func(*scim.Config) {
	return func(cfg *scim.Config) { cfg.URL += "?note=" + url.QueryEscape(attr) }
}

// noteOf reads the note attribute of the stored user id back: an
// extension attribute under its schema, else a core one.
func noteOf(srv *scimtest.Server, id, attr string) any {
	doc := srv.UserAttributes(id)
	attr = strings.TrimPrefix(attr, "urn:ietf:params:scim:schemas:core:2.0:User:")
	if i := strings.LastIndex(attr, ":"); i >= 0 {
		ext, _ := doc[attr[:i]].(map[string]any)
		return ext[attr[i+1:]]
	}
	return doc[attr]
}

// TestInviteNoteSet invites a new user and reactivates a suspended one
// with note=, by PATCH, by PUT and in Bulk, and reads each user back: the
// attribute holds the note. A user already active is left alone.
func TestInviteNoteSet(t *testing.T) {
	tests := []struct {
		name string
		opts scimtest.Options
		attr string
	}{
		{"extension", scimtest.Options{NoteExtension: true}, scimtest.NoteAttribute},
		{"extension without PATCH", scimtest.Options{NoteExtension: true, NoPatch: true, ETags: true}, scimtest.NoteAttribute},
		{"extension in Bulk", scimtest.Options{NoteExtension: true, Bulk: true}, scimtest.NoteAttribute},
		{"core attribute", scimtest.Options{}, "nickName"},
		{"core attribute by URN", scimtest.Options{}, "urn:ietf:params:scim:schemas:core:2.0:User:nickName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := scimtest.New(t, tt.opts)
			seed(srv, []reconcile.Member{
				member("dana@acme.io", schema.Admin),
				{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Suspended},
				member("sam@acme.io", schema.Operator),
			})
			ws := newWorkspace(t, srv, withNote(tt.attr))
			if !ws.SendsInviteNote() {
				t.Error("SendsInviteNote() = false with note=")
			}
			live := snapshot(t, ws)
			noErrors(t, ws.Execute(ctx, []reconcile.Change{
				{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator, Note: note},
				{Action: reconcile.Invite, Email: "rita@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Reviewer, RoleAfter: schema.Reviewer, Note: note},
				{Action: reconcile.Invite, Email: "sam@acme.io", ID: live.Members[2].ID, RoleBefore: schema.Operator, RoleAfter: schema.Operator, Note: note},
			}))
			got := map[string]any{}
			for _, u := range srv.Users() {
				got[u.UserName] = noteOf(srv, u.ID, tt.attr)
			}
			want := map[string]any{"dana@acme.io": nil, "rita@acme.io": note, "sam@acme.io": nil, "olivia@acme.io": note}
			for who, w := range want {
				if got[who] != w {
					t.Errorf("%s: %s = %#v, want %#v", who, tt.attr, got[who], w)
				}
			}
		})
	}
}

// TestInviteNoteAttributeChecked refuses, before any write, an apply whose
// note= names an attribute the provider's /Schemas lacks or that cannot
// hold the note.
func TestInviteNoteAttributeChecked(t *testing.T) {
	tests := []struct {
		name, attr, want string
	}{
		{"no such extension", scimtest.NoteAttribute, "the provider's /Schemas has no schema urn:ietf:params:scim:schemas:extension:acme:2.0:User (it has urn:ietf:params:scim:schemas:core:2.0:Group, "},
		{"no such core attribute", "inviteNote", "the provider's schema urn:ietf:params:scim:schemas:core:2.0:User has no attribute inviteNote"},
		{"not a string", "emails", "attribute emails of urn:ietf:params:scim:schemas:core:2.0:User is not a single string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := scimtest.New(t, scimtest.Options{})
			seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin)})
			ws := newWorkspace(t, srv, withNote(tt.attr))
			if _, err := ws.Snapshot(ctx); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Snapshot() error = %v, want one saying %q", err, tt.want)
			}
			errs := ws.Execute(ctx, []reconcile.Change{{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator, Note: note}})
			if errs[0] == nil || !strings.Contains(errs[0].Error(), "scim: note="+tt.attr+": "+tt.want) {
				t.Errorf("Execute() error = %v, want one saying %q", errs[0], tt.want)
			}
			if n := srv.Counts()["writes"]; n != 0 {
				t.Errorf("%d writes, want none before the attribute is known", n)
			}
		})
	}
}

func TestParseNoteOption(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	for attr, want := range map[string]string{
		"":                           "note= names no attribute",
		"name.givenName":             "sub-attributes are not supported",
		"in vite":                    `"in vite" is not an attribute name`,
		"acme:inviteNote":            "an attribute with a schema starts with urn:",
		scimtest.NoteSchema + ":9to": `"9to" is not an attribute name`,
	} {
		_, err := scim.New(scim.Config{URL: srv.URL + "?note=" + url.QueryEscape(attr), Token: srv.Token()})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(note=%q) error = %v, want one saying %q", attr, err, want)
		}
	}
	ws := newWorkspace(t, srv, nil)
	if ws.SendsInviteNote() {
		t.Error("SendsInviteNote() = true without note=")
	}
}

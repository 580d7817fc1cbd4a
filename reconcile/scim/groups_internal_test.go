package scim

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/schema"
)

// TestTwoRoleGroupsOfOneName is issue 19's sixth finding on both paths
// that find a role group: the filter path took the first of two groups
// named Admins, the list path the last, so an intruder's group could be
// taken for Admins. Two groups of the name are an error naming both ids,
// and so are two whose names differ from it only in case.
func TestTwoRoleGroupsOfOneName(t *testing.T) {
	docs := func(groups ...string) []json.RawMessage {
		var out []json.RawMessage
		for i, name := range groups {
			b, _ := json.Marshal(map[string]any{"id": "g-" + string(rune('a'+i)), "displayName": name, "members": []any{}})
			out = append(out, b)
		}
		return out
	}
	tests := []struct {
		name   string
		groups []json.RawMessage
		want   string // the id found, or the error's words
	}{
		{"one", docs("Admins", "Operators"), "g-a"},
		{"one exact beside one folded", docs("admins", "Admins"), "g-b"},
		{"one folded", docs("ADMINS"), "g-a"},
		{"two exact", docs("Admins", "Operators", "Admins"), `2 groups are named "Admins" (ids g-a, g-c)`},
		{"two folded", docs("admins", "ADMINS"), `2 groups are named "Admins" (ids g-a, g-b)`},
	}
	w := &Workspace{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listed, err := w.findGroup(tt.groups, "Admins", schema.Admin)
			picked, _, perr := pickGroup(tt.groups, "Admins", schema.Admin)
			for path, got := range map[string]struct {
				g   *group
				err error
			}{"list": {listed, err}, "filter": {picked, perr}} {
				switch {
				case got.err != nil && !strings.Contains(got.err.Error(), tt.want):
					t.Errorf("%s path: error = %v, want %q", path, got.err, tt.want)
				case got.err == nil && (got.g == nil || got.g.id != tt.want):
					t.Errorf("%s path: found %+v, want %s", path, got.g, tt.want)
				}
			}
		})
	}
}

package scim

import (
	"net/http"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	bulk := func(path string) any {
		return map[string]any{"Operations": []bulkOperation{{Method: http.MethodPatch, Path: "/Groups/g1"}, {Method: http.MethodDelete, Path: path}}}
	}
	tests := []struct {
		path    string
		body    any
		refused string // the id named in the error; "" for none
	}{
		{"/Users/u-1", nil, ""},
		{"/Users/a.b", nil, ""},
		{"/Users/...", nil, ""},
		{"/Users?filter=userName%20eq%20%22..%22", nil, ""},
		{"/Users/..", nil, `".."`},
		{"/Users/.", nil, `"."`},
		{"/Users/%2E%2E", nil, `".."`},
		{"/Users/%2e", nil, `"."`},
		{"/Groups/../Users", nil, `".."`},
		{"/Bulk", bulk("/Users/u-2"), ""},
		{"/Bulk", bulk("/Users/.."), `".."`},
	}
	for _, tt := range tests {
		err := checkPath(http.MethodDelete, tt.path, tt.body)
		switch {
		case tt.refused == "" && err != nil:
			t.Errorf("checkPath(%q) = %v, want nil", tt.path, err)
		case tt.refused != "" && (err == nil || !strings.Contains(err.Error(), "refused: the id "+tt.refused)):
			t.Errorf("checkPath(%q) = %v, want a refusal of %s", tt.path, err, tt.refused)
		}
	}
}

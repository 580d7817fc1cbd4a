package local_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/workspacetest"
)

// TestContract runs the contract every workspace backend passes.
func TestContract(t *testing.T) {
	workspacetest.Run(t, func(t *testing.T, seed []reconcile.Member) reconcile.Workspace {
		path := filepath.Join(t.TempDir(), "workspace.json")
		if seed != nil {
			type member struct {
				Email  string `json:"email"`
				Name   string `json:"name,omitempty"`
				Role   string `json:"role"`
				Status string `json:"status"`
			}
			doc := struct {
				Name    string   `json:"name"`
				Members []member `json:"members"`
			}{Name: "acme-outbound"}
			for _, m := range seed {
				doc.Members = append(doc.Members, member{Email: m.Email, Name: m.Name, Role: string(m.Role), Status: string(m.Status)})
			}
			data, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		ws := local.New(path)
		ws.Now = func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }
		return ws
	})
}

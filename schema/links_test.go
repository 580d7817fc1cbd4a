package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadLinks: a symbolic link is followed only within the repository
// that holds the team (or the team's directory outside one), so that a
// team file linked to a token elsewhere is refused without being read.
func TestLoadLinks(t *testing.T) {
	const token = "s3cr3t-token-value-0123456789"
	tests := []struct {
		name    string
		repo    bool              // make the temporary directory a repository
		links   map[string]string // link → target, relative to the temporary directory
		load    string
		wantErr string // "" for success
	}{
		{
			name:    "entry linking outside the team directory, no repository",
			links:   map[string]string{"team.d/zz.yaml": "secrets/token"},
			load:    "team.d",
			wantErr: "team.d/zz.yaml is a symbolic link to a file outside the repository",
		},
		{
			name:    "entry linking outside the repository",
			repo:    true,
			links:   map[string]string{"repo/team.d/zz.yaml": "secrets/token"},
			load:    "repo/team.d",
			wantErr: "repo/team.d/zz.yaml is a symbolic link to a file outside the repository",
		},
		{
			name:    "team file named with -f linking outside",
			links:   map[string]string{"team.d/team.yaml": "secrets/token"},
			load:    "team.d/team.yaml",
			wantErr: "is a symbolic link to a file outside the repository",
		},
		{
			name:    "entry linking to the link itself",
			links:   map[string]string{"team.d/zz.yaml": "team.d/zz.yaml"},
			load:    "team.d",
			wantErr: "load team:",
		},
		{
			name:  "entry linking inside the team directory",
			links: map[string]string{"team.d/team.yaml": "team.d/shared/team.txt"},
			load:  "team.d",
		},
		{
			name:  "entry linking inside the repository",
			repo:  true,
			links: map[string]string{"repo/team.d/team.yaml": "repo/team.d/shared/team.txt"},
			load:  "repo/team.d",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			for _, d := range []string{"secrets", "team.d/shared", "repo/team.d/shared"} {
				mustMkdir(t, d)
			}
			if tt.repo {
				mustMkdir(t, "repo/.git")
			}
			mustWrite(t, "secrets/token", token+"\n")
			mustWrite(t, "team.d/shared/team.txt", validTeam)
			mustWrite(t, "repo/team.d/shared/team.txt", validTeam)
			for link, target := range tt.links {
				if err := os.Symlink(filepath.Join(dir, target), link); err != nil {
					t.Skip("no symlinks here:", err)
				}
			}
			_, err := Load(tt.load)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Load(%s) error = %v, want none", tt.load, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Load(%s) error = %v, want %q", tt.load, err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), token):
				t.Fatalf("Load(%s) error quotes the linked file: %v", tt.load, err)
			}
		})
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

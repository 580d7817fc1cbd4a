package main

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuildVersion covers the three ways teamctl is built: a release
// (stamped by the linker), go install of a module version (no vcs
// settings), and go build in a clone (vcs settings, perhaps modified).
func TestBuildVersion(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name  string
		stamp stamp
		info  *debug.BuildInfo
		want  versionInfo
	}{
		{
			name:  "release build: the stamp wins over the vcs settings",
			stamp: stamp{version: "v1.2.0", commit: "abc1234", date: "2026-12-02T20:00:00Z"},
			info:  &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			want:  versionInfo{FormatVersion: "1", Version: "v1.2.0", Commit: "abc1234", Date: "2026-12-02T20:00:00Z", GoVersion: "go1.26.8", Platform: platform},
		},
		{
			name: "go install of a module version: no commit known",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}},
			want: versionInfo{FormatVersion: "1", Version: "v1.2.0", GoVersion: "go1.26.8", Platform: platform},
		},
		{
			name: "go build in a modified clone",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201100000-0123456789ab+dirty"}, Settings: vcs},
			want: versionInfo{
				FormatVersion: "1", Version: "v0.0.0-20261201100000-0123456789ab+dirty",
				Commit: "0123456789abcdef0123456789abcdef01234567", Modified: true, Date: "2026-12-01T10:00:00Z",
				GoVersion: "go1.26.8", Platform: platform,
			},
		},
		{
			name: "no build info",
			want: versionInfo{FormatVersion: "1", Version: "(devel)", GoVersion: runtime.Version(), Platform: platform},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildVersion(tt.stamp, tt.info)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("buildVersion() mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestVersionText(t *testing.T) {
	got := versionText(versionInfo{Version: "v0.0.0-x+dirty", Modified: true, GoVersion: "go1.26.8", Platform: "linux/amd64"})
	want := "teamctl v0.0.0-x+dirty\n  commit: unknown (modified)\n  built:  unknown\n  go:     go1.26.8 linux/amd64\n"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("versionText() mismatch (-want +got):\n%s", d)
	}
}

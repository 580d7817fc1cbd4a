package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// goreleaserConfig is the part of .goreleaser.yaml the test reads.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Before  struct {
		Hooks []string `yaml:"hooks"`
	} `yaml:"before"`
	Builds []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		GOOS    []string `yaml:"goos"`
		GOARCH  []string `yaml:"goarch"`
		LDFlags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		NameTemplate string   `yaml:"name_template"`
		Files        []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
}

// TestGoreleaserConfig checks what ties .goreleaser.yaml to the code and
// that goreleaser check cannot see: the linker stamps the variables
// version.go reads, every platform is built, and the archives carry a
// completion script for every shell teamctl completion knows and the
// manual pages. make release-check runs goreleaser itself (minutes: it is not part
// of make test).
func TestGoreleaserConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if c.Version != 2 {
		t.Errorf("version = %d, want 2 (GoReleaser v2)", c.Version)
	}
	if len(c.Builds) != 1 || len(c.Archives) != 1 {
		t.Fatalf("want one build and one archive, got %d and %d", len(c.Builds), len(c.Archives))
	}
	b := c.Builds[0]
	if b.Main != "./cmd/teamctl" || b.Binary != "teamctl" {
		t.Errorf("build main %q binary %q, want ./cmd/teamctl and teamctl", b.Main, b.Binary)
	}
	slices.Sort(b.GOOS)
	slices.Sort(b.GOARCH)
	if d := cmp.Diff([]string{"darwin", "linux", "windows"}, b.GOOS); d != "" {
		t.Errorf("goos mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"amd64", "arm64"}, b.GOARCH); d != "" {
		t.Errorf("goarch mismatch (-want +got):\n%s", d)
	}

	// The stamped variables exist (this does not compile otherwise) and
	// the linker sets each of them.
	_ = []*string{&version, &commit, &date}
	ld := strings.Join(b.LDFlags, " ")
	for _, v := range []string{"main.version=v{{ .Version }}", "main.commit=", "main.date="} {
		if !strings.Contains(ld, "-X "+v) {
			t.Errorf("ldflags %q do not set %s", ld, v)
		}
	}

	// Installers (teamctl help install) download teamctl_VERSION_OS_ARCH
	// and check it against checksums.txt.
	if got, want := c.Archives[0].NameTemplate, "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"; got != want {
		t.Errorf("archive name_template = %q, want %q", got, want)
	}
	if c.Checksum.NameTemplate != "checksums.txt" || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v, want checksums.txt with sha256", c.Checksum)
	}

	for _, files := range []string{"completions/*", "man/*"} {
		if !slices.Contains(c.Archives[0].Files, files) {
			t.Errorf("archive files %v lack %s", c.Archives[0].Files, files)
		}
	}
	hooks := strings.Join(c.Before.Hooks, "\n")
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	completion, _, err := root.Find([]string{"completion"})
	if err != nil {
		t.Fatal(err)
	}
	loop := "for sh in " + strings.Join(completion.ValidArgs, " ") + "; do go run ./cmd/teamctl completion \"$sh\" > \"completions/teamctl.$sh\""
	if !strings.Contains(hooks, loop) {
		t.Errorf("before hooks %q do not write a completion for each of %v", hooks, completion.ValidArgs)
	}
	// The manual pages, from the command that writes them, dated by the
	// commit (a build date would make two builds differ).
	if !strings.Contains(hooks, `go run ./cmd/teamctl man --dir man --date "{{ .CommitDate }}"`) {
		t.Errorf("before hooks %q do not write the manual pages into man/", hooks)
	}
	if _, _, err := root.Find([]string{"man"}); err != nil {
		t.Errorf("the hook runs teamctl man, which is no command: %v", err)
	}
}

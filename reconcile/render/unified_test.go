package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile/render"
)

func TestUnifiedDiff(t *testing.T) {
	lines := func(n int, change map[int]string) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			if s, ok := change[i]; ok {
				if s != "" {
					b.WriteString(s + "\n")
				}
				continue
			}
			fmt.Fprintf(&b, "line %d\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{
			name: "one change in the middle",
			from: lines(10, nil),
			to:   lines(10, map[int]string{5: "line five"}),
			want: "--- live\n+++ declared\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
		},
		{
			name: "two hunks",
			from: lines(20, nil),
			to:   lines(20, map[int]string{2: "", 18: "line 18\nline 18b"}),
			want: "--- live\n+++ declared\n@@ -1,5 +1,4 @@\n line 1\n-line 2\n line 3\n line 4\n line 5\n@@ -16,5 +15,6 @@\n line 16\n line 17\n line 18\n+line 18b\n line 19\n line 20\n",
		},
		{
			name: "from empty",
			from: "",
			to:   "a\nb\n",
			want: "--- live\n+++ declared\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		},
		{
			name: "no final newline",
			from: "a\n",
			to:   "a\nb",
			want: "--- live\n+++ declared\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			differ, err := render.UnifiedDiff(&b, "live", "declared", tt.from, tt.to, false)
			if err != nil {
				t.Fatal(err)
			}
			if differ != (tt.want != "") {
				t.Errorf("UnifiedDiff() differ = %v", differ)
			}
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Errorf("UnifiedDiff() mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// BenchmarkUnifiedDiff diffs two rosters of 100,000 lines that differ in
// one line of ten.
func BenchmarkUnifiedDiff(b *testing.B) {
	var from, to strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&from, "  - p%06d@x.io\n", i)
		if i%10 == 0 {
			fmt.Fprintf(&to, "  - q%06d@x.io\n", i)
		} else {
			fmt.Fprintf(&to, "  - p%06d@x.io\n", i)
		}
	}
	for b.Loop() {
		var out bytes.Buffer
		if _, err := render.UnifiedDiff(&out, "a", "b", from.String(), to.String(), false); err != nil {
			b.Fatal(err)
		}
	}
}

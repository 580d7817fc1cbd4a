package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"out", "out", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"maira", "maria", 1}, // a swap is one edit
		{"detailed-exit-code", "detailed-exitcode", 1},
		{"kitten", "sitting", 3},
		{"signedin", "signed-in", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	flags := []string{"actor", "auto-approve", "detailed-exitcode", "out", "output"}
	tests := []struct {
		name   string
		word   string
		want   string
		wantOK bool
	}{
		{"exact", "out", "out", true},
		{"case ignored", "OUT", "out", true},
		{"one edit in a long word", "detailed-exit-code", "detailed-exitcode", true},
		{"a swap", "atuo-approve", "auto-approve", true},
		{"too far for a short word", "foo", "", false},
		{"nothing near", "workspace", "", false},
		{"tie goes to the earlier candidate", "outs", "out", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Closest(tt.word, flags)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Closest(%q) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("maira@acme.io", "maria@acme.io")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Distance(a, b)
		if d < 0 || d > max(len([]rune(a)), len([]rune(b))) {
			t.Fatalf("Distance(%q, %q) = %d, out of range", a, b, d)
		}
		if len([]rune(a)) > 64 || len([]rune(b)) > 64 {
			return // not compared
		}
		if (d == 0) != (string([]rune(a)) == string([]rune(b))) {
			t.Fatalf("Distance(%q, %q) = %d, but equality is %v", a, b, d, a == b)
		}
	})
}

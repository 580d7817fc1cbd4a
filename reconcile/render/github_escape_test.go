package render

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ in, data, property string }{
		{"plain", "plain", "plain"},
		{"50% done", "50%25 done", "50%25 done"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"team.d/a, b: c.yaml", "team.d/a, b: c.yaml", "team.d/a%2C b%3A c.yaml"},
		{"%0A", "%250A", "%250A"},
		{"bell\a", `bell\a`, `bell\a`},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.property {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.property)
		}
	}
}

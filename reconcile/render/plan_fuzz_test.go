package render_test

import (
	"bytes"
	"testing"

	"github.com/teamctl/teamctl/reconcile/render"
)

// FuzzReadPlanJSON feeds arbitrary bytes to the saved-plan reader: it
// never panics, and whatever it accepts writes back to a document it
// accepts again.
func FuzzReadPlanJSON(f *testing.F) {
	f.Add([]byte(`{"format_version":"1"}`))
	f.Add([]byte(`{"format_version":"1","changes":[{"action":"invite","email":"a@x.io","role_after":"admin","file":"t.yaml","line":3}],"checksum":"x"}`))
	f.Add([]byte(`[1,2`))
	var b bytes.Buffer
	if err := render.PlanJSON(&b, everyKind(f, true)); err == nil {
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		plan, err := render.ReadPlanJSON(data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := render.PlanJSON(&out, plan); err != nil {
			t.Fatalf("PlanJSON() of an accepted plan: %v", err)
		}
		if _, err := render.ReadPlanJSON(out.Bytes()); err != nil {
			t.Fatalf("ReadPlanJSON() rejects what PlanJSON wrote: %v", err)
		}
	})
}

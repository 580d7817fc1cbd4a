package render_test

import (
	"io"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/synth"
	"github.com/teamctl/teamctl/schema"
)

// BenchmarkRender renders the plan of each roster size (5% drift) as text
// and as the JSON document.
func BenchmarkRender(b *testing.B) {
	for _, format := range []struct {
		name   string
		render func(io.Writer, *reconcile.Plan) error
	}{
		{"text", func(w io.Writer, p *reconcile.Plan) error { return render.PlanText(w, p, false) }},
		{"json", planfile.Write},
	} {
		b.Run(format.name, func(b *testing.B) {
			synth.EachSize(b, func(b *testing.B, n int) {
				plan := benchPlan(b, n)
				synth.PerPerson(b, n, func() {
					if err := format.render(io.Discard, plan); err != nil {
						b.Fatal(err)
					}
				})
			})
		})
	}
}

func benchPlan(b *testing.B, n int) *reconcile.Plan {
	b.Helper()
	path, _ := synth.BenchFiles(b, n)
	team, err := schema.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := reconcile.Diff(team, synth.BenchFixture(b, n).Live, reconcile.DiffOptions{Now: synth.BenchNow})
	if err != nil {
		b.Fatal(err)
	}
	plan.Findings = schema.Validate(team, synth.BenchNow)
	return plan
}

package schema

// Finding is a rule that does not hold for the team, at the place that
// breaks it.
type Finding struct {
	Rule     string   // stable rule id, such as "backup-admin"
	Severity Severity // after policy overrides; never Off
	Pos      Pos
	Message  string // what is wrong, in plain words
	Hint     string // how to fix it
}

// HasErrors reports whether any of fs is an error, which blocks an apply.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

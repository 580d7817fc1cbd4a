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

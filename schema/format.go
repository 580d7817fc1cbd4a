package schema

// The team-file format is described once, here, as a tree of shapes. The
// loader checks YAML nodes against it (unknown keys, wrong types, malformed
// values) and `teamctl schema` prints it as a JSON Schema, so the two cannot
// drift apart.

// kind is the type of a value in the team file.
type kind int

const (
	kindMap    kind = iota // fixed keys, listed in fields
	kindDict               // keys from keys, every value of shape elem (policy.rules)
	kindList               // a list of elem
	kindString             // one line of text
	kindText               // text that may span lines (invite_note)
	kindEmail              // an email address
	kindHandle             // a GitHub @user or @org/team, or an email address
	kindInt
	kindBool
	kindDate // YYYY-MM-DD
	kindEnum // one of enum
)

// shape is what a value in the team file must look like.
type shape struct {
	kind   kind
	doc    string
	noun   string   // kindDict: what a key is, for messages ("rule", "role")
	what   string   // kindDict: what the whole holds, for messages
	fields []field  // kindMap, in the order the format documents them
	elem   *shape   // kindList, kindDict
	keys   []string // kindDict: the allowed keys
	enum   []string // kindEnum
	one    bool     // kindList: a single value may stand for a list of one
	min    int      // kindInt: the least value
	max    int      // kindInt: the greatest; 0 means no limit
	ex     []string // examples, for editors
}

// field is one key of a map.
type field struct {
	key      string
	required bool
	shape    *shape
}

// lookup returns the field named key.
func (s *shape) lookup(key string) (field, bool) {
	for _, f := range s.fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// roleNames returns the roles as text, in plan order.
func roleNames() []string {
	out := make([]string, len(Roles))
	for i, r := range Roles {
		out[i] = string(r)
	}
	return out
}

// workflowAdminAreas are the workflows whose owners and backups must be
// admins (rule workflow-role).
var workflowAdminAreas = []string{"billing", "integrations", "settings", "recovery"}

func personShape(role string) *shape {
	return &shape{
		kind: kindList,
		doc:  "The people who hold the " + role + " role.",
		elem: &shape{
			kind: kindMap,
			doc:  "A person: their email is their identity.",
			fields: []field{
				{key: "email", required: true, shape: &shape{kind: kindEmail, doc: "Email address; compared case-insensitively.", ex: []string{"dana@acme.io"}}},
				{key: "name", shape: &shape{kind: kindString, doc: "Display name.", ex: []string{"Dana Ortiz"}}},
				{key: "until", shape: &shape{kind: kindDate, doc: "Last day of the person's access, YYYY-MM-DD, that day included (rule access-expiry); teamctl never removes anyone on its own.", ex: []string{"2027-01-31"}}},
				{key: "previously", shape: &shape{kind: kindList, one: true, doc: "The person's earlier emails (an email or a list): a workspace member under one of them is renamed in place, keeping role and history.", elem: &shape{kind: kindEmail, doc: "An email the person had before.", ex: []string{"olivia@acme.io"}}}},
				{key: "reviewed", shape: &shape{kind: kindDate, doc: "Day the person's access was last confirmed, YYYY-MM-DD (rule access-review); teamctl review --mark writes it.", ex: []string{"2026-11-30"}}},
			},
		},
	}
}

func emailsShape(doc string) *shape {
	return &shape{kind: kindList, one: true, doc: doc, elem: &shape{kind: kindEmail, doc: "Email address of a declared person."}}
}

func handlesShape(doc string) *shape {
	return &shape{kind: kindList, one: true, doc: doc, elem: &shape{kind: kindHandle, doc: "A GitHub @user or @org/team, or an email address.", ex: []string{"@acme/sales-ops"}}}
}

// teamShape returns the whole format of a team file.
func teamShape() *shape {
	ruleIDs := RuleIDs()
	return &shape{
		kind: kindMap,
		doc:  "A teamctl team file: who holds which role in a Callaro workspace, who backs up whom, and who owns each workflow.",
		fields: []field{
			{key: "version", required: true, shape: &shape{kind: kindInt, min: 1, max: 1, doc: "Format version; only 1 exists."}},
			{key: "workspace", shape: &shape{kind: kindString, doc: "The live workspace's name.", ex: []string{"acme-outbound"}}},
			{key: "launch", shape: &shape{kind: kindDate, doc: "Day of the first live campaign, YYYY-MM-DD.", ex: []string{"2026-12-07"}}},
			{key: "invite_note", shape: &shape{kind: kindText, doc: "What invitees verify on first login (rule invite-note: 20 to 1000 characters)."}},
			{key: "admins", shape: personShape("admin (settings, integrations, billing, recovery, invitations)")},
			{key: "operators", shape: personShape("campaign operator")},
			{key: "reviewers", shape: personShape("reviewer")},
			{key: "backups", shape: &shape{
				kind: kindMap,
				doc:  "Backup coverage.",
				fields: []field{
					{key: "admin", shape: emailsShape("The backup admin (an email or a list of emails); must be a declared admin.")},
				},
			}},
			{key: "workflows", shape: &shape{
				kind: kindList,
				doc:  "Each area or campaign that someone owns.",
				elem: &shape{
					kind: kindMap,
					doc:  "A workflow with its owner and backups.",
					fields: []field{
						{key: "name", required: true, shape: &shape{kind: kindString, doc: "Name; billing, integrations, settings and recovery are admin areas.", ex: []string{"billing", "Q1 outbound pilot"}}},
						{key: "state", shape: &shape{kind: kindEnum, enum: []string{string(Live), string(Pilot), string(Draft)}, doc: "live (default), pilot or draft."}},
						{key: "owner", shape: &shape{kind: kindEmail, doc: "Email of the declared person who owns the workflow."}},
						{key: "backups", shape: emailsShape("Emails of the declared people who back up the owner.")},
					},
				},
			}},
			{key: "approvers", shape: &shape{
				kind: kindMap,
				doc:  "Who approves changes to each role (CODEOWNERS owners).",
				fields: []field{
					{key: "admins", shape: handlesShape("Approvers of changes to admins.")},
					{key: "operators", shape: handlesShape("Approvers of changes to operators (Sales Ops).")},
					{key: "reviewers", shape: handlesShape("Approvers of changes to reviewers (SDR leadership).")},
				},
			}},
			{key: "policy", shape: &shape{
				kind: kindMap,
				doc:  "Tuning of the rules and the plan; every key has a default.",
				fields: []field{
					{key: "max_admins", shape: &shape{kind: kindInt, min: 1, doc: "Most admins allowed (rule admin-limit); default 3."}},
					{key: "prune", shape: &shape{kind: kindBool, doc: "Remove live members the file does not declare; default false."}},
					{key: "max_removals", shape: &shape{kind: kindInt, min: 0, doc: "Refuse a plan that removes, cancels or demotes more people; default 5."}},
					{key: "resend_expired", shape: &shape{kind: kindBool, doc: "Resend invites that expired unaccepted; default true."}},
					{key: "expiry_warning_days", shape: &shape{kind: kindInt, min: 0, max: maxWarningDays, doc: "Days before a person's until that rule access-expiry starts to warn; default 14."}},
					{key: "review_every_days", shape: &shape{
						kind: kindDict,
						keys: roleNames(),
						noun: "role",
						what: "a map of roles to days",
						doc:  "Days between access reviews, per role (rule access-review); default {admin: 90}. Roles not written keep their default; 0 means no reviews.",
						elem: &shape{kind: kindInt, min: 0, max: maxReviewDays, doc: "Days between reviews; 0 for none."},
					}},
					{key: "review_warning_days", shape: &shape{kind: kindInt, min: 0, max: maxWarningDays, doc: "Days before a review is due that rule access-review starts to warn; default 14."}},
					{key: "inactive_days", shape: &shape{kind: kindInt, min: 1, max: maxReviewDays, doc: "Flag declared members who have not signed in for this many days (rule inactive-access), where the workspace knows sign-ins; off when not written."}},
					{key: "rules", shape: &shape{
						kind: kindDict,
						keys: ruleIDs,
						noun: "rule",
						what: "a map of rule ids to severities",
						doc:  "Severity override per rule id: off, warning or error.",
						elem: &shape{kind: kindEnum, enum: []string{string(Off), string(Warning), string(Error)}, doc: "off, warning or error."},
					}},
				},
			}},
		},
	}
}

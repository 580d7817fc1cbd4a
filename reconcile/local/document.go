package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/internal/jsonstr"
	"github.com/teamctl/teamctl/schema"
)

// document is the JSON file of a file workspace (SPEC §7).
type document struct {
	Name             string   `json:"name"`
	SettingsComplete bool     `json:"settings_complete"`
	SettingsMissing  []string `json:"settings_missing"`
	Members          []member `json:"members"`

	keys []string // the identity of each member as decoded, for live
}

type member struct {
	Email           string     `json:"email"`
	Name            string     `json:"name,omitempty"`
	Role            string     `json:"role"`
	Status          string     `json:"status"`
	InvitedAt       *time.Time `json:"invited_at,omitempty"`
	InviteExpiresAt *time.Time `json:"invite_expires_at,omitempty"`
	AcceptedAt      *time.Time `json:"accepted_at,omitempty"`
	LastSignInAt    *time.Time `json:"last_sign_in_at,omitempty"`
	// InviteNote is the note the last invitation carried, and
	// InviteNoteSentAt when it was sent: what the invitee's email said.
	InviteNote       string     `json:"invite_note,omitempty"`
	InviteNoteSentAt *time.Time `json:"invite_note_sent_at,omitempty"`
}

// decode parses and checks a workspace document. Errors name the line and
// the member at fault.
//
// A workspace of 100,000 members is 22 to 36 MB of JSON, more than the
// team file it is planned against, and encoding/json takes longer to read
// it than the YAML decoder takes for the team file. So the document is
// read with github.com/goccy/go-json, about five times faster, and
// encoding/json stays the reference: whatever the fast decoder refuses is
// decoded again by decodeStd, which either accepts it or says what is
// wrong and where. FuzzDecodeAgrees checks that the fast decoder accepts
// nothing that decodeStd refuses, and reads the same document.
func decode(data []byte) (*document, error) {
	doc, err := decodeFast(data)
	if err != nil {
		if doc, err = decodeStd(data); err != nil {
			return nil, err
		}
	}
	return checkDocument(doc)
}

// decodeFast reads the document with go-json, as strictly as decodeStd:
// no unknown field, nothing after the document. Its errors are not for
// users.
func decodeFast(data []byte) (*document, error) {
	dec := gojson.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, errors.New("data after the document")
	}
	return &doc, nil
}

// decodeStd reads the document with encoding/json. Its errors name the
// line at fault.
func decodeStd(data []byte) (*document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc document
	if err := decodeDocument(dec, &doc); err != nil {
		// A rare path: decode the document again as one value, as before,
		// for the message and the line of the error.
		whole := json.NewDecoder(bytes.NewReader(data))
		whole.DisallowUnknownFields()
		if err := whole.Decode(new(document)); err != nil {
			return nil, jsonError(data, whole, err)
		}
		return nil, jsonError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("line %d: unexpected data after the document", lineAt(data, dec.InputOffset()))
	}
	return &doc, nil
}

// maxProblems bounds the problems one corrupt document reports.
const maxProblems = 20

// checkDocument checks the members of a decoded document: emails, roles,
// statuses, nobody twice. It reports every problem (up to maxProblems),
// one a line, each naming the member at fault.
func checkDocument(doc *document) (*document, error) {
	var problems []string
	more := 0
	report := func(format string, args ...any) {
		if len(problems) == maxProblems {
			more++
			return
		}
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	// Duplicates are found by comparing neighbours while the members are
	// sorted, as teamctl writes them, and with a map from the first one
	// out of order.
	doc.keys = make([]string, len(doc.Members))
	var seen map[string]int
	for i, m := range doc.Members {
		key := schema.Key(m.Email)
		doc.keys[i] = key
		switch {
		case key == "" || !strings.Contains(key, "@"):
			report("members[%d]: email %q is not an email address", i, m.Email)
		case !slices.Contains(schema.Roles, schema.Role(m.Role)):
			report("members[%d] (%s): role %q is not admin, operator or reviewer", i, m.Email, m.Role)
		}
		if !slices.Contains([]reconcile.Status{reconcile.Invited, reconcile.Active, reconcile.Suspended}, reconcile.Status(m.Status)) {
			report("members[%d] (%s): status %q is not invited, active or suspended", i, m.Email, m.Status)
		}
		if seen == nil && i > 0 && key < doc.keys[i-1] {
			seen = make(map[string]int, len(doc.Members))
			for j, k := range doc.keys[:i] {
				seen[k] = j
			}
		}
		j, dup := i-1, i > 0 && key == doc.keys[i-1]
		if seen != nil {
			j, dup = seen[key]
			seen[key] = i
		}
		if dup {
			report("members[%d]: %s is listed twice (also members[%d])", i, m.Email, j)
		}
	}
	switch {
	case len(problems) == 0:
		return doc, nil
	case len(problems) == 1:
		return nil, errors.New(problems[0])
	}
	total := len(problems) + more
	if more > 0 {
		problems = append(problems, fmt.Sprintf("and %d more", more))
	}
	return nil, fmt.Errorf("%d problems:\n  - %s\n", total, strings.Join(problems, "\n  - "))
}

// decodeDocument reads the document one member at a time, so that the
// decoder buffers one member rather than the whole file: a workspace of
// 100,000 members is 35 MB of JSON. Its errors say what is wrong but not
// always where; decode finds where.
func decodeDocument(dec *json.Decoder, doc *document) error {
	tok, err := dec.Token()
	if err != nil || tok == nil { // nothing, or null: an empty document
		return err
	}
	if tok != json.Delim('{') {
		return errors.New("the document is not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		is := func(name string) bool { return strings.EqualFold(key, name) } // as Decode matches field names
		switch {
		case is("name"):
			err = dec.Decode(&doc.Name)
		case is("settings_complete"):
			err = dec.Decode(&doc.SettingsComplete)
		case is("settings_missing"):
			err = dec.Decode(&doc.SettingsMissing)
		case is("members"):
			err = decodeMembers(dec, doc)
		default:
			err = fmt.Errorf("json: unknown field %q", key)
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.Token() // the closing brace
	return err
}

func decodeMembers(dec *json.Decoder, doc *document) error {
	tok, err := dec.Token()
	if err != nil || tok == nil {
		doc.Members = nil
		return err
	}
	if tok != json.Delim('[') {
		return errors.New("members is not a list")
	}
	doc.Members = doc.Members[:0]
	for dec.More() {
		var m member
		if err := dec.Decode(&m); err != nil {
			return err
		}
		doc.Members = append(doc.Members, m)
	}
	_, err = dec.Token() // the closing bracket
	return err
}

func jsonError(data []byte, dec *json.Decoder, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tpe *time.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("the file is empty; delete it to start from an empty workspace")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the file ends in the middle of the document (truncated?)")
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: %v", lineAt(data, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: %s: want a %s, not a JSON %s", lineAt(data, typ.Offset), typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &tpe):
		// time.ParseError names Go's reference layout, which means
		// nothing to a user: say what a time looks like instead.
		// The decoder is past the member; the value is the last one
		// like it before there.
		at := dec.InputOffset()
		if i := bytes.LastIndex(data[:min(max(at, 0), int64(len(data)))], []byte(tpe.Value)); i >= 0 {
			at = int64(i)
		}
		return fmt.Errorf("line %d: %q is not a time; write it as RFC 3339, such as 2026-11-26T09:30:00Z", lineAt(data, at), strings.Trim(tpe.Value, `"`))
	}
	// Unknown fields and bad timestamps carry no offset; the decoder's is
	// near the fault.
	return fmt.Errorf("line %d: %v", lineAt(data, dec.InputOffset()), strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "list"
	case "struct", "map":
		return "object"
	case "ptr":
		return "timestamp"
	}
	return k
}

func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// encode writes the document with members sorted by identity, so that the
// file diffs well in git: byte for byte what safejson.MarshalIndent(doc, "",
// "  ") writes, and a newline, but without reflection, for an apply writes
// a document of 100,000 members once per phase (encodeReference in the
// tests is the reference).
func encode(doc *document) ([]byte, error) {
	sortMembers(doc)
	b := make([]byte, 0, 128+len(doc.Members)*(256+noteSize(doc)))
	b = append(b, "{\n  \"name\": "...)
	b = jsonstr.Append(b, doc.Name)
	b = append(b, ",\n  \"settings_complete\": "...)
	b = strconv.AppendBool(b, doc.SettingsComplete)
	b = append(b, ",\n  \"settings_missing\": "...)
	if len(doc.SettingsMissing) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, '[')
		for i, m := range doc.SettingsMissing {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n    "...)
			b = jsonstr.Append(b, m)
		}
		b = append(b, "\n  ]"...)
	}
	b = append(b, ",\n  \"members\": "...)
	if len(doc.Members) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, '[')
		var err error
		var notes jsonstr.Memo // every invite carries the team's note
		for i := range doc.Members {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendMember(b, &doc.Members[i], &notes); err != nil {
				return nil, err
			}
		}
		b = append(b, "\n  ]"...)
	}
	return append(b, "\n}\n"...), nil
}

// noteSize is about how many bytes an invite note adds to a member.
func noteSize(doc *document) int {
	if len(doc.Members) == 0 {
		return 0
	}
	return len(doc.Members[len(doc.Members)-1].InviteNote) + 64
}

// appendMember appends m as an element of the members list; notes
// remembers the last invite note written.
func appendMember(b []byte, m *member, notes *jsonstr.Memo) ([]byte, error) {
	field := func(name string) { b = append(b, ",\n      \""+name+"\": "...) }
	b = append(b, "\n    {\n      \"email\": "...)
	b = jsonstr.Append(b, m.Email)
	if m.Name != "" {
		field("name")
		b = jsonstr.Append(b, m.Name)
	}
	field("role")
	b = jsonstr.Append(b, m.Role)
	field("status")
	b = jsonstr.Append(b, m.Status)
	for _, t := range []struct {
		name string
		at   *time.Time
	}{{"invited_at", m.InvitedAt}, {"invite_expires_at", m.InviteExpiresAt}, {"accepted_at", m.AcceptedAt}, {"last_sign_in_at", m.LastSignInAt}} {
		if t.at == nil {
			continue
		}
		field(t.name)
		var err error
		if b, err = jsonstr.AppendTime(b, *t.at); err != nil {
			return nil, fmt.Errorf("members: %s: %s: %w", m.Email, t.name, err)
		}
	}
	if m.InviteNote != "" {
		field("invite_note")
		b = notes.Append(b, m.InviteNote)
	}
	if m.InviteNoteSentAt != nil {
		field("invite_note_sent_at")
		var err error
		if b, err = jsonstr.AppendTime(b, *m.InviteNoteSentAt); err != nil {
			return nil, fmt.Errorf("members: %s: invite_note_sent_at: %w", m.Email, err)
		}
	}
	return append(b, "\n    }"...), nil
}

// sortMembers sorts the members by identity, keeping the order of equal
// ones, each identity computed once. The document is sorted as read, and
// an Execute appends its invites: so the sorted prefix is kept, only what
// follows it is sorted, and the two are merged.
func sortMembers(doc *document) {
	ms := doc.Members
	keys := make([]string, len(ms))
	sorted := len(ms) // the length of the sorted prefix
	for i, m := range ms {
		keys[i] = schema.Key(m.Email)
		if sorted == len(ms) && i > 0 && keys[i] < keys[i-1] {
			sorted = i
		}
	}
	if sorted == len(ms) {
		return
	}
	tail := make([]int, len(ms)-sorted)
	for i := range tail {
		tail[i] = sorted + i
	}
	slices.SortStableFunc(tail, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	out := make([]member, 0, len(ms))
	i := 0
	for _, j := range tail {
		for ; i < sorted && keys[i] <= keys[j]; i++ {
			out = append(out, ms[i])
		}
		out = append(out, ms[j])
	}
	doc.Members = append(out, ms[i:sorted]...)
}

// live converts the document into the reconcile model.
func (doc *document) live() *reconcile.Live {
	complete := doc.SettingsComplete
	l := &reconcile.Live{
		Name:             doc.Name,
		SettingsComplete: &complete,
		SettingsMissing:  slices.Clone(doc.SettingsMissing),
		Members:          make([]reconcile.Member, len(doc.Members)),
	}
	for i, m := range doc.Members {
		l.Members[i] = reconcile.Member{
			Email:           m.Email,
			Name:            m.Name,
			Role:            schema.Role(m.Role),
			Status:          reconcile.Status(m.Status),
			InvitedAt:       m.InvitedAt,
			InviteExpiresAt: m.InviteExpiresAt,
			AcceptedAt:      m.AcceptedAt,
			LastSignInAt:    m.LastSignInAt,
			InviteNote:      m.InviteNote,
			SignInKnown:     true,
		}
	}
	// The file is written sorted; sort only one edited by hand.
	keys := doc.keys
	if len(keys) != len(l.Members) {
		keys = make([]string, len(l.Members))
		for i, m := range l.Members {
			keys[i] = m.Key()
		}
	}
	l.Members, _ = reconcile.SortMembers(l.Members, keys)
	return l
}

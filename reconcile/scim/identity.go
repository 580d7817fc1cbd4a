package scim

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// A SCIM user is its userName, and nothing else. Its emails attribute is
// not identity: anyone who can edit their own user (or provision one) can
// write a declared admin's address there, and adopting that user for the
// admin would hand the admin's role to someone else. And the userName is
// compared with ASCII letters folded only (schema.Key): Unicode case
// folding would make "\u212Aim@acme.io" (with the Kelvin sign) the person
// kim@acme.io.
//
// What would pass for a declared person under a looser rule is kept as an
// alias of the user, so that the plan can say why it does not adopt it
// (reconcile.Alias).

// equalFoldASCII reports whether a and b are equal with ASCII letters
// folded and nothing else: for role group names and hosts, as identity is
// for users, so that "Reviewer\u017F" (long s) is no Reviewers group.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// identity is who a user with userName is to teamctl.
func identity(userName string) string { return schema.Key(userName) }

// aliases returns the addresses a user carries that are not its identity
// but would be another's under a looser rule: its email values, and its
// userName as a provider that folds Unicode case (or trims Unicode spaces)
// reads it. Each appears once, by identity, in the order met.
func aliases(userName string, emails []string) []string {
	keys := []string{identity(userName)} // a few: no map for each user
	var out []string
	add := func(s string) {
		if k := schema.Key(s); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
			out = append(out, s)
		}
	}
	add(unicodeFold(userName))
	for _, e := range emails {
		add(strings.TrimSpace(e))
	}
	return out
}

// unicodeFold is s as a provider that compares with Unicode case folding
// and trims Unicode spaces would read it: trimmed, and each letter replaced
// by the ASCII lower-case letter of its case-folding orbit when it has one
// (U+212A KELVIN SIGN becomes k, U+017F LONG S becomes s).
func unicodeFold(s string) string {
	return strings.Map(func(r rune) rune {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				return unicode.ToLower(f)
			}
		}
		return unicode.ToLower(r)
	}, strings.TrimSpace(s))
}

// claims reports whether u carries the identity key as an alias.
func (u *user) claims(key string) bool {
	return slices.ContainsFunc(u.aliases, func(a string) bool { return schema.Key(a) == key })
}

// liveAliases lists the aliases of every user, for the plan to hold back
// the invite of a declared person whose address another user carries.
func (st *state) liveAliases() []reconcile.Alias {
	var out []reconcile.Alias
	for _, u := range st.users {
		for _, a := range u.aliases {
			out = append(out, reconcile.Alias{Email: a, Account: u.email, ID: u.id})
		}
	}
	slices.SortFunc(out, func(a, b reconcile.Alias) int {
		return cmp.Or(strings.Compare(schema.Key(a.Email), schema.Key(b.Email)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// emails returns the user's email values.
func (d *userDoc) emails() []string {
	if len(d.Emails) == 0 {
		return nil
	}
	out := make([]string, len(d.Emails))
	for i, e := range d.Emails {
		out[i] = e.Value
	}
	return out
}

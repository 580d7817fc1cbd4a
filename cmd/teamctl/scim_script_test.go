package main

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/teamctl/teamctl/reconcile/scimtest"
)

// The scim-* script commands run a SCIM service provider
// (reconcile/scimtest) in the test process for the script's teamctl to
// talk to over 127.0.0.1:
//
//	scim-start [-page N] [-short N] [-bulk] [-bulk-max N] [-etags] [-tls] [-nopatch] [-casesensitive] [-nogroups]
//	    start the server with the Admins, Operators and Reviewers groups;
//	    set SCIM_URL, TEAMCTL_SCIM_TOKEN (and TEAMCTL_SCIM_CA_FILE with -tls);
//	    write the token to $WORK/scim-token
//	scim-user [-inactive] [-username NAME] [-id ID] EMAIL [GROUP...]
//	    add a user with the email EMAIL (and the userName NAME, else EMAIL)
//	    to the named groups (admin, operator, reviewer name the role groups);
//	    \n in EMAIL is a line break
//	scim-group NAME
//	    add a group
//	scim-faults [-write-every N] [-status N] [-retry-after S] [-reset-every N] [-slow-every N] [-slow D] [-list-page N] [-latency D] [-detail TEXT]
//	    inject faults from now on (no flags: none); -detail is the text of
//	    the server's errors (\n a line break)
//	scim-roster [-active]
//	    print each user (or each active one), sorted: userName, active or
//	    inactive, its groups
//	scim-await-writes N
//	    wait (up to 10s) until the server has had N writes since the last
//	    scim-counts, for killing a background apply at a known point
//	scim-counts KIND...
//	    print how many requests of each kind ("GET /Users") the server had
//	    since the last scim-counts, and start counting again

const scimKey = "scimtest"

// scimHolder keeps a script's server between commands.
type scimHolder struct{ srv *scimtest.Server }

func (h *scimHolder) close() {
	if h.srv != nil {
		h.srv.Close()
	}
}

// scimSetup gives a script a place for its server, stopped at its end.
func scimSetup(env *testscript.Env) {
	h := &scimHolder{}
	env.Values[scimKey] = h
	env.Defer(h.close)
}

func scimServer(ts *testscript.TestScript) *scimtest.Server {
	h := ts.Value(scimKey).(*scimHolder)
	if h.srv == nil {
		ts.Fatalf("no SCIM server: run scim-start first")
	}
	return h.srv
}

func scimCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"scim-start":        cmdSCIMStart,
		"scim-user":         cmdSCIMUser,
		"scim-group":        cmdSCIMGroup,
		"scim-faults":       cmdSCIMFaults,
		"scim-roster":       cmdSCIMRoster,
		"scim-counts":       cmdSCIMCounts,
		"scim-await-writes": cmdSCIMAwaitWrites,
		"scim-notes":        cmdSCIMNotes,
	}
}

func parseFlags(ts *testscript.TestScript, name string, fs *flag.FlagSet, args []string) []string {
	fs.SetOutput(ts.Stderr())
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("%s: %v", name, err)
	}
	return fs.Args()
}

func cmdSCIMStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! scim-start")
	}
	var opts scimtest.Options
	var noGroups bool
	fs := flag.NewFlagSet("scim-start", flag.ContinueOnError)
	fs.IntVar(&opts.PageSize, "page", 0, "page size")
	fs.IntVar(&opts.ShortPage, "short", 0, "short pages")
	fs.BoolVar(&opts.Bulk, "bulk", false, "serve /Bulk")
	fs.IntVar(&opts.BulkMaxOperations, "bulk-max", 0, "bulk maxOperations")
	fs.BoolVar(&opts.ETags, "etags", false, "ETags")
	fs.BoolVar(&opts.TLS, "tls", false, "HTTPS")
	fs.BoolVar(&opts.NoPatch, "nopatch", false, "no PATCH")
	fs.BoolVar(&opts.CaseSensitiveUserNames, "casesensitive", false, "case-sensitive userName")
	fs.BoolVar(&noGroups, "nogroups", false, "no role groups")
	fs.BoolVar(&opts.NoteExtension, "note", false, "a user schema extension with inviteNote ($SCIM_NOTE)")
	parseFlags(ts, "scim-start", fs, args)
	h := ts.Value(scimKey).(*scimHolder)
	h.close()
	srv, err := scimtest.Start(opts)
	ts.Check(err)
	h.srv = srv
	if !noGroups {
		srv.AddGroup("Admins")
		srv.AddGroup("Operators")
		srv.AddGroup("Reviewers")
	}
	ts.Setenv("SCIM_URL", srv.URL)
	ts.Setenv("SCIM_NOTE", scimtest.NoteAttribute)
	ts.Setenv("TEAMCTL_SCIM_TOKEN", srv.Token())
	ts.Check(os.WriteFile(ts.MkAbs("scim-token"), []byte(srv.Token()+"\n"), 0o600))
	if srv.CAFile != "" {
		ts.Setenv("TEAMCTL_SCIM_CA_FILE", srv.CAFile)
	}
}

var roleGroups = map[string]string{"admin": "Admins", "operator": "Operators", "reviewer": "Reviewers"}

func cmdSCIMUser(ts *testscript.TestScript, neg bool, args []string) {
	srv := scimServer(ts)
	fs := flag.NewFlagSet("scim-user", flag.ContinueOnError)
	inactive := fs.Bool("inactive", false, "deactivated")
	userName := fs.String("username", "", "userName, when not EMAIL")
	id := fs.String("id", "", "the user's id, when not the server's choice")
	rest := parseFlags(ts, "scim-user", fs, args)
	if len(rest) == 0 {
		ts.Fatalf("usage: scim-user [-inactive] [-username NAME] [-id ID] EMAIL [GROUP...]")
	}
	email := strings.ReplaceAll(rest[0], `\n`, "\n") // a hostile server's line break
	uid := srv.AddUser(scimtest.User{ID: *id, UserName: cmp.Or(*userName, email), Emails: []string{email}, Active: !*inactive})
	for _, name := range rest[1:] {
		if g, ok := roleGroups[name]; ok {
			name = g
		}
		i := slices.IndexFunc(srv.Groups(), func(g scimtest.Group) bool { return g.DisplayName == name })
		if i < 0 {
			ts.Fatalf("scim-user: no group %q", name)
		}
		srv.AddMember(srv.Groups()[i].ID, uid)
	}
}

func cmdSCIMGroup(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: scim-group NAME")
	}
	scimServer(ts).AddGroup(args[0])
}

func cmdSCIMFaults(ts *testscript.TestScript, neg bool, args []string) {
	var f scimtest.Faults
	fs := flag.NewFlagSet("scim-faults", flag.ContinueOnError)
	fs.IntVar(&f.FailWriteEvery, "write-every", 0, "fail every Nth write")
	fs.IntVar(&f.FailWriteStatus, "status", 0, "status of failed writes")
	fs.StringVar(&f.RetryAfter, "retry-after", "", "Retry-After")
	fs.IntVar(&f.ResetEvery, "reset-every", 0, "reset every Nth request")
	fs.IntVar(&f.SlowEvery, "slow-every", 0, "slow every Nth request")
	fs.DurationVar(&f.SlowDelay, "slow", time.Second, "slow delay")
	fs.IntVar(&f.FailListPage, "list-page", 0, "fail the Nth list request once")
	fs.DurationVar(&f.Latency, "latency", 0, "delay every request")
	fs.StringVar(&f.Detail, "detail", "", `the text of the server's errors; \n is a line break`)
	parseFlags(ts, "scim-faults", fs, args)
	f.Detail = strings.ReplaceAll(f.Detail, `\n`, "\n")
	scimServer(ts).SetFaults(f)
}

func cmdSCIMRoster(ts *testscript.TestScript, neg bool, args []string) {
	srv := scimServer(ts)
	fs := flag.NewFlagSet("scim-roster", flag.ContinueOnError)
	activeOnly := fs.Bool("active", false, "active users only")
	parseFlags(ts, "scim-roster", fs, args)
	groups := map[string][]string{}
	for _, g := range srv.Groups() {
		for _, id := range g.Members {
			groups[id] = append(groups[id], g.DisplayName)
		}
	}
	var lines []string
	for _, u := range srv.Users() {
		state := "active"
		if !u.Active {
			if *activeOnly {
				continue
			}
			state = "inactive"
		}
		gs := groups[u.ID]
		slices.Sort(gs)
		lines = append(lines, strings.TrimSpace(fmt.Sprintf("%s %s %s", u.UserName, state, strings.Join(gs, " "))))
	}
	slices.Sort(lines)
	for _, l := range lines {
		fmt.Fprintln(ts.Stdout(), l)
	}
}

func cmdSCIMCounts(ts *testscript.TestScript, neg bool, args []string) {
	srv := scimServer(ts)
	counts := srv.Counts()
	srv.ResetCounts()
	for _, k := range args {
		fmt.Fprintf(ts.Stdout(), "%s: %d\n", k, counts[k])
	}
}

// cmdSCIMNotes prints each user's userName and the invite note the
// server holds for it (the extension attribute of scim-start -note).
func cmdSCIMNotes(ts *testscript.TestScript, neg bool, args []string) {
	srv := scimServer(ts)
	var lines []string
	for _, u := range srv.Users() {
		ext, _ := srv.UserAttributes(u.ID)[scimtest.NoteSchema].(map[string]any)
		note, _ := ext["inviteNote"].(string)
		lines = append(lines, fmt.Sprintf("%s: %q\n", u.UserName, note))
	}
	slices.Sort(lines) // by userName, whatever order the server keeps
	fmt.Fprint(ts.Stdout(), strings.Join(lines, ""))
}

func cmdSCIMAwaitWrites(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: scim-await-writes N")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	srv := scimServer(ts)
	deadline := time.Now().Add(10 * time.Second)
	for srv.Counts()["writes"] < n {
		if time.Now().After(deadline) {
			ts.Fatalf("scim-await-writes: %d writes after 10s, want %d", srv.Counts()["writes"], n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

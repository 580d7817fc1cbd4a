package main

import (
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// dateCommands are the script commands for files that name days relative
// to today, such as a person's until.
func dateCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"dates": cmdDates,
	}
}

var dayToken = regexp.MustCompile(`\{\{today([+-][0-9]+)?\}\}`)

// cmdDates rewrites each {{today}}, {{today+N}} and {{today-N}} in the
// files named to that calendar day in UTC (YYYY-MM-DD), the day teamctl
// counts from, and sets $TODAY to today:
//
//	dates team.yaml
//
// Scripts keep a few days away from every edge (the exact edges are unit
// tests with a fixed clock), so that midnight UTC falling between this
// command and teamctl's run changes nothing.
func cmdDates(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: dates FILE...")
	}
	today := time.Now().UTC()
	ts.Setenv("TODAY", today.Format(time.DateOnly))
	for _, name := range args {
		src := ts.ReadFile(name)
		out := dayToken.ReplaceAllStringFunc(src, func(tok string) string {
			n := 0
			if m := dayToken.FindStringSubmatch(tok); m[1] != "" {
				var err error
				if n, err = strconv.Atoi(m[1]); err != nil {
					ts.Fatalf("dates: %s: %v", tok, err)
				}
			}
			return today.AddDate(0, 0, n).Format(time.DateOnly)
		})
		ts.Check(os.WriteFile(ts.MkAbs(name), []byte(out), 0o644))
	}
}

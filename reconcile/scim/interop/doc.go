// Package interop holds only tests: they run teamctl's SCIM workspace
// against independent SCIM 2.0 service providers installed from npm
// (testdata/package.json, pinned by its lock file; `make interop-deps`).
//
// Each provider is a Node script in testdata that starts the provider's own
// code on 127.0.0.1, on an in-memory store, with a number of isolated
// workspaces (each its own base path and bearer token), and prints
// {"port":N,"workspaces":[{"path":...,"token":...}]} on its first line. The
// tests start each script once, hand each test a fresh workspace, seed it
// with plain HTTP requests (not through teamctl), and stop the script by
// closing its stdin (a kill follows after 5s).
//
// Without node or the installed packages the tests fail when CI=true and
// are skipped otherwise, naming the install step. INTEROP_TRACE=1 logs
// teamctl's request trace of every test.
package interop

# teamctl — build, test, fuzz and benchmark.
GO ?= go
FUZZTIME ?= 10s
# go test minimizes every new interesting input for up to 60s by default;
# a brief run would spend its time shrinking a few saved plans.
FUZZMINIMIZETIME ?= 2s
# The safety property tests run 150 generated cases a backend in make test;
# make fuzz runs this many.
PROPERTY_CASES ?= 2000
# actionlint checks the example workflow; go run fetches it through the Go
# module proxy, so nothing needs installing by hand.
ACTIONLINT ?= $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
# GoReleaser builds the release archives (.goreleaser.yaml), fetched the
# same way; it is a tool, not a dependency, so go.mod does not name it.
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0

# The SCIM servers from npm that reconcile/scim/interop tests teamctl
# against (teamctl help providers): npm ci installs the pinned versions
# when the lock file is newer than the last install. Scripts stay off: no
# package here needs one, and they would fetch from outside the registry.
NPM ?= npm
INTEROP := reconcile/scim/interop/testdata

.PHONY: build test lint-workflows interop-deps release-check release fuzz bench

build:
	$(GO) build -o bin/teamctl ./cmd/teamctl

test: lint-workflows interop-deps
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

lint-workflows:
	$(ACTIONLINT) examples/github/*.yml

# What a release would build, without publishing: the config is valid, and
# a snapshot of every archive lands in dist/ with its checksums; the host's
# binary reports the stamped version, the sums hold, the completions are in. Not part of test: six
# cross-builds take minutes.
release-check:
	$(GORELEASER) check
	$(GORELEASER) release --snapshot --clean
	dist/teamctl_$$($(GO) env GOOS)_$$($(GO) env GOARCH)_*/teamctl version | tee /dev/stderr | grep -Eq '^teamctl v[0-9]+\.[0-9]+\.[0-9]+-snapshot\.'
	cd dist && sha256sum -c checksums.txt
	for sh in bash zsh fish; do tar -tzf dist/teamctl_*_linux_amd64.tar.gz | grep -qx "completions/teamctl.$$sh" || exit 1; done
	for page in teamctl.1 teamctl-plan.1 teamctl-team-file.7; do tar -tzf dist/teamctl_*_linux_amd64.tar.gz | grep -qx "man/$$page" || exit 1; done

# Publish the release of the tag at HEAD to GitHub (needs GITHUB_TOKEN):
# the release workflow (examples/github/release.yml) runs it on a tag push.
release:
	$(GORELEASER) release --clean

interop-deps: $(INTEROP)/node_modules/.package-lock.json

$(INTEROP)/node_modules/.package-lock.json: $(INTEROP)/package.json $(INTEROP)/package-lock.json
	cd $(INTEROP) && $(NPM) ci --ignore-scripts --no-audit --no-fund

# One run per target: go test -fuzz takes a single target at a time.
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./schema
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./schema/codeowners
	$(GO) test -run='^$$' -fuzz='^FuzzDiff$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile
	$(GO) test -run='^$$' -fuzz='^FuzzVerify$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile
	TEAMCTL_PROPERTY_CASES=$(PROPERTY_CASES) $(GO) test -run='^TestProperty' -count=1 ./reconcile/safety
	$(GO) test -run='^$$' -fuzz='^FuzzReadPlanJSON$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/render
	$(GO) test -run='^$$' -fuzz='^FuzzEscape$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/render
	$(GO) test -run='^$$' -fuzz='^FuzzResponses$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/scim
	$(GO) test -run='^$$' -fuzz='^FuzzIdentity$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/scim
	$(GO) test -run='^$$' -fuzz='^FuzzRedact$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/scim
	$(GO) test -run='^$$' -fuzz='^FuzzDecode$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/local
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeAgrees$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./reconcile/local

# Benchmarks of load, validate, diff, render, plan and apply (file:
# workspace) for rosters of 1k, 10k and 100k people, BenchmarkApplyRatios
# (apply at 10k and 100k, plan of the result, the YAML floor, and issue
# 13's ratios, in one run), the SCIM scenarios, and BenchmarkLimits (SCIM
# at a provider's rate limit and with none, minutes a run) (teamctl help
# performance).
# Each runs about BENCHTIME; BENCHCOUNT=6 gives the runs the performance help topic takes
# medians of.
BENCH ?= .
BENCHTIME ?= 1s
BENCHCOUNT ?= 1

bench:
	$(GO) test -p=1 -run='^$$' -bench='$(BENCH)' -benchmem -benchtime=$(BENCHTIME) -count=$(BENCHCOUNT) -timeout=60m ./...

# teamctl — build, test, fuzz and benchmark.
GO ?= go
FUZZTIME ?= 10s
# actionlint checks the example workflow; go run fetches it through the Go
# module proxy, so nothing needs installing by hand.
ACTIONLINT ?= $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

.PHONY: build test lint-workflows fuzz bench

build:
	$(GO) build -o bin/teamctl ./cmd/teamctl

test: lint-workflows
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

lint-workflows:
	$(ACTIONLINT) examples/github/*.yml

# One run per target: go test -fuzz takes a single target at a time.
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) ./schema
	$(GO) test -run='^$$' -fuzz='^FuzzDiff$$' -fuzztime=$(FUZZTIME) ./reconcile
	$(GO) test -run='^$$' -fuzz='^FuzzReadPlanJSON$$' -fuzztime=$(FUZZTIME) ./reconcile/render
	$(GO) test -run='^$$' -fuzz='^FuzzResponses$$' -fuzztime=$(FUZZTIME) ./reconcile/scim
	$(GO) test -run='^$$' -fuzz='^FuzzReadPlanJSON$$' -fuzztime=$(FUZZTIME) ./reconcile/render
	$(GO) test -run='^$$' -fuzz='^FuzzDecode$$' -fuzztime=$(FUZZTIME) ./reconcile/local

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

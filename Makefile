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

fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) ./schema
	$(GO) test -run='^$$' -fuzz='^FuzzResponses$$' -fuzztime=$(FUZZTIME) ./reconcile/scim

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# teamctl — build, test, fuzz and benchmark.
GO ?= go
FUZZTIME ?= 10s

.PHONY: build test fuzz bench

build:
	$(GO) build -o bin/teamctl ./cmd/teamctl

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# One run per target: go test -fuzz takes a single target at a time.
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) ./schema
	$(GO) test -run='^$$' -fuzz='^FuzzDiff$$' -fuzztime=$(FUZZTIME) ./reconcile
	$(GO) test -run='^$$' -fuzz='^FuzzReadPlanJSON$$' -fuzztime=$(FUZZTIME) ./reconcile/render

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

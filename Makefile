# teamctl — build, test, fuzz and benchmark.
GO ?= go
FUZZTIME ?= 10s

.PHONY: build test fuzz bench

build:
	$(GO) build -o bin/teamctl ./cmd/teamctl

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) ./schema

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

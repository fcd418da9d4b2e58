# Tawsim — `make run` opens the app on the sample corpus, `make test` runs
# every check. Both install what is missing first (scripts/deps.sh).

GO ?= go
export CGO_ENABLED := 1
# Pinned linter, fetched through the Go module proxy on first use.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all deps build run test lint bench bench-layout dist clean

all: build

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -o tawsim .

run: build
	./tawsim

# The tests of the project's storage run on SQLite and on a throwaway
# PostgreSQL server (scripts/pg-test.sh); without one they fail.
test: export TAWSIM_TEST_PG_REQUIRED := 1
test: deps lint
	@# The bidi conformance counts (the full run below hides passing tests' output).
	@$(GO) test -count=1 -run '^TestBidi' -v ./annotate/layout | grep -E '^(BidiCharacterTest|BidiTest): '
	scripts/pg-test.sh $(GO) test -timeout 15m ./...

# Formatting, tidy modules, go vet and staticcheck with every check.
lint: deps
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt: not formatted: $$unformatted"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) -checks all ./...

# The benchmarks the issues set targets for (not part of `make test`).
bench: deps
	$(GO) test -run XXX -bench . -benchmem ./...

# Tawsim's layout beside headless Chromium's on the same 100,000 code points
# (installs Debian's chromium on first use; not part of `make test`).
bench-layout: deps
	@scripts/bench-layout.sh

# Release packages in dist/ from the version in FyneApp.toml: a Linux
# tar.xz and a Windows zip, then tawsim.exe run under Wine (scripts/dist.sh;
# installs mingw-w64 and Wine on first use; slow, not part of `make test`).
dist: deps
	@scripts/dist.sh

clean:
	rm -f tawsim
	rm -rf dist

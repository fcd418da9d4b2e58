# Tawsim — `make run` opens the app on the sample corpus, `make test` runs
# every check. Both install what is missing first (scripts/deps.sh).

GO ?= go
export CGO_ENABLED := 1

.PHONY: all deps build run test bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -o tawsim .

run: build
	./tawsim

test: deps
	$(GO) vet ./...
	@# The bidi conformance counts (the full run below hides passing tests' output).
	@$(GO) test -count=1 -run '^TestBidi' -v ./annotate/layout | grep -E '^(BidiCharacterTest|BidiTest): |SKIP' || true
	$(GO) test -timeout 15m ./...

# The benchmarks the issues set targets for (not part of `make test`).
bench: deps
	$(GO) test -run XXX -bench . -benchmem ./...

clean:
	rm -f tawsim

# LLM Schema Registry — the one build system.
#
#   make            build build/schema-registry
#   make run        install what is missing, build, start on the SQLite default
#   make test       install what is missing, build, run every test
#   make check      run every test (no install step)
#   make unit       C unit tests          make http     black-box HTTP tests
#   make http-postgres  the HTTP tests with every server on PostgreSQL
#   make clients    real npm clients      make replay   fuzz corpora as tests
#   make sanitize   unit + HTTP + replay under ASan+UBSan (build-asan/)
#   make fuzz       libFuzzer targets (clang, build-fuzz/); FUZZ_TIME=secs
#   make bench      benchmarks against their peers (see bench/README.md)
#   make image      build the container image and check it (docker or podman)
#
# Variants: SANITIZER=address,undefined (output in build-asan/).

CC       ?= cc
PYTHON   := /usr/bin/python3
SANITIZER ?=

ifeq ($(SANITIZER),)
B        := build
OPT      := -O2
else
B        := build-asan
OPT      := -O1 -fno-omit-frame-pointer -fsanitize=$(SANITIZER) -fno-sanitize-recover=all
LDSAN    := -fsanitize=$(SANITIZER)
endif

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wpointer-arith \
            -Wno-unused-parameter -Werror
CFLAGS   ?= -g
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) $(CFLAGS) -Isrc -I$(B)/gen $(PQ_CFLAGS) -MMD -MP
LIBS     := -lmicrohttpd -lsqlite3 -lpq -lcrypto -lpcre2-8 -lidn2 -lpthread -lm
LDFLAGS  ?=

VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

SRCS     := $(shell find src -name '*.c' | LC_ALL=C sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o) $(B)/obj/gen/embedded.o
EMBED_FILES := $(shell find src -name '*.sql' -o -path 'src/*/data/*' -type f | LC_ALL=C sort)

BIN      := $(B)/schema-registry
LIB      := $(B)/libsr.a

UNIT_SRCS := $(shell find tests/unit -name '*.c' ! -name 'test_*helpers*.c' 2>/dev/null | LC_ALL=C sort)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)

FUZZ_SRCS := $(filter-out fuzz/standalone.c,$(wildcard fuzz/*.c))
REPLAY_BINS := $(FUZZ_SRCS:fuzz/%.c=$(B)/fuzz-replay/%)

.PHONY: all build run test check check-all unit http http-postgres clients deploy-check replay sanitize fuzz bench print-libs deps clean image
all build: $(BIN)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DSR_VERSION='"$(VERSION)"' -DSR_COMMIT='"$(COMMIT)"' -c $< -o $@

$(B)/gen/embedded.c: scripts/embed.sh $(EMBED_FILES)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $(EMBED_FILES) > $@

$(B)/obj/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(B)/obj/src/main.o $(LIB)
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(LIBS)

# ---- tests ---------------------------------------------------------------

$(B)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDSAN) $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LIBS)

unit: $(UNIT_BINS)
	@sh scripts/run-unit.sh $(UNIT_BINS)

$(B)/fuzz-replay/%: fuzz/%.c fuzz/standalone.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDSAN) $(LDFLAGS) -o $@ $< fuzz/standalone.c $(LIB) $(LIBS)

replay: $(REPLAY_BINS)
	@sh scripts/run-replay.sh $(B)/fuzz-replay

http: $(BIN)
	SR_BIN=$(abspath $(BIN)) $(PYTHON) -m pytest -q tests/http

# The whole HTTP suite again, every server on PostgreSQL (needs
# SR_TEST_POSTGRES_URL: run under scripts/with-postgres.sh, as check does).
http-postgres: $(BIN)
	SR_TEST_HTTP_STORE=postgres SR_BIN=$(abspath $(BIN)) $(PYTHON) -m pytest -q tests/http

clients: $(BIN)
	SR_BIN=$(abspath $(BIN)) sh tests/clients/run.sh

# The Helm chart rendered and checked (tests/deploy; Go + sprig from Debian).
deploy-check:
	$(PYTHON) -m pytest -q tests/deploy

# Every test, beside a throwaway PostgreSQL server (scripts/with-postgres.sh)
# unless SR_TEST_POSTGRES_URL already names one.
check:
	@if [ -n "$$SR_TEST_POSTGRES_URL" ]; then $(MAKE) check-all; \
	 else sh scripts/with-postgres.sh $(MAKE) check-all; fi

check-all: build unit replay http http-postgres clients deploy-check
	$(MAKE) sanitize

sanitize:
	$(MAKE) SANITIZER=address,undefined unit replay http

deps:
	sh scripts/install-deps.sh

test: deps
	$(MAKE) check

# Build the container image and check it (scripts/image-test.sh; needs
# docker or podman: not part of `make test`).
image:
	sh scripts/image-test.sh

run: deps build
	@mkdir -p data
	./$(BIN) serve

# ---- fuzzing (clang/libFuzzer) --------------------------------------------

FUZZ_TIME ?= 60
FUZZ_TARGETS ?= $(FUZZ_SRCS:fuzz/%.c=%)
# New inputs go to build-fuzz/corpus/<target>; the checked-in corpus is the
# seed. A target's dictionary is fuzz/<target>.dict when there is one.
fuzz:
	$(MAKE) CC=clang B=build-fuzz OPT='-O1 -g -fsanitize=fuzzer-no-link,address,undefined' \
	    LDSAN='-fsanitize=address,undefined' build-fuzz/libsr.a
	@mkdir -p build-fuzz/fuzz
	@for t in $(FUZZ_TARGETS); do \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
	    -o build-fuzz/fuzz/$$t fuzz/$$t.c build-fuzz/libsr.a $(LIBS) || exit 1; \
	  mkdir -p build-fuzz/corpus/$$t; \
	  dict=; [ -f fuzz/$$t.dict ] && dict=-dict=fuzz/$$t.dict; \
	  build-fuzz/fuzz/$$t -max_total_time=$(FUZZ_TIME) $$dict \
	    build-fuzz/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

bench: build
	sh bench/run.sh

# The libraries a program linking $(B)/libsr.a needs (for bench/ scripts).
print-libs:
	@echo $(LIBS)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Rapport: make (build), make run (serve the demo), make check (every test, under ASan and UBSan),
# make bench (optimised build under load). Every target installs the Debian packages it needs first.
.SUFFIXES:

VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
CC       := $(if $(filter default,$(origin CC)),gcc,$(CC))
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
BASE     := -Isrc -include src/util/banned.h -I/usr/include/postgresql -std=c11 -D_GNU_SOURCE -DH2O_USE_EPOLL=1 $(WARN) -MMD -MP
LIBS     := -lpq -lcsv -lh2o-evloop -lssl -lcrypto -lz -lsqlite3 -ljansson -lsodium -lcurl -lcmark -lpthread -lm
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRC      := $(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
SCHEMA   := $(sort $(wildcard schema/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
API_JSON := $(sort $(wildcard src/api/*.json))

# Two builds side by side: release (./rapport, -O2) and asan (tests), each with its own objects.
REL := build/release
DBG := build/asan
GEN_OBJ := gen/schema_files.o gen/api_schema_files.o gen/version.o
REL_OBJ := $(patsubst %.c,$(REL)/%.o,$(LIB_SRC)) $(addprefix $(REL)/,$(GEN_OBJ))
DBG_OBJ := $(patsubst %.c,$(DBG)/%.o,$(LIB_SRC)) $(addprefix $(DBG)/,$(GEN_OBJ))
UNIT_BIN := $(patsubst tests/unit/%.c,$(DBG)/tests/%,$(UNIT_SRC))

.PHONY: all deps deps-check run check unit e2e bench clean openapi fuzz fuzz-template FORCE
all: rapport

deps:
	@scripts/install-deps.sh run
deps-check:
	@scripts/install-deps.sh check

rapport: $(REL)/rapport
	rm -f $@ && cp $< $@

$(REL)/rapport: $(REL_OBJ) $(REL)/src/main.o
	$(CC) -o $@ $^ $(LIBS)
$(DBG)/rapport: $(DBG_OBJ) $(DBG)/src/main.o
	$(CC) $(SAN) -o $@ $^ $(LIBS)

$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O2 -g -c -o $@ $<
$(DBG)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -g $(SAN) -c -o $@ $<
$(REL)/gen/schema_files.c $(DBG)/gen/schema_files.c: $(SCHEMA) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh schema_files $@ $(SCHEMA)
# the answers' schemas of the OpenAPI document (src/api/answers.json)
$(REL)/gen/api_schema_files.c $(DBG)/gen/api_schema_files.c: $(API_JSON) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh api_schema_files $@ $(API_JSON)
# the version is one generated object, rewritten only when `git describe` says something new
$(REL)/gen/version.c $(DBG)/gen/version.c: FORCE
	@mkdir -p $(dir $@)
	@printf 'const char rapport_version[] = "%s";\n' '$(VERSION)' >$@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
$(REL)/gen/%.o: $(REL)/gen/%.c
	$(CC) $(BASE) -O2 -c -o $@ $<
$(DBG)/gen/%.o: $(DBG)/gen/%.c
	$(CC) $(BASE) -O1 $(SAN) -c -o $@ $<

$(DBG)/tests/%: tests/unit/%.c $(DBG_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -g $(SAN) -o $@ $< $(DBG_OBJ) $(LIBS) -lcmocka

# make fuzz: libFuzzer over the template substituter and its Markdown part (fuzz/fuzz_template.c), built with
# clang 14; new inputs go to build/fuzz/corpus-template, the committed seeds in fuzz/corpus/template stay.
FUZZ := build/fuzz
FUZZ_SECONDS ?= 60
$(FUZZ)/fuzz_template: fuzz/fuzz_template.c src/util/template.c src/util/strbuf.c src/util/err.c
	@mkdir -p $(dir $@)
	clang-14 $(BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $^ -lcmark
fuzz: fuzz-template
fuzz-template: $(FUZZ)/fuzz_template
	@mkdir -p $(FUZZ)/corpus-template
	$(FUZZ)/fuzz_template -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(FUZZ)/corpus-template fuzz/corpus/template

# make run: install what is missing, build, create ./rapport.db with the demo workspace, serve it.
DB ?= rapport.db
LISTEN ?= 127.0.0.1:8080
run: deps
	@$(MAKE) --no-print-directory rapport
	@if [ ! -e "$(DB)" ]; then ./rapport init --db "$(DB)" --admin-email admin@example.com --demo; fi
	./rapport serve --db "$(DB)" --listen "$(LISTEN)"

# make openapi: rewrites the committed docs/openapi.json from the binary (make check fails when they differ),
# so the web app's build reads a file rather than running the server.
openapi: $(DBG)/rapport
	env -u RAPPORT_PUBLIC_URL $(DBG)/rapport openapi >docs/openapi.json.new && mv docs/openapi.json.new docs/openapi.json

# The OpenAPI linter (Redocly CLI) from npm under its committed lockfile; npm ci again only when the
# lockfile changed since the last install.
LINT_DIR := tools/openapi-lint
$(LINT_DIR)/node_modules/.package-lock.json: $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && npm ci --no-audit --no-fund --loglevel=error

# make check: every suite, under AddressSanitizer and UndefinedBehaviorSanitizer; the last line sums them.
check: deps-check
	@$(MAKE) --no-print-directory $(DBG)/rapport $(UNIT_BIN) $(LINT_DIR)/node_modules/.package-lock.json $(FUZZ)/fuzz_template
	@RAPPORT_BIN=$(CURDIR)/$(DBG)/rapport tests/run-all.sh $(UNIT_BIN)

# make bench: the optimised build under load, with same-run baselines (SIZE=S for a quicker run).
SIZE ?= L
bench:
	@scripts/install-deps.sh bench
	bench/run.sh $(SIZE)

clean:
	rm -rf build rapport

-include $(shell find build -name '*.d' 2>/dev/null)

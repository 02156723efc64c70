# Rapport: make (build), make run (serve the demo), make check (every test, under ASan and UBSan),
# make bench (optimised build under load). Every target installs the Debian packages it needs first.
.SUFFIXES:

VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
CC       := $(if $(filter default,$(origin CC)),gcc,$(CC))
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
BASE     := -Isrc -include src/util/banned.h -I/usr/include/postgresql -std=c11 -D_GNU_SOURCE -DH2O_USE_EPOLL=1 $(WARN) -MMD -MP
LIBS     := -lpq -lcsv -lh2o-evloop -lssl -lcrypto -lz -lsqlite3 -ljansson -lsodium -lcurl -lcmark -lphonenumber -lstdc++ -lpthread -lm
# the one C++ file, util/phone.cc (a shim over libphonenumber); linked by $(CC) with -lstdc++
CXX      := $(if $(filter default,$(origin CXX)),g++,$(CXX))
CXXBASE  := -Isrc -std=c++17 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRC      := $(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c))
CC_SRC   := $(sort $(wildcard src/*/*.cc))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
SCHEMA   := $(sort $(wildcard schema/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
API_JSON := $(sort $(wildcard src/api/*.json))

# Two builds side by side: release (./rapport, -O2) and asan (tests), each with its own objects.
REL := build/release
DBG := build/asan
GEN_OBJ := gen/schema_files.o gen/api_schema_files.o gen/version.o
REL_OBJ := $(patsubst %.c,$(REL)/%.o,$(LIB_SRC)) $(patsubst %.cc,$(REL)/%.o,$(CC_SRC)) $(addprefix $(REL)/,$(GEN_OBJ))
DBG_OBJ := $(patsubst %.c,$(DBG)/%.o,$(LIB_SRC)) $(patsubst %.cc,$(DBG)/%.o,$(CC_SRC)) $(addprefix $(DBG)/,$(GEN_OBJ))
UNIT_BIN := $(patsubst tests/unit/%.c,$(DBG)/tests/%,$(UNIT_SRC))
REL_OBJ  += $(REL)/gen/web_assets.o
DBG_OBJ  += $(DBG)/gen/web_assets.o

.PHONY: all deps deps-check run check unit e2e bench fuzz fuzz-template screenshots clean openapi FORCE
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
$(REL)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXBASE) -O2 -g -c -o $@ $<
$(DBG)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXBASE) -O1 -g $(SAN) -c -o $@ $<
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

# The web app (web/, docs/web.md): npm ci when the lockfile changes, Vite when a source does, then
# web/dist embedded with gzip and brotli copies. WEB=0 embeds nothing (the API alone, for a machine
# without node).
WEB ?= 1
WEB_SRC := $(shell find web/src web/public web/scripts -type f 2>/dev/null) \
           $(wildcard web/index.html web/vite.config.ts web/tsconfig.json web/package.json) docs/openapi.json
web/node_modules/.installed: web/package-lock.json scripts/web-build.sh
	scripts/web-build.sh deps
web/dist/index.html: $(WEB_SRC) web/node_modules/.installed
	scripts/web-build.sh build
build/gen/web_assets.c: scripts/embed-web.sh $(if $(filter 1,$(WEB)),web/dist/index.html)
	@mkdir -p $(dir $@)
	scripts/embed-web.sh $(if $(filter 1,$(WEB)),web/dist,/nonexistent) $@
$(REL)/gen/web_assets.o: build/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O2 -c -o $@ $<
$(DBG)/gen/web_assets.o: build/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -c -o $@ $<

$(DBG)/tests/%: tests/unit/%.c $(DBG_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -g $(SAN) -o $@ $< $(DBG_OBJ) $(LIBS) -lcmocka

# make fuzz: libFuzzer over the CSV import (fuzz/), built with clang 14 beside the other builds; new inputs
# it finds go to build/fuzz/corpus, the committed seeds in fuzz/corpus stay as they are.
FUZZ := build/fuzz
FUZZ_CC := clang-14
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJ := $(patsubst %.c,$(FUZZ)/%.o,$(LIB_SRC)) $(patsubst %.cc,$(FUZZ)/%.o,$(CC_SRC)) $(addprefix $(FUZZ)/,$(GEN_OBJ)) $(FUZZ)/gen/web_assets.o
FUZZ_SECONDS ?= 60
$(FUZZ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<
# (vptr checks need UBSan's C++ runtime, which only the clang++ driver links; the fuzzer links with clang)
$(FUZZ)/%.o: %.cc
	@mkdir -p $(dir $@)
	clang++-14 $(CXXBASE) -O1 -g $(FUZZ_SAN) -fno-sanitize=vptr -fsanitize=fuzzer-no-link -c -o $@ $<
$(FUZZ)/gen/schema_files.c: $(SCHEMA) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh schema_files $@ $(SCHEMA)
$(FUZZ)/gen/version.c: $(DBG)/gen/version.c
	@mkdir -p $(dir $@)
	cp $< $@
$(FUZZ)/gen/api_schema_files.c: $(DBG)/gen/api_schema_files.c
	@mkdir -p $(dir $@)
	cp $< $@
$(FUZZ)/gen/web_assets.c: build/gen/web_assets.c
	@mkdir -p $(dir $@)
	cp $< $@
$(FUZZ)/gen/%.o: $(FUZZ)/gen/%.c
	$(FUZZ_CC) $(BASE) -O1 $(FUZZ_SAN) -c -o $@ $<
$(FUZZ)/fuzz_import_csv: fuzz/fuzz_import_csv.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(BASE) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)
fuzz: deps-check $(FUZZ)/fuzz_import_csv
	@mkdir -p $(FUZZ)/corpus
	$(FUZZ)/fuzz_import_csv -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(FUZZ)/corpus fuzz/corpus/import_csv
# and over the template substituter with its Markdown part (fuzz/fuzz_template.c: only the few files it
# needs); new inputs go to build/fuzz/corpus-template, the committed seeds in fuzz/corpus/template stay.
$(FUZZ)/fuzz_template: fuzz/fuzz_template.c src/util/template.c src/util/strbuf.c src/util/err.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $(filter %.c,$^) -lcmark
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
	@$(MAKE) --no-print-directory $(DBG)/rapport $(UNIT_BIN) $(FUZZ)/fuzz_import_csv $(FUZZ)/fuzz_template $(LINT_DIR)/node_modules/.package-lock.json
	@RAPPORT_BIN=$(CURDIR)/$(DBG)/rapport tests/run-all.sh $(UNIT_BIN)

# make bench: the optimised build under load, with same-run baselines (SIZE=S for a quicker run).
SIZE ?= L
bench:
	@scripts/install-deps.sh bench
	bench/run.sh $(SIZE)

# make screenshots: the web app's pages at 1280 and 375 px (build/screenshots/), and the README's own
# pictures (docs/screenshots/) refreshed from them.
screenshots: deps-check
	@$(MAKE) --no-print-directory rapport
	RAPPORT_BIN=$(CURDIR)/rapport tests/web/run.sh --screenshots-only
	@mkdir -p docs/screenshots
	cp build/screenshots/today-1280.png build/screenshots/clients-1280.png build/screenshots/client-1280.png \
	   build/screenshots/client-375.png build/screenshots/palette-1280.png docs/screenshots/
	cp build/screenshots/pipeline-1280.png build/screenshots/project-1280.png build/screenshots/reports-1280.png docs/screenshots/

clean:
	rm -rf build rapport web/dist

-include $(shell find build -name '*.d' 2>/dev/null)

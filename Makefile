# zcnode — one non-recursive Makefile.
#   make run    install what is missing, build, create a dev node and start it
#   make test   build and run the whole test suite
# Project warnings live in ZC_WARN, apart from the user's CFLAGS.

VERSION   := 0.1.0
BUILD     ?= build
PY        := /usr/bin/python3
PKGS      := libwebsockets lmdb libsodium libcjson libssl libcrypto
SAN       ?=
CC        ?= cc
CFLAGS    ?= -O2 -g

ZC_WARN   := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wvla
ZC_CPPFLAGS := -D_GNU_SOURCE -Iserver -Ifederation -DZC_VERSION='"$(VERSION)"'
PKG_CFLAGS   = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
ifeq ($(SAN),1)
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CFLAGS = $(ZC_WARN) $(ZC_CPPFLAGS) $(PKG_CFLAGS) $(SANFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

SERVER_SRC := $(filter-out server/main.c,$(wildcard server/*.c)) $(wildcard federation/*.c)
SERVER_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(SERVER_SRC))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
LOAD_SRC   := $(wildcard tests/load/*.c)
LOAD_BIN   := $(patsubst tests/load/%.c,$(BUILD)/load/%,$(LOAD_SRC))

CLIENT_DIR := client-web
CLIENT_OUT := $(CLIENT_DIR)/dist/index.html
CLIENT_SRC := $(shell find $(CLIENT_DIR)/src $(CLIENT_DIR)/public $(CLIENT_DIR)/index.html \
                $(CLIENT_DIR)/build.mjs -type f 2>/dev/null)

DEV_DIR    := dev
DEV_DATA   := $(DEV_DIR)/data

.PHONY: all deps server client client-test unit integration e2e test asan asan-test run \
        format format-check clean valgrind-check load fuzz screenshot

all: server client

server: $(BUILD)/zcnode $(UNIT_BIN) $(LOAD_BIN)

deps:
	@sh scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libzc.a: $(SERVER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/zcnode: $(BUILD)/server/main.o $(BUILD)/libzc.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libzc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libzc.a $(PKG_LIBS) -lcmocka

$(BUILD)/load/%: tests/load/%.c $(BUILD)/libzc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libzc.a $(PKG_LIBS)

# The web client: npm packages pinned by package-lock.json, bundled into dist/.
$(CLIENT_DIR)/node_modules/.package-lock.json: $(CLIENT_DIR)/package-lock.json
	cd $(CLIENT_DIR) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

$(CLIENT_OUT): $(CLIENT_DIR)/node_modules/.package-lock.json $(CLIENT_SRC)
	cd $(CLIENT_DIR) && npm run --silent build

client: $(CLIENT_OUT)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# The web client's own tests (Node: the footprint model's totals).
client-test: $(CLIENT_DIR)/node_modules/.package-lock.json
	cd $(CLIENT_DIR) && npm test --silent

integration: $(BUILD)/zcnode client
	ZCNODE_BIN=$(abspath $(BUILD)/zcnode) ZCNODE_STATIC=$(abspath $(CLIENT_DIR)/dist) \
	  $(PY) -m pytest -q -p no:cacheprovider tests/integration

E2E_DIR  := tests/e2e
E2E_DEPS := $(E2E_DIR)/node_modules/.package-lock.json

# playwright-core only; it drives Debian's /usr/bin/chromium and never downloads a browser.
$(E2E_DEPS): $(E2E_DIR)/package-lock.json
	cd $(E2E_DIR) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

e2e: $(BUILD)/zcnode client $(E2E_DEPS)
	ZCNODE_BIN=$(abspath $(BUILD)/zcnode) ZCNODE_STATIC=$(abspath $(CLIENT_DIR)/dist) \
	  node $(E2E_DIR)/run.mjs

# docs/screenshot.png for the README: a phone showing the recovery code after joining.
screenshot: $(BUILD)/zcnode client $(E2E_DEPS)
	ZCNODE_BIN=$(abspath $(BUILD)/zcnode) ZCNODE_STATIC=$(abspath $(CLIENT_DIR)/dist) \
	  node $(E2E_DIR)/screenshot.mjs

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) client-test
	$(MAKE) integration
	$(MAKE) e2e

# Sanitizer build (ASan + UBSan) in its own directory, and its tests.
asan:
	$(MAKE) BUILD=build-asan SAN=1 CFLAGS="-O1 -g" server

asan-test: deps
	$(MAKE) BUILD=build-asan SAN=1 CFLAGS="-O1 -g" server client
	$(MAKE) BUILD=build-asan SAN=1 CFLAGS="-O1 -g" unit
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  $(MAKE) BUILD=build-asan SAN=1 CFLAGS="-O1 -g" integration

# Start-up and shutdown under valgrind (also part of the integration suite).
valgrind-check: $(BUILD)/zcnode
	ZCNODE_BIN=$(abspath $(BUILD)/zcnode) $(PY) -m pytest -q -p no:cacheprovider \
	  tests/integration/test_valgrind.py

run: deps
	$(MAKE) all
	@if [ ! -f $(DEV_DATA)/node.secret ]; then \
	  mkdir -p $(DEV_DIR) && chmod 700 $(DEV_DIR) && \
	  $(BUILD)/zcnode init --data-dir $(DEV_DATA) && \
	  $(BUILD)/zcnode admin load-demo --data-dir $(DEV_DATA); \
	fi
	@echo "zcnode: open https://localhost:8443/ (dev certificate: accept it once)"
	$(BUILD)/zcnode --data-dir $(DEV_DATA) --config docs/zcnode.conf.example

# Three federated city nodes on 127.0.0.1 (Issy-les-Moulineaux, Vanves,
# Malakoff) with demo participants, each showing the inter-city page; data in
# dev/federation/, reused by the next run; Ctrl-C stops them.
.PHONY: demo-federation
demo-federation: $(BUILD)/zcnode $(BUILD)/load/zcseed client
	ZCNODE_BIN=$(abspath $(BUILD)/zcnode) ZCSEED_BIN=$(abspath $(BUILD)/load/zcseed) \
	  ZCNODE_STATIC=$(abspath $(CLIENT_DIR)/dist) bash federation/demo/demo-federation.sh

# libFuzzer targets for every decoder of untrusted bytes, each run for a bounded
# time (FUZZ_SECONDS) from its seed corpus. Needs clang.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIB_SRC := $(filter-out server/main.c,$(wildcard server/*.c)) $(wildcard federation/*.c)
fuzz:
	@mkdir -p build-fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined $(ZC_CPPFLAGS) $(PKG_CFLAGS) \
	    -o build-fuzz/$$t tests/fuzz/$$t.c $(FUZZ_LIB_SRC) $(PKG_LIBS); \
	  c=tests/fuzz/corpus/$${t#fuzz_}; mkdir -p build-fuzz/corpus-$$t; \
	  echo "== $$t ($(FUZZ_SECONDS) s)"; \
	  build-fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build-fuzz/corpus-$$t $$c; \
	done

FORMAT_SRC = $(wildcard server/*.[ch] federation/*.[ch] tests/unit/*.[ch] tests/load/*.[ch] tests/fuzz/*.[ch])
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build build-asan build-fuzz $(CLIENT_DIR)/dist

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

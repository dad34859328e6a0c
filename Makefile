# tcpsim - `make` builds build/tcpsim; `make run` runs the first scenario;
# `make check` runs every test, then all of them again under ASan and UBSan.

PREFIX ?= /usr/local
CC ?= cc
BUILD ?= build
SAN ?=
PKGS := libpcap yaml-0.1 libgvc libcgraph
ifeq ($(filter clean,$(MAKECMDGOALS)),)
DEPS_OK := $(shell tools/deps.sh >&2 && echo ok)
ifneq ($(DEPS_OK),ok)
$(error tools/deps.sh could not install the Debian packages tcpsim needs)
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CUNIT_LIBS := $(shell pkg-config --libs cunit 2>/dev/null || echo -lcunit)

OPT ?= -O2
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-format-truncation \
	-Iinclude $(PKG_CFLAGS)
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
CFLAGS_ALL := $(CFLAGS_BASE) $(CFLAGS)
LDLIBS += $(PKG_LIBS) -lm

VERSION := 0.1.0

SIM_SRCS := $(filter-out sim/main.c,$(wildcard sim/*.c))
SIM_OBJS := $(SIM_SRCS:sim/%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(wildcard tests/*.c)
TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o)
SCENARIOS := $(wildcard scenarios/*.yaml)

.PHONY: docs all run check check-coverage check-unit check-scenarios check-pcap check-asan install clean bench

all: $(BUILD)/tcpsim

$(BUILD)/obj/%.o: sim/%.c $(wildcard include/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS_ALL) -DTCPSIM_VERSION='"$(VERSION)"' -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c $(wildcard include/*.h tests/*.h) | $(BUILD)/obj/tests
	$(CC) $(CFLAGS_ALL) -Itests -c $< -o $@

$(BUILD)/obj $(BUILD)/obj/tests:
	mkdir -p $@

$(BUILD)/libtcpsim.a: $(SIM_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tcpsim: $(BUILD)/obj/main.o $(BUILD)/libtcpsim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tcpsim_tests: $(TEST_OBJS) $(BUILD)/libtcpsim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CUNIT_LIBS)

run: $(BUILD)/tcpsim
	$(BUILD)/tcpsim run scenarios/simultaneous_close.yaml -o out
	@echo
	@echo "Written: out/simultaneous_close.pcap (open it in Wireshark) and out/simultaneous_close.trace.jsonl"

# Unit tests (CUnit), then every shipped scenario against its own `expect`,
# then every pcap through tshark's checksum and malformed-frame checks.
check-unit: $(BUILD)/tcpsim_tests
	$(BUILD)/tcpsim_tests

check-scenarios: $(BUILD)/tcpsim
	tools/check_scenarios.sh $(BUILD)/tcpsim $(BUILD)/out $(SCENARIOS)

check-pcap: check-scenarios
	tools/check_pcap.sh $(BUILD)/out
	tools/check_pcap.sh --no-analysis-warnings $(BUILD)/out/clean

# Every row of the state table is traversed by a shipped scenario, and the
# traces, counted independently, agree with `tcpsim coverage`.
check-coverage: check-scenarios
	tools/check_coverage.py $(BUILD)/tcpsim $(BUILD)/out $(SCENARIOS)
	$(BUILD)/tcpsim coverage $(SCENARIOS) | tail -1

check-asan:
	$(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 check-unit check-scenarios

check: check-unit check-scenarios check-pcap check-coverage check-asan
	@echo "make check: all tests passed (plain and under ASan+UBSan)"

# The pages derived from the code and the scenarios.
docs: $(BUILD)/tcpsim
	tools/gen_docs.sh $(BUILD)/tcpsim

install: $(BUILD)/tcpsim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/tcpsim $(DESTDIR)$(PREFIX)/bin/tcpsim
	install -m 644 docs/tcpsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/tcpsim.1

clean:
	rm -rf build out

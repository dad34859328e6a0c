# tcpsim - `make` builds build/tcpsim; `make run` runs the first scenario;
# `make check` runs every test, then all of them again under ASan and UBSan.

PREFIX ?= /usr/local
CC ?= cc
BUILD ?= build
SAN ?=
PKGS := libpcap yaml-0.1 libgvc libcgraph
# The handout's PDF: compiled against these, loaded only when one is drawn
# (output/handout_pdf.c, dlopen), so not linked.
PDF_PKGS := cairo-pdf pangocairo librsvg-2.0
ifeq ($(filter clean,$(MAKECMDGOALS)),)
DEPS_OK := $(shell tools/deps.sh >&2 && echo ok)
ifneq ($(DEPS_OK),ok)
$(error tools/deps.sh could not install the Debian packages tcpsim needs)
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(PDF_PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CUNIT_LIBS := $(shell pkg-config --libs cunit 2>/dev/null || echo -lcunit)

OPT ?= -O3
# Link-time optimization: the hot path crosses files (engine, link, stack,
# trace sinks), and inlining across them is 7% at a million connections.
# `make LTO=` builds without it; the sanitizer builds never use it.
LTO ?= -flto=auto
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-format-truncation \
	-Isim $(PKG_CFLAGS)
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
LTO :=
endif
CFLAGS_BASE += $(LTO)
LDFLAGS += $(LTO) $(if $(LTO),$(OPT))
# An archive of link-time-optimized objects needs the compiler's ar (its plugin).
AR_CMD := $(if $(LTO),$(shell command -v gcc-ar || echo ar),ar)
CFLAGS_ALL := $(CFLAGS_BASE) $(CFLAGS)
LDLIBS += $(PKG_LIBS) -lm

VERSION := 0.1.0

# sim/LAYER/*.c: one folder per layer, bottom to top base, proto, scenario,
# trace, tcp, link, host, engine, output, check, replay, sweep, cli
# (docs/architecture.md; tools/check_layers.py keeps includes going down).
SIM_SRCS := $(filter-out sim/cli/main.c,$(wildcard sim/*/*.c))
SIM_OBJS := $(SIM_SRCS:sim/%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(filter-out tests/fuzz/%,$(wildcard tests/*.c tests/*/*.c))
TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o)
SCENARIOS := $(wildcard scenarios/*.yaml)

.PHONY: docs all run check check-coverage check-unit check-scenarios check-pcap check-asan check-replay check-compare check-sweep check-signals check-usage check-outputs check-run-ends check-counts check-page check-compare-all check-layers check-architecture install clean bench

all: $(BUILD)/tcpsim

# Each object depends on the headers it includes (-MMD writes the list beside
# it; -MP keeps a removed header from breaking the build), so that changing a
# header rebuilds only its readers.
$(BUILD)/obj/%.o: sim/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -DTCPSIM_VERSION='"$(VERSION)"' -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -Itests/fixtures -c $< -o $@

-include $(SIM_OBJS:.o=.d) $(BUILD)/obj/cli/main.d $(TEST_OBJS:.o=.d)

# The page's script and style sheet are built into this object (.incbin),
# outside link-time optimization: an LTO object's symbol table does not list
# what top-level asm defines, and the linker would not take it from the archive.
$(BUILD)/obj/output/page_assets.o: sim/output/page.js sim/output/page.css
$(BUILD)/obj/output/page_assets.o: CFLAGS_ALL += -fno-lto

$(BUILD)/libtcpsim.a: $(SIM_OBJS)
	rm -f $@ && $(AR_CMD) rcs $@ $^

$(BUILD)/tcpsim: $(BUILD)/obj/cli/main.o $(BUILD)/libtcpsim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tcpsim_tests: $(TEST_OBJS) $(BUILD)/libtcpsim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CUNIT_LIBS)

run: $(BUILD)/tcpsim
	$(BUILD)/tcpsim run scenarios/simultaneous_close.yaml -o out
	@echo
	@echo "Written to out/: simultaneous_close.pcap (open it in Wireshark), .pcapng (the capture at each end,"
	@echo "  with comments), .trace.jsonl, .states.svg (the state diagram with both paths), .ladder.svg (the"
	@echo "  time-sequence diagram), .states.dot, .html (the run step by step: open it in a browser)"

# Unit tests (CUnit), then every shipped scenario against its own `expect`,
# then every pcap through tshark's checksum and malformed-frame checks.
# check_pcap_kernel.py: a kernel's 0xffff checksum (replays) is allowed with
# --kernel only.
# The unit tests run with SIGINT, SIGQUIT, SIGTERM and SIGHUP ignored, as
# `nohup make check` or a script's background job would start them: each
# test sets the dispositions it relies on, and this shows it.
check-unit: $(BUILD)/tcpsim_tests
	env --ignore-signal=INT,QUIT,TERM,HUP $(BUILD)/tcpsim_tests

check-scenarios: $(BUILD)/tcpsim
	tools/check_scenarios.sh $(BUILD)/tcpsim $(BUILD)/out $(SCENARIOS)

check-pcap: check-scenarios
	tools/check_pcap.sh $(BUILD)/out
	tools/check_pcap.sh --no-analysis-warnings $(BUILD)/out/clean
	tests/check_pcapng.sh $(BUILD)/tcpsim $(BUILD)/out
	python3 tests/check_pcap_kernel.py

# Four scenarios replayed on this machine's kernel (`tcpsim replay`): the
# kernels' state sequences, no namespace left, clean pcaps. Skips, saying
# why, without root or /dev/net/tun.
check-replay: $(BUILD)/tcpsim
	tests/check_replay.sh $(BUILD)/tcpsim $(BUILD)/replay-out

# Ten scenarios in the simulator and on this machine's kernel side by side
# (`tcpsim compare`): nothing but known differences (docs/linux-differences.md),
# no namespace left. Skips, saying why, without root or /dev/net/tun.
check-compare: $(BUILD)/tcpsim
	tests/check_compare.sh $(BUILD)/tcpsim $(BUILD)/compare-out

# `tcpsim compare` on every shipped scenario, one at a time, with a table of
# each one's known, Linux cannot and UNEXPECTED rows and the totals, and
# OUTDIR/table.md for docs/linux-differences.md (tools/compare_table.py).
# Not in `make check`: every replay runs in real time, about ten minutes in
# all (five scenarios' timers run one to two minutes).
check-compare-all: $(BUILD)/tcpsim
	tools/compare_all.sh $(BUILD)/tcpsim $(BUILD)/compare-all-out

# `tcpsim sweep`: the CSV is the same for any --jobs, the shards concatenated
# are the unsharded CSV, bad input exits 2 and writes nothing.
check-sweep: $(BUILD)/tcpsim
	tests/check_sweep.sh $(BUILD)/tcpsim $(BUILD)/sweep-out

# The command line used wrong: an option without its value, an unknown option,
# check's one message per invalid file, a YAML syntax error's hint; each
# message exactly, exit 2.
check-usage: $(BUILD)/tcpsim
	tests/check_usage.sh $(BUILD)/tcpsim $(BUILD)/usage-out

# A run and a sweep stopped by a signal leave no file behind, not even a
# hidden temporary one; replays stopped by SIGINT, SIGTERM or SIGHUP at any
# time leave no namespace, tracing instance or temporary, and `replay
# --cleanup -o DIR` removes what a SIGKILLed one left (root and /dev/net/tun,
# else that part is skipped, saying so).
check-signals: $(BUILD)/tcpsim
	tests/check_signals.sh $(BUILD)/tcpsim $(BUILD)/signals-out

# Nothing written outside -o DIR (a link planted in it is never followed),
# a run's files put in place together or not at all, two scenarios of the
# same name refused, no temporary left when standard output is closed early.
check-outputs: $(BUILD)/tcpsim
	tests/check_outputs.sh $(BUILD)/tcpsim $(BUILD)/outputs-out

# Every run ends by itself: the ACK war at one instant stops with exit 1, a
# message and its files; the event bound; a timeline that wraps is refused.
check-run-ends: $(BUILD)/tcpsim
	tests/check_run_ends.sh $(BUILD)/tcpsim $(BUILD)/run-ends-out

# Every #include goes down the layers of sim/ (tools/check_layers.py lists
# them, and the exceptions issue 14 is to remove); the self-test shows that an
# upward include fails the check.
check-layers:
	python3 tools/check_layers.py
	python3 tools/check_layers.py --self-test

# docs/pictures/architecture.dot (docs/architecture.md's picture of the
# layers) is the one tools/layers_graph.py draws from today's #include lines,
# else `make docs`; the self-test shows that an #include added fails it.
check-architecture:
	python3 tools/layers_graph.py --check
	python3 tools/layers_graph.py --self-test

# run's closing line, --format summary, summary-json and the sweep CSV print
# the same counts for every shipped scenario (all read the trace).
check-counts: $(BUILD)/tcpsim
	python3 tests/check_counts.py $(BUILD)/tcpsim $(BUILD)/counts-out

# The step-through page (NAME.html) in headless Chromium: stepped with the
# keys, its highlights move as the trace says, it loads with the network
# off and logs no JavaScript error; the browser driver's self-test first
# shows that each of those checks can fail.
check-page: $(BUILD)/tcpsim
	python3 tests/check_browser_selftest.py
	python3 tests/check_page.py $(BUILD)/tcpsim $(BUILD)/page-out

# Every row of the state table is traversed by a shipped scenario, and the
# traces, counted independently, agree with `tcpsim coverage`.
check-coverage: check-scenarios
	tools/check_coverage.py $(BUILD)/tcpsim $(BUILD)/out $(SCENARIOS)
	@$(BUILD)/tcpsim coverage $(SCENARIOS) > $(BUILD)/coverage.txt || { grep 'NOT COVERED' $(BUILD)/coverage.txt; tail -1 $(BUILD)/coverage.txt; exit 1; }
	@tail -1 $(BUILD)/coverage.txt
	tools/gen_docs.sh $(BUILD)/tcpsim --check

# Graphviz and fontconfig keep some memory until exit: tests/lsan.supp names
# it (by function, hence the slow unwinder), so our own leaks still show.
check-asan: export ASAN_OPTIONS = fast_unwind_on_malloc=0
check-asan: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
check-asan:
	$(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 check-unit check-scenarios

check: check-unit check-scenarios check-pcap check-coverage check-replay check-compare check-sweep check-signals check-usage check-layers check-architecture check-outputs check-run-ends check-counts check-page check-asan check-fuzz
	@echo "make check: all tests passed (plain and under ASan+UBSan)"

# The pages and pictures derived from the code and the scenarios
# (tools/gen_docs.sh), the picture of the layers among them.
docs: $(BUILD)/tcpsim
	tools/gen_docs.sh $(BUILD)/tcpsim

install: $(BUILD)/tcpsim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/tcpsim $(DESTDIR)$(PREFIX)/bin/tcpsim
	install -m 644 docs/tcpsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/tcpsim.1

clean:
	rm -rf build out

# ---- fuzzing ------------------------------------------------------------------
# libFuzzer targets in tests/fuzz/ (scenario: the loader; packet: the codec;
# run: every scenario the loader accepts, run with small bounds), built with clang, ASan and UBSan from the
# sim/*/*.c sources except main.c (never the tests' runner). Each run first
# replays tests/fuzz/regressions/TARGET/ (past crashes), then fuzzes a fresh
# copy of the seed corpus tests/fuzz/corpus/TARGET/ in build/fuzz/corpus/.
# A crash stops make and leaves its input in build/fuzz/crashes/.
#   make fuzz [FUZZ_SECONDS=60]   each target for FUZZ_SECONDS
#   make check-fuzz               each target for 10 s (part of make check)
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := build/fuzz
FUZZ_TARGETS := scenario packet run
FUZZ_MAX_LEN_scenario := 8192
FUZZ_MAX_LEN_packet := 2048
FUZZ_MAX_LEN_run := 4096
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-Isim $(PKG_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJS := $(SIM_SRCS:sim/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz check-fuzz fuzz-build
.SECONDARY: $(FUZZ_OBJS)

$(FUZZ_DIR)/obj/output/page_assets.o: sim/output/page.js sim/output/page.css
$(FUZZ_DIR)/obj/%.o: sim/%.c $(wildcard sim/*/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -DTCPSIM_VERSION='"$(VERSION)"' -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h $(FUZZ_OBJS) $(wildcard sim/*/*.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

fuzz-build: $(FUZZ_BINS)

# $(call fuzz_run,TARGET,SECONDS)
define fuzz_run
	rm -rf $(FUZZ_DIR)/corpus/$(1) && mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/crashes
	cp tests/fuzz/corpus/$(1)/* $(FUZZ_DIR)/corpus/$(1)/
	set -- tests/fuzz/regressions/$(1)/*; if [ -f "$$1" ]; then $(FUZZ_DIR)/fuzz_$(1) "$$@"; fi
	$(FUZZ_DIR)/fuzz_$(1) -max_total_time=$(2) -max_len=$(FUZZ_MAX_LEN_$(1)) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crashes/$(1)- $(FUZZ_DIR)/corpus/$(1)

endef

fuzz: $(FUZZ_BINS)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t),$(FUZZ_SECONDS)))

check-fuzz: $(FUZZ_BINS)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t),10))

# ---- benchmark ----------------------------------------------------------------
# `make bench`: the simulator on the benchmark's workload (connect, 100 bytes, the
# client closes, the server closes on EOF; every client ends in TIME_WAIT) for
# N = 10^3 ... 10^6 connections, pcap on and off, pinned to one core, 5 runs each
# (median, min, max; peak RSS), and the same exchange through this machine's kernel
# over loopback (build/kernel_bench). BENCH_MAX=100000 stops at 10^5. The table goes
# to standard output and build/bench/results.md; see docs/performance.md.
BENCH_MAX ?= 1000000
BENCH_REPS ?= 5

$(BUILD)/kernel_bench: tools/kernel_bench.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O2 -g -Wall -Wextra -Werror -o $@ $<

bench: $(BUILD)/tcpsim $(BUILD)/kernel_bench
	python3 tools/bench.py --tcpsim $(BUILD)/tcpsim --kernel-bench $(BUILD)/kernel_bench \
		--out $(BUILD)/bench --max $(BENCH_MAX) --reps $(BENCH_REPS)

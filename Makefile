# SPDX-License-Identifier: GPL-2.0-or-later
# pppoe-xdp top-level Makefile.
#
#   make                    build build/pppoe-xdp (XDP object embedded)
#   make check              unprivileged unit tests + fuzz corpus replay
#   make check SAN=1        the same under ASan/UBSan (objects in build-san/)
#   make check-integration  root tests in network namespaces (real AC in UML)
#   make deps               install the Debian packages (root)
#   make test               everything CI runs: deps, check, check SAN=1, check-integration,
#                           the same under ASan, the workers test under TSan, and fuzz-smoke
#   make check-tsan         test_workers against a ThreadSanitizer build (build-tsan/)
#   make fuzz               libFuzzer run of every target (FUZZ_TIME seconds each)
#   make fuzz-smoke         make fuzz FUZZ_TIME=10
#   make bench              benchmarks (root; print figures, build/bench.json, .png)
#   make soak               random faults for SOAK_TIME s, then checks for leaks (root)
#   make demo               lab demo against a real access concentrator (root)
#   make install            install to $(DESTDIR)$(PREFIX)/sbin

include common.mk

PREFIX      ?= /usr/local
PROG        := $(BUILD)/pppoe-xdp
SKEL        := $(BUILD)/pppoe_xdp.skel.h

PROTO_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard pppoe/*.c))
TUN_OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tun/*.c))
DAEMON_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard src/*.c))

.PHONY: all deps check check-unit check-fuzz-replay check-integration check-integration-san check-tsan test fuzz fuzz-smoke bench soak demo install clean
all: $(PROG)

$(PROG): $(DAEMON_OBJS) $(TUN_OBJS) $(PROTO_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The daemon embeds the XDP object through the skeleton.
$(DAEMON_OBJS): | $(SKEL)

$(BUILD)/xdp/%.bpf.o: xdp/%.bpf.c $(wildcard xdp/*.h)
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) -target bpf -O2 -g -Wall -Werror -I. -I$(ARCH_INC) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/xdp/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@.tmp && mv $@.tmp $@

# ---- unit tests ---------------------------------------------------------
# tests/unit/test_X.c is one cmocka program. A fragment tests/unit/X.mk names
# the modules it links: TEST_DEPS_test_X := pppoe/fsm pppoe/timer ...
# Fuzz targets tests/fuzz/fuzz_X.c declare theirs as FUZZ_DEPS_fuzz_X in
# tests/fuzz/X.mk.
-include $(wildcard tests/unit/*.mk) $(wildcard tests/fuzz/*.mk)
include tests/tools/tools.mk

UNIT_TESTS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ_NAMES  := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(addprefix $(BUILD)/tests/replay_,$(FUZZ_NAMES))

.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $$(addprefix $(BUILD)/,$$(addsuffix .o,$$(TEST_DEPS_test_$$*)))
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(PKG_LIBS)

$(BUILD)/tests/replay_fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $$(addprefix $(BUILD)/,$$(addsuffix .o,$$(FUZZ_DEPS_fuzz_$$*)))
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

check: check-unit check-fuzz-replay

check-unit: $(UNIT_TESTS) $(PROG)
	@fail=0; pass=0; for t in $(UNIT_TESTS); do \
		if $$t; then pass=$$((pass+1)); else fail=$$((fail+1)); echo "FAILED: $$t"; fi; \
	done; for t in tests/unit/test_*.sh; do \
		if bash $$t $(PROG); then pass=$$((pass+1)); else fail=$$((fail+1)); echo "FAILED: $$t"; fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

check-fuzz-replay: $(FUZZ_REPLAY)
	@for f in $(FUZZ_NAMES); do \
		$(BUILD)/tests/replay_$$f tests/fuzz/corpus/$${f#fuzz_} || exit 1; \
	done

check-integration: $(PROG) test-tools
	bash tests/integration/run.sh

deps:
	bash scripts/install-deps.sh

# The interop, fault, soak, flood, IPv6 and DHCPv6 tests run a second time with the daemon built
# with ASan/UBSan (LeakSanitizer checks every exit).
check-integration-san: test-tools
	$(MAKE) SAN=1 build-san/pppoe-xdp
	PPPOE_XDP=$(CURDIR)/build-san/pppoe-xdp bash tests/integration/run.sh interop faults soak flood vlan ipv6 dhcp6 tcp_offload control_priority workers

# The workers test once more with the daemon built with ThreadSanitizer:
# the data-path threads against the main thread.
check-tsan: test-tools
	$(MAKE) TSAN=1 build-tsan/pppoe-xdp
	PPPOE_XDP=$(CURDIR)/build-tsan/pppoe-xdp bash tests/integration/run.sh workers

test:
	bash scripts/install-deps.sh
	$(MAKE) check
	$(MAKE) check SAN=1
	$(MAKE) check-integration
	$(MAKE) check-integration-san
	$(MAKE) check-tsan
	$(MAKE) fuzz-smoke

# ---- fuzzing (clang libFuzzer) ------------------------------------------
FUZZ_TIME   ?= 20
FUZZ_TIMEOUT ?= 25
FUZZ_BUILD  := build-fuzz
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. $(PKG_CFLAGS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $$(addsuffix .c,$$(FUZZ_DEPS_fuzz_$$*))
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)

# New inputs go to the first corpus directory, build-fuzz/corpus/X; the
# seed corpus in tests/fuzz/corpus is only read. Crash reproducers land in
# build-fuzz/ as crash-*, never in the source tree.
fuzz: $(addprefix $(FUZZ_BUILD)/,$(FUZZ_NAMES))
	@for f in $(FUZZ_NAMES); do \
		c=tests/fuzz/corpus/$${f#fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
		echo "== $$f ($(FUZZ_TIME)s)"; \
		$(FUZZ_BUILD)/$$f -max_total_time=$(FUZZ_TIME) -timeout=$(FUZZ_TIMEOUT) \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/$$f- \
			$(FUZZ_BUILD)/corpus/$$f $$c || exit 1; \
	done

# The bounded run `make test` does: every target for 10 s (a minute or two).
fuzz-smoke:
	$(MAKE) fuzz FUZZ_TIME=10

# BENCH_PARTS=datapath|setup for one part, BENCH_QUICK=1 for a short run
# (tests/bench/bench.sh); the table also goes to build/bench.json and .png.
bench: $(PROG) test-tools
	bash tests/bench/bench.sh

# A long soak (root): random AC faults for SOAK_TIME seconds over
# SOAK_SESSIONS sessions; CI runs a 45 s version as an integration test.
SOAK_TIME     ?= 600
SOAK_SESSIONS ?= 200
soak: $(PROG) test-tools
	SOAK_SECS=$(SOAK_TIME) SOAK_SESSIONS=$(SOAK_SESSIONS) bash tests/integration/test_soak.sh

demo:
	bash scripts/install-deps.sh
	$(MAKE) all
	bash tests/demo.sh

install: $(PROG)
	install -D -m 0755 $(PROG) $(DESTDIR)$(PREFIX)/sbin/pppoe-xdp

clean:
	rm -rf build build-san build-tsan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

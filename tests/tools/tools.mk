# SPDX-License-Identifier: GPL-2.0-or-later
# Test helper programs for the integration tests. Included from the top
# Makefile (uses BUILD, CC, LDFLAGS, PKG_LIBS and the $(BUILD)/%.o rule from
# common.mk). Standalone: make -f Makefile -f tests/tools/tools.mk test-tools

TEST_TOOLS := $(BUILD)/tests/tools/xsk-probe $(BUILD)/tests/tools/tun-probe \
	      $(BUILD)/tests/tools/hook-probe $(BUILD)/tests/tools/netcfg-probe \
	      $(BUILD)/tests/tools/acsim-server $(BUILD)/tests/tools/pppoe-flood \
	      $(BUILD)/tests/tools/statefile-tool $(BUILD)/tests/tools/udpblast

.PHONY: test-tools
test-tools: $(TEST_TOOLS)

# xdp_prog.o includes the generated skeleton.
$(BUILD)/tests/tools/xsk-probe.o: | $(BUILD)/pppoe_xdp.skel.h

$(BUILD)/tests/tools/xsk-probe: $(BUILD)/tests/tools/xsk-probe.o \
		$(BUILD)/src/xsk_io.o $(BUILD)/src/txpool.o $(BUILD)/src/xdp_prog.o $(BUILD)/pppoe/log.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/tools/tun-probe: $(BUILD)/tests/tools/tun-probe.o \
		$(BUILD)/tun/tun.o $(BUILD)/tun/netcfg.o $(BUILD)/pppoe/log.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/tools/hook-probe: $(BUILD)/tests/tools/hook-probe.o \
		$(BUILD)/src/hooks.o $(BUILD)/src/fsafe.o $(BUILD)/src/evloop.o $(BUILD)/pppoe/timer.o \
		$(BUILD)/pppoe/log.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/tests/tools/statefile-tool: $(BUILD)/tests/tools/statefile-tool.o \
		$(BUILD)/src/statefile.o $(BUILD)/pppoe/log.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/tests/tools/netcfg-probe: $(BUILD)/tests/tools/netcfg-probe.o \
		$(BUILD)/tun/netcfg.o $(BUILD)/pppoe/log.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The acsim access concentrator on a real interface (tests/bench/run.sh).
$(BUILD)/tests/tools/acsim-server: $(BUILD)/tests/acsim/acsim-server.o \
		$(BUILD)/tests/acsim/acsim.o $(BUILD)/pppoe/wire.o \
		$(BUILD)/pppoe/disc_codec.o $(BUILD)/pppoe/log.o $(BUILD)/pppoe/timer.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Malformed and hostile PPPoE frames for tests/integration/test_flood.sh.
$(BUILD)/tests/tools/pppoe-flood: $(BUILD)/tests/tools/pppoe-flood.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

# UDP load and its counter for the data path figures of tests/bench/run.sh.
$(BUILD)/tests/tools/udpblast: $(BUILD)/tests/tools/udpblast.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

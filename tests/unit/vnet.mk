TEST_DEPS_test_vnet := tun/vnet

# A microbenchmark of tun/vnet (prints ns per 64 KiB super-packet; not a test).
.PHONY: vnet-bench
vnet-bench: $(BUILD)/tests/bench/vnet-bench
$(BUILD)/tests/bench/vnet-bench: $(BUILD)/tests/bench/vnet_bench.o $(BUILD)/tun/vnet.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

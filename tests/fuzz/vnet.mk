FUZZ_DEPS_fuzz_vnet_gso := tun/vnet
FUZZ_DEPS_fuzz_vnet_gro := tun/vnet

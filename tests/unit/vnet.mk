TEST_DEPS_test_vnet := tun/vnet

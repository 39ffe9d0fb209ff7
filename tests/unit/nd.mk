TEST_DEPS_test_nd := pppoe/nd pppoe/ip6

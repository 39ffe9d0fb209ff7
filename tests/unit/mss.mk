TEST_DEPS_test_mss := pppoe/mss

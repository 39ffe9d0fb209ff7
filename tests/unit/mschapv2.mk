TEST_DEPS_test_mschapv2 := pppoe/mschapv2

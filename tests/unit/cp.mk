TEST_DEPS_test_cp := pppoe/cp pppoe/log

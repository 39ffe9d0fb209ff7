TEST_DEPS_test_timer := pppoe/timer

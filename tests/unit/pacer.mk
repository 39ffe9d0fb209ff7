TEST_DEPS_test_pacer := src/pacer pppoe/timer

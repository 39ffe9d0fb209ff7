TEST_DEPS_test_pacer := src/pacer src/setup pppoe/timer

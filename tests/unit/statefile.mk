TEST_DEPS_test_statefile := src/statefile pppoe/log

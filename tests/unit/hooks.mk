TEST_DEPS_test_hooks := src/hooks pppoe/timer pppoe/log

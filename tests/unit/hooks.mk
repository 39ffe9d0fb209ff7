TEST_DEPS_test_hooks := src/hooks src/evloop pppoe/timer pppoe/log

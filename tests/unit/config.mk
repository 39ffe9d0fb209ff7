TEST_DEPS_test_config := src/config src/hooks src/evloop pppoe/log pppoe/timer

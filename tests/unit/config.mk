TEST_DEPS_test_config := src/config src/hooks pppoe/log pppoe/timer

TEST_DEPS_test_config := src/config src/config_keys src/fsafe pppoe/wire

TEST_DEPS_test_config := src/config src/fsafe

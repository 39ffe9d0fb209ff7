TEST_DEPS_test_fsafe := src/fsafe

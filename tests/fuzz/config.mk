FUZZ_DEPS_fuzz_config := src/config src/fsafe

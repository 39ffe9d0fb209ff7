FUZZ_DEPS_fuzz_config := src/config src/config_keys src/fsafe pppoe/wire

FUZZ_DEPS_fuzz_config := src/config src/hooks pppoe/log pppoe/timer

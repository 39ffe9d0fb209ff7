FUZZ_DEPS_fuzz_config := src/config src/hooks src/evloop pppoe/log pppoe/timer

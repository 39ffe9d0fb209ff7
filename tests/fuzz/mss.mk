FUZZ_DEPS_fuzz_mss := pppoe/mss

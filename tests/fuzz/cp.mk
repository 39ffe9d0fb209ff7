FUZZ_DEPS_fuzz_cp := pppoe/cp

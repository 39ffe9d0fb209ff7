FUZZ_DEPS_fuzz_wire := pppoe/wire

FUZZ_DEPS_fuzz_nd := pppoe/nd pppoe/ip6

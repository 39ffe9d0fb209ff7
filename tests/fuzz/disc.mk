FUZZ_DEPS_fuzz_disc := pppoe/discovery pppoe/disc_codec pppoe/wire pppoe/log pppoe/timer

TEST_DEPS_test_discovery := pppoe/discovery pppoe/disc_codec pppoe/wire pppoe/log pppoe/timer

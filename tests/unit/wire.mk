TEST_DEPS_test_wire := pppoe/wire

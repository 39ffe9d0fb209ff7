TEST_DEPS_test_setup := src/setup src/pacer src/acpeer pppoe/timer

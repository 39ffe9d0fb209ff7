TEST_DEPS_test_fsm := pppoe/fsm pppoe/cp pppoe/log pppoe/timer

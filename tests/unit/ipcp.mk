TEST_DEPS_test_ipcp := pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/auth pppoe/fsm pppoe/cp pppoe/log pppoe/timer

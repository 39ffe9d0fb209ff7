TEST_DEPS_test_session := pppoe/session pppoe/discovery pppoe/disc_codec pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/auth pppoe/mschapv2 pppoe/fsm pppoe/cp pppoe/wire pppoe/log pppoe/timer tests/acsim/acsim

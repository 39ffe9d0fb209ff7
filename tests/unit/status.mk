# status.c and metrics.c read sessions; session_state_name() brings in the protocol objects.
TEST_DEPS_test_status := src/hooks src/evloop src/status src/metrics src/strbuf src/setup pppoe/session pppoe/session6 pppoe/nd pppoe/discovery pppoe/disc_codec pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/ipv6cp pppoe/ip6 pppoe/auth pppoe/mschapv2 pppoe/fsm pppoe/cp pppoe/wire pppoe/log pppoe/timer

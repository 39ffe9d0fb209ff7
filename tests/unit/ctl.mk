# The control socket with real sessions; daemon_find/daemon_reload/daemon_now_ms
# and the xsk_io calls are stubbed in the test, so the daemon is not linked.
TEST_DEPS_test_ctl := src/ctl src/status src/strbuf src/evloop src/setup pppoe/session pppoe/discovery pppoe/disc_codec pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/auth pppoe/fsm pppoe/cp pppoe/wire pppoe/log pppoe/timer

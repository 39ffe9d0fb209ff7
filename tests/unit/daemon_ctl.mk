# The daemon's control ops on real sessions and the real session table;
# daemon_reload and the xsk_io calls are stubbed in the test.
TEST_DEPS_test_daemon_ctl := src/hooks src/daemon_ctl src/sessions src/ctl_proto src/status src/metrics src/strbuf src/evloop src/setup pppoe/session pppoe/session6 pppoe/session_dhcp6 pppoe/dhcp6 pppoe/dhcp6_codec pppoe/nd pppoe/discovery pppoe/disc_codec pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/ipv6cp pppoe/ip6 pppoe/auth pppoe/mschapv2 pppoe/fsm pppoe/cp pppoe/wire pppoe/log pppoe/timer

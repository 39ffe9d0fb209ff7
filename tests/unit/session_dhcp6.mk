TEST_DEPS_test_session_dhcp6 := pppoe/session_dhcp6 pppoe/dhcp6 pppoe/dhcp6_codec pppoe/ip6 pppoe/log pppoe/timer

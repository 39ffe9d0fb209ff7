FUZZ_DEPS_fuzz_dhcp6 := pppoe/dhcp6 pppoe/dhcp6_codec pppoe/log pppoe/timer

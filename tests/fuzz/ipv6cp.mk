FUZZ_DEPS_fuzz_ipv6cp := pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/ipv6cp pppoe/ip6 pppoe/auth pppoe/mschapv2 pppoe/fsm pppoe/cp pppoe/log pppoe/timer

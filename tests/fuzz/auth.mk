FUZZ_DEPS_fuzz_auth := pppoe/ppp pppoe/lcp pppoe/ipcp pppoe/ipv6cp pppoe/ip6 pppoe/auth pppoe/mschapv2 pppoe/fsm pppoe/cp pppoe/log pppoe/timer

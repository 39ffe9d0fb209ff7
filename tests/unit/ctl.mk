# The control socket and its client against fake ops: no daemon, no sessions.
TEST_DEPS_test_ctl := src/ctl src/ctl_proto src/ctl_client src/metrics_http src/strbuf src/evloop pppoe/log pppoe/timer

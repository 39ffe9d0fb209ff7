// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_daemon_ctl.c - the daemon's control ops (src/daemon_ctl.c) on a
 * hand-built daemon with real sessions: up/down/redial by name, reload,
 * and the reports, through ctl_execute() as the control socket runs them.
 * The socket itself is test_ctl.c's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/ctl.h"
#include "src/daemon_ctl.h"
#include "src/daemon_int.h"
#include "src/strbuf.h"
#include "src/xsk_io.h"

/* ---- stand-ins for src/reload.c and AF_XDP -------------------------------- */

static int reload_calls, reload_rc;

/* The reload itself needs the whole daemon: count the calls. */
int daemon_reload(struct daemon *d)
{
	(void)d;
	reload_calls++;
	return reload_rc;
}

/* The daemon's exit is daemon.c's: record which one was asked for. */
static int stop_calls, keep_calls;

void daemon_begin_shutdown(struct daemon *d, const char *why)
{
	(void)d;
	(void)why;
	stop_calls++;
}

int daemon_begin_keep(struct daemon *d, const char *why)
{
	(void)d;
	(void)why;
	keep_calls++;
	return keep_calls > 1 ? -EALREADY : 0;
}

const char *xsk_io_mode_name(const struct xsk_io *io)
{
	(void)io;
	return "skb";
}

unsigned int xsk_io_nqueues(const struct xsk_io *io)
{
	(void)io;
	return 1;
}

void xsk_io_get_stats(const struct xsk_io *io, struct xsk_io_stats *st)
{
	(void)io;
	memset(st, 0, sizeof(*st));
}

int xsk_io_get_xdp_stats(const struct xsk_io *io, uint64_t *out, unsigned int n)
{
	(void)io;
	(void)out;
	(void)n;
	return -ENOENT;
}

/* ---- fixture: a daemon with real sessions ---------------------------------- */

static unsigned int frames_out;

static int fake_output(struct session *s, const uint8_t *frame, size_t len)
{
	(void)s;
	(void)frame;
	(void)len;
	frames_out++;
	return 0;
}

static void fake_net_up(struct session *s, const struct ppp_net *net)
{
	(void)s;
	(void)net;
}

static void fake_net_down(struct session *s)
{
	(void)s;
}

static const struct session_ops fake_ops = {
	.output = fake_output,
	.net_up = fake_net_up,
	.net_down = fake_net_down,
};

struct fixture {
	struct daemon d;
	struct conf conf;
	struct dsession *ds[3];
};

static struct dsession *fx_session(struct fixture *fx, const char *name, uint32_t index)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 1 };
	struct dsession *ds = calloc(1, sizeof(*ds));

	assert_non_null(ds);
	snprintf(ds->conf.s.name, sizeof(ds->conf.s.name), "%s", name);
	snprintf(ds->conf.s.ifname, sizeof(ds->conf.s.ifname), "ppp%u", index);
	ds->conf.s.disc.service = ds->conf.s.service;
	ds->conf.s.ppp.user = "user";
	ds->conf.s.ppp.password = "pass";
	ds->d = &fx->d;
	session_init(&ds->s, &ds->conf.s, &fake_ops, &fx->d.loop.wheel, mac, index, ds);
	return ds;
}

static int fx_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	reload_calls = 0;
	reload_rc = 0;
	snprintf(fx->conf.interface, sizeof(fx->conf.interface), "veth0");
	fx->d.conf = &fx->conf;
	assert_int_equal(evloop_init(&fx->d.loop), 0);
	fx->d.started_ms = mono_ms();
	fx->ds[0] = fx_session(fx, "isp1", 0);
	fx->ds[1] = fx_session(fx, "isp2", 1);
	fx->d.sessions = fx->ds;
	fx->d.nslots = 3; /* slot 2 empty */
	session_start(&fx->ds[0]->s);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!fx->ds[i])
			continue;
		session_abort(&fx->ds[i]->s, "test over");
		free(fx->ds[i]);
	}
	evloop_fini(&fx->d.loop);
	free(fx);
	return 0;
}

/* run - @line through the daemon's ops as the control socket runs it: the body of an OK reply */
static char *run(struct daemon *d, const char *line)
{
	struct strbuf sb;
	const char *body;
	size_t blen;
	char *copy;

	strbuf_init(&sb);
	ctl_execute(&daemon_ctl_ops, d, line, strlen(line), &sb);
	assert_false(sb.oom);
	if (ctl_parse_reply(sb.buf, sb.len, &body, &blen) != 0)
		fail_msg("'%s': %s", line, sb.buf);
	copy = strndup(body, blen);
	assert_non_null(copy);
	strbuf_free(&sb);
	return copy;
}

/* ---- tests ------------------------------------------------------------------ */

/* What each command does to the daemon, and the reply it gets. */
static void test_execute(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(fx->ds[0]->s.state, SESS_DISCOVERY);
	ctl_execute(&daemon_ctl_ops, &fx->d, "down isp1", 9, &sb);
	assert_string_equal(sb.buf, "OK 11\nisp1: idle\n");
	assert_int_equal(fx->ds[0]->s.state, SESS_IDLE);
	assert_false(fx->ds[0]->s.admin_up);

	strbuf_reset(&sb);
	frames_out = 0;
	ctl_execute(&daemon_ctl_ops, &fx->d, "up isp2", 7, &sb);
	assert_string_equal(sb.buf, "OK 16\nisp2: discovery\n");
	assert_int_equal(fx->ds[1]->s.state, SESS_DISCOVERY);
	assert_int_equal(frames_out, 1); /* the PADI */

	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "redial isp2", 11, &sb);
	assert_string_equal(sb.buf, "OK 16\nisp2: discovery\n");
	assert_int_equal(fx->ds[1]->s.dials, 2);

	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "up nope", 7, &sb);
	assert_string_equal(sb.buf, "ERR no session named 'nope'\n");

	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "reload", 6, &sb);
	assert_string_equal(sb.buf, "OK 9\nreloaded\n");
	reload_rc = -EINVAL;
	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "reload", 6, &sb);
	assert_string_equal(sb.buf, "ERR reload failed: Invalid argument (the daemon's log has details)\n");
	assert_int_equal(reload_calls, 2);

	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "stop now", 8, &sb);
	assert_string_equal(sb.buf, "ERR usage: stop [keep]\n");
	assert_int_equal(stop_calls + keep_calls, 0);
	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "stop keep", 9, &sb);
	assert_string_equal(sb.buf, "OK 23\nexiting, sessions kept\n");
	assert_int_equal(keep_calls, 1);
	assert_int_equal(stop_calls, 0);
	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "stop", 4, &sb);
	assert_string_equal(sb.buf, "OK 9\nstopping\n");
	assert_int_equal(stop_calls, 1);
	assert_int_equal(keep_calls, 1);
	/* The daemon refuses (already stopping): the caller is told. */
	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "stop keep", 9, &sb);
	assert_string_equal(sb.buf, "ERR stop failed: Operation already in progress\n");

	strbuf_reset(&sb);
	ctl_execute(&daemon_ctl_ops, &fx->d, "status json", 11, &sb);
	assert_int_equal(strncmp(sb.buf, "OK ", 3), 0);
	assert_non_null(strstr(sb.buf, "\"name\":\"isp1\",\"state\":\"idle\""));
	strbuf_free(&sb);
}

/* The act op alone: found by the configured name, nothing done for others. */
static void test_act(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(daemon_ctl_ops.act(&fx->d, CTL_CMD_DOWN, "isp3", &sb), -ENOENT);
	assert_int_equal(daemon_ctl_ops.act(&fx->d, CTL_CMD_DOWN, "", &sb), -ENOENT);
	assert_int_equal(daemon_ctl_ops.act(&fx->d, CTL_CMD_RELOAD, "isp1", &sb), -EINVAL);
	assert_int_equal(sb.len, 0);
	assert_int_equal(fx->ds[0]->s.state, SESS_DISCOVERY);
	assert_int_equal(daemon_ctl_ops.act(&fx->d, CTL_CMD_DOWN, "isp1", &sb), 0);
	assert_string_equal(sb.buf, "isp1: idle\n");
	strbuf_free(&sb);
}

/* The three reports are the daemon's status and metrics of the moment. */
static void test_reports(void **state)
{
	struct fixture *fx = *state;
	char *out;

	out = run(&fx->d, "status");
	assert_non_null(strstr(out, ", interface veth0, up 0s; sessions 2: 1 idle, 1 discovery\n"
				    "setup window "));
	assert_non_null(strstr(out, " queued; setup time 0 ms, best 0 ms\nNAME "));
	assert_non_null(strstr(out, "\nisp1  discovery  ppp0 "));
	assert_non_null(strstr(out, "\nisp2  idle       ppp1 "));
	free(out);

	out = run(&fx->d, "metrics");
	assert_int_equal(strncmp(out, "# HELP pppoe_xdp_info ", 22), 0);
	assert_non_null(strstr(out, "pppoe_xdp_session_state{session=\"isp1\",ifname=\"ppp0\","
				    "state=\"discovery\"} 1\n"));
	free(out);

	out = run(&fx->d, "down isp1");
	assert_string_equal(out, "isp1: idle\n");
	free(out);
	out = run(&fx->d, "metrics");
	assert_non_null(strstr(out, "pppoe_xdp_sessions{state=\"idle\"} 2\n"));
	free(out);
	out = run(&fx->d, "status json");
	assert_int_equal(out[0], '{');
	free(out);
}

/*
 * A session's PPPoE session id and AC MAC, all a spoofer needs to forge a
 * PADT: on the control socket (status, JSON, metrics), never in what the
 * HTTP listener serves.
 */
static void test_wire_ids(void **state)
{
	struct fixture *fx = *state;
	struct dsession *ds = fx->ds[0];
	struct strbuf sb;
	char *out;

	ds->s.disc.session_id = 0x1a2b;
	memcpy(ds->s.disc.ac_mac, "\x00\x11\x22\x33\x44\x55", 6);
	snprintf(ds->s.disc.ac_name, sizeof(ds->s.disc.ac_name), "BRAS-1");

	out = run(&fx->d, "metrics");
	assert_non_null(strstr(out, "pppoe_xdp_session_info{session=\"isp1\",ifname=\"ppp0\","
				    "ac_name=\"BRAS-1\",ac_mac=\"00:11:22:33:44:55\","
				    "session_id=\"6699\"} 1\n"));
	free(out);
	out = run(&fx->d, "status");
	assert_non_null(strstr(out, " 00:11:22:33:44:55  0x1a2b "));
	free(out);
	out = run(&fx->d, "status json");
	assert_non_null(strstr(out, "\"ac_mac\":\"00:11:22:33:44:55\",\"session_id\":6699,"));
	free(out);

	strbuf_init(&sb);
	assert_int_equal(daemon_ctl_ops.report(&fx->d, CTL_REPORT_METRICS_HTTP, &sb), 0);
	assert_false(sb.oom);
	assert_non_null(strstr(sb.buf, "pppoe_xdp_session_info{session=\"isp1\",ifname=\"ppp0\","
				       "ac_name=\"BRAS-1\"} 1\n"));
	assert_non_null(strstr(sb.buf, "pppoe_xdp_session_state{session=\"isp1\",ifname=\"ppp0\","
				       "state=\"discovery\"} 1\n"));
	assert_null(strstr(sb.buf, "00:11:22:33:44:55"));
	assert_null(strstr(sb.buf, "session_id"));
	assert_null(strstr(sb.buf, "6699"));
	assert_null(strstr(sb.buf, "1a2b"));
	strbuf_free(&sb);
	ds->s.disc.session_id = 0;
}

/* 4,000 sessions: reports far larger than a socket buffer, every session in them. */
static void test_many_sessions(void **state)
{
	struct fixture *fx = *state;
	struct dsession **many, **saved = fx->d.sessions;
	size_t saved_n = fx->d.nslots, i, lines = 0;
	char *out, *p;

	many = calloc(4000, sizeof(*many));
	assert_non_null(many);
	for (i = 0; i < 4000; i++) {
		char name[32];

		snprintf(name, sizeof(name), "session-%04zu", i);
		many[i] = fx_session(fx, name, (uint32_t)i);
	}
	fx->d.sessions = many;
	fx->d.nslots = 4000;
	out = run(&fx->d, "metrics");
	assert_true(strlen(out) > 1000000);
	assert_non_null(strstr(out, "pppoe_xdp_session_tx_dropped_total{session=\"session-3999\","
				    "ifname=\"ppp3999\"} 0\n"));
	free(out);
	out = run(&fx->d, "status");
	for (p = out; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 4003); /* two header lines, the titles, 4000 rows */
	free(out);
	out = run(&fx->d, "redial session-3999");
	assert_string_equal(out, "session-3999: discovery\n");
	free(out);
	for (i = 0; i < 4000; i++) {
		session_abort(&many[i]->s, "test over");
		free(many[i]);
	}
	free(many);
	fx->d.sessions = saved;
	fx->d.nslots = saved_n;
}

/*
 * The session table by (session id, AC MAC, our MAC, VLAN): two sessions
 * sharing our MAC on VLANs 7 and 8 hold the same session id of the same
 * AC MAC; each frame finds the one on its own VLAN, and a frame untagged,
 * on 7.7 or on another VLAN finds neither.
 */
static void test_find_bound_vlan(void **state)
{
	static const uint8_t ac[6] = { 0x02, 0xac, 0, 0, 0, 7 };
	struct fixture *fx = *state;
	struct dsession *a = fx->ds[0], *b = fx->ds[1];
	struct pppoe_vlan v7 = { .ntags = 1, .tpid = 0x8100, .vid = { 7, 0 } };
	struct pppoe_vlan v8 = { .ntags = 1, .tpid = 0x8100, .vid = { 8, 0 } };
	struct pppoe_vlan q77 = { .ntags = 2, .tpid = 0x88a8, .vid = { 7, 7 } };
	struct pppoe_vlan none = { 0 };

	session_abort(&a->s, "test");
	assert_memory_equal(a->s.mac, b->s.mac, 6);
	a->s.disc.vlan = v7;
	b->s.disc.vlan = v8;
	a->s.disc.session_id = b->s.disc.session_id = 0x42;
	memcpy(a->s.disc.ac_mac, ac, 6);
	memcpy(b->s.disc.ac_mac, ac, 6);
	sessions_sid_add(a);
	sessions_sid_add(b);
	assert_ptr_equal(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &v7), a);
	assert_ptr_equal(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &v8), b);
	assert_null(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &none));
	assert_null(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &q77));
	v7.vid[0] = 9;
	assert_null(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &v7));
	/* QinQ: both IDs count, the TPID does not. */
	b->s.disc.vlan = q77;
	q77.tpid = 0x8100;
	assert_ptr_equal(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &q77), b);
	q77.vid[0] = 100;
	assert_null(sessions_find_bound(&fx->d, 0x42, ac, a->s.mac, &q77));
	sessions_sid_del(a);
	sessions_sid_del(b);
	a->s.disc.session_id = b->s.disc.session_id = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_execute, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_act, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reports, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wire_ids, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_many_sessions, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_find_bound_vlan, fx_setup, fx_teardown),
	};

	/* Quiet: the daemon side logs every admin action. */
	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

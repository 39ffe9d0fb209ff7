// SPDX-License-Identifier: GPL-2.0-or-later
/* test_status.c - status table, JSON and Prometheus text over a hand-built daemon */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/daemon_int.h"
#include "src/metrics.h"
#include "src/status.h"
#include "src/strbuf.h"
#include "src/xsk_io.h"
#include "xdp/pppoe_xdp.h"

/*
 * xsk_io stand-ins: status.c asks the AF_XDP layer for its mode, queues
 * and counters. A fake non-NULL io pointer selects them.
 */
struct xsk_io {
	int dummy;
};

const char *xsk_io_mode_name(const struct xsk_io *io)
{
	(void)io;
	return "native";
}

unsigned int xsk_io_nqueues(const struct xsk_io *io)
{
	(void)io;
	return 4;
}

void xsk_io_get_stats(const struct xsk_io *io, struct xsk_io_stats *st)
{
	(void)io;
	st->rx_frames = 1000;
	st->tx_frames = 900;
	st->rx_dropped = 3;
	st->rx_control = 40;
	st->rx_control_dropped = 1;
	st->tx_dropped = 2;
	st->tx_data_held = 6;
}

int xsk_io_get_xdp_stats(const struct xsk_io *io, uint64_t *out, unsigned int n)
{
	unsigned int i;

	(void)io;
	for (i = 0; i < n; i++)
		out[i] = 10 + i;
	return 0;
}

/* The report in sb contains / lacks this text. */
#define HAS(s) assert_non_null(strstr(sb.buf, s))
#define HAS_NOT(s) assert_null(strstr(sb.buf, s))

#define NOW_MS 100000000ull /* the daemon's clock in these tests */

/* A hostile AC name: a quote, a newline, a backslash and two 0xff bytes. */
static const char evil_ac[] = "ev\"il\n\xff\xff\\ac";

struct fixture {
	struct daemon d;
	struct conf conf;
	struct xsk_io io;
	struct dsession *ds[4];
	struct worker wk[2];
};

static struct dsession *fx_session(const char *name, const char *ifname,
				   enum session_state st)
{
	struct dsession *ds = calloc(1, sizeof(*ds));

	assert_non_null(ds);
	snprintf(ds->conf.s.name, sizeof(ds->conf.s.name), "%s", name);
	snprintf(ds->conf.s.ifname, sizeof(ds->conf.s.ifname), "%s", ifname);
	ds->s.conf = &ds->conf.s;
	ds->s.state = st;
	ds->s.mac[0] = 0x02;
	ds->s.mac[5] = 0x01;
	ds->worker = -1;
	return ds;
}

static int fx_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct dsession *a, *b, *c;

	assert_non_null(fx);
	snprintf(fx->conf.interface, sizeof(fx->conf.interface), "eth0");
	fx->d.conf = &fx->conf;
	fx->d.started_ms = NOW_MS - (3 * 3600 + 12 * 60 + 5) * 1000ull; /* 3h12m05s */
	/* the figures are the sum over the main thread's and the workers' */
	fx->d.workers = fx->wk;
	fx->d.nworkers = 2;
	fx->d.dp.n.rx_unknown = 4;
	fx->wk[1].dp.n.rx_unknown = 3;
	fx->d.dp.n.rx_malformed = 1;
	fx->d.off.enabled = 0x07; /* csum tso4 tso6 */
	fx->wk[0].dp.n.tx_super = 2;
	fx->wk[1].dp.n.tx_super = 1;
	fx->wk[0].dp.n.tx_segs = 130;
	fx->d.dp.n.rx_super = 1;
	fx->wk[1].dp.n.rx_super = 4;
	fx->wk[0].dp.n.rx_merged = 40;
	fx->wk[1].dp.n.rx_super_udp = 2;

	/* Up, with everything. */
	a = fx_session("isp1", "ppp0", SESS_UP);
	a->s.ppp.net.local = inet_addr("10.64.0.100");
	a->s.ppp.net.peer = inet_addr("10.64.0.1");
	a->s.ppp.net.dns1 = inet_addr("192.0.2.53");
	a->s.ppp.net.dns2 = inet_addr("192.0.2.54");
	a->s.ppp.net.mtu = 1492;
	a->s.ppp.echo_rtt_us = 1500;
	a->s.disc.session_id = 0x1a2b;
	a->worker = 1; /* 0x1a2b % 2 */
	a->s.disc.vlan = (struct pppoe_vlan){ .ntags = 1, .tpid = 0x8100, .vid = { 7, 0 } };
	memcpy(a->s.disc.ac_mac, "\x00\x11\x22\x33\x44\x55", 6);
	snprintf(a->s.disc.ac_name, sizeof(a->s.disc.ac_name), "BRAS-1");
	a->s.up_since_ms = NOW_MS - 125 * 1000; /* 2m05s */
	a->s.stats.rx_packets = 1234;
	a->s.stats.rx_bytes = 1536;
	a->s.stats.tx_packets = 99;
	a->s.stats.tx_bytes = 5 * 1024 * 1024 + 512 * 1024;
	a->s.stats.rx_dropped = 4;
	a->s.redials = 2;
	a->ups = 3;
	a->downs = 2;

	/* Waiting to redial after a failure. */
	b = fx_session("isp2", "ppp1", SESS_HOLDOFF);
	snprintf(b->s.last_error, sizeof(b->s.last_error), "no answer from an access concentrator");
	b->s.redials = 11;
	b->downs = 1;

	/* Negotiating PPP with a hostile AC. */
	c = fx_session("isp3", "ppp2", SESS_PPP);
	c->s.disc.session_id = 7;
	c->s.disc.vlan = (struct pppoe_vlan){ .ntags = 2, .tpid = 0x88a8, .vid = { 100, 7 } };
	memcpy(c->s.disc.ac_mac, "\xaa\xbb\xcc\xdd\xee\xff", 6);
	memcpy(c->s.disc.ac_name, evil_ac, sizeof(evil_ac));
	snprintf(c->s.last_error, sizeof(c->s.last_error), "peer said \"no\"\n");

	/* Slot 1 is empty: the output keeps slot order and skips it. */
	fx->ds[0] = a;
	fx->ds[1] = NULL;
	fx->ds[2] = b;
	fx->ds[3] = c;
	fx->d.sessions = fx->ds;
	fx->d.nslots = 4;
	a->d = b->d = c->d = &fx->d;
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < 4; i++)
		free(fx->ds[i]);
	free(fx);
	return 0;
}

/* Dump what a report produced when PPPOE_XDP_TEST_DUMP is set: handy when a line changes. */
static void dump(const char *what, const struct strbuf *sb)
{
	if (getenv("PPPOE_XDP_TEST_DUMP"))
		fprintf(stderr, "---- %s ----\n%s", what, sb->buf);
}

/* line_of - the line of @text starting with @prefix, copied into @out */
static const char *line_of(const char *text, const char *prefix, char *out, size_t outlen)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (!strncmp(p, prefix, strlen(prefix))) {
			snprintf(out, outlen, "%.*s", (int)len, p);
			return out;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static void test_helpers(void **state)
{
	char b[32];
	struct strbuf sb;

	(void)state;
	assert_string_equal(status_fmt_duration(b, sizeof(b), 0), "0s");
	assert_string_equal(status_fmt_duration(b, sizeof(b), 59), "59s");
	assert_string_equal(status_fmt_duration(b, sizeof(b), 125), "2m05s");
	assert_string_equal(status_fmt_duration(b, sizeof(b), 3 * 3600 + 12 * 60 + 59), "3h12m");
	assert_string_equal(status_fmt_duration(b, sizeof(b), 2 * 86400 + 3 * 3600), "2d03h");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), 0), "0B");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), 1023), "1023B");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), 1024), "1.0KiB");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), 1536), "1.5KiB");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), 1048575), "1023.9KiB");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), 3 * 1048576 + 209920), "3.2MiB");
	assert_string_equal(status_fmt_bytes(b, sizeof(b), UINT64_MAX), "15.9EiB");

	strbuf_init(&sb);
	status_json_str(&sb, evil_ac, strlen(evil_ac));
	assert_string_equal(sb.buf, "\"ev\\\"il\\u000a\\u00ff\\u00ff\\\\ac\"");
	strbuf_reset(&sb);
	metrics_label(&sb, evil_ac, strlen(evil_ac));
	assert_string_equal(sb.buf, "ev\\\"il\\n\\\\xff\\\\xff\\\\ac");
	/* Valid UTF-8 passes; an overlong form and a lone continuation do not. */
	strbuf_reset(&sb);
	metrics_label(&sb, "caf\xc3\xa9\xc0\xaf\x80\t", 9);
	assert_string_equal(sb.buf, "caf\xc3\xa9\\\\xc0\\\\xaf\\\\x80\\\\x09");
	strbuf_free(&sb);
}

static void test_strbuf_grows(void **state)
{
	struct strbuf sb;
	size_t i;

	(void)state;
	strbuf_init(&sb);
	for (i = 0; i < 10000; i++)
		strbuf_printf(&sb, "%05zu,", i);
	assert_false(sb.oom);
	assert_int_equal(sb.len, 60000);
	assert_int_equal(strlen(sb.buf), 60000);
	assert_memory_equal(sb.buf + 59994, "09999,", 6);
	/* One line larger than anything before it. */
	strbuf_reset(&sb);
	strbuf_printf(&sb, "%5000s|", "x");
	assert_int_equal(sb.len, 5001);
	assert_int_equal(sb.buf[5000], '|');
	strbuf_free(&sb);
}

static void test_table(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb;
	char l[1024];
	const char *hdr, *p;

	strbuf_init(&sb);
	fx->d.io = &fx->io;
	assert_int_equal(status_table(&fx->d, NOW_MS, &sb), 0);
	dump("table", &sb);

	assert_string_equal(line_of(sb.buf, "pppoe-xdp", l, sizeof(l)),
			    "pppoe-xdp " PPPOE_XDP_VERSION ", interface eth0, xdp native, 4 queues, "
			    "up 3h12m; sessions 3: 1 ppp, 1 up, 1 holdoff");
	hdr = line_of(sb.buf, "NAME", l, sizeof(l));
	assert_non_null(hdr);
	assert_string_equal(hdr,
		"NAME  STATE    IFNAME  VLAN   LOCAL        PEER       DNS                    "
		"AC                          AC-MAC             SID     UPTIME  RX           "
		"TX         REDIALS  LAST-ERROR");
	assert_string_equal(line_of(sb.buf, "isp1", l, sizeof(l)),
		"isp1  up       ppp0    7      10.64.0.100  10.64.0.1  192.0.2.53,192.0.2.54  "
		"BRAS-1                      00:11:22:33:44:55  0x1a2b  2m05s   1234/1.5KiB  "
		"99/5.5MiB  2        -");
	assert_string_equal(line_of(sb.buf, "isp2", l, sizeof(l)),
		"isp2  holdoff  ppp1    -      -            -          -                      "
		"-                           -                  -       -       0/0B         "
		"0/0B       11       no answer from an access concentrator");
	/* Peer bytes are escaped: the row stays one line. */
	assert_string_equal(line_of(sb.buf, "isp3", l, sizeof(l)),
		"isp3  ppp      ppp2    100.7  -            -          -                      "
		"ev\\x22il\\x0a\\xff\\xff\\x5cac  aa:bb:cc:dd:ee:ff  0x0007  -       0/0B         "
		"0/0B       0        peer said \\x22no\\x22\\x0a");
	/* Slot order, nothing after the last row, no trailing blanks. */
	p = strstr(sb.buf, "isp1");
	assert_true(p < strstr(sb.buf, "isp2") && strstr(sb.buf, "isp2") < strstr(sb.buf, "isp3"));
	assert_int_equal(sb.buf[sb.len - 1], '\n');
	HAS_NOT(" \n");

	/* Without AF_XDP the header leaves the xdp part out. */
	strbuf_reset(&sb);
	fx->d.io = NULL;
	assert_int_equal(status_table(&fx->d, NOW_MS, &sb), 0);
	assert_string_equal(line_of(sb.buf, "pppoe-xdp", l, sizeof(l)),
			    "pppoe-xdp " PPPOE_XDP_VERSION ", interface eth0, up 3h12m; "
			    "sessions 3: 1 ppp, 1 up, 1 holdoff");
	strbuf_free(&sb);
}

static void prom_check(const char *text);

/* The setup window in all three reports: size, reason, occupancy, history. */
static void test_setup_window(void **state)
{
	struct daemon d;
	struct strbuf sb;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.started_ms = NOW_MS;
	setup_win_init(&d.win, 0);
	setup_win_start(&d.win, NOW_MS);
	setup_win_start(&d.win, NOW_MS);
	setup_win_done(&d.win, NOW_MS, true, 1500);
	setup_win_signal(&d.win, NOW_MS, SETUP_R_PADO_LOSS, NOW_MS);
	d.pacer.queued = 7;
	strbuf_init(&sb);
	assert_int_equal(status_table(&d, NOW_MS, &sb), 0);
	HAS("\nsetup window 4 (pado-missing): 1 in setup, 7 queued; setup time 1500 ms, best 1500 ms\n");
	strbuf_reset(&sb);
	assert_int_equal(status_json(&d, NOW_MS, &sb), 0);
	HAS("\"setup\":{\"window\":4,\"fixed\":false,\"reason\":\"pado-missing\",\"in_setup\":1,"
	    "\"queued\":7,\"started\":2,\"completed\":1,\"failed\":0,");
	HAS("\"decreases\":{\"pado-missing\":1,\"pads-missing\":0,");
	strbuf_reset(&sb);
	assert_int_equal(metrics_render(&d, NOW_MS, true, &sb), 0);
	prom_check(sb.buf);
	HAS("\npppoe_xdp_setup_window 4\n");
	HAS("\npppoe_xdp_setup_window_reason{reason=\"pado-missing\"} 1\n");
	HAS("\npppoe_xdp_setup_window_reason{reason=\"growing\"} 0\n");
	HAS("\npppoe_xdp_setup_queued 7\n");
	HAS("\npppoe_xdp_setups_total{result=\"ok\"} 1\n");
	HAS("\npppoe_xdp_setup_window_decreases_total{reason=\"pado-missing\"} 1\n");
	strbuf_free(&sb);
}

static void test_table_empty(void **state)
{
	struct daemon d;
	struct strbuf sb;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.started_ms = NOW_MS;
	strbuf_init(&sb);
	assert_int_equal(status_table(&d, NOW_MS, &sb), 0);
	assert_string_equal(sb.buf, "pppoe-xdp " PPPOE_XDP_VERSION ", interface , up 0s; sessions 0\n"
			    "setup window 2 (start): 0 in setup, 0 queued; setup time 0 ms, best 0 ms\n"
			    "NAME  STATE  IFNAME  VLAN  LOCAL  PEER  DNS  AC  AC-MAC  SID  UPTIME  RX  TX  "
			    "REDIALS  LAST-ERROR\n");
	strbuf_reset(&sb);
	assert_int_equal(status_json(&d, NOW_MS, &sb), 0);
	HAS(",\"sessions\":[]}\n");
	HAS(",\"setup\":{\"window\":2,\"fixed\":false,\"reason\":\"start\",\"in_setup\":0,");
	strbuf_free(&sb);
}

/* python_check - run @script on the JSON in @sb: the test's JSON parser */
static int python_check(const struct strbuf *sb, const char *script)
{
	char path[] = "/tmp/test_status_XXXXXX", cmd[4096];
	FILE *f;
	int fd, rc;

	if (system("python3 -c '' >/dev/null 2>&1") != 0)
		return -1;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fwrite(sb->buf, 1, sb->len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c '%s' %s", script, path);
	rc = system(cmd);
	unlink(path);
	return rc;
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb;
	int rc;

	strbuf_init(&sb);
	fx->d.io = &fx->io;
	assert_int_equal(status_json(&fx->d, NOW_MS, &sb), 0);
	dump("json", &sb);

	HAS("{\"version\":\"" PPPOE_XDP_VERSION "\",\"interface\":\"eth0\","
	    "\"xdp_mode\":\"native\",\"queues\":4,\"uptime_s\":11525,");
	assert_non_null(strstr(sb.buf,
		"{\"name\":\"isp1\",\"state\":\"up\",\"ifname\":\"ppp0\",\"mac\":\"02:00:00:00:00:01\","
		"\"local\":\"10.64.0.100\",\"peer\":\"10.64.0.1\",\"dns\":[\"192.0.2.53\",\"192.0.2.54\"],"
		"\"mtu\":1492,\"vlan\":\"7\",\"ac_name\":\"BRAS-1\",\"ac_mac\":\"00:11:22:33:44:55\",\"session_id\":6699,"
		"\"worker\":1,\"uptime_s\":125,\"echo_rtt_us\":1500,\"rx_packets\":1234,\"rx_bytes\":1536,"
		"\"rx_dropped\":4,\"tx_packets\":99,\"tx_bytes\":5767168,\"tx_dropped\":0,\"dials\":0,"
		"\"redials\":2,\"failures\":0,\"ups\":3,\"downs\":2,\"ipv6\":null,\"resumed\":false,"
		"\"dhcpv6\":null,"
		"\"last_error\":null}"));
	assert_non_null(strstr(sb.buf,
		"{\"name\":\"isp2\",\"state\":\"holdoff\",\"ifname\":\"ppp1\",\"mac\":\"02:00:00:00:00:01\","
		"\"local\":null,\"peer\":null,\"dns\":null,\"mtu\":null,\"vlan\":null,\"ac_name\":null,\"ac_mac\":null,"
		"\"session_id\":null,\"worker\":null,\"uptime_s\":null,\"echo_rtt_us\":null,"));
	/* the figures summed over the main thread's data path and the workers' */
	HAS("\"rx_unknown\":7,");
	HAS("\"rx_malformed\":1,\"workers\":2,");
	HAS("\"last_error\":\"no answer from an access concentrator\"}");
	HAS("\"tun_offload\":{\"mode\":\"auto\",\"enabled\":[\"csum\",\"tso4\",\"tso6\"],"
	    "\"tx_super_packets\":3,\"tx_segments\":130,\"tx_super_dropped\":0,"
	    "\"tx_csum_completed\":0,\"rx_super_packets\":5,\"rx_coalesced_segments\":40,"
	    "\"rx_super_packets_udp\":2}");
	HAS("\"vlan\":\"100.7\",\"ac_name\":\"ev\\\"il\\u000a\\u00ff\\u00ff\\\\ac\"");
	HAS("\"last_error\":\"peer said \\\"no\\\"\\u000a\"}");

	/* A real parser agrees, and sees the hostile bytes as they were. */
	rc = python_check(&sb,
		"import json,sys\n"
		"d = json.load(open(sys.argv[1]))\n"
		"s = d[\"sessions\"]\n"
		"assert [x[\"name\"] for x in s] == [\"isp1\", \"isp2\", \"isp3\"]\n"
		"assert s[0][\"dns\"] == [\"192.0.2.53\", \"192.0.2.54\"]\n"
		"assert s[1][\"local\"] is None and s[1][\"redials\"] == 11\n"
		"assert s[2][\"ac_name\"].encode(\"latin-1\") == b\"ev\\x22il\\n\\xff\\xff\\x5cac\"\n"
		"assert d[\"counts\"][\"up\"] == 1 and d[\"counts\"][\"total\"] == 3\n");
	if (rc == -1)
		print_message("python3 missing: JSON not checked by a parser\n");
	else
		assert_int_equal(rc, 0);

	/* Without AF_XDP: nulls, still valid. */
	strbuf_reset(&sb);
	fx->d.io = NULL;
	assert_int_equal(status_json(&fx->d, NOW_MS, &sb), 0);
	HAS("\"xdp_mode\":null,\"queues\":null,");
	rc = python_check(&sb, "import json,sys\njson.load(open(sys.argv[1]))\n");
	assert_true(rc == 0 || rc == -1);
	strbuf_free(&sb);
}

/*
 * prom_check - a strict reader of the text format 0.0.4: every sample
 * line is NAME{LABELS} VALUE with properly escaped label values, and HELP
 * and TYPE come once per family, before its samples, which are contiguous.
 */
static void prom_check(const char *text)
{
	char families[64][128], cur[128] = "";
	size_t nfam = 0, i;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		char name[128];
		size_t n = 0;

		assert_non_null(nl); /* every line ends in \n */
		if (!strncmp(p, "# HELP ", 7) || !strncmp(p, "# TYPE ", 7)) {
			const char *q = p + 7;

			while (*q != ' ' && q < nl)
				name[n++] = *q++;
			name[n] = '\0';
			if (!strncmp(p, "# HELP ", 7)) {
				for (i = 0; i < nfam; i++)
					assert_string_not_equal(families[i], name);
				assert_true(nfam < 64);
				snprintf(families[nfam++], sizeof(families[0]), "%s", name);
				snprintf(cur, sizeof(cur), "%s", name);
			} else {
				assert_string_equal(name, cur);
				q++;
				assert_true(!strncmp(q, "counter\n", 8) || !strncmp(q, "gauge\n", 6));
			}
			p = nl + 1;
			continue;
		}
		assert_true(*p != '#');
		while ((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= 'A' && *p <= 'Z') ||
		       (n && *p >= '0' && *p <= '9'))
			name[n++] = *p++;
		name[n] = '\0';
		assert_string_equal(name, cur);
		if (*p == '{') {
			p++;
			while (*p != '}') {
				while ((*p >= 'a' && *p <= 'z') || *p == '_')
					p++;
				assert_int_equal(*p++, '=');
				assert_int_equal(*p++, '"');
				for (; *p != '"'; p++) {
					assert_true(*p != '\n' && *p != '\0');
					if (*p == '\\') {
						p++;
						assert_true(*p == '\\' || *p == '"' || *p == 'n');
					}
				}
				p++;
				if (*p == ',')
					p++;
			}
			p++;
		}
		assert_int_equal(*p++, ' ');
		assert_true((*p >= '0' && *p <= '9'));
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		assert_int_equal(*p, '\n');
		p = nl + 1;
	}
}

static void test_metrics(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb;

	strbuf_init(&sb);
	fx->d.io = &fx->io;
	assert_int_equal(metrics_render(&fx->d, NOW_MS, true, &sb), 0);
	dump("metrics", &sb);
	prom_check(sb.buf);

	assert_non_null(strstr(sb.buf,
		"# HELP pppoe_xdp_info Version, interface and XDP attach mode of this daemon.\n"
		"# TYPE pppoe_xdp_info gauge\n"
		"pppoe_xdp_info{version=\"" PPPOE_XDP_VERSION "\",interface=\"eth0\",xdp_mode=\"native\"} 1\n"));
	HAS("pppoe_xdp_uptime_seconds 11525\n");
	assert_non_null(strstr(sb.buf,
		"pppoe_xdp_sessions{state=\"idle\"} 0\n"));
	HAS("pppoe_xdp_sessions{state=\"up\"} 1\n"
	    "pppoe_xdp_sessions{state=\"terminating\"} 0\n"
	    "pppoe_xdp_sessions{state=\"holdoff\"} 1\n");
	HAS("# TYPE pppoe_xdp_rx_unknown_frames_total counter\n"
	    "pppoe_xdp_rx_unknown_frames_total 7\n");
	HAS("pppoe_xdp_rx_malformed_frames_total 1\n");
	HAS("pppoe_xdp_tun_tx_super_packets_total 3\n");
	HAS("pppoe_xdp_tun_tx_segments_total 130\n");
	HAS("pppoe_xdp_tun_rx_super_packets_total 5\n");
	HAS("pppoe_xdp_tun_rx_coalesced_segments_total 40\n");
	HAS("pppoe_xdp_tun_rx_super_packets_udp_total 2\n");
	HAS("pppoe_xdp_queues 4\n");
	HAS("pppoe_xdp_xsk_rx_frames_total 1000\n");
	HAS("pppoe_xdp_xsk_rx_control_frames_total 40\n");
	HAS("pppoe_xdp_xsk_rx_control_dropped_total 1\n");
	HAS("pppoe_xdp_xdp_control_packets_total 20\n"); /* 10 + PPPOE_XDP_STAT_CONTROL */
	HAS("pppoe_xdp_xsk_tx_dropped_total 2\n");
	HAS("pppoe_xdp_xsk_tx_data_held_total 6\n");
	HAS("pppoe_xdp_xdp_packets_total{result=\"redirected\"} 10\n"
	    "pppoe_xdp_xdp_packets_total{result=\"redirect_failed\"} 11\n");
	HAS("pppoe_xdp_xdp_packets_total{result=\"pass_malformed\"} 14\n"
	    "pppoe_xdp_xdp_packets_total{result=\"pass_vlan_not_ours\"} 15\n"
	    "pppoe_xdp_xdp_packets_total{result=\"pass_untagged_not_ours\"} 16\n"
	    "# HELP pppoe_xdp_xdp_pppoe_packets_total");
	HAS("pppoe_xdp_xdp_pppoe_packets_total{vlan_tags=\"0\"} 17\n");
	HAS("pppoe_xdp_xdp_pppoe_packets_total{vlan_tags=\"2\"} 19\n");

	assert_non_null(strstr(sb.buf,
		"# TYPE pppoe_xdp_session_state gauge\n"
		"pppoe_xdp_session_state{session=\"isp1\",ifname=\"ppp0\",state=\"up\"} 1\n"
		"pppoe_xdp_session_state{session=\"isp2\",ifname=\"ppp1\",state=\"holdoff\"} 1\n"
		"pppoe_xdp_session_state{session=\"isp3\",ifname=\"ppp2\",state=\"ppp\"} 1\n"));
	assert_non_null(strstr(sb.buf,
		"pppoe_xdp_session_info{session=\"isp1\",ifname=\"ppp0\",ac_name=\"BRAS-1\","
		"ac_mac=\"00:11:22:33:44:55\",session_id=\"6699\"} 1\n"));
	/* The hostile name stays inside its quotes, on its line, in UTF-8. */
	assert_non_null(strstr(sb.buf,
		"pppoe_xdp_session_info{session=\"isp3\",ifname=\"ppp2\","
		"ac_name=\"ev\\\"il\\n\\\\xff\\\\xff\\\\ac\",ac_mac=\"aa:bb:cc:dd:ee:ff\","
		"session_id=\"7\"} 1\n"));
	HAS_NOT("session=\"isp2\",ifname=\"ppp1\",ac_name");
	assert_non_null(strstr(sb.buf,
		"# TYPE pppoe_xdp_session_up gauge\n"
		"pppoe_xdp_session_up{session=\"isp1\",ifname=\"ppp0\"} 1\n"
		"pppoe_xdp_session_up{session=\"isp2\",ifname=\"ppp1\"} 0\n"));
	HAS("pppoe_xdp_session_up_total{session=\"isp1\",ifname=\"ppp0\"} 3\n");
	HAS("pppoe_xdp_session_down_total{session=\"isp2\",ifname=\"ppp1\"} 1\n");
	HAS("pppoe_xdp_session_redials_total{session=\"isp2\",ifname=\"ppp1\"} 11\n");
	HAS("pppoe_xdp_session_rx_packets_total{session=\"isp1\",ifname=\"ppp0\"} 1234\n");
	HAS("pppoe_xdp_session_rx_bytes_total{session=\"isp1\",ifname=\"ppp0\"} 1536\n");
	HAS("pppoe_xdp_session_tx_packets_total{session=\"isp1\",ifname=\"ppp0\"} 99\n");
	HAS("pppoe_xdp_session_tx_bytes_total{session=\"isp1\",ifname=\"ppp0\"} 5767168\n");
	HAS("pppoe_xdp_session_rx_dropped_total{session=\"isp1\",ifname=\"ppp0\"} 4\n");
	HAS("pppoe_xdp_session_tx_dropped_total{session=\"isp3\",ifname=\"ppp2\"} 0\n");
	/* RTT only where one was measured. */
	assert_non_null(strstr(sb.buf,
		"# TYPE pppoe_xdp_session_echo_rtt_seconds gauge\n"
		"pppoe_xdp_session_echo_rtt_seconds{session=\"isp1\",ifname=\"ppp0\"} 0.001500\n"
		"# HELP pppoe_xdp_session_uptime_seconds"));
	assert_non_null(strstr(sb.buf,
		"pppoe_xdp_session_uptime_seconds{session=\"isp1\",ifname=\"ppp0\"} 125\n"
		"pppoe_xdp_session_uptime_seconds{session=\"isp2\",ifname=\"ppp1\"} 0\n"));

	/* What the HTTP listener serves: the same, without the AC MACs and
	 * session ids a spoofer needs for a PADT; the AC names stay. */
	strbuf_reset(&sb);
	assert_int_equal(metrics_render(&fx->d, NOW_MS, false, &sb), 0);
	prom_check(sb.buf);
	HAS_NOT("session_id");
	HAS_NOT("ac_mac");
	HAS_NOT("00:11:22:33:44:55");
	HAS_NOT("aa:bb:cc:dd:ee:ff");
	HAS_NOT("6699");
	HAS("# HELP pppoe_xdp_session_info The access concentrator of the session (its MAC and "
	    "the session id only on the control socket).\n");
	HAS("pppoe_xdp_session_info{session=\"isp1\",ifname=\"ppp0\",ac_name=\"BRAS-1\"} 1\n");
	HAS("pppoe_xdp_session_info{session=\"isp3\",ifname=\"ppp2\","
	    "ac_name=\"ev\\\"il\\n\\\\xff\\\\xff\\\\ac\"} 1\n");
	HAS("pppoe_xdp_session_rx_packets_total{session=\"isp1\",ifname=\"ppp0\"} 1234\n");

	/* Without AF_XDP: no xsk or XDP families, the rest unchanged. */
	strbuf_reset(&sb);
	fx->d.io = NULL;
	assert_int_equal(metrics_render(&fx->d, NOW_MS, true, &sb), 0);
	prom_check(sb.buf);
	HAS_NOT("xsk");
	HAS_NOT("pppoe_xdp_xdp_");
	HAS_NOT("pppoe_xdp_queues");
	HAS("xdp_mode=\"none\"} 1\n");
	HAS("pppoe_xdp_session_up_total{session=\"isp1\",ifname=\"ppp0\"} 3\n");
	strbuf_free(&sb);
}

/* A big table: 4,000 sessions render, in slot order, with stable widths. */
/* DHCPv6: the lease in the table's dhcpv6 lines, the JSON and the metrics. */
static void test_dhcp6(void **state)
{
	struct fixture *fx = *state;
	struct dsession *a = fx->ds[0];
	struct strbuf sb;
	int rc;

	a->conf.s.ppp.ipv6 = true;
	a->s.dhcp6.state = DHCP6_ST_BOUND;
	a->s.dhcp6.t1_at = NOW_MS + 40000;
	a->d6.n_addr = 1;
	inet_pton(AF_INET6, "2001:db8::5", a->d6.addr[0].addr);
	a->d6.addr[0].plen = 128;
	a->d6.addr[0].valid_until = NOW_MS + 250000;
	a->d6.addr[0].preferred_until = NOW_MS + 150000;
	a->d6.n_prefix = 1;
	inet_pton(AF_INET6, "2001:db8:1::", a->d6.prefix[0].addr);
	a->d6.prefix[0].plen = 56;
	a->d6.prefix[0].valid_until = NOW_MS + 450000;
	a->d6.prefix[0].preferred_until = NOW_MS + 350500;
	a->d6.t1 = 100;
	a->d6.t2 = 160;
	a->d6.na_status = 0;
	a->d6.pd_status = 0;
	a->d6_renewed = 3;

	strbuf_init(&sb);
	assert_int_equal(status_table(&fx->d, NOW_MS, &sb), 0);
	dump("table", &sb);
	HAS("dhcpv6 isp1: Bound, address 2001:db8::5 (valid 250 s, preferred 150 s), "
	    "prefix 2001:db8:1::/56 (valid 450 s, preferred 351 s), renew in 40 s, renewed 3\n");
	HAS_NOT("dhcpv6 isp2");

	strbuf_reset(&sb);
	assert_int_equal(status_json(&fx->d, NOW_MS, &sb), 0);
	HAS("\"dhcpv6\":{\"state\":\"Bound\",\"address\":\"2001:db8::5\",\"address_valid_s\":250,"
	    "\"address_preferred_s\":150,\"prefix\":\"2001:db8:1::/56\",\"prefix_valid_s\":450,"
	    "\"prefix_preferred_s\":351,\"t1_s\":100,\"t2_s\":160,\"na_status\":\"Success\","
	    "\"pd_status\":\"Success\",\"renewed\":3,");
	rc = python_check(&sb,
		"import json,sys\n"
		"d = json.load(open(sys.argv[1]))\n"
		"s = d[\"sessions\"]\n"
		"assert s[0][\"dhcpv6\"][\"prefix\"] == \"2001:db8:1::/56\"\n"
		"assert s[1][\"dhcpv6\"] is None\n");
	assert_true(rc == 0 || rc == -1);

	/* Only the prefix, the address refused: nulls and the status. */
	a->d6.n_addr = 0;
	a->d6.na_status = DHCP6_ST_NO_ADDRS_AVAIL;
	strbuf_reset(&sb);
	assert_int_equal(status_json(&fx->d, NOW_MS, &sb), 0);
	HAS("\"address\":null,\"address_valid_s\":null,\"address_preferred_s\":null,"
	    "\"prefix\":\"2001:db8:1::/56\"");
	HAS("\"na_status\":\"NoAddrsAvail\"");
	strbuf_reset(&sb);
	assert_int_equal(status_table(&fx->d, NOW_MS, &sb), 0);
	HAS(", IA_NA NoAddrsAvail, renewed 3\n");

	strbuf_reset(&sb);
	assert_int_equal(metrics_render(&fx->d, NOW_MS, true, &sb), 0);
	HAS("pppoe_xdp_session_dhcp6_info{session=\"isp1\",ifname=\"ppp0\",state=\"Bound\","
	    "address=\"\",prefix=\"2001:db8:1::/56\"} 1\n");
	HAS("pppoe_xdp_session_dhcp6_prefix_valid_seconds{session=\"isp1\",ifname=\"ppp0\"} 450\n");
	HAS("pppoe_xdp_session_dhcp6_prefix_preferred_seconds{session=\"isp1\",ifname=\"ppp0\"} 351\n");
	HAS_NOT("pppoe_xdp_session_dhcp6_address_valid_seconds{");
	HAS("pppoe_xdp_session_dhcp6_renewals_total{session=\"isp1\",ifname=\"ppp0\"} 3\n");
	HAS_NOT("pppoe_xdp_session_dhcp6_renewals_total{session=\"isp2\"");
	strbuf_free(&sb);
}

static void test_many(void **state)
{
	struct daemon d;
	struct dsession **ss;
	struct strbuf sb;
	char name[32];
	size_t i, lines = 0;
	const char *p;

	(void)state;
	memset(&d, 0, sizeof(d));
	ss = calloc(4000, sizeof(*ss));
	assert_non_null(ss);
	for (i = 0; i < 4000; i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		ss[i] = fx_session(name, "ppp", i % 2 ? SESS_UP : SESS_DISCOVERY);
	}
	d.sessions = ss;
	d.nslots = 4000;
	strbuf_init(&sb);
	assert_int_equal(status_table(&d, NOW_MS, &sb), 0);
	for (p = sb.buf; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 4003);
	HAS("sessions 4000: 2000 discovery, 2000 up\n");
	HAS("\ns3999  up ");
	strbuf_reset(&sb);
	assert_int_equal(metrics_render(&d, NOW_MS, true, &sb), 0);
	prom_check(sb.buf);
	strbuf_reset(&sb);
	assert_int_equal(status_json(&d, NOW_MS, &sb), 0);
	strbuf_free(&sb);
	for (i = 0; i < 4000; i++)
		free(ss[i]);
	free(ss);
}

/* IPv6 in every report: the IPV6 column only with ipv6 = yes, the JSON
 * object, the metrics series. */
static void test_ipv6(void **state)
{
	struct fixture *fx = *state;
	struct dsession *a = fx->ds[0], *b = fx->ds[2];
	struct strbuf sb;
	char line[512];

	strbuf_init(&sb);
	assert_int_equal(status_table(&fx->d, NOW_MS, &sb), 0);
	HAS_NOT("IPV6");
	strbuf_free(&sb);

	a->conf.s.ppp.ipv6 = true;
	a->s.v6.up = true;
	assert_int_equal(inet_pton(AF_INET6, "fe80::211:2233:4455:6677", a->s.v6.local), 1);
	assert_int_equal(inet_pton(AF_INET6, "fe80::1", a->s.v6.peer), 1);
	assert_int_equal(inet_pton(AF_INET6, "fe80::1", a->s.v6.router), 1);
	a->s.v6.router_set = true;
	a->s.v6.router_until_ms = NOW_MS + 1800 * 1000;
	a->s.v6.ra_other = true;
	a->s.v6.naddr = 1;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:64:1:211:2233:4455:6677",
				   a->s.v6.addr[0].addr), 1);
	a->s.v6.addr[0].plen = 64;
	a->s.v6.addr[0].valid_until_ms = NOW_MS + 86400 * 1000ull;
	a->s.v6.addr[0].preferred_until_ms = NOW_MS + 14400 * 1000ull;
	a->s.v6.tx_rs = 1;
	a->s.v6.rx_ra = 2;
	b->conf.s.ppp.ipv6 = true;
	b->s.ppp.ipv6_unavailable = true;

	strbuf_init(&sb);
	assert_int_equal(status_table(&fx->d, NOW_MS, &sb), 0);
	dump("table", &sb);
	assert_non_null(line_of(sb.buf, "NAME", line, sizeof(line)));
	assert_non_null(strstr(line, "  DNS  "));
	assert_non_null(strstr(line, "IPV6"));
	assert_non_null(line_of(sb.buf, "isp1", line, sizeof(line)));
	assert_non_null(strstr(line, "2001:db8:64:1:211:2233:4455:6677"));
	assert_non_null(line_of(sb.buf, "isp2", line, sizeof(line)));
	assert_non_null(strstr(line, "unavailable"));
	strbuf_free(&sb);

	strbuf_init(&sb);
	assert_int_equal(status_json(&fx->d, NOW_MS, &sb), 0);
	dump("json", &sb);
	HAS("\"ipv6\":{\"status\":\"up\",\"ipv6cp\":\"Initial\",\"local\":\"fe80::211:2233:4455:6677\","
	    "\"peer\":\"fe80::1\",\"router\":\"fe80::1\",\"router_lifetime_s\":1800,"
	    "\"ra_managed\":false,\"ra_other\":true,\"addresses\":[{\"address\":"
	    "\"2001:db8:64:1:211:2233:4455:6677\",\"prefix_len\":64,\"valid_s\":86400,"
	    "\"preferred_s\":14400}],\"dns\":[],\"rs_sent\":1,\"ra_received\":2,"
	    "\"ra_invalid\":0,\"tx_dropped\":0}");
	HAS("\"ipv6\":{\"status\":\"unavailable\",\"ipv6cp\":\"Initial\",\"local\":null,");
	strbuf_free(&sb);

	strbuf_init(&sb);
	assert_int_equal(metrics_render(&fx->d, NOW_MS, true, &sb), 0);
	dump("metrics", &sb);
	HAS("pppoe_xdp_session_ipv6_up{session=\"isp1\",ifname=\"ppp0\"} 1\n");
	HAS("pppoe_xdp_session_ipv6_up{session=\"isp2\",ifname=\"ppp1\"} 0\n");
	HAS_NOT("pppoe_xdp_session_ipv6_up{session=\"isp3\"");
	HAS("pppoe_xdp_session_ipv6_info{session=\"isp1\",ifname=\"ppp0\",local=\"fe80::211:2233:4455:6677\","
	    "peer=\"fe80::1\",router=\"fe80::1\"} 1\n");
	HAS("pppoe_xdp_session_ipv6_address_valid_seconds{session=\"isp1\",ifname=\"ppp0\","
	    "address=\"2001:db8:64:1:211:2233:4455:6677\"} 86400\n");
	HAS("pppoe_xdp_session_ipv6_default_router{session=\"isp1\",ifname=\"ppp0\"} 1\n");
	HAS("pppoe_xdp_session_ipv6_ra_received_total{session=\"isp1\",ifname=\"ppp0\"} 2\n");
	strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_strbuf_grows),
		cmocka_unit_test_setup_teardown(test_table, fx_setup, fx_teardown),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test_setup_teardown(test_json, fx_setup, fx_teardown),
		cmocka_unit_test(test_setup_window),
		cmocka_unit_test_setup_teardown(test_metrics, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_dhcp6, fx_setup, fx_teardown),
		cmocka_unit_test(test_many),
		cmocka_unit_test_setup_teardown(test_ipv6, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

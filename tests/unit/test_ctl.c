// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ctl.c - the control socket: request parser and reply framing, then
 * server and client end to end in one process (the client in a thread,
 * the test pumping the daemon's epoll loop), and the metrics HTTP server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/ctl.h"
#include "src/daemon_int.h"
#include "src/status.h"
#include "src/strbuf.h"
#include "src/xsk_io.h"

/* ---- stand-ins for the daemon and AF_XDP ---------------------------------- */

static uint64_t clock_offset_ms; /* the tests move time forward with this */
static int reload_calls, reload_rc;

/* Stand-ins for src/daemon.c, which would pull in the whole daemon. */
struct dsession *sessions_find(struct daemon *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nslots; i++)
		if (d->sessions[i] && !strcmp(d->sessions[i]->s.conf->name, name))
			return d->sessions[i];
	return NULL;
}

int daemon_reload(struct daemon *d)
{
	(void)d;
	reload_calls++;
	return reload_rc;
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
	char dir[32];
	char path[100];
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
	clock_offset_ms = 0;
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

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_ctl_XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	/* Two levels that do not exist yet: ctl_open creates them. */
	snprintf(fx->path, sizeof(fx->path), "%s/run/pppoe-xdp/ctl.sock", fx->dir);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[256];
	size_t i;

	ctl_close(&fx->d);
	for (i = 0; i < 3; i++) {
		if (!fx->ds[i])
			continue;
		session_abort(&fx->ds[i]->s, "test over");
		free(fx->ds[i]);
	}
	evloop_fini(&fx->d.loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* pump - one turn of the daemon's loop: wait, advance time, dispatch */
static void pump(struct daemon *d, int timeout_ms)
{
	evloop_advance(&d->loop);
	assert_int_equal(evloop_run_once(&d->loop, timeout_ms), 0);
}

/* ---- the client in a thread ------------------------------------------------ */

struct client_run {
	const char *path;
	const char *req;
	char *out, *err;
	size_t outlen, errlen;
	int rc;
	atomic_int done;
};

static void *client_thread(void *arg)
{
	struct client_run *cr = arg;
	FILE *out = open_memstream(&cr->out, &cr->outlen);
	FILE *err = open_memstream(&cr->err, &cr->errlen);

	cr->rc = ctl_client(cr->path, cr->req, out, err);
	fclose(out);
	fclose(err);
	atomic_store(&cr->done, 1);
	return NULL;
}

/* run_client - ctl_client(@req) while the daemon's loop runs here */
static int run_client(struct daemon *d, const char *path, const char *req, char **out,
		      char **err)
{
	struct client_run cr = { .path = path, .req = req };
	pthread_t th;
	int i;

	assert_int_equal(pthread_create(&th, NULL, client_thread, &cr), 0);
	for (i = 0; i < 2000 && !atomic_load(&cr.done); i++)
		pump(d, 5);
	assert_true(atomic_load(&cr.done));
	pthread_join(th, NULL);
	*out = cr.out;
	*err = cr.err;
	return cr.rc;
}

/* raw_connect - a client socket of our own, for misbehaving on purpose */
static int raw_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* raw_read_all - pump the daemon until @fd sees EOF; returns what came */
static size_t raw_read_all(struct daemon *d, int fd, char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	for (i = 0; i < 2000; i++) {
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);

		if (n == 0)
			break;
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (errno == ECONNRESET)
			break;
		assert_true(errno == EAGAIN);
		pump(d, 5);
	}
	assert_true(i < 2000);
	buf[len] = '\0';
	return len;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ---- pure parts ------------------------------------------------------------- */

static void test_parse_request(void **state)
{
	static const struct {
		const char *line;
		int rc;
		enum ctl_cmd cmd;
		const char *name;
		const char *err;
	} cases[] = {
		{ "status", 0, CTL_CMD_STATUS, "", NULL },
		{ "status\r", 0, CTL_CMD_STATUS, "", NULL },
		{ "  status   json ", 0, CTL_CMD_STATUS_JSON, "", NULL },
		{ "metrics", 0, CTL_CMD_METRICS, "", NULL },
		{ "reload", 0, CTL_CMD_RELOAD, "", NULL },
		{ "up isp1", 0, CTL_CMD_UP, "isp1", NULL },
		{ "down\tisp-2.x", 0, CTL_CMD_DOWN, "isp-2.x", NULL },
		{ "redial a", 0, CTL_CMD_REDIAL, "a", NULL },
		{ "", -EINVAL, 0, NULL, "empty request (try: status, status json, metrics, "
					"up NAME, down NAME, redial NAME, reload)" },
		{ "   ", -EINVAL, 0, NULL, "empty request" },
		{ "status xml", -EINVAL, 0, NULL, "usage: status [json]" },
		{ "metrics now", -EINVAL, 0, NULL, "unexpected argument 'now'" },
		{ "up", -EINVAL, 0, NULL, "usage: up NAME" },
		{ "redial ", -EINVAL, 0, NULL, "usage: redial NAME" },
		{ "down a b", -EINVAL, 0, NULL, "unexpected argument 'b'" },
		{ "Status", -EINVAL, 0, NULL, "unknown command 'Status'" },
		{ "rm -rf \"/\"", -EINVAL, 0, NULL, "unknown command 'rm'" },
		{ "up a\x01", -EINVAL, 0, NULL, "bad request: control character in 'up a\\x01'" },
		{ "up 0123456789012345678901234567890123456789012345678901234567890123", -EINVAL,
		  0, NULL, "session name too long (max 63 bytes)" },
	};
	struct ctl_req req;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		err[0] = '\0';
		rc = ctl_parse_request(cases[i].line, strlen(cases[i].line), &req, err, sizeof(err));
		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d (%s)", cases[i].line, rc, cases[i].rc, err);
		if (rc == 0) {
			assert_int_equal(req.cmd, cases[i].cmd);
			assert_string_equal(req.name, cases[i].name);
		} else if (strncmp(err, cases[i].err, strlen(cases[i].err))) {
			fail_msg("'%s': error '%s', want '%s'", cases[i].line, err, cases[i].err);
		}
	}
	/* A NUL inside the line is a control character too. */
	assert_int_equal(ctl_parse_request("up a\0b", 6, &req, err, sizeof(err)), -EINVAL);
}

static void test_reply_framing(void **state)
{
	struct strbuf sb;
	const char *body;
	size_t blen;

	(void)state;
	strbuf_init(&sb);
	ctl_reply_ok(&sb, "hello\nworld\n", 12);
	assert_string_equal(sb.buf, "OK 12\nhello\nworld\n");
	assert_int_equal(ctl_parse_reply(sb.buf, sb.len, &body, &blen), 0);
	assert_int_equal(blen, 12);
	assert_memory_equal(body, "hello\nworld\n", 12);
	/* Cut short, or longer than announced: not a reply. */
	assert_int_equal(ctl_parse_reply(sb.buf, sb.len - 1, &body, &blen), -EPROTO);
	strbuf_putc(&sb, 'x');
	assert_int_equal(ctl_parse_reply(sb.buf, sb.len, &body, &blen), -EPROTO);

	strbuf_reset(&sb);
	ctl_reply_ok(&sb, "", 0);
	assert_string_equal(sb.buf, "OK 0\n");
	assert_int_equal(ctl_parse_reply(sb.buf, sb.len, &body, &blen), 0);
	assert_int_equal(blen, 0);

	/* An error is one line, whatever the message held. */
	strbuf_reset(&sb);
	ctl_reply_err(&sb, "no session named '%s'", "a\nb");
	assert_string_equal(sb.buf, "ERR no session named 'a b'\n");
	assert_int_equal(ctl_parse_reply(sb.buf, sb.len, &body, &blen), 1);
	assert_int_equal(blen, strlen("no session named 'a b'"));
	assert_memory_equal(body, "no session named 'a b'", blen);

	assert_int_equal(ctl_parse_reply("OK\n", 3, &body, &blen), -EPROTO);
	assert_int_equal(ctl_parse_reply("OK \n", 4, &body, &blen), -EPROTO);
	assert_int_equal(ctl_parse_reply("OK 1x\nab", 8, &body, &blen), -EPROTO);
	assert_int_equal(ctl_parse_reply("OK 99999999999999999999999\n", 27, &body, &blen),
			 -EPROTO);
	assert_int_equal(ctl_parse_reply("HELLO\n", 6, &body, &blen), -EPROTO);
	assert_int_equal(ctl_parse_reply("ERR no newline", 14, &body, &blen), -EPROTO);
	strbuf_free(&sb);
}

static void test_parse_listen(void **state)
{
	static const char *const bad[] = {
		"", ":9468", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
		"127.0.0.1:09468", "127.0.0.1:94a", "127.0.0.1: 80", "localhost:9468",
		"127.1:9468", "256.0.0.1:80", "[::1]:9468", "127.0.0.1:123456",
		"1.2.3.4:-1", "1.2.3.4:80:80",
	};
	uint32_t addr;
	uint16_t port;
	size_t i;

	(void)state;
	assert_int_equal(ctl_parse_listen("127.0.0.1:9468", &addr, &port), 0);
	assert_int_equal(addr, htonl(0x7f000001));
	assert_int_equal(port, htons(9468));
	assert_int_equal(ctl_parse_listen("0.0.0.0:65535", &addr, &port), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(port, htons(65535));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ctl_parse_listen(bad[i], &addr, &port) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

/* ctl_execute without sockets: what each command does to the daemon. */
static void test_execute(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(fx->ds[0]->s.state, SESS_DISCOVERY);
	ctl_execute(&fx->d, "down isp1", 9, &sb);
	assert_string_equal(sb.buf, "OK 11\nisp1: idle\n");
	assert_int_equal(fx->ds[0]->s.state, SESS_IDLE);
	assert_false(fx->ds[0]->s.admin_up);

	strbuf_reset(&sb);
	frames_out = 0;
	ctl_execute(&fx->d, "up isp2", 7, &sb);
	assert_string_equal(sb.buf, "OK 16\nisp2: discovery\n");
	assert_int_equal(fx->ds[1]->s.state, SESS_DISCOVERY);
	assert_int_equal(frames_out, 1); /* the PADI */

	strbuf_reset(&sb);
	ctl_execute(&fx->d, "redial isp2", 11, &sb);
	assert_string_equal(sb.buf, "OK 16\nisp2: discovery\n");
	assert_int_equal(fx->ds[1]->s.dials, 2);

	strbuf_reset(&sb);
	ctl_execute(&fx->d, "up nope", 7, &sb);
	assert_string_equal(sb.buf, "ERR no session named 'nope'\n");

	strbuf_reset(&sb);
	ctl_execute(&fx->d, "reload", 6, &sb);
	assert_string_equal(sb.buf, "OK 9\nreloaded\n");
	reload_rc = -EINVAL;
	strbuf_reset(&sb);
	ctl_execute(&fx->d, "reload", 6, &sb);
	assert_string_equal(sb.buf, "ERR reload failed: Invalid argument (the daemon's log has details)\n");
	assert_int_equal(reload_calls, 2);

	strbuf_reset(&sb);
	ctl_execute(&fx->d, "status json", 11, &sb);
	assert_int_equal(strncmp(sb.buf, "OK ", 3), 0);
	assert_non_null(strstr(sb.buf, "\"name\":\"isp1\",\"state\":\"idle\""));
	strbuf_free(&sb);
}

/* ---- end to end -------------------------------------------------------------- */

static void test_end_to_end(void **state)
{
	struct fixture *fx = *state;
	struct daemon other;
	struct stat st;
	char *out, *err;
	int rc;

	assert_int_equal(ctl_open(&fx->d, fx->path), 0);
	/* A socket, 0600, in a directory made 0755. */
	assert_int_equal(lstat(fx->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	*strrchr(fx->path, '/') = '\0';
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	fx->path[strlen(fx->path)] = '/';

	rc = run_client(&fx->d, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, ", interface veth0, up 0s; sessions 2: 1 idle, 1 discovery\n"
				    "setup window "));
	assert_non_null(strstr(out, " queued; setup time 0 ms, best 0 ms\nNAME "));
	assert_non_null(strstr(out, "\nisp1  discovery  ppp0 "));
	assert_non_null(strstr(out, "\nisp2  idle       ppp1 "));
	free(out);
	free(err);

	rc = run_client(&fx->d, fx->path, "down nope", &out, &err);
	assert_int_equal(rc, CTL_EXIT_ERR);
	assert_string_equal(out, "");
	assert_string_equal(err, "pppoe-xdp: no session named 'nope'\n");
	free(out);
	free(err);

	rc = run_client(&fx->d, fx->path, "down isp1", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_string_equal(out, "isp1: idle\n");
	assert_int_equal(fx->ds[0]->s.state, SESS_IDLE);
	free(out);
	free(err);

	rc = run_client(&fx->d, fx->path, "metrics", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_non_null(strstr(out, "pppoe_xdp_sessions{state=\"idle\"} 2\n"));
	free(out);
	free(err);

	rc = run_client(&fx->d, fx->path, "frobnicate", &out, &err);
	assert_int_equal(rc, CTL_EXIT_ERR);
	assert_string_equal(err, "pppoe-xdp: unknown command 'frobnicate' (try: status, status "
				 "json, metrics, up NAME, down NAME, redial NAME, reload)\n");
	free(out);
	free(err);

	/* A second daemon on the same path is turned away, the first unharmed. */
	memset(&other, 0, sizeof(other));
	assert_int_equal(evloop_init(&other.loop), 0);
	assert_int_equal(ctl_open(&other, fx->path), -EADDRINUSE);
	ctl_close(&other);
	evloop_fini(&other.loop);
	assert_int_equal(lstat(fx->path, &st), 0);
	rc = run_client(&fx->d, fx->path, "status json", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_int_equal(out[0], '{');
	free(out);
	free(err);

	/* Closed: the file is gone and the client says so. */
	ctl_close(&fx->d);
	assert_int_equal(lstat(fx->path, &st), -1);
	rc = run_client(&fx->d, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_NODAEMON);
	assert_non_null(strstr(err, "cannot reach pppoe-xdp at "));
	assert_non_null(strstr(err, "ctl.sock: No such file or directory \u2014 is it running?\n"));
	free(out);
	free(err);
}

static void test_stale_socket(void **state)
{
	struct fixture *fx = *state;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char *out, *err;
	int fd, rc;

	snprintf(fx->path, sizeof(fx->path), "%s/stale.sock", fx->dir);
	/* A socket file nobody listens on: what a crashed daemon leaves. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fx->path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	rc = run_client(&fx->d, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_NODAEMON);
	assert_non_null(strstr(err, "Connection refused \u2014 is it running?"));
	free(out);
	free(err);

	assert_int_equal(ctl_open(&fx->d, fx->path), 0);
	rc = run_client(&fx->d, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	free(out);
	free(err);
	ctl_close(&fx->d);

	/* Not a socket: left alone. */
	fd = open(fx->path, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ctl_open(&fx->d, fx->path), -EEXIST);
	assert_int_equal(access(fx->path, F_OK), 0);
}

static void test_oversize_request(void **state)
{
	struct fixture *fx = *state;
	char buf[4096], big[CTL_REQ_MAX + 100];
	int fd;

	assert_int_equal(ctl_open(&fx->d, fx->path), 0);
	fd = raw_connect(fx->path);
	memset(big, 'a', sizeof(big));
	assert_int_equal(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	raw_read_all(&fx->d, fd, buf, sizeof(buf));
	assert_string_equal(buf, "ERR request too long (max 511 bytes)\n");
	close(fd);

	/* The same line with a newline inside the limit is fine. */
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "status\nstatus\n", 14, 0), 14);
	raw_read_all(&fx->d, fd, buf, sizeof(buf));
	assert_true(starts_with(buf, "OK "));
	close(fd);

	/* No newline, then EOF: the request is what came. */
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "up nope", 7, 0), 7);
	shutdown(fd, SHUT_WR);
	raw_read_all(&fx->d, fd, buf, sizeof(buf));
	assert_string_equal(buf, "ERR no session named 'nope'\n");
	close(fd);
}

static void test_idle_client_dropped(void **state)
{
	struct fixture *fx = *state;
	char buf[256];
	int fd, quiet, i;

	/* No session timers: at the end the wheel must be empty. */
	session_stop(&fx->ds[0]->s, "quiet");
	assert_int_equal(fx->d.loop.wheel.count, 0);
	assert_int_equal(ctl_open(&fx->d, fx->path), 0);
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "sta", 3, 0), 3);
	for (i = 0; i < 10; i++)
		pump(&fx->d, 5);
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);

	/* A second client that says nothing at all, and an abandoned one. */
	quiet = raw_connect(fx->path);
	close(raw_connect(fx->path));
	for (i = 0; i < 10; i++)
		pump(&fx->d, 5);

	clock_offset_ms += CTL_IDLE_MS + 100;
	raw_read_all(&fx->d, fd, buf, sizeof(buf));
	assert_string_equal(buf, "ERR timed out waiting for the request\n");
	raw_read_all(&fx->d, quiet, buf, sizeof(buf));
	assert_string_equal(buf, "ERR timed out waiting for the request\n");
	close(fd);
	close(quiet);
	/* Everything freed; the server still answers. */
	for (i = 0; i < 10; i++)
		pump(&fx->d, 5);
	assert_int_equal(fx->d.loop.wheel.count, 0);
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "reload\n", 7, 0), 7);
	raw_read_all(&fx->d, fd, buf, sizeof(buf));
	assert_string_equal(buf, "OK 9\nreloaded\n");
	close(fd);
}

/* 4,000 sessions: a reply much larger than a socket buffer. */
static void test_large_reply(void **state)
{
	struct fixture *fx = *state;
	struct dsession **many, **saved = fx->d.sessions;
	size_t saved_n = fx->d.nslots, i, lines = 0;
	char *out, *err, *p;
	int rc;

	many = calloc(4000, sizeof(*many));
	assert_non_null(many);
	for (i = 0; i < 4000; i++) {
		char name[32];

		snprintf(name, sizeof(name), "session-%04zu", i);
		many[i] = fx_session(fx, name, (uint32_t)i);
	}
	fx->d.sessions = many;
	fx->d.nslots = 4000;
	assert_int_equal(ctl_open(&fx->d, fx->path), 0);
	rc = run_client(&fx->d, fx->path, "metrics", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_true(strlen(out) > 1000000);
	assert_non_null(strstr(out, "pppoe_xdp_session_tx_dropped_total{session=\"session-3999\","
				    "ifname=\"ppp3999\"} 0\n"));
	free(out);
	free(err);
	rc = run_client(&fx->d, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	for (p = out; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 4003); /* two header lines, the titles, 4000 rows */
	free(out);
	free(err);
	ctl_close(&fx->d);
	for (i = 0; i < 4000; i++)
		free(many[i]);
	free(many);
	fx->d.sessions = saved;
	fx->d.nslots = saved_n;
}

/* ---- HTTP ------------------------------------------------------------------ */

static int http_open_any(struct daemon *d, uint16_t *port)
{
	char listen_on[32];
	int i, rc = -1;

	srand((unsigned int)getpid());
	for (i = 0; i < 20; i++) {
		*port = (uint16_t)(20000 + rand() % 40000);
		snprintf(listen_on, sizeof(listen_on), "127.0.0.1:%u", *port);
		rc = ctl_http_open(d, listen_on);
		if (rc != -EADDRINUSE)
			break;
	}
	return rc;
}

static size_t http_get(struct daemon *d, uint16_t port, const char *req, size_t reqlen,
		       char *buf, size_t cap)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, i;
	size_t len;

	sin.sin_addr.s_addr = htonl(0x7f000001);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		assert_int_equal(errno, EINPROGRESS);
	for (i = 0; i < 10; i++)
		pump(d, 5);
	assert_int_equal(send(fd, req, reqlen, MSG_NOSIGNAL), (ssize_t)reqlen);
	len = raw_read_all(d, fd, buf, cap);
	close(fd);
	return len;
}

/* One request, the whole response in buf. */
#define HTTP_GET(req) http_get(&fx->d, port, req, sizeof(req) - 1, buf, sizeof(buf))

static void test_http(void **state)
{
	struct fixture *fx = *state;
	static char buf[1 << 20];
	char big[CTL_REQ_MAX * 10];
	uint16_t port;
	int rc;

	assert_int_equal(ctl_http_open(&fx->d, "localhost:9468"), -EINVAL);
	rc = http_open_any(&fx->d, &port);
	if (rc == -EPERM || rc == -EACCES || rc == -EADDRNOTAVAIL)
		skip();
	assert_int_equal(rc, 0);

	HTTP_GET("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
				      "Content-Length: "));
	assert_non_null(strstr(buf, "\r\n\r\n# HELP pppoe_xdp_info "));
	assert_non_null(strstr(buf, "pppoe_xdp_session_state{session=\"isp1\",ifname=\"ppp0\","
				    "state=\"discovery\"} 1\n"));
	/* Content-Length matches the body. */
	assert_int_equal(strtoul(strstr(buf, "Content-Length: ") + 16, NULL, 10),
			 strlen(strstr(buf, "\r\n\r\n") + 4));

	HTTP_GET("GET /metrics?x=1 HTTP/1.0\n\n");
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\n"));
	HTTP_GET("HEAD /metrics HTTP/1.0\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\n"));
	assert_int_equal(strlen(strstr(buf, "\r\n\r\n")), 4);
	HTTP_GET("GET / HTTP/1.0\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 404 Not Found\r\n"));
	HTTP_GET("GET /metricsX HTTP/1.0\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 404 Not Found\r\n"));
	HTTP_GET("POST /metrics HTTP/1.0\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(buf, "\r\nAllow: GET, HEAD\r\n"));
	HTTP_GET("hello\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 400 Bad Request\r\n"));

	memset(big, 'h', sizeof(big));
	memcpy(big, "GET /metrics HTTP/1.0\r\nX: ", 26);
	http_get(&fx->d, port, big, sizeof(big), buf, sizeof(buf));
	assert_true(starts_with(buf, "HTTP/1.0 431 "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_request),
		cmocka_unit_test(test_reply_framing),
		cmocka_unit_test(test_parse_listen),
		cmocka_unit_test_setup_teardown(test_execute, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_end_to_end, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stale_socket, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_oversize_request, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_idle_client_dropped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_large_reply, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_http, fx_setup, fx_teardown),
	};

	/* Quiet: the daemon side logs every admin action. */
	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

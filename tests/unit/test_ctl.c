// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ctl.c - the control socket: request parser and reply framing, then
 * server and client end to end in one process (the client in a thread,
 * the test pumping the daemon's epoll loop), and the metrics HTTP server.
 * Fake ops answer for the daemon; test_daemon_ctl.c has the real ones.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/ctl.h"
#include "src/ctl_int.h"
#include "src/evloop.h"
#include "src/metrics_http.h"
#include "src/strbuf.h"

/* ---- fake ops: a daemon of two sessions, in a few lines -------------------- */

/*
 * What the control socket asks of the daemon, answered from this table.
 * The real ops (src/daemon_ctl.c) are tested in test_daemon_ctl.c; here
 * only what the socket makes of the answers matters.
 */
struct fake {
	const char *state[2];   /* of isp1, isp2 */
	size_t rows;            /* lines in each report after its first */
	int report_rc;          /* report fails with this when not 0 */
	unsigned int render_ms; /* a report takes this long, like thousands of sessions */
	int reports[CTL_REPORT_MAX];
	int acts;
	int reload_calls, reload_rc;
};

static const char *const fake_names[2] = { "isp1", "isp2" };

/* What the full metrics have and the HTTP ones leave out, as the real ops do. */
#define FAKE_WIRE_IDS "fake_info{ac_mac=\"00:11:22:33:44:55\",session_id=\"6699\"} 1\n"

/* fake_render - the body of report @what: a title line, then @rows rows */
static void fake_render(enum ctl_report what, size_t rows, struct strbuf *out)
{
	static const char *const kinds[] = { "status", "json", "metrics", "metrics" };
	size_t i;

	if (what == CTL_REPORT_JSON)
		strbuf_puts(out, "{\"fake\":true}\n");
	else if (what == CTL_REPORT_METRICS)
		strbuf_puts(out, "# HELP fake_up Fake.\n# TYPE fake_up gauge\nfake_up 1\n"
				 FAKE_WIRE_IDS);
	else if (what == CTL_REPORT_METRICS_HTTP)
		strbuf_puts(out, "# HELP fake_up Fake.\n# TYPE fake_up gauge\nfake_up 1\n");
	else
		strbuf_puts(out, "fake status\n");
	/* Rows long enough that 4,000 of them are far beyond a socket buffer. */
	for (i = 0; i < rows; i++)
		strbuf_printf(out, "%s row session-%04zu %0300d\n", kinds[what], i, 0);
}

static int fake_report(void *ctx, enum ctl_report what, struct strbuf *out)
{
	struct fake *f = ctx;

	f->reports[what]++;
	if (f->render_ms)
		usleep(f->render_ms * 1000);
	if (f->report_rc)
		return f->report_rc;
	fake_render(what, f->rows, out);
	return 0;
}

static int fake_act(void *ctx, enum ctl_cmd cmd, const char *name, struct strbuf *out)
{
	struct fake *f = ctx;
	size_t i;

	for (i = 0; i < 2; i++)
		if (!strcmp(name, fake_names[i]))
			break;
	if (i == 2)
		return -ENOENT;
	f->acts++;
	f->state[i] = cmd == CTL_CMD_DOWN ? "idle" : "discovery";
	strbuf_printf(out, "%s: %s\n", name, f->state[i]);
	return 0;
}

static int fake_reload(void *ctx)
{
	struct fake *f = ctx;

	f->reload_calls++;
	return f->reload_rc;
}

static const struct ctl_ops fake_ops = {
	.report = fake_report,
	.act = fake_act,
	.reload = fake_reload,
};

/* ---- fixture: an event loop and a place for the socket --------------------- */

struct fixture {
	struct evloop loop;
	struct fake fake;
	struct ctl *ctl;
	char dir[32];
	char path[100];
};

static int fx_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	assert_int_equal(evloop_init(&fx->loop), 0);
	fx->fake.state[0] = "discovery";
	fx->fake.state[1] = "idle";
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_ctl_XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	/* Two levels that do not exist yet: ctl_open creates them. */
	snprintf(fx->path, sizeof(fx->path), "%s/run/pppoe-xdp/ctl.sock", fx->dir);
	*state = fx;
	return 0;
}

static void log_release(void);

static int fx_teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[256];

	log_release();
	ctl_close(fx->ctl);
	evloop_fini(&fx->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* fx_open - the control socket on fx->path, answered by the fake */
static int fx_open(struct fixture *fx)
{
	return ctl_open(&fx->ctl, &fx->loop, fx->path, &fake_ops, &fx->fake);
}

/* fx_close - close the control socket before the test ends */
static void fx_close(struct fixture *fx)
{
	ctl_close(fx->ctl);
	fx->ctl = NULL;
}

/* pump - one turn of the daemon's loop: wait, advance time, dispatch */
static void pump(struct evloop *loop, int timeout_ms)
{
	evloop_advance(loop);
	assert_int_equal(evloop_run_once(loop, timeout_ms), 0);
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
static int run_client(struct evloop *loop, const char *path, const char *req, char **out,
		      char **err)
{
	struct client_run cr = { .path = path, .req = req };
	pthread_t th;
	int i;

	assert_int_equal(pthread_create(&th, NULL, client_thread, &cr), 0);
	for (i = 0; i < 2000 && !atomic_load(&cr.done); i++)
		pump(loop, 5);
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
static size_t raw_read_all(struct evloop *loop, int fd, char *buf, size_t cap)
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
		pump(loop, 5);
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
					"up NAME, down NAME, redial NAME, reload, stop, stop keep)" },
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
	assert_int_equal(metrics_http_parse_listen("127.0.0.1:9468", &addr, &port), 0);
	assert_int_equal(addr, htonl(0x7f000001));
	assert_int_equal(port, htons(9468));
	assert_int_equal(metrics_http_parse_listen("0.0.0.0:65535", &addr, &port), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(port, htons(65535));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (metrics_http_parse_listen(bad[i], &addr, &port) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

/* ctl_execute without sockets: each command reaches its op, each answer its reply. */
static void test_execute(void **state)
{
	struct fixture *fx = *state;
	struct fake *f = &fx->fake;
	struct strbuf sb;

	strbuf_init(&sb);
	ctl_execute(&fake_ops, f, "down isp1", 9, &sb);
	assert_string_equal(sb.buf, "OK 11\nisp1: idle\n");
	assert_string_equal(f->state[0], "idle");

	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "up isp2", 7, &sb);
	assert_string_equal(sb.buf, "OK 16\nisp2: discovery\n");

	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "redial isp2", 11, &sb);
	assert_string_equal(sb.buf, "OK 16\nisp2: discovery\n");
	assert_int_equal(f->acts, 3);

	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "up nope", 7, &sb);
	assert_string_equal(sb.buf, "ERR no session named 'nope'\n");
	/* The name comes back escaped, as everything a client sends. */
	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "down caf\xc3\xa9", 10, &sb);
	assert_string_equal(sb.buf, "ERR no session named 'caf\\xc3\\xa9'\n");
	assert_int_equal(f->acts, 3);

	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "reload", 6, &sb);
	assert_string_equal(sb.buf, "OK 9\nreloaded\n");
	f->reload_rc = -EINVAL;
	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "reload", 6, &sb);
	assert_string_equal(sb.buf, "ERR reload failed: Invalid argument (the daemon's log has details)\n");
	assert_int_equal(f->reload_calls, 2);

	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "status json", 11, &sb);
	assert_string_equal(sb.buf, "OK 14\n{\"fake\":true}\n");
	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "status", 6, &sb);
	assert_string_equal(sb.buf, "OK 12\nfake status\n");
	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "metrics", 7, &sb);
	assert_true(starts_with(sb.buf, "OK 110\n# HELP fake_up "));
	assert_non_null(strstr(sb.buf, FAKE_WIRE_IDS));
	assert_int_equal(f->reports[CTL_REPORT_STATUS], 1);
	assert_int_equal(f->reports[CTL_REPORT_JSON], 1);
	assert_int_equal(f->reports[CTL_REPORT_METRICS], 1);

	/* A report that could not be built: ERR, no partial body. */
	f->report_rc = -ENOMEM;
	strbuf_reset(&sb);
	ctl_execute(&fake_ops, f, "status", 6, &sb);
	assert_string_equal(sb.buf, "ERR out of memory\n");
	strbuf_free(&sb);
}

/* ---- end to end -------------------------------------------------------------- */

static void test_end_to_end(void **state)
{
	struct fixture *fx = *state;
	struct ctl *other = NULL;
	struct evloop loop2;
	struct stat st;
	char *out, *err;
	int rc;

	assert_int_equal(fx_open(fx), 0);
	/* A socket, 0600, in a directory made 0755. */
	assert_int_equal(lstat(fx->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	*strrchr(fx->path, '/') = '\0';
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	fx->path[strlen(fx->path)] = '/';

	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_string_equal(err, "");
	assert_string_equal(out, "fake status\n");
	free(out);
	free(err);

	rc = run_client(&fx->loop, fx->path, "down nope", &out, &err);
	assert_int_equal(rc, CTL_EXIT_ERR);
	assert_string_equal(out, "");
	assert_string_equal(err, "pppoe-xdp: no session named 'nope'\n");
	free(out);
	free(err);

	rc = run_client(&fx->loop, fx->path, "down isp1", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_string_equal(out, "isp1: idle\n");
	assert_string_equal(fx->fake.state[0], "idle");
	free(out);
	free(err);

	/* The control socket asks for the whole metrics, wire ids and all. */
	rc = run_client(&fx->loop, fx->path, "metrics", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_string_equal(out, "# HELP fake_up Fake.\n# TYPE fake_up gauge\nfake_up 1\n"
				 FAKE_WIRE_IDS);
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS], 1);
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 0);
	free(out);
	free(err);

	rc = run_client(&fx->loop, fx->path, "frobnicate", &out, &err);
	assert_int_equal(rc, CTL_EXIT_ERR);
	assert_string_equal(err, "pppoe-xdp: unknown command 'frobnicate' (try: status, status "
				 "json, metrics, up NAME, down NAME, redial NAME, reload, stop, stop keep)\n");
	free(out);
	free(err);

	/* A second daemon on the same path is turned away, the first unharmed. */
	assert_int_equal(evloop_init(&loop2), 0);
	assert_int_equal(ctl_open(&other, &loop2, fx->path, &fake_ops, &fx->fake), -EADDRINUSE);
	assert_null(other);
	ctl_close(other);
	evloop_fini(&loop2);
	assert_int_equal(lstat(fx->path, &st), 0);
	rc = run_client(&fx->loop, fx->path, "status json", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_int_equal(out[0], '{');
	free(out);
	free(err);

	/* Closed: the file is gone and the client says so. */
	fx_close(fx);
	assert_int_equal(lstat(fx->path, &st), -1);
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
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
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_NODAEMON);
	assert_non_null(strstr(err, "Connection refused \u2014 is it running?"));
	free(out);
	free(err);

	assert_int_equal(fx_open(fx), 0);
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	free(out);
	free(err);
	fx_close(fx);

	/* Not a socket: left alone. */
	fd = open(fx->path, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fx_open(fx), -EEXIST);
	assert_null(fx->ctl);
	assert_int_equal(access(fx->path, F_OK), 0);
}

/* One daemon per control socket, told by PATH.lock, not by a connect. */
static void test_single_instance(void **state)
{
	struct fixture *fx = *state;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ctl *other = NULL;
	struct evloop loop2;
	char lock[300], buf[32];
	ssize_t n;
	pid_t child;
	int fd;

	assert_int_equal(fx_open(fx), 0);
	snprintf(lock, sizeof(lock), "%s.lock", fx->path);
	fd = open(lock, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_int_equal(atoi(buf), (int)getpid());

	/* Its socket file removed under it, the daemon still holds the lock:
	 * a second one is turned away all the same. */
	assert_int_equal(unlink(fx->path), 0);
	assert_int_equal(evloop_init(&loop2), 0);
	assert_int_equal(ctl_open(&other, &loop2, fx->path, &fake_ops, &fx->fake), -EADDRINUSE);
	assert_null(other);
	fx_close(fx);

	/* Lock free, but a live process listens there (a daemon without the
	 * lock, or something else): not ours to take. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fx->path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(ctl_open(&other, &loop2, fx->path, &fake_ops, &fx->fake), -EADDRINUSE);
	close(fd);
	/* Nobody listens now: a stale file, replaced. */
	assert_int_equal(ctl_open(&other, &loop2, fx->path, &fake_ops, &fx->fake), 0);
	ctl_close(other);
	evloop_fini(&loop2);

	/* Exiting or gone processes, as /proc tells them. */
	assert_false(ctl_pid_exiting(getpid()));
	child = fork();
	assert_true(child >= 0);
	if (!child)
		_exit(0);
	/* A zombie until reaped: in exit() for good. */
	for (n = 0; n < 200 && !ctl_pid_exiting(child); n++)
		usleep(5000);
	assert_true(ctl_pid_exiting(child));
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_true(ctl_pid_exiting(child));
}

static void test_oversize_request(void **state)
{
	struct fixture *fx = *state;
	char buf[4096], big[CTL_REQ_MAX + 100];
	int fd;

	assert_int_equal(fx_open(fx), 0);
	fd = raw_connect(fx->path);
	memset(big, 'a', sizeof(big));
	assert_int_equal(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	raw_read_all(&fx->loop, fd, buf, sizeof(buf));
	assert_string_equal(buf, "ERR request too long (max 511 bytes)\n");
	close(fd);

	/* The same line with a newline inside the limit is fine. */
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "status\nstatus\n", 14, 0), 14);
	raw_read_all(&fx->loop, fd, buf, sizeof(buf));
	assert_true(starts_with(buf, "OK "));
	close(fd);

	/* No newline, then EOF: the request is what came. */
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "up nope", 7, 0), 7);
	shutdown(fd, SHUT_WR);
	raw_read_all(&fx->loop, fd, buf, sizeof(buf));
	assert_string_equal(buf, "ERR no session named 'nope'\n");
	close(fd);
}

static void test_idle_client_dropped(void **state)
{
	struct fixture *fx = *state;
	char buf[256];
	int fd, quiet, i;

	/* No other timers: at the end the wheel must be empty. */
	assert_int_equal(fx->loop.wheel.count, 0);
	assert_int_equal(fx_open(fx), 0);
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "sta", 3, 0), 3);
	for (i = 0; i < 10; i++)
		pump(&fx->loop, 5);
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);

	/* A second client that says nothing at all, and an abandoned one. */
	quiet = raw_connect(fx->path);
	close(raw_connect(fx->path));
	for (i = 0; i < 10; i++)
		pump(&fx->loop, 5);

	/* The loop runs on the real clock: this waits CTL_REQ_MS. */
	raw_read_all(&fx->loop, fd, buf, sizeof(buf));
	assert_string_equal(buf, "ERR timed out waiting for the request\n");
	raw_read_all(&fx->loop, quiet, buf, sizeof(buf));
	assert_string_equal(buf, "ERR timed out waiting for the request\n");
	close(fd);
	close(quiet);
	/* Everything freed; the server still answers. */
	for (i = 0; i < 10; i++)
		pump(&fx->loop, 5);
	assert_int_equal(fx->loop.wheel.count, 0);
	fd = raw_connect(fx->path);
	assert_int_equal(send(fd, "reload\n", 7, 0), 7);
	raw_read_all(&fx->loop, fd, buf, sizeof(buf));
	assert_string_equal(buf, "OK 9\nreloaded\n");
	close(fd);
}

/* Reports of 4,000 rows: a reply much larger than a socket buffer. */
static void test_large_reply(void **state)
{
	struct fixture *fx = *state;
	size_t lines = 0;
	struct strbuf want;
	char *out, *err, *p;
	int rc;

	fx->fake.rows = 4000;
	assert_int_equal(fx_open(fx), 0);
	rc = run_client(&fx->loop, fx->path, "metrics", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_true(strlen(out) > 1000000);
	/* Every byte, in order. */
	strbuf_init(&want);
	fake_render(CTL_REPORT_METRICS, 4000, &want);
	assert_false(want.oom);
	assert_string_equal(out, want.buf);
	assert_non_null(strstr(out, "\nmetrics row session-3999 "));
	strbuf_free(&want);
	free(out);
	free(err);
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	for (p = out; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 4001); /* the title, 4000 rows */
	free(out);
	free(err);
	fx_close(fx);
}

/* ---- HTTP ------------------------------------------------------------------ */

static int http_open_any(struct ctl *c, uint16_t *port)
{
	char listen_on[32];
	int i, rc = -1;

	srand((unsigned int)getpid());
	for (i = 0; i < 20; i++) {
		*port = (uint16_t)(20000 + rand() % 40000);
		snprintf(listen_on, sizeof(listen_on), "127.0.0.1:%u", *port);
		rc = metrics_http_open(c, listen_on);
		if (rc != -EADDRINUSE)
			break;
	}
	return rc;
}

static size_t http_get(struct evloop *loop, uint16_t port, const char *req, size_t reqlen,
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
		pump(loop, 5);
	assert_int_equal(send(fd, req, reqlen, MSG_NOSIGNAL), (ssize_t)reqlen);
	len = raw_read_all(loop, fd, buf, cap);
	close(fd);
	return len;
}

/* One request, the whole response in buf. */
#define HTTP_GET(req) http_get(&fx->loop, port, req, sizeof(req) - 1, buf, sizeof(buf))

static void test_http(void **state)
{
	struct fixture *fx = *state;
	static char buf[1 << 20];
	char big[CTL_REQ_MAX * 10];
	char *out, *err;
	uint16_t port;
	int rc;

	assert_int_equal(fx_open(fx), 0);
	assert_int_equal(metrics_http_open(fx->ctl, "localhost:9468"), -EINVAL);
	rc = http_open_any(fx->ctl, &port);
	if (rc == -EPERM || rc == -EACCES || rc == -EADDRNOTAVAIL)
		skip();
	assert_int_equal(rc, 0);

	/* A report that could not be built: an error, not half a scrape; and
	 * not cached, the next request tries again. */
	fx->fake.report_rc = -ENOMEM;
	HTTP_GET("GET /metrics HTTP/1.0\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 500 Internal Server Error\r\n"));
	fx->fake.report_rc = 0;

	HTTP_GET("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
				      "Content-Length: "));
	/* The HTTP report, without the session ids and AC MACs. */
	assert_string_equal(strstr(buf, "\r\n\r\n") + 4,
			    "# HELP fake_up Fake.\n# TYPE fake_up gauge\nfake_up 1\n");
	assert_null(strstr(buf, "session_id"));
	assert_null(strstr(buf, "ac_mac"));
	/* Content-Length matches the body. */
	assert_int_equal(strtoul(strstr(buf, "Content-Length: ") + 16, NULL, 10),
			 strlen(strstr(buf, "\r\n\r\n") + 4));
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 2);
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS], 0);

	HTTP_GET("GET /metrics?x=1 HTTP/1.0\n\n");
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\n"));
	assert_string_equal(strstr(buf, "\r\n\r\n") + 4,
			    "# HELP fake_up Fake.\n# TYPE fake_up gauge\nfake_up 1\n");
	HTTP_GET("HEAD /metrics HTTP/1.0\r\n\r\n");
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\n"));
	assert_int_equal(strlen(strstr(buf, "\r\n\r\n")), 4);
	assert_int_equal(strtoul(strstr(buf, "Content-Length: ") + 16, NULL, 10), 52);
	/* Within a second of the render, those scrapes got that one. */
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 2);
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
	http_get(&fx->loop, port, big, sizeof(big), buf, sizeof(buf));
	assert_true(starts_with(buf, "HTTP/1.0 431 "));

	/* Root still gets the whole metrics on the control socket, fresh. */
	rc = run_client(&fx->loop, fx->path, "metrics", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_non_null(strstr(out, FAKE_WIRE_IDS));
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS], 1);
	free(out);
	free(err);
}

/* ---- the control plane under load --------------------------------------- */

/* http_connect - a TCP client of the metrics port; @rcvbuf > 0 makes it a small reader */
static int http_connect(uint16_t port, int rcvbuf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	sin.sin_addr.s_addr = htonl(0x7f000001);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	if (rcvbuf > 0)
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		assert_int_equal(errno, EINPROGRESS);
	return fd;
}

/* pump_until - run the loop until *@v == @want, at most @ms; true if it got there */
static bool pump_until(struct evloop *loop, const unsigned int *v, unsigned int want,
		       unsigned int ms)
{
	uint64_t end = mono_ms() + ms;

	while (*v != want && mono_ms() < end)
		pump(loop, 5);
	return *v == want;
}

/* pump_for - run the loop for @ms */
static void pump_for(struct evloop *loop, unsigned int ms)
{
	uint64_t end = mono_ms() + ms;

	while (mono_ms() < end)
		pump(loop, 5);
}

static int stderr_saved = -1;

/* log_capture - send the log to a temporary file; its fd, to read it back */
static int log_capture(void)
{
	char path[] = "/tmp/test_ctl_log_XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	stderr_saved = dup(2);
	assert_int_equal(dup2(fd, 2), 2);
	log_threshold = LOG_LVL_WARN;
	return fd;
}

/* log_release - the log back to stderr (a failed test's teardown does it too) */
static void log_release(void)
{
	if (stderr_saved < 0)
		return;
	dup2(stderr_saved, 2);
	close(stderr_saved);
	stderr_saved = -1;
	log_threshold = LOG_LVL_ERR;
}

/* log_count - lines of the log in @fd holding @needle */
static int log_count(int fd, const char *needle)
{
	char buf[65536], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int count = 0;

	assert_true(n >= 0);
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, needle)); p++)
		count++;
	return count;
}

/*
 * The HTTP side full of slow clients: root's `status` still gets in, the
 * extra HTTP clients are refused with 503, and the refusals are logged
 * once at once and then as one summary line per interval. The control
 * socket's own limit turns away its own excess, with an ERR.
 */
static void test_separate_limits(void **state)
{
	struct fixture *fx = *state;
	int slow[METRICS_HTTP_MAX_CLIENTS], ctls[CTL_MAX_CLIENTS], extra, logfd, i;
	char buf[512], *out, *err;
	uint64_t t0;
	uint16_t port;
	size_t len;
	int rc;

	assert_int_equal(fx_open(fx), 0);
	rc = http_open_any(fx->ctl, &port);
	if (rc == -EPERM || rc == -EACCES || rc == -EADDRNOTAVAIL)
		skip();
	assert_int_equal(rc, 0);
	assert_int_equal(fx->ctl->http.max_conns, METRICS_HTTP_MAX_CLIENTS);
	assert_int_equal(fx->ctl->sock.max_conns, CTL_MAX_CLIENTS);
	fx->ctl->http.refused_every_ms = 1000; /* not 10 s: the test waits for it */
	logfd = log_capture();

	/* Slowloris: every HTTP place taken by a client that sent half a line. */
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS; i++) {
		slow[i] = http_connect(port, 0);
		pump(&fx->loop, 0);
		assert_int_equal(send(slow[i], "GET /metr", 9, MSG_NOSIGNAL), 9);
	}
	assert_true(pump_until(&fx->loop, &fx->ctl->http.nconns, METRICS_HTTP_MAX_CLIENTS, 1000));
	pump_for(&fx->loop, 50);

	/* One more scraper: refused, told so. */
	extra = http_connect(port, 0);
	len = raw_read_all(&fx->loop, extra, buf, sizeof(buf));
	close(extra);
	assert_true(len == 0 || starts_with(buf, "HTTP/1.0 503 Service Unavailable\r\n"));
	assert_int_equal(fx->ctl->http.refused_total, 1);
	assert_int_equal(fx->ctl->http.nconns, METRICS_HTTP_MAX_CLIENTS);

	/* Root is not locked out: the control socket answers, at once. */
	t0 = mono_ms();
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	assert_string_equal(out, "fake status\n");
	assert_true(mono_ms() - t0 < 1000);
	free(out);
	free(err);
	assert_int_equal(fx->ctl->http.nconns, METRICS_HTTP_MAX_CLIENTS);

	/* Five more refused within the interval: counted, not one line each. */
	for (i = 0; i < 5; i++) {
		extra = http_connect(port, 0);
		raw_read_all(&fx->loop, extra, buf, sizeof(buf));
		close(extra);
	}
	assert_int_equal(fx->ctl->http.refused_total, 6);
	assert_int_equal(log_count(logfd, "metrics: 64 clients already, the limit: refusing new "
					  "ones"), 1);
	assert_int_equal(log_count(logfd, "more clients in the last"), 0);
	/* The summary comes when the interval is up, with the count. */
	pump_for(&fx->loop, 1100);
	assert_int_equal(log_count(logfd, "metrics: refused 5 more clients in the last 1 s "
					  "(limit 64; 6 refused since start)"), 1);
	assert_int_equal(log_count(logfd, "clients already"), 1);
	/* Nothing more refused: nothing more logged. */
	pump_for(&fx->loop, 1100);
	assert_int_equal(log_count(logfd, "more clients in the last"), 1);

	/* The control socket's own limit, its own ERR. */
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		ctls[i] = raw_connect(fx->path);
		pump(&fx->loop, 0);
	}
	assert_true(pump_until(&fx->loop, &fx->ctl->sock.nconns, CTL_MAX_CLIENTS, 1000));
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_ERR);
	assert_string_equal(err, "pppoe-xdp: too many control clients at once, try again\n");
	free(out);
	free(err);
	assert_int_equal(log_count(logfd, "control: 32 clients already, the limit"), 1);
	close(ctls[0]);
	assert_true(pump_until(&fx->loop, &fx->ctl->sock.nconns, CTL_MAX_CLIENTS - 1, 1000));
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	assert_int_equal(rc, CTL_EXIT_OK);
	free(out);
	free(err);

	log_release();
	close(logfd);
	for (i = 1; i < CTL_MAX_CLIENTS; i++)
		close(ctls[i]);
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS; i++)
		close(slow[i]);
	assert_true(pump_until(&fx->loop, &fx->ctl->http.nconns, 0, 1000));
	assert_true(pump_until(&fx->loop, &fx->ctl->sock.nconns, 0, 1000));
}

/*
 * A client that trickles its request a byte at a time is cut when the
 * request deadline, counted from its accept, is up: bytes do not extend
 * it. The real METRICS_HTTP_REQ_MS, on the real clock.
 */
static void test_request_deadline(void **state)
{
	struct fixture *fx = *state;
	static const char req[] = "GET /metrics HTTP/1.0\r\nX-Slow: ";
	char buf[512];
	uint64_t t0, last = 0, cut = 0;
	size_t sent = 0, len = 0;
	uint16_t port;
	ssize_t n;
	int fd, rc;

	assert_int_equal(fx_open(fx), 0);
	rc = http_open_any(fx->ctl, &port);
	if (rc == -EPERM || rc == -EACCES || rc == -EADDRNOTAVAIL)
		skip();
	assert_int_equal(rc, 0);
	assert_int_equal(fx->ctl->http.req_ms, METRICS_HTTP_REQ_MS);

	fd = http_connect(port, 0);
	t0 = mono_ms();
	/* A byte every 100 ms, never the end of the head, until cut or long past due. */
	while (mono_ms() - t0 < METRICS_HTTP_REQ_MS + 2000) {
		if (mono_ms() - last >= 100) {
			char c = sent < sizeof(req) - 1 ? req[sent] : 'a';

			if (send(fd, &c, 1, MSG_NOSIGNAL) == 1)
				sent++;
			last = mono_ms();
		}
		pump(&fx->loop, 5);
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n > 0) {
			len += (size_t)n;
		} else if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			cut = mono_ms() - t0;
			break;
		}
	}
	close(fd);
	buf[len] = '\0';
	if (!cut)
		fail_msg("a trickling client still connected after %u ms, %zu bytes sent",
			 METRICS_HTTP_REQ_MS + 2000, sent);
	assert_true(sent >= 20);
	/* Cut at the deadline (a tick of the timer wheel late at most, and the pumps). */
	if (cut + 20 < METRICS_HTTP_REQ_MS || cut > METRICS_HTTP_REQ_MS + 500)
		fail_msg("cut after %" PRIu64 " ms, the deadline is %u ms", cut,
			 METRICS_HTTP_REQ_MS);
	assert_true(starts_with(buf, "HTTP/1.0 408 Request Timeout\r\n"));
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 0);
	assert_true(pump_until(&fx->loop, &fx->ctl->http.nconns, 0, 1000));
}

/*
 * A reader that takes its reply slowly, a few KiB at a time, is cut when
 * the deadline of the whole exchange is up: its progress does not extend
 * it. (A shorter deadline than CTL_DEADLINE_MS, to keep the test short.)
 */
static void test_reply_deadline(void **state)
{
	struct fixture *fx = *state;
	static char buf[8 << 20];
	uint64_t t0, cut = 0, last = 0;
	struct strbuf full;
	size_t len = 0;
	ssize_t n;
	int fd;

	fx->fake.rows = 20000; /* 6.6 MB: far beyond the socket's buffer */
	assert_int_equal(fx_open(fx), 0);
	assert_int_equal(fx->ctl->sock.total_ms, CTL_DEADLINE_MS);
	assert_int_equal(fx->ctl->sock.req_ms, CTL_REQ_MS);
	fx->ctl->sock.total_ms = 800;
	fd = raw_connect(fx->path);
	t0 = mono_ms();
	assert_int_equal(send(fd, "status\n", 7, 0), 7);
	while (mono_ms() - t0 < 5000) {
		pump(&fx->loop, 2);
		/* 32 KiB every 10 ms: 3.2 MB/s, steady progress, 2 s for all of it. */
		if (mono_ms() - last < 10)
			continue;
		last = mono_ms();
		n = recv(fd, buf + len, 32768, MSG_DONTWAIT);
		if (n > 0) {
			len += (size_t)n;
		} else if (n == 0) {
			cut = mono_ms() - t0;
			break;
		}
	}
	close(fd);
	if (!cut)
		fail_msg("a slow reader still connected after 5 s, %zu bytes read", len);
	strbuf_init(&full);
	fake_render(CTL_REPORT_STATUS, 20000, &full);
	/* Cut at the deadline, with what was still in the socket's buffer read after. */
	if (cut < 800 || cut > 1300)
		fail_msg("cut after %" PRIu64 " ms, the deadline is 800 ms (%zu of %zu bytes read)",
			 cut, len, full.len);
	assert_true(len > 32768 * 10);
	assert_true(len < full.len);
	strbuf_free(&full);
	assert_int_equal(fx->ctl->sock.nconns, 0);
}

/*
 * Many scrapers at once that never read their (large) response: one
 * render, one buffer shared by all of them, the loop free for root at
 * once; at most one render a second after that, and never more than
 * METRICS_HTTP_BODIES renders alive however slow the readers; all of them
 * cut at the reply deadline.
 */
static void test_http_scrape_storm(void **state)
{
	struct fixture *fx = *state;
	enum { N = 48 };
	static char buf[8 << 20];
	int fds[N + 1], i, rc;
	struct ctl_http_cache *hc;
	char *out, *err;
	uint64_t t0, t_ctl;
	uint16_t port;
	size_t len;

	fx->fake.rows = 6000;     /* 2 MB, more than a slow reader's TCP buffers take */
	fx->fake.render_ms = 100; /* about what 10,000 real sessions take */
	assert_int_equal(fx_open(fx), 0);
	rc = http_open_any(fx->ctl, &port);
	if (rc == -EPERM || rc == -EACCES || rc == -EADDRNOTAVAIL)
		skip();
	assert_int_equal(rc, 0);
	hc = &fx->ctl->cache;
	assert_int_equal(fx->ctl->http.total_ms, METRICS_HTTP_DEADLINE_MS);
	fx->ctl->http.total_ms = 4000; /* not 10 s: the test waits for it */

	/* N clients with tiny receive buffers connect and ask, all at once. */
	for (i = 0; i < N; i++)
		fds[i] = http_connect(port, 4096);
	pump(&fx->loop, 0);
	for (i = 0; i < N; i++) {
		/* The request is sent as soon as the handshake is done. */
		while (send(fds[i], "GET /metrics HTTP/1.0\r\n\r\n", 25, MSG_NOSIGNAL) != 25) {
			assert_true(errno == EAGAIN || errno == ENOTCONN);
			pump(&fx->loop, 1);
		}
	}
	/* Root asks for the status while they are pending. */
	t0 = mono_ms();
	rc = run_client(&fx->loop, fx->path, "status", &out, &err);
	t_ctl = mono_ms() - t0;
	assert_int_equal(rc, CTL_EXIT_OK);
	free(out);
	free(err);
	pump_for(&fx->loop, 100);

	/* One render for all of them (N would take N x 100 ms), root answered
	 * within a few renders' time. */
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 1);
	if (t_ctl > 500)
		fail_msg("status took %" PRIu64 " ms with %d scrapes pending", t_ctl, N);
	/* All of them still at it, on one shared buffer. */
	assert_int_equal(fx->ctl->http.nconns, N);
	assert_int_equal(hc->bodies, 1);
	assert_non_null(hc->body);
	assert_int_equal(hc->body->refs, N + 1);

	/* Over a second later: a new render for a new scraper (one more that
	 * does not read), the old one alive for the slow readers: two buffers. */
	pump_for(&fx->loop, 1000);
	fds[N] = http_connect(port, 4096);
	pump_for(&fx->loop, 20);
	assert_int_equal(send(fds[N], "GET /metrics HTTP/1.0\r\n\r\n", 25, MSG_NOSIGNAL), 25);
	pump_for(&fx->loop, 100);
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 2);
	assert_int_equal(fx->ctl->http.nconns, N + 1);
	assert_int_equal(hc->bodies, 2);
	assert_int_equal(hc->body->refs, 2);

	/* Another second: the two alive are the bound, so the newer is served
	 * again, whole, rather than a third render. */
	pump_for(&fx->loop, 1000);
	assert_int_equal(fx->ctl->http.nconns, N + 1);
	len = http_get(&fx->loop, port, "GET /metrics HTTP/1.0\r\n\r\n", 25, buf, sizeof(buf));
	assert_true(starts_with(buf, "HTTP/1.0 200 OK\r\n"));
	assert_true(len > 1900000); /* 6000 rows of 330 bytes */
	assert_int_equal(strtoul(strstr(buf, "Content-Length: ") + 16, NULL, 10),
			 len - (size_t)(strstr(buf, "\r\n\r\n") + 4 - buf));
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 2);
	assert_int_equal(hc->bodies, 2);

	/* The reply deadline cuts the readers that never read; their buffers go. */
	assert_true(pump_until(&fx->loop, &fx->ctl->http.nconns, 1, 3000));
	assert_true(mono_ms() - t0 < 4000 + 500);
	assert_int_equal(hc->bodies, 1);
	assert_true(pump_until(&fx->loop, &fx->ctl->http.nconns, 0, 2000));
	for (i = 0; i <= N; i++) {
		/* Each got part of the response, not all of it. */
		ssize_t n = recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT);

		assert_true(n > 0 && n < 2000000 && starts_with(buf, "HTTP/1.0 200 OK\r\n"));
		close(fds[i]);
	}
	/* Now a render again, and only one buffer left. */
	http_get(&fx->loop, port, "GET /metrics HTTP/1.0\r\n\r\n", 25, buf, sizeof(buf));
	assert_int_equal(fx->fake.reports[CTL_REPORT_METRICS_HTTP], 3);
	assert_int_equal(hc->bodies, 1);
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
		cmocka_unit_test_setup_teardown(test_single_instance, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_oversize_request, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_idle_client_dropped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_large_reply, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_http, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_separate_limits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_request_deadline, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_deadline, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_http_scrape_storm, fx_setup, fx_teardown),
	};

	/* Quiet: the server logs what it opens and refuses. */
	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

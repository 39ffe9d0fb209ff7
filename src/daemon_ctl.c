// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon_ctl.c - what the control socket asks of the daemon.
 *
 * src/ctl.c knows requests and replies, not sessions; these ops give it
 * the reports over the session table (src/status.c, src/metrics.c), act
 * on one session by name and reload the configuration. Each takes the
 * struct daemon as ctx.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/util.h"
#include "src/ctl.h"
#include "src/daemon_ctl.h"
#include "src/daemon_int.h"
#include "src/metrics.h"
#include "src/status.h"
#include "src/strbuf.h"

/* daemon_ctl_report - a report at the current time */
static int daemon_ctl_report(void *ctx, enum ctl_report what, struct strbuf *out)
{
	const struct daemon *d = ctx;
	uint64_t now = mono_ms();

	switch (what) {
	case CTL_REPORT_STATUS:
		return status_table(d, now, out);
	case CTL_REPORT_JSON:
		return status_json(d, now, out);
	case CTL_REPORT_METRICS:
		return metrics_render(d, now, true, out);
	case CTL_REPORT_METRICS_HTTP:
		return metrics_render(d, now, false, out);
	}
	return -EINVAL;
}

/* daemon_ctl_act - up, down or redial the session @name; its new state into @out */
static int daemon_ctl_act(void *ctx, enum ctl_cmd cmd, const char *name, struct strbuf *out)
{
	char esc[SESSION_NAME_MAX * 4 + 4];
	struct daemon *d = ctx;
	struct dsession *ds;

	ds = sessions_find(d, name);
	if (!ds)
		return -ENOENT;
	switch (cmd) {
	case CTL_CMD_UP:
		sl_info(ds->s.label, "control: up");
		session_start(&ds->s);
		break;
	case CTL_CMD_DOWN:
		sl_info(ds->s.label, "control: down");
		session_stop(&ds->s, "stopped by the administrator");
		break;
	case CTL_CMD_REDIAL:
		session_redial(&ds->s, "asked by the administrator");
		break;
	default:
		return -EINVAL;
	}
	strbuf_printf(out, "%s: %s\n", log_escape(esc, sizeof(esc), name, strlen(name)),
		      session_state_name(ds->s.state));
	return out->oom ? -ENOMEM : 0;
}

static int daemon_ctl_reload(void *ctx)
{
	pr_info("control: reload");
	return daemon_reload(ctx);
}

static int daemon_ctl_stop(void *ctx, bool keep)
{
	struct daemon *d = ctx;

	if (keep)
		return daemon_begin_keep(d, "control: stop --keep");
	daemon_begin_shutdown(d, "control: stop");
	return 0;
}

const struct ctl_ops daemon_ctl_ops = {
	.report = daemon_ctl_report,
	.act = daemon_ctl_act,
	.reload = daemon_ctl_reload,
	.stop = daemon_ctl_stop,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.c - the daemon's life: set up (signals, control socket, AF_XDP,
 * netlink, hooks, link watch, crash recovery, one session per config
 * entry), run the event loop, and on SIGTERM/SIGINT terminate every
 * session (Terminate-Request, then PADT), wait for the down scripts and
 * remove what we created. The other jobs have files of their own: the
 * session table (sessions.c), a session's glue to the world (dsession.c),
 * frames in and out (datapath.c), following the interface (linkwatch.c),
 * reload (reload.c), crash recovery (recover.c), the loop (evloop.c).
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/caps.h"
#include "src/config.h"
#include "src/ctl.h"
#include "src/daemon.h"
#include "src/daemon_ctl.h"
#include "src/daemon_int.h"
#include "src/hooks.h"
#include "src/metrics_http.h"
#include "src/statefile.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"

#define DAEMON_SHUTDOWN_MS  1000 /* wait for Terminate-Ack before PADT anyway */
#define DAEMON_NOFILE_HARD  65536 /* hard open file limit we ask for */

static int daemon_if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		ret = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return ret;
}

static void daemon_signal_event(struct ev_src *src, uint32_t events);

static int daemon_setup_signals(struct daemon *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	d->sig_ev.fn = daemon_signal_event;
	return evloop_add(&d->loop, d->sigfd, EPOLLIN, &d->sig_ev);
}

/* daemon_world_sleep - the main loop lets the workers run while it sleeps */
static void daemon_world_sleep(void *arg, bool asleep)
{
	struct daemon *d = arg;

	if (asleep)
		pthread_rwlock_unlock(&d->world);
	else
		pthread_rwlock_wrlock(&d->world);
}

/* daemon_wake_event - a worker handled a control frame: the loop recomputes its sleep */
static void daemon_wake_event(struct ev_src *src, uint32_t events)
{
	struct daemon *d = container_of(src, struct daemon, wake_ev);
	uint64_t val;

	(void)events;
	if (read(d->wake_fd, &val, sizeof(val)) < 0) {
		/* nothing: woken already */
	}
}

/* daemon_setup_workers - workers = N > 1: their sockets are open, the threads start later */
static int daemon_setup_workers(struct daemon *d)
{
	int ret;

	ret = workers_init(d, xsk_io_nworkers(d->io));
	if (ret) {
		pr_err("cannot set up %u workers: %s", xsk_io_nworkers(d->io), strerror(-ret));
		return ret;
	}
	d->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->wake_fd < 0)
		return -errno;
	d->wake_ev.fn = daemon_wake_event;
	ret = evloop_add(&d->loop, d->wake_fd, EPOLLIN, &d->wake_ev);
	if (ret)
		return ret;
	d->loop.sleeping = daemon_world_sleep;
	d->loop.sleeping_arg = d;
	return 0;
}

static int daemon_setup_xsk(struct daemon *d)
{
	struct xsk_io_conf xc = {
		.ifname = d->conf->interface,
		.workers = conf_workers_resolve(d->conf),
	};
	unsigned int q;
	int ret;

	switch (d->conf->xdp_mode) {
	case CONF_XDP_NATIVE:
		xc.mode = XSK_IO_MODE_NATIVE;
		break;
	case CONF_XDP_SKB:
		xc.mode = XSK_IO_MODE_SKB;
		break;
	default:
		xc.mode = XSK_IO_MODE_AUTO;
		break;
	}
	ret = xsk_io_open(&d->io, &xc);
	if (ret)
		return ret;
	/* each queue's data socket, then its control socket: one handler
	 * takes a batch of both (control first) */
	d->xsk_ev = calloc(2 * (size_t)xsk_io_nqueues(d->io), sizeof(*d->xsk_ev));
	if (!d->xsk_ev)
		return -ENOMEM;
	for (q = 0; q < xsk_io_nqueues(d->io); q++) {
		struct daemon_xsk_ev *c = &d->xsk_ev[xsk_io_nqueues(d->io) + q];

		d->xsk_ev[q] = (struct daemon_xsk_ev){ .ev.fn = datapath_xsk_event, .d = d, .q = q };
		/* with workers the data sockets are theirs */
		ret = xsk_io_nworkers(d->io) > 1 ? 0 :
			evloop_add(&d->loop, xsk_io_fd(d->io, q), EPOLLIN, &d->xsk_ev[q].ev);
		if (ret)
			return ret;
		if (xsk_io_ctl_fd(d->io, q) < 0)
			continue;
		*c = (struct daemon_xsk_ev){ .ev.fn = datapath_xsk_event, .d = d, .q = q };
		ret = evloop_add(&d->loop, xsk_io_ctl_fd(d->io, q), EPOLLIN, &c->ev);
		if (ret)
			return ret;
	}
	/* xsk_io_open() has logged the mode and the sockets. */
	return xsk_io_nworkers(d->io) > 1 ? daemon_setup_workers(d) : 0;
}

/* daemon_raise_nofile - one TUN fd per session: thousands need more than 1024 */
void daemon_raise_nofile(size_t sessions)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)sessions * 2 + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (rl.rlim_max < want) {
		/* Root may raise the hard limit too, but only before the
		 * capabilities are dropped (CAP_SYS_RESOURCE): leave room for
		 * reloads that add sessions later. */
		rl.rlim_max = want < DAEMON_NOFILE_HARD ? DAEMON_NOFILE_HARD : want;
		rl.rlim_cur = want;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl))
		pr_warn("cannot raise the open file limit to %llu for %zu sessions: %s",
			(unsigned long long)want, sessions, strerror(errno));
}


static int daemon_setup(struct daemon *d)
{
	size_t i;
	int ret;

	daemon_raise_nofile(d->conf->nsessions);
	ret = daemon_setup_signals(d);
	if (ret)
		return ret;
	d->if_index = (int)if_nametoindex(d->conf->interface);
	ret = d->if_index ? daemon_if_mac(d->conf->interface, d->if_mac) : -ENODEV;
	if (ret) {
		pr_err("%s: %s", d->conf->interface, strerror(-ret));
		return ret;
	}
	/* The control socket first: it refuses to start a second daemon. */
	ret = ctl_open(&d->ctl, &d->loop, d->conf->control_socket, &daemon_ctl_ops, d);
	if (ret)
		return ret;
	if (d->conf->metrics_listen[0]) {
		ret = metrics_http_open(d->ctl, d->conf->metrics_listen);
		if (ret)
			return ret;
	}
	ret = daemon_setup_xsk(d);
	if (ret)
		return ret;
	ret = netcfg_open(&d->nc);
	if (ret)
		return ret;
	ret = hooks_new(&d->hooks, &d->loop);
	if (ret)
		return ret;
	ret = linkwatch_open(d);
	if (ret)
		return ret;
	d->link_group = DAEMON_LINK_GROUP_BASE | ((uint32_t)d->if_index & 0xffff);
	pacer_init(&d->pacer, &d->loop.wheel, d->conf->dial_rate, dsession_pacer_go);
	setup_win_init(&d->win, d->conf->max_starting);
	d->pacer.win = &d->win;
	ret = sessions_grow(d, d->conf->nsessions);
	if (!ret)
		ret = datapath_offload_init(d);
	if (ret)
		return ret;
	for (i = 0; i < d->conf->nsessions; i++) {
		ret = dsession_create(d, &d->conf->sessions[i], i);
		if (ret)
			return ret;
	}
	/* With the TUNs adopted: resume what the last run left, PADT the rest. */
	recover_run(d);
	d->recovered = true;
	return 0;
}

/* daemon_drain_tx - give the kernel a moment to send the last PADTs */
static void daemon_drain_tx(struct daemon *d)
{
	int i;

	for (i = 0; i < 50 && xsk_io_tx_outstanding(d->io); i++) {
		xsk_io_flush(d->io);
		usleep(2000);
	}
}

static void daemon_teardown(struct daemon *d)
{
	struct dsession *ds;
	size_t i;

	d->stopping = true;
	if (d->keep) {
		/* Sessions, TUNs, routes and the XDP program stay; the file
		 * daemon_begin_keep wrote says what the next start resumes (a
		 * start that failed before reading it leaves it alone). */
		for_each_dsession(d, i, ds)
			dsession_destroy(ds);
		if (d->promisc_set)
			netcfg_set_promisc(d->nc, d->if_index, false);
		dsession_vlan_offload_restore(d);
	} else if (d->nc) {
		/* PADT for whatever is still open, then every TUN in one batch. */
		for_each_dsession(d, i, ds)
			session_abort(&ds->s, "shutdown");
		if (d->io && d->recovered)
			recover_orphans_padt(d);
		if (d->io)
			daemon_drain_tx(d);
		netcfg_link_del_group(d->nc, d->link_group);
		for_each_dsession(d, i, ds)
			dsession_destroy(ds);
		if (d->promisc_set)
			netcfg_set_promisc(d->nc, d->if_index, false);
		dsession_vlan_offload_restore(d);
	}
	statekeep_stop(d);
	sessions_bury(d);
	free(d->orphans);
	free(d->sessions);
	free(d->tables_used);
	datapath_offload_free(d);
	workers_free(d);
	if (d->wake_fd >= 0)
		close(d->wake_fd);
	if (d->hooks)
		hooks_free(d->hooks);
	if (d->pacer.wheel)
		pacer_free(&d->pacer);
	tw_cancel(&d->loop.wheel, &d->drop_timer);
	acpeers_free(&d->peers);
	ctl_close(d->ctl);
	d->ctl = NULL;
	netcfg_watch_close(d->watch);
	if (d->nc)
		netcfg_close(d->nc);
	if (d->io)
		xsk_io_close(d->io, d->keep && d->recovered);
	free(d->xsk_ev);
	if (d->sigfd >= 0)
		close(d->sigfd);
	evloop_fini(&d->loop);
}

void daemon_begin_shutdown(struct daemon *d, const char *why)
{
	struct dsession *ds;
	size_t i, n = 0;

	if (d->stopping)
		return;
	for_each_dsession(d, i, ds)
		n++;
	pr_info("%s: terminating %zu session(s)", why, n);
	d->stopping = true;
	d->stop_deadline = d->loop.wheel.now + DAEMON_SHUTDOWN_MS;
	for_each_dsession(d, i, ds)
		session_stop(&ds->s, why);
}

/*
 * daemon_begin_keep - stop --keep (SIGUSR2): exit leaving every session
 * that is up to the next start (an upgrade). Sessions still negotiating
 * cannot be resumed: they end now, with a PADT.
 */
int daemon_begin_keep(struct daemon *d, const char *why)
{
	struct dsession *ds;
	size_t i, n = 0;
	int ret;

	if (d->stopping) {
		pr_warn("%s: already stopping, every session ends", why);
		return -EALREADY;
	}
	if (!d->conf->state_file[0]) {
		pr_warn("%s: no state_file configured, nothing could be resumed: stopping "
			"cleanly instead", why);
		daemon_begin_shutdown(d, why);
		return -ENOENT;
	}
	for_each_dsession(d, i, ds) {
		if (ds->s.state == SESS_UP)
			n++;
		else
			session_abort(&ds->s, "shutdown");
	}
	/* Sessions left up without a record could be neither resumed nor
	 * ended by the next start: without the file, end them now. */
	ret = statekeep_save(d);
	if (ret) {
		pr_warn("%s: the state file cannot be written: stopping cleanly instead", why);
		daemon_begin_shutdown(d, why);
		return ret;
	}
	pr_info("%s: state of %zu session(s) written to %s; exiting, %zu left up for the "
		"next start", why, d->state_bound, d->conf->state_file, n);
	statekeep_stop(d);
	d->stopping = true;
	d->keep = true;
	return 0;
}

static bool daemon_all_quiet(struct daemon *d)
{
	struct dsession *ds;
	size_t i;

	for_each_dsession(d, i, ds)
		if (!session_is_quiet(&ds->s))
			return false;
	return true;
}

static void daemon_signal_event(struct ev_src *src, uint32_t events)
{
	struct daemon *d = container_of(src, struct daemon, sig_ev);
	struct signalfd_siginfo si;

	(void)events;
	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			pr_info("SIGHUP: reloading %s", d->conf->path);
			daemon_reload(d);
		} else if (si.ssi_signo == SIGUSR2) {
			daemon_begin_keep(d, "SIGUSR2");
		} else {
			daemon_begin_shutdown(d, si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
		}
	}
}


static int daemon_loop(struct daemon *d)
{
	struct dsession *ds;
	size_t i;
	int ret, max_ms;

	ret = d->nworkers ? workers_start(d) : 0;
	if (ret) {
		workers_stop(d);
		return ret;
	}
	for_each_dsession(d, i, ds)
		session_start(&ds->s);
	for (;;) {
		evloop_advance(&d->loop);
		if (d->keep)
			break;
		if (d->stopping) {
			/* Done when the wire is quiet and the down scripts ran. */
			if (daemon_all_quiet(d) && !hooks_running(d->hooks))
				break;
			if (d->loop.wheel.now >= d->stop_deadline) {
				for_each_dsession(d, i, ds)
					session_abort(&ds->s, "shutdown");
				break;
			}
		}
		xsk_io_flush(d->io);
		/* The device queue was busy: come back soon to push the rest. */
		max_ms = xsk_io_tx_outstanding(d->io) ? 1 : -1;
		if (d->stopping) {
			int left = (int)(d->stop_deadline - d->loop.wheel.now);

			if (max_ms < 0 || max_ms > left)
				max_ms = left;
		}
		ret = evloop_run_once(&d->loop, max_ms);
		if (ret) {
			pr_err("epoll_wait: %s", strerror(-ret));
			break;
		}
		sessions_bury(d);
	}
	/* from here on the main thread is alone with the sessions */
	if (d->nworkers)
		workers_stop(d);
	d->loop.sleeping = NULL;
	if (ret)
		return ret;
	daemon_drain_tx(d);
	return 0;
}

int daemon_run(struct conf *conf)
{
	struct daemon *d;
	bool keep;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return 1;
	d->conf = conf;
	d->sigfd = -1;
	d->wake_fd = -1;
	{
		pthread_rwlockattr_t a;

		/* a busy data path must not keep the control side waiting */
		pthread_rwlockattr_init(&a);
		pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&d->world, &a);
		pthread_rwlockattr_destroy(&a);
	}
	/* the main thread holds it except while it sleeps (workers only) */
	pthread_rwlock_wrlock(&d->world);
	statekeep_init(d);
	if (evloop_init(&d->loop)) {
		pr_err("epoll_create1: %s", strerror(errno));
		free(d);
		return 1;
	}
	tw_timer_init(&d->drop_timer, dsession_drop_sample);
	d->started_ms = d->loop.wheel.now;
	ret = daemon_setup(d);
	if (ret && !d->recovered) {
		/* A failed start must not cost the sessions an earlier run left
		 * for it: their TUNs and the state file stay as they are. */
		d->keep = true;
		if (d->conf->state_file[0])
			pr_info("start failed: TUNs and %s left for the next start",
				d->conf->state_file);
	}
	if (!ret) /* setup done: keep CAP_NET_ADMIN and CAP_NET_RAW only */
		ret = caps_drop(!d->conf->hook_caps_all);
	if (!ret)
		ret = daemon_loop(d);
	if (!ret && d->link_gone)
		ret = -ENODEV;
	daemon_teardown(d);
	/* After a clean stop nothing is open on the wire; after an error the
	 * file keeps what may still be (PADT at the next start). */
	if (!ret && !d->keep && d->conf->state_file[0])
		statefile_remove(d->conf->state_file);
	/* A reload may have replaced the caller's config. */
	if (d->conf_owned) {
		conf_free(d->conf);
		free(d->conf);
	}
	keep = d->keep;
	pthread_rwlock_unlock(&d->world);
	pthread_rwlock_destroy(&d->world);
	free(d);
	if (!ret)
		pr_info(keep ? "exit, sessions kept for the next start" : "clean shutdown");
	return ret ? 1 : 0;
}

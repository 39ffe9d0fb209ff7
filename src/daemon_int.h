/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon_int.h - the daemon's state (struct daemon, struct dsession) and
 * the functions its files offer each other; see daemon.c for which file
 * does what. Only src/ includes it; the control socket reaches it through
 * the ops of daemon_ctl.c.
 */
#ifndef PPPOE_XDP_DAEMON_INT_H
#define PPPOE_XDP_DAEMON_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "pppoe/session.h"
#include "pppoe/timer.h"
#include "src/config.h"
#include "src/evloop.h"
#include "src/hooks.h"
#include "src/acpeer.h"
#include "src/pacer.h"
#include "src/setup.h"
#include "tun/vnet.h"

#define SID_BUCKETS 4096
/* Our TUNs' link group: "PX" + the interface's ifindex. A TUN in another
 * group of the family is an earlier run's on an interface since re-created. */
#define DAEMON_LINK_GROUP_BASE   0x50580000u
#define DAEMON_LINK_GROUP_FAMILY 0xffff0000u

struct ctl;
struct daemon;
struct statefile_sess;

/* The event source of one AF_XDP socket (RX queue @q). */
struct daemon_xsk_ev {
	struct ev_src ev;
	struct daemon *d;
	unsigned int q;
};
struct hooks;
struct netcfg_watch;

/* A session as the daemon holds it: protocol state plus its interface. */
struct dsession {
	struct session s;
	struct conf_session conf;   /* own copy: survives a reload */
	struct daemon *d;
	struct ev_src ev;
	struct pacer_entry pace;    /* waiting for a dial slot */
	size_t slot;
	int tun_fd;
	int ifindex;
	unsigned int tun_mtu;       /* MTU we set on the TUN, 0 = not yet */
	int worker;                 /* its TUN's worker (workers > 1), -1: none */
	bool addr_set;              /* address (and routes, rule) configured */
	bool adopted;               /* its TUN was there at start (an earlier run's) */
	bool resumed;               /* carried on from the state file at start */
	bool hook_up;               /* net_up ran (up_script asked for), no net_down yet */
	bool uc_added;              /* MAC in the NIC's unicast filter */
	bool v6_set;                /* IPv6 enabled on the TUN (net6_up ran, no net6_down) */
	bool vnet;                  /* its TUN has a virtio-net header (tun_offload = auto) */
	uint8_t v6_router[16];      /* the IPv6 default routes' gateway, when router_set */
	struct dhcp6_lease d6;      /* the DHCPv6 lease installed (addresses, prefix routes) */
	uint64_t d6_renewed;        /* Renew/Rebind Replies that re-installed it */
	uint32_t local, peer;       /* configured on the TUN (network order) */
	uint32_t table;             /* routing table, 0 = none */
	uint64_t ups, downs;        /* times the network came up / went down */
	struct dsession *sid_next;  /* chain in daemon.by_sid */
	unsigned int sid_bucket;    /* its bucket there, valid when in_sid_table */
	bool in_sid_table;
	uint64_t id;                /* unique for the daemon's life (hook ordering key) */
	struct dsession *dead_next; /* chain in daemon.graveyard */
};

/* TUN offloads (tun_offload = auto), over all sessions; see datapath.c */
struct daemon_offload {
	unsigned int enabled;       /* TUN_OFF_* the kernel took (logged once) */
	unsigned int gro_flags;     /* VNET_GRO_UDP4/6: merge UDP too (the kernel took USO) */
	bool logged;
};

/* What one data path counts; the daemon's figures are the sum over all */
struct dpath_counters {
	uint64_t rx_unknown;        /* frames for no session */
	uint64_t rx_malformed;
	uint64_t tx_super;          /* TSO/USO super-packets read from the TUNs */
	uint64_t tx_segs;           /* wire frames cut from them */
	uint64_t tx_super_dropped;  /* dropped whole: too few TX frames, too large, malformed */
	uint64_t tx_csum;           /* single packets whose checksum we completed */
	uint64_t rx_super;          /* coalesced super-packets written (2+ segments) */
	uint64_t rx_merged;         /* segments in them */
	uint64_t rx_super_udp;      /* of rx_super: UDP (USO) ones */
};

/*
 * One data path: the main thread's, and each worker's. Its buffers are
 * one per thread, never per session; the coalesced packet is flushed
 * whenever the session changes and at the end of every batch.
 */
struct dpath {
	struct daemon *d;
	unsigned int w;             /* xsk_io port: the TX ring and data sockets it uses */
	uint64_t now;               /* a worker's: mono_ms() when its batch began */
	uint64_t tb_ms;             /* hand-offs to the control side: token bucket */
	unsigned int tb_tokens;
	struct dpath_counters n;
	uint8_t *tun_buf;           /* a super-packet read from a TUN */
	uint8_t *gro_buf;           /* the super-packet being coalesced */
	struct vnet_gro gro;
	struct dsession *gro_ds;    /* whose segments gro holds; NULL: none */
	uint64_t gro_bytes;         /* IP bytes of the segments it holds */
};

/* A data-path thread (workers = N > 1); see workers.c */
struct worker {
	struct dpath dp;
	pthread_t th;
	bool started;
	int epfd;                   /* its data sockets, its sessions' TUNs, evfd */
	int evfd;                   /* wakes it: stop, or a control hand-off done */
	bool stop;                  /* atomic: leave the loop */
	unsigned int sessions;      /* TUNs registered with it */
	uint64_t upgrades;          /* frames it handed to the control side */
	uint64_t handoffs_dropped;  /* ... and dropped, over the rate (datapath.c) */
};

struct daemon {
	struct conf *conf;
	bool conf_owned;       /* conf was allocated by a reload */
	struct xsk_io *io;
	struct netcfg *nc;
	struct evloop loop;
	int sigfd;
	struct ev_src sig_ev;
	struct daemon_xsk_ev *xsk_ev; /* one per AF_XDP socket: data ones, then control ones */
	int if_index;
	uint8_t if_mac[6];
	unsigned int if_mtu;
	bool link_up;          /* IFF_UP and carrier, as last seen */
	bool link_gone;        /* the interface was deleted: exit with an error */
	struct netcfg_watch *watch;
	struct ev_src watch_ev;
	bool promisc_set;      /* we turned the NIC's promiscuous mode on */
	bool vlan_offload_checked; /* a session on a VLAN looked at RX VLAN offload */
	uint8_t vlan_offload_off;  /* RX VLAN offloads we turned off (bits, dsession.c) */
	bool vlan_strip_warned;    /* logged once: tags stripped before XDP */
	uint64_t untagged_seen;    /* XDP's pass_untagged_not_ours at the last look */
	uint32_t link_group;   /* every TUN of ours is in this link group */
	/* Slot i holds the session whose Host-Uniq starts with i, or NULL. */
	struct dsession **sessions;
	size_t nslots;
	struct dsession *graveyard; /* destroyed, freed after the epoll batch */
	uint64_t next_id;
	struct dsession *by_sid[SID_BUCKETS];
	bool stopping;
	uint64_t stop_deadline;
	uint64_t started_ms;
	uint64_t rx_wrong_vlan; /* discovery answers for a session, on another VLAN */
	struct pacer pacer;
	struct setup_win win;  /* how many sessions may be in setup at once */
	struct tw_timer drop_timer; /* samples RX drops while sessions are in setup */
	uint64_t rx_dropped_seen;
	struct acpeers peers;  /* liveness per access concentrator */
	uint64_t echo_probes;  /* sessions probed because a sibling missed an echo */
	bool ipv6_warned;      /* tun_disable_ipv6 failed once already */
	uint8_t *tables_used;  /* route_table = auto: one byte per table in the range */
	struct tw_timer state_timer; /* writes the state file (src/statekeep.c) */
	bool state_dirty;      /* a write is due */
	int state_err;         /* the last write's error, 0 */
	size_t state_bound;    /* records in the last write */
	struct statefile_sess *orphans; /* an earlier run's sessions whose PADT failed */
	size_t norphans;
	bool keep;             /* stop --keep: leave sessions, TUNs and XDP for the next start */
	bool recovered;        /* start-up done: the state file was read, sessions resumed */
	struct ctl *ctl;       /* control socket and metrics server (src/ctl.c) */
	struct hooks *hooks;
	struct daemon_offload off;
	struct dpath dp;       /* the main thread's data path */
	/*
	 * workers = N > 1: N data-path threads. The world lock: the main
	 * thread holds it exclusively while it runs (control, timers, the
	 * control socket), a worker shared while it moves data; a worker that
	 * meets a control frame takes it exclusively for that frame.
	 */
	unsigned int nworkers; /* 0: none, the main thread moves the data */
	struct worker *workers;
	pthread_rwlock_t world;
	int wake_fd;           /* eventfd: a worker armed timers for the main loop */
	struct ev_src wake_ev;
};

/* daemon_counters - the data paths' counters summed */
static inline void daemon_counters(const struct daemon *d, struct dpath_counters *t)
{
	const struct dpath_counters *c;
	unsigned int i;

	*t = d->dp.n;
	for (i = 0; i < d->nworkers; i++) {
		c = &d->workers[i].dp.n;
		t->rx_unknown += c->rx_unknown;
		t->rx_malformed += c->rx_malformed;
		t->tx_super += c->tx_super;
		t->tx_segs += c->tx_segs;
		t->tx_super_dropped += c->tx_super_dropped;
		t->tx_csum += c->tx_csum;
		t->rx_super += c->rx_super;
		t->rx_merged += c->rx_merged;
		t->rx_super_udp += c->rx_super_udp;
	}
}

#define for_each_dsession(d, i, ds) \
	for ((i) = 0; (i) < (d)->nslots; (i)++) \
		if (((ds) = (d)->sessions[i]) != NULL)

/* daemon.c: the daemon's life */
/* daemon_begin_shutdown - Terminate every session; the loop ends when quiet */
void daemon_begin_shutdown(struct daemon *d, const char *why);
/* daemon_begin_keep - exit leaving the up sessions to the next start */
int daemon_begin_keep(struct daemon *d, const char *why);
/* daemon_raise_nofile - one TUN fd per session: thousands need more than 1024 */
void daemon_raise_nofile(size_t sessions);

/* sessions.c: the session table */
/* sessions_find - the session called @name, or NULL */
struct dsession *sessions_find(struct daemon *d, const char *name);
/* sessions_find_bound - the session of ours (@our_mac, on @vlan) using
 * PPPoE session @sid with AC @ac_mac */
struct dsession *sessions_find_bound(struct daemon *d, uint16_t sid, const uint8_t *ac_mac,
				     const uint8_t *our_mac, const struct pppoe_vlan *vlan);
void sessions_sid_add(struct dsession *ds);
void sessions_sid_del(struct dsession *ds);
/* sessions_grow - room for @n slots; 0 or -ENOMEM */
int sessions_grow(struct daemon *d, size_t n);
/* sessions_free_slot - the lowest empty slot (growing the table), or -ENOMEM */
long sessions_free_slot(struct daemon *d);
/* sessions_bury - free the sessions destroyed during the last epoll batch */
void sessions_bury(struct daemon *d);

/* dsession.c: one session's glue to the world */
/* dsession_create - a session in slot @slot: TUN, MAC, table; not dialing yet */
int dsession_create(struct daemon *d, const struct conf_session *cs, size_t slot);
/* dsession_destroy - forget a session (PADT if it is still open) */
void dsession_destroy(struct dsession *ds);
/* dsession_resume - carry on a recorded session: @r's PPP state, its TUN's
 * address, routes and rule (kept by the kernel, re-added if missing) */
int dsession_resume(struct dsession *ds, const struct session_resume *r, uint32_t table);
/* dsession_dial_hash - a hash of the settings a session dials with (user,
 * service, AC name and MAC, MRU, an RFC 4638 mtu; not the password): a recorded session whose
 * settings changed is not resumed */
uint32_t dsession_dial_hash(const struct dsession *ds);
/* dsession_mac_claim - make frames to the session's MAC reach the XDP program */
int dsession_mac_claim(struct dsession *ds);
void dsession_mac_release(struct dsession *ds);
/* dsession_vlan_offload_restore - turn back on the RX VLAN offloads the
 * first session on a VLAN turned off (daemon exit) */
void dsession_vlan_offload_restore(struct daemon *d);
/* dsession_pacer_go - the pacer's callback: a queued session may dial now */
void dsession_pacer_go(struct pacer *p, struct pacer_entry *e);
/* dsession_drop_sample - d->drop_timer: RX drops during setup shrink the window */
void dsession_drop_sample(struct tw_timer *t);
/* dsession_hook - run up/down @script for the session with pppd's environment */
void dsession_hook(struct dsession *ds, enum hooks_kind kind, const char *script);

/* dsession6.c: a session's IPv6 (session_ops callbacks) */
#define MAIN_TABLE 254 /* the kernel's main routing table */
void dsession_net6_up(struct session *s);
void dsession_net6_down(struct session *s);
void dsession_net6_addr(struct session *s, const struct session_v6_addr *a, bool add);
void dsession_net6_router(struct session *s, bool add);
void dsession_dhcp6_lease(struct session *s, const struct dhcp6_lease *l, enum dhcp6_lease_ev ev);
/* dsession_left_s - seconds from now to @until (wheel time): the kernel's
 * lifetime for an address the session holds */
uint32_t dsession_left_s(const struct session *s, uint64_t until);

/* datapath.c: frames between the wire and the sessions */
/* datapath_xsk_event - a struct daemon_xsk_ev's socket has frames */
void datapath_xsk_event(struct ev_src *src, uint32_t events);
/* datapath_tun_event - a struct dsession's TUN has datagrams */
void datapath_tun_event(struct ev_src *src, uint32_t events);
/* datapath_offload_init - the buffers of TUN offloads; 0 or -ENOMEM */
int datapath_offload_init(struct daemon *d);
void datapath_offload_free(struct daemon *d);
/* datapath_forget - @ds goes away: drop what the data path holds of it */
void datapath_forget(struct daemon *d, struct dsession *ds);
/* datapath_rx_worker - a worker's data socket (port @w, queue @q) has frames */
void datapath_rx_worker(struct dpath *dp, unsigned int q);
/* datapath_tun_worker - @ds's TUN is readable, on its worker @dp */
void datapath_tun_worker(struct dpath *dp, struct dsession *ds);

/* workers.c: data-path threads (workers = N > 1) */
/* workers_init - their epoll instances and wake fds (before the sessions) */
int workers_init(struct daemon *d, unsigned int n);
/* workers_start - the threads (after caps_drop: capabilities are per thread) */
int workers_start(struct daemon *d);
/* workers_stop - end and join them (the caller holds the world lock) */
void workers_stop(struct daemon *d);
void workers_free(struct daemon *d);
/* workers_tun_attach - @ds holds a session id: its TUN to its worker */
void workers_tun_attach(struct dsession *ds);
/* workers_tun_detach - ... no longer: its TUN to no worker */
void workers_tun_detach(struct dsession *ds);
/* workers_of_sid - the worker the XDP program gives session @sid's data to */
static inline unsigned int workers_of_sid(const struct daemon *d, uint16_t sid)
{
	return d->nworkers > 1 ? sid % d->nworkers : 0;
}

/* linkwatch.c: following the interface */
/* linkwatch_open - read the link's state and watch it over rtnetlink */
int linkwatch_open(struct daemon *d);

/* reload.c */
/* daemon_reload - re-read the config: add, remove and redial what changed */
int daemon_reload(struct daemon *d);

/* recover.c: what a crashed run left */
/* recover_run - after the sessions exist: resume recorded sessions that
 * fit, PADT the others, remove stale rules, addresses and TUNs */
void recover_run(struct daemon *d);

/* recover_orphans_padt - a clean stop: try once more the PADTs an earlier
 * run's sessions could not get at start */
void recover_orphans_padt(struct daemon *d);

/* statekeep.c: the state file, kept current */
void statekeep_init(struct daemon *d);
/* statekeep_dirty - sessions changed: write the state file soon */
void statekeep_dirty(struct daemon *d);
/* statekeep_save - write it now; 0 or -errno (logged once per error) */
int statekeep_save(struct daemon *d);
void statekeep_stop(struct daemon *d);

#endif

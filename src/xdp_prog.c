// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xdp_prog.c - the pppoe_xdp program on one interface: load it from the
 * embedded skeleton, attach it through libxdp (native, falling back to skb
 * mode), put it back when someone removed it, detach it; and its maps: the
 * reference-counted MAC filter and the per-CPU stats. The AF_XDP sockets
 * that receive what it redirects are xsk_io.c's.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "pppoe_xdp.skel.h"
#include "pppoe/log.h"
#include "src/xdp_prog.h"
#include "xdp/pppoe_xdp.h"

#define XDP_PROG_NAME	"pppoe_xdp_prog"
#define XDP_PROG_BPFFS	"/sys/fs/bpf"

struct xdp_prog {
	char ifname[IF_NAMESIZE];
	int ifindex;
	enum xdp_attach_mode attach_mode;
	struct pppoe_xdp *skel;
	struct xdp_program *prog;
	struct xdp_multiprog *mp;	/* as attached: detaching it needs no CAP_SYS_ADMIN */
	uint32_t attached_id;		/* program id on the interface right after attach */
	bool foreign_seen;		/* another program replaced ours: said once */
	int macs_fd;
	int vlans_fd;
	int xsks_fd;
	int workers_fd;
	int stats_fd;
};

/*
 * Library messages go one level lower than the library says. While we
 * attach, libxdp probes for its dispatcher and libbpf warns loudly when a
 * probe fails, although libxdp then falls back on its own; so warnings seen
 * during an attach go to debug and are kept, and only if the attach fails
 * in the end are they replayed at warn level, next to our own error.
 */
#define XDP_PROG_KEPT_LINES	32
#define XDP_PROG_KEPT_LEN	200

static struct {
	bool capturing;
	unsigned int n;
	char lines[XDP_PROG_KEPT_LINES][XDP_PROG_KEPT_LEN];
} xdp_prog_kept;

/* xdp_prog_lib_log - log (and maybe keep) a library message line by line */
static void xdp_prog_lib_log(bool is_warning, const char *lib, char *msg)
{
	enum log_level lvl = is_warning && !xdp_prog_kept.capturing ?
			     LOG_LVL_INFO : LOG_LVL_DEBUG;
	char *line, *save = NULL;

	for (line = strtok_r(msg, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (is_warning && xdp_prog_kept.capturing &&
		    xdp_prog_kept.n < XDP_PROG_KEPT_LINES)
			snprintf(xdp_prog_kept.lines[xdp_prog_kept.n++],
				 XDP_PROG_KEPT_LEN, "%s", line);
		log_msg(lvl, lib, "%s", line);
	}
}

static void xdp_prog_capture_start(void)
{
	xdp_prog_kept.capturing = true;
	xdp_prog_kept.n = 0;
}

/* xdp_prog_capture_stop - stop keeping warnings; replay them if @failed */
static void xdp_prog_capture_stop(bool failed)
{
	unsigned int i;

	xdp_prog_kept.capturing = false;
	for (i = 0; failed && i < xdp_prog_kept.n; i++)
		pr_warn("%s", xdp_prog_kept.lines[i]);
	xdp_prog_kept.n = 0;
}

__attribute__((format(printf, 2, 0)))
static int xdp_prog_libbpf_print(enum libbpf_print_level level, const char *fmt,
				 va_list ap)
{
	char buf[4096];

	if (level != LIBBPF_WARN && log_threshold < LOG_LVL_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	xdp_prog_lib_log(level == LIBBPF_WARN, "libbpf", buf);
	return 0;
}

__attribute__((format(printf, 2, 0)))
static int xdp_prog_libxdp_print(enum libxdp_print_level level, const char *fmt,
				 va_list ap)
{
	char buf[4096];

	if (level != LIBXDP_WARN && log_threshold < LOG_LVL_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	xdp_prog_lib_log(level == LIBXDP_WARN, "libxdp", buf);
	return 0;
}

/* xdp_prog_mount_bpffs - mount bpffs where libxdp keeps its dispatcher state */
static void xdp_prog_mount_bpffs(void)
{
	struct statfs st;

	if (statfs(XDP_PROG_BPFFS, &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return;
	/* sysfs provides the directory; only a bare /sys would lack it. */
	mkdir(XDP_PROG_BPFFS, 0700);
	if (mount("bpf", XDP_PROG_BPFFS, "bpf", 0, NULL)) {
		/* libxdp may still manage without it (legacy attach). */
		pr_warn("cannot mount bpffs on %s: %s", XDP_PROG_BPFFS,
			strerror(errno));
		return;
	}
	pr_info("mounted bpffs on %s (libxdp keeps its dispatcher state there)",
		XDP_PROG_BPFFS);
}

/* xdp_prog_remove_stale - detach pppoe_xdp programs a dead run left behind */
static void xdp_prog_remove_stale(struct xdp_prog *xp)
{
	uint32_t ids[16];
	unsigned int nids = 0, i;
	enum xdp_attach_mode mode;
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	int err;

	mp = xdp_multiprog__get_from_ifindex(xp->ifindex);
	if (!mp || libxdp_get_error(mp))
		return;	/* nothing attached */
	mode = xdp_multiprog__attach_mode(mp);
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (p && !strcmp(xdp_program__name(p), XDP_PROG_NAME)) {
			pr_info("%s: removing stale XDP program %s (id %u)",
				xp->ifname, XDP_PROG_NAME,
				xdp_program__id(p));
			err = xdp_multiprog__detach(mp);
			if (err)
				pr_warn("%s: cannot remove stale XDP program: %s",
					xp->ifname, strerror(-err));
		}
		xdp_multiprog__close(mp);
		return;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p && nids < 16;
	     p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), XDP_PROG_NAME))
			ids[nids++] = xdp_program__id(p);
	xdp_multiprog__close(mp);

	/* Detach one by one so other users' programs stay in place. */
	for (i = 0; i < nids; i++) {
		p = xdp_program__from_id(ids[i]);
		if (!p || libxdp_get_error(p))
			continue;
		pr_info("%s: removing stale XDP program %s (id %u)",
			xp->ifname, XDP_PROG_NAME, ids[i]);
		err = xdp_program__detach(p, xp->ifindex, mode, 0);
		if (err)
			pr_warn("%s: cannot remove stale XDP program id %u: %s",
				xp->ifname, ids[i], strerror(-err));
		xdp_program__close(p);
	}
}

/* xdp_prog_detach - detach and free the program and skeleton, if any */
static void xdp_prog_detach(struct xdp_prog *xp, bool attached)
{
	int err;

	if (attached) {
		/* Capabilities are dropped by now: looking the dispatcher up by
		 * id needs CAP_SYS_ADMIN, detaching the one we hold does not. */
		err = xp->mp && xdp_multiprog__program_count(xp->mp) <= 1 ?
		      xdp_multiprog__detach(xp->mp) : -EAGAIN;
		if (err)
			err = xdp_program__detach(xp->prog, xp->ifindex,
						  xp->attach_mode, 0);
		if (err)
			pr_warn("%s: XDP detach failed: %s", xp->ifname,
				strerror(-err));
	}
	xdp_multiprog__close(xp->mp);
	xp->mp = NULL;
	if (xp->prog)
		xdp_program__close(xp->prog);
	xp->prog = NULL;
	/* libxdp does not own an object it was given; the skeleton does. */
	pppoe_xdp__destroy(xp->skel);
	xp->skel = NULL;
}

/* xdp_prog_attach_mode - open a fresh program object and attach it in @mode */
static int xdp_prog_attach_mode(struct xdp_prog *xp, enum xdp_attach_mode mode)
{
	const char *mname = mode == XDP_MODE_NATIVE ? "native" : "skb";
	DECLARE_LIBXDP_OPTS(xdp_program_opts, opts);
	int err;

	xp->skel = pppoe_xdp__open();
	if (!xp->skel) {
		err = -errno;
		pr_err("%s: cannot open the XDP object: %s", xp->ifname,
		       strerror(-err));
		return err;
	}
	opts.obj = xp->skel->obj;
	opts.prog_name = XDP_PROG_NAME;
	xp->prog = xdp_program__create(&opts);
	err = (int)libxdp_get_error(xp->prog);
	if (err) {
		xp->prog = NULL;
		pr_err("%s: cannot create the XDP program: %s", xp->ifname,
		       strerror(-err));
		goto err_skel;
	}
	err = xdp_program__attach(xp->prog, xp->ifindex, mode, 0);
	if (err) {
		/* The caller logs: a native failure may just mean fallback. */
		goto err_skel;
	}
	xp->attach_mode = mode;
	pr_debug("%s: XDP program attached in %s mode (run priority %u, chain on XDP_PASS %s)",
		 xp->ifname, mname, xdp_program__run_prio(xp->prog),
		 xdp_program__chain_call_enabled(xp->prog, XDP_PASS) ?
		 "yes" : "no");
	return 0;

err_skel:
	xdp_prog_detach(xp, false);
	return err;
}

/* xdp_prog_xdp_flags - the netlink XDP flags of our attach mode */
static int xdp_prog_xdp_flags(const struct xdp_prog *xp)
{
	return xp->attach_mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
}

/* xdp_prog_attach - attach the XDP program in the configured mode */
static int xdp_prog_attach(struct xdp_prog *xp, enum xsk_io_mode mode)
{
	int err;

	xdp_prog_capture_start();
	if (mode != XSK_IO_MODE_SKB) {
		err = xdp_prog_attach_mode(xp, XDP_MODE_NATIVE);
		if (!err)
			goto done;
		if (mode == XSK_IO_MODE_NATIVE) {
			xdp_prog_capture_stop(true);
			pr_err("%s: XDP attach failed in native mode: %s",
			       xp->ifname, strerror(-err));
			return err;
		}
		pr_info("%s: XDP attach failed in native mode (%s), falling back to skb mode",
			xp->ifname, strerror(-err));
		/* Only the skb attempt's warnings matter from here on. */
		xdp_prog_capture_stop(false);
		xdp_prog_capture_start();
	}
	err = xdp_prog_attach_mode(xp, XDP_MODE_SKB);
	if (err) {
		xdp_prog_capture_stop(true);
		pr_err("%s: XDP attach failed in skb mode: %s", xp->ifname,
		       strerror(-err));
		return err;
	}
done:
	xdp_prog_capture_stop(false);
	xp->mp = xdp_multiprog__get_from_ifindex(xp->ifindex);
	if (libxdp_get_error(xp->mp))
		xp->mp = NULL;
	if (bpf_xdp_query_id(xp->ifindex, xdp_prog_xdp_flags(xp), &xp->attached_id))
		xp->attached_id = 0;
	xp->macs_fd = bpf_map__fd(xp->skel->maps.our_macs);
	xp->vlans_fd = bpf_map__fd(xp->skel->maps.our_vlans);
	xp->xsks_fd = bpf_map__fd(xp->skel->maps.xsks_map);
	xp->stats_fd = bpf_map__fd(xp->skel->maps.stats);
	xp->workers_fd = bpf_map__fd(xp->skel->maps.workers);
	return 0;
}

/* xdp_prog_open - mount bpffs, clear stale programs, attach */
int xdp_prog_open(struct xdp_prog **out, const char *ifname, int ifindex,
		  enum xsk_io_mode mode)
{
	struct xdp_prog *xp;
	int err;

	*out = NULL;
	if (strlen(ifname) >= IF_NAMESIZE) {
		pr_err("xdp_prog: bad interface name");
		return -EINVAL;
	}
	libbpf_set_print(xdp_prog_libbpf_print);
	libxdp_set_print(xdp_prog_libxdp_print);

	xp = calloc(1, sizeof(*xp));
	if (!xp)
		return -ENOMEM;
	memcpy(xp->ifname, ifname, strlen(ifname) + 1);
	xp->ifindex = ifindex;
	xp->macs_fd = xp->vlans_fd = xp->xsks_fd = xp->stats_fd = xp->workers_fd = -1;

	xdp_prog_mount_bpffs();
	xdp_prog_remove_stale(xp);
	err = xdp_prog_attach(xp, mode);
	if (err) {
		free(xp);
		return err;
	}
	*out = xp;
	return 0;
}

/* xdp_prog_close - detach the program (unless @keep: left for the next
 * start, which replaces it), then free the skeleton and us */
void xdp_prog_close(struct xdp_prog *xp, bool keep)
{
	if (!xp)
		return;
	xdp_prog_detach(xp, !keep);
	free(xp);
}

bool xdp_prog_is_skb(const struct xdp_prog *xp)
{
	return xp->attach_mode == XDP_MODE_SKB;
}

int xdp_prog_xsks_fd(const struct xdp_prog *xp)
{
	return xp->xsks_fd;
}

int xdp_prog_set_workers(struct xdp_prog *xp, unsigned int n)
{
	uint32_t key = 0, val = n;

	if (bpf_map_update_elem(xp->workers_fd, &key, &val, BPF_ANY))
		return -errno;
	return 0;
}

static void xdp_prog_mac_key(struct pppoe_xdp_mac_key *key, const uint8_t mac[6])
{
	memset(key, 0, sizeof(*key));
	memcpy(key->mac, mac, sizeof(key->mac));
}

/* xdp_prog_add_mac - take one reference on @mac in our_macs */
int xdp_prog_add_mac(struct xdp_prog *xp, const uint8_t mac[6])
{
	struct pppoe_xdp_mac_key key;
	char macstr[LOG_MAC_LEN];
	uint32_t refs = 0;
	int err;

	xdp_prog_mac_key(&key, mac);
	if (bpf_map_lookup_elem(xp->macs_fd, &key, &refs))
		refs = 0;
	refs++;
	err = bpf_map_update_elem(xp->macs_fd, &key, &refs, BPF_ANY);
	if (err) {
		pr_err("%s: cannot add MAC %s to the XDP filter: %s", xp->ifname,
		       log_mac(macstr, mac), strerror(-err));
		return err;
	}
	return 0;
}

/* xdp_prog_del_mac - drop one reference; the last one removes the entry */
int xdp_prog_del_mac(struct xdp_prog *xp, const uint8_t mac[6])
{
	struct pppoe_xdp_mac_key key;
	char macstr[LOG_MAC_LEN];
	uint32_t refs;
	int err;

	xdp_prog_mac_key(&key, mac);
	if (bpf_map_lookup_elem(xp->macs_fd, &key, &refs))
		return 0;
	if (refs > 1) {
		refs--;
		err = bpf_map_update_elem(xp->macs_fd, &key, &refs, BPF_EXIST);
	} else {
		err = bpf_map_delete_elem(xp->macs_fd, &key);
	}
	if (err && err != -ENOENT) {
		pr_err("%s: cannot remove MAC %s from the XDP filter: %s", xp->ifname,
		       log_mac(macstr, mac), strerror(-err));
		return err;
	}
	return 0;
}

/* xdp_prog_vlan_key - @inner is PPPOE_XDP_VLAN_NONE for one tag, both are
 * for untagged frames */
static int xdp_prog_vlan_key(struct pppoe_xdp_vlan_key *key, unsigned int outer,
			     unsigned int inner)
{
	/* Untagged: both PPPOE_XDP_VLAN_NONE. */
	if (outer == PPPOE_XDP_VLAN_NONE && inner == PPPOE_XDP_VLAN_NONE)
		goto ok;
	if (outer > 4095 || (inner > 4095 && inner != PPPOE_XDP_VLAN_NONE))
		return -EINVAL;
ok:
	key->outer_vid = (uint16_t)outer;
	key->inner_vid = (uint16_t)inner;
	return 0;
}

/* xdp_prog_add_vlan - steer PPPoE on this VLAN (to our MACs) to us: one
 * reference more (several sessions share a VLAN) */
int xdp_prog_add_vlan(struct xdp_prog *xp, unsigned int outer, unsigned int inner)
{
	struct pppoe_xdp_vlan_key key;
	uint32_t refs = 0;
	int err;

	err = xdp_prog_vlan_key(&key, outer, inner);
	if (!err) {
		if (bpf_map_lookup_elem(xp->vlans_fd, &key, &refs))
			refs = 0;
		refs++;
		err = bpf_map_update_elem(xp->vlans_fd, &key, &refs, BPF_ANY);
	}
	if (err)
		pr_err("%s: cannot add VLAN %u.%u to the XDP filter: %s", xp->ifname, outer,
		       inner, strerror(-err));
	return err;
}

/* xdp_prog_del_vlan - drop one reference; the last one leaves PPPoE on
 * this VLAN to the kernel again */
int xdp_prog_del_vlan(struct xdp_prog *xp, unsigned int outer, unsigned int inner)
{
	struct pppoe_xdp_vlan_key key;
	uint32_t refs;
	int err;

	err = xdp_prog_vlan_key(&key, outer, inner);
	if (err)
		return err;
	if (bpf_map_lookup_elem(xp->vlans_fd, &key, &refs))
		return 0;
	if (refs > 1) {
		refs--;
		err = bpf_map_update_elem(xp->vlans_fd, &key, &refs, BPF_EXIST);
	} else {
		err = bpf_map_delete_elem(xp->vlans_fd, &key);
	}
	if (err == -ENOENT)
		return 0;
	if (err)
		pr_err("%s: cannot remove VLAN %u.%u from the XDP filter: %s", xp->ifname,
		       outer, inner, strerror(-err));
	return err;
}

/* xdp_prog_get_stats - sum the XDP program's per-CPU counters */
int xdp_prog_get_stats(const struct xdp_prog *xp, uint64_t *out, unsigned int n)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	uint32_t key;
	int err = 0, c;

	if (ncpu <= 0)
		return ncpu ?: -EINVAL;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	memset(out, 0, n * sizeof(*out));
	for (key = 0; key < n && key < PPPOE_XDP_STAT_MAX; key++) {
		err = bpf_map_lookup_elem(xp->stats_fd, &key, vals);
		if (err)
			break;
		for (c = 0; c < ncpu; c++)
			out[key] += vals[c];
	}
	free(vals);
	return err;
}

/* xdp_prog_ensure - is our program still attached? put it back if it was removed */
int xdp_prog_ensure(struct xdp_prog *xp)
{
	uint32_t id = 0;
	int err, fd;

	if (!xp->attached_id || bpf_xdp_query_id(xp->ifindex, xdp_prog_xdp_flags(xp), &id))
		return 0;
	if (id == xp->attached_id) {
		xp->foreign_seen = false;
		return 0;
	}
	if (id) {
		/* Not ours to remove: an administrator's choice, or a mistake. */
		if (!xp->foreign_seen)
			pr_err("%s: another XDP program (id %u) replaced ours (id %u): sessions "
			       "cannot receive; restart pppoe-xdp to take the interface back",
			       xp->ifname, id, xp->attached_id);
		xp->foreign_seen = true;
		return -EEXIST;
	}
	/* Gone (ip link set dev IF xdp off): put the same program back, with
	 * its maps and sockets; netlink needs only CAP_NET_ADMIN for that. */
	if (xp->mp && xdp_multiprog__program_count(xp->mp) > 1) {
		pr_err("%s: the XDP dispatcher was removed; restart pppoe-xdp", xp->ifname);
		return -ENOENT;
	}
	fd = xdp_program__fd(xp->prog);
	err = bpf_xdp_attach(xp->ifindex, fd,
			     (uint32_t)xdp_prog_xdp_flags(xp) | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err) {
		pr_err("%s: our XDP program was removed and cannot be attached again: %s",
		       xp->ifname, strerror(-err));
		return err;
	}
	if (bpf_xdp_query_id(xp->ifindex, xdp_prog_xdp_flags(xp), &xp->attached_id))
		xp->attached_id = 0;
	pr_warn("%s: our XDP program was removed from the interface; attached it again",
		xp->ifname);
	return 1;
}
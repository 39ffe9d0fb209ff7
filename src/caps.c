// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * caps.c - capabilities with libcap-ng.
 *
 * Setup needs much: loading the XDP program and libxdp's dispatcher
 * (CAP_SYS_ADMIN, which covers CAP_BPF and CAP_PERFMON), AF_XDP sockets
 * (CAP_NET_RAW), TUN devices and netlink (CAP_NET_ADMIN), raising
 * RLIMIT_NOFILE (CAP_SYS_RESOURCE), mounting bpffs. Once it is done the
 * daemon only sends and receives on fds it holds, creates and configures
 * TUN devices (CAP_NET_ADMIN), updates the maps of the program it loaded
 * through their fds (no capability: the kernel checks the fd's mode) and
 * runs hooks. So it keeps CAP_NET_ADMIN and CAP_NET_RAW and nothing else.
 *
 * The daemon stays uid 0: its files (config, password files, state file,
 * control socket, bpffs pins) are root's and root's owner permissions
 * still apply without CAP_DAC_OVERRIDE. An exec by uid 0 gets the whole
 * bounding set as permitted capabilities, so the bounding set is what
 * keeps a compromised daemon (or a hook) from getting the rest back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>
#include <linux/capability.h>

#include "pppoe/log.h"
#include "src/caps.h"

struct caps_need {
	unsigned int cap;
	const char *name;
	const char *what;
};

static const struct caps_need caps_needed[] = {
	{ CAP_NET_ADMIN, "CAP_NET_ADMIN", "XDP attach, TUN devices, addresses and routes" },
	{ CAP_NET_RAW, "CAP_NET_RAW", "AF_XDP sockets" },
	{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "loading the XDP program through libxdp" },
};

/* caps_missing - append ", NAME (what)" for @n if it is not effective */
static void caps_missing(const struct caps_need *n, char *buf, size_t cap, size_t *len)
{
	int w;

	if (capng_have_capability(CAPNG_EFFECTIVE, n->cap))
		return;
	w = snprintf(buf + *len, cap - *len, "%s%s (%s)", *len ? ", " : "", n->name, n->what);
	if (w > 0 && (size_t)w < cap - *len)
		*len += (size_t)w;
}

/* caps_check_start - say what setup would lack, before it starts */
int caps_check_start(bool drop_bounding)
{
	static const struct caps_need setpcap = {
		CAP_SETPCAP, "CAP_SETPCAP",
		"dropping the bounding set after setup; or set hook_capabilities = all"
	};
	char missing[512] = "";
	size_t len = 0, i;

	if (capng_get_caps_process()) {
		pr_err("cannot read this process's capabilities: %s", strerror(errno));
		return -EPERM;
	}
	for (i = 0; i < sizeof(caps_needed) / sizeof(caps_needed[0]); i++)
		caps_missing(&caps_needed[i], missing, sizeof(missing), &len);
	if (drop_bounding)
		caps_missing(&setpcap, missing, sizeof(missing), &len);
	if (!len)
		return 0;
	if (geteuid() != 0)
		pr_err("pppoe-xdp run must be started as root (running as uid %u): "
		       "it needs %s", (unsigned int)geteuid(), missing);
	else
		pr_err("pppoe-xdp run lacks capabilities it needs for setup: %s "
		       "(a container or the systemd unit's CapabilityBoundingSet= may withhold them)",
		       missing);
	return -EPERM;
}

/* caps_read - the kernel's view, from /proc/self/status */
int caps_read(uint64_t *eff, uint64_t *prm, uint64_t *bnd)
{
	char line[256];
	unsigned long long v;
	int found = 0;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "CapEff: %llx", &v) == 1) {
			*eff = v;
			found++;
		} else if (sscanf(line, "CapPrm: %llx", &v) == 1) {
			*prm = v;
			found++;
		} else if (sscanf(line, "CapBnd: %llx", &v) == 1) {
			*bnd = v;
			found++;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -EIO;
}

/* caps_drop - keep CAP_NET_ADMIN and CAP_NET_RAW, maybe the bounding set */
int caps_drop(bool drop_bounding)
{
	capng_select_t sel = drop_bounding ? CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS;
	unsigned int types = CAPNG_EFFECTIVE | CAPNG_PERMITTED;
	uint64_t eff = 0, prm = 0, bnd = 0;
	int rc;

	if (capng_get_caps_process()) {
		pr_err("cannot read this process's capabilities: %s", strerror(errno));
		return -EPERM;
	}
	/* Clearing CAPS also clears inheritable, and with it the ambient set. */
	capng_clear(sel);
	if (drop_bounding)
		types |= CAPNG_BOUNDING_SET;
	if (capng_updatev(CAPNG_ADD, (capng_type_t)types, CAP_NET_ADMIN, CAP_NET_RAW, -1)) {
		pr_err("cannot drop capabilities: libcap-ng refused the set");
		return -EPERM;
	}
	rc = capng_apply(sel);
	if (rc) {
		pr_err("cannot drop capabilities (libcap-ng error %d): %s", rc, strerror(errno));
		return -EPERM;
	}
	/* Trust, but verify: the kernel's view of what is left. */
	rc = caps_read(&eff, &prm, &bnd);
	if (rc || eff != CAPS_KEEP_MASK || prm != CAPS_KEEP_MASK ||
	    (drop_bounding && bnd != CAPS_KEEP_MASK)) {
		pr_err("capabilities not as dropped: effective %#llx permitted %#llx bounding %#llx",
		       (unsigned long long)eff, (unsigned long long)prm, (unsigned long long)bnd);
		return -EPERM;
	}
	if (drop_bounding)
		pr_info("capabilities: kept CAP_NET_ADMIN and CAP_NET_RAW only, bounding set "
			"included (hooks get no more)");
	else
		pr_info("capabilities: kept CAP_NET_ADMIN and CAP_NET_RAW only; bounding set left "
			"as is (hook_capabilities = all: hooks run with full root capabilities)");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* statefile.c - the open sessions on disk: atomic writes, distrustful reads */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "src/statefile.h"

_Static_assert(offsetof(struct statefile_sess, vlan_ntags) == STATEFILE_V2_REC_SIZE,
	       "version 3 only appends to version 2's record");

/* An older daemon's record: a session to end with PADT, nothing more. */
struct statefile_v1 {
	uint32_t magic;
	uint16_t session_id;
	uint8_t our_mac[6];
	uint8_t ac_mac[6];
	uint8_t pad[2];
};

uint64_t statefile_realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t statefile_csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static bool statefile_mac_ok(const uint8_t *mac)
{
	static const uint8_t zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

static bool statefile_str_ok(const char *s, size_t size, bool empty_ok)
{
	const char *end = memchr(s, '\0', size);

	return end && (empty_ok || end != s);
}

/* statefile_vlan_ok - tags a session could have: IDs 1..4094, unused ones 0 */
static bool statefile_vlan_ok(const struct statefile_sess *r)
{
	unsigned int i;

	if (r->vlan_ntags > 2)
		return false;
	for (i = 0; i < 2; i++)
		if (i < r->vlan_ntags ? !r->vlan_vid[i] || r->vlan_vid[i] > 4094 : r->vlan_vid[i])
			return false;
	if (r->vlan_ntags == 2)
		return r->vlan_tpid == 0x8100 || r->vlan_tpid == 0x88a8;
	return !r->vlan_tpid;
}

bool statefile_check_rec(const struct statefile_sess *r)
{
	if (!statefile_vlan_ok(r))
		return false;
	if (!r->session_id || r->session_id == 0xffff || !statefile_mac_ok(r->our_mac) ||
	    !statefile_mac_ok(r->ac_mac) || !statefile_str_ok(r->ac_name, sizeof(r->ac_name), true))
		return false;
	/* A legacy record has no name: PADT only, never resumed. */
	if (!statefile_str_ok(r->name, sizeof(r->name), true) ||
	    !statefile_str_ok(r->ifname, sizeof(r->ifname), true))
		return false;
	if (!(r->flags & STATEFILE_F_UP))
		return true;
	if (r->auth_proto && r->auth_proto != 0xc023 && r->auth_proto != 0xc223)
		return false; /* neither PAP nor CHAP */
	return r->name[0] && r->ifname[0] && r->local && r->peer && r->tun_ifindex > 0 &&
	       r->mru >= 128 && r->peer_mru >= 128 && r->mtu >= 128 && !(r->flags & ~STATEFILE_F_UP);
}

/* statefile_open_safe - open @path for reading only if it can be ours */
static int statefile_open_safe(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		if (errno == ELOOP)
			pr_warn("state file %s is a symbolic link: ignored", path);
		else
			pr_warn("state file %s: %s: ignored", path, strerror(errno));
		return errno == ELOOP ? -ELOOP : -errno;
	}
	if (fstat(fd, st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		pr_warn("state file %s is not a regular file: ignored", path);
	} else if (st->st_uid != geteuid()) {
		pr_warn("state file %s belongs to uid %u, not us: ignored", path,
			(unsigned int)st->st_uid);
	} else if ((st->st_mode & 07777) != 0600) {
		pr_warn("state file %s has mode %04o, not 0600: ignored", path,
			(unsigned int)(st->st_mode & 07777));
	} else if (st->st_nlink != 1) {
		pr_warn("state file %s has %u links, not 1: ignored", path,
			(unsigned int)st->st_nlink);
	} else {
		return fd;
	}
	close(fd);
	return -EPERM;
}

static int statefile_read_all(int fd, void *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = pread(fd, (char *)buf + off, len - off, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

/* statefile_parse_v1 - an older daemon's records: sessions to end with PADT */
static int statefile_parse_v1(const uint8_t *buf, size_t len, struct statefile *st)
{
	size_t i, n = len / sizeof(struct statefile_v1);
	struct statefile_v1 v;

	st->recs = calloc(n ? n : 1, sizeof(*st->recs));
	if (!st->recs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct statefile_sess *r = &st->recs[st->n];

		memcpy(&v, buf + i * sizeof(v), sizeof(v));
		if (v.magic != STATEFILE_V1_MAGIC)
			continue; /* a cleared slot */
		r->session_id = v.session_id;
		memcpy(r->our_mac, v.our_mac, 6);
		memcpy(r->ac_mac, v.ac_mac, 6);
		if (statefile_check_rec(r))
			st->n++;
		else
			st->bad++;
	}
	st->legacy = true;
	return 0;
}

static int statefile_parse(const char *path, const uint8_t *buf, size_t len, struct statefile *st)
{
	struct statefile_hdr h;
	size_t i;

	if (len >= sizeof(uint32_t) && len % sizeof(struct statefile_v1) == 0 &&
	    memcmp(buf, STATEFILE_MAGIC, sizeof(h.magic)) != 0) {
		uint32_t m;

		memcpy(&m, buf, sizeof(m));
		if (m == STATEFILE_V1_MAGIC || m == 0)
			return statefile_parse_v1(buf, len, st);
	}
	if (len < sizeof(h)) {
		pr_warn("state file %s: %zu bytes, too short for a header: ignored", path, len);
		return -EBADMSG;
	}
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, STATEFILE_MAGIC, sizeof(h.magic)) != 0) {
		pr_warn("state file %s: not a pppoe-xdp state file: ignored", path);
		return -EBADMSG;
	}
	/* Version 2 records are version 3's without the VLAN at the end. */
	if (!(h.version == STATEFILE_VERSION && h.rec_size == sizeof(struct statefile_sess)) &&
	    !(h.version == 2 && h.rec_size == STATEFILE_V2_REC_SIZE)) {
		pr_warn("state file %s: version %u with %u-byte records, this daemon reads version %u "
			"with %zu: ignored", path, h.version, h.rec_size, STATEFILE_VERSION,
			sizeof(struct statefile_sess));
		return -EBADMSG;
	}
	if (h.count > STATEFILE_MAX_RECS || len != sizeof(h) + (size_t)h.count * h.rec_size) {
		pr_warn("state file %s: %u records do not fit its %zu bytes: ignored", path, h.count,
			len);
		return -EBADMSG;
	}
	if (statefile_csum(buf + sizeof(h), len - sizeof(h)) != h.csum) {
		pr_warn("state file %s: checksum mismatch (corrupt): ignored", path);
		return -EBADMSG;
	}
	st->recs = calloc(h.count ? h.count : 1, sizeof(*st->recs));
	if (!st->recs)
		return -ENOMEM;
	for (i = 0; i < h.count; i++) {
		struct statefile_sess *r = &st->recs[st->n];

		memcpy(r, buf + sizeof(h) + i * (size_t)h.rec_size, h.rec_size);
		if (statefile_check_rec(r))
			st->n++;
		else
			st->bad++;
	}
	st->if_index = h.if_index;
	st->written_ms = h.written_ms;
	return 0;
}

int statefile_load(const char *path, struct statefile *st)
{
	struct stat sb;
	uint8_t *buf;
	size_t len;
	int fd, ret;

	memset(st, 0, sizeof(*st));
	fd = statefile_open_safe(path, &sb);
	if (fd < 0)
		return fd;
	if (sb.st_size > (off_t)(sizeof(struct statefile_hdr) +
				 (size_t)STATEFILE_MAX_RECS * sizeof(struct statefile_sess))) {
		pr_warn("state file %s: %lld bytes, more than any state: ignored", path,
			(long long)sb.st_size);
		close(fd);
		return -EFBIG;
	}
	len = (size_t)sb.st_size;
	buf = malloc(len ? len : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	ret = statefile_read_all(fd, buf, len);
	close(fd);
	if (!ret && len)
		ret = statefile_parse(path, buf, len, st);
	free(buf);
	if (ret)
		statefile_free(st);
	else if (st->bad)
		pr_warn("state file %s: %u invalid record(s) ignored", path, st->bad);
	return ret;
}

void statefile_free(struct statefile *st)
{
	free(st->recs);
	memset(st, 0, sizeof(*st));
}

static int statefile_mkdir(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int statefile_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int statefile_save(const char *path, const struct statefile_sess *recs, size_t n,
		   uint32_t if_index)
{
	struct statefile_hdr h = { .version = STATEFILE_VERSION };
	char tmp[4200];
	int fd, ret;

	if (n > STATEFILE_MAX_RECS)
		return -E2BIG;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	ret = statefile_mkdir(path);
	if (ret)
		return ret;
	memcpy(h.magic, STATEFILE_MAGIC, sizeof(h.magic));
	h.rec_size = sizeof(*recs);
	h.count = (uint32_t)n;
	h.if_index = if_index;
	h.written_ms = statefile_realtime_ms();
	h.csum = statefile_csum(recs, n * sizeof(*recs));
	/* Whatever is at the temporary name (a symlink, say) is not followed. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	ret = statefile_write_all(fd, &h, sizeof(h));
	if (!ret)
		ret = statefile_write_all(fd, recs, n * sizeof(*recs));
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	close(fd);
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

void statefile_remove(const char *path)
{
	char tmp[4200];

	unlink(path);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) < sizeof(tmp))
		unlink(tmp);
}

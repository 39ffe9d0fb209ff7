// SPDX-License-Identifier: GPL-2.0-or-later
/* statefile.c - crash recovery records of open PPPoE sessions */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "src/statefile.h"

int statefile_open(const char *path)
{
	char dir[4096];
	char *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			pr_warn("state file directory %s: %s", dir, strerror(errno));
			return -errno;
		}
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		pr_warn("state file %s: %s (no PADT after a crash)", path, strerror(errno));
		return -errno;
	}
	return fd;
}

int statefile_recover(int fd, statefile_fn fn, void *ctx, unsigned int *left)
{
	static const struct statefile_rec none;
	struct statefile_rec rec;
	off_t off = 0;
	int n = 0;

	*left = 0;
	while (pread(fd, &rec, sizeof(rec), off) == (ssize_t)sizeof(rec)) {
		off += (off_t)sizeof(rec);
		if (rec.magic != STATEFILE_MAGIC || !rec.session_id)
			continue;
		if (fn(ctx, &rec)) {
			(*left)++;
			continue;
		}
		n++;
		/* Done with: a second crash before the end must not send it twice. */
		if (pwrite(fd, &none, sizeof(none), off - (off_t)sizeof(rec)) != (ssize_t)sizeof(none))
			return -errno;
	}
	if (!*left && ftruncate(fd, 0) < 0)
		return -errno;
	return n;
}

static void statefile_write(int fd, size_t slot, const struct statefile_rec *rec)
{
	if (fd < 0)
		return;
	if (pwrite(fd, rec, sizeof(*rec), (off_t)(slot * sizeof(*rec))) != (ssize_t)sizeof(*rec))
		pr_debug("state file write failed: %s", strerror(errno));
}

void statefile_put(int fd, size_t slot, const uint8_t *our_mac, const uint8_t *ac_mac,
		   uint16_t session_id)
{
	struct statefile_rec rec = { .magic = STATEFILE_MAGIC, .session_id = session_id };

	memcpy(rec.our_mac, our_mac, 6);
	memcpy(rec.ac_mac, ac_mac, 6);
	statefile_write(fd, slot, &rec);
}

void statefile_clear(int fd, size_t slot)
{
	struct statefile_rec rec = { 0 };

	statefile_write(fd, slot, &rec);
}

void statefile_remove(int fd, const char *path)
{
	if (fd < 0)
		return;
	close(fd);
	unlink(path);
}

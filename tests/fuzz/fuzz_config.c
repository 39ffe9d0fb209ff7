// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_config.c - libFuzzer target for the config parser.
 *
 * The input is a config file. It is written to an anonymous memfd and
 * loaded through /proc/self/fd, the path conf_load() reads and reports.
 * conf_load() must return 0 or a negative errno, never crash, leak or
 * read out of bounds; a config it accepts must have at least one session,
 * an interface, and sessions whose names and ifnames are unique.
 * Config errors go to stderr: run with -close_fd_mask=2 to hide them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	const char **names;
	struct conf c;
	size_t i;
	int fd, ret, k;

	fd = memfd_create("fuzz.conf", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	/* memfds are 0777: the mode checks would refuse every input. */
	if (fchmod(fd, 0600)) {
		close(fd);
		return 0;
	}
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ret = conf_load(path, &c, false);
	close(fd);
	if (ret > 0)
		abort();
	if (ret)
		return 0;
	if (!c.nsessions || !c.interface[0])
		abort();
	/* Names and ifnames unique: sorted, in n log n (count may be 65535). */
	names = calloc(c.nsessions, sizeof(*names));
	if (!names) {
		conf_free(&c);
		return 0;
	}
	for (k = 0; k < 2; k++) {
		for (i = 0; i < c.nsessions; i++)
			names[i] = k ? c.sessions[i].s.ifname : c.sessions[i].s.name;
		qsort(names, c.nsessions, sizeof(*names), fuzz_strcmp);
		for (i = 1; i < c.nsessions; i++)
			if (!strcmp(names[i - 1], names[i]))
				abort();
	}
	free(names);
	conf_free(&c);
	return 0;
}

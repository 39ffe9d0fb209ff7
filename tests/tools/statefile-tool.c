// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * statefile-tool - the daemon's state file for shell tests, through the
 * daemon's own code (src/statefile.c):
 *   statefile-tool write PATH N AC_MAC   N sessions left open by a "killed
 *                                        run" (PADT only, our MACs
 *                                        02:50:58:00:HI:LO, ids 1..N)
 *   statefile-tool count PATH            "RECORDS UP": records, resumable ones
 * Exit 0, or 1 with the reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/statefile.h"
#include "tests/tools/tool_util.h"

int main(int argc, char **argv)
{
	struct statefile st;
	size_t i, up = 0;
	int ret;

	if (argc == 5 && !strcmp(argv[1], "write")) {
		long n = strtol(argv[3], NULL, 10);
		struct statefile_sess *recs;
		uint8_t ac[6];

		if (n < 1 || n > 65535 || tool_parse_mac(argv[4], ac, NULL)) {
			fprintf(stderr, "statefile-tool: bad count or MAC\n");
			return 1;
		}
		recs = calloc((size_t)n, sizeof(*recs));
		if (!recs)
			return 1;
		for (i = 0; i < (size_t)n; i++) {
			uint8_t our[6] = { 0x02, 0x50, 0x58, 0x00, (uint8_t)(i >> 8), (uint8_t)i };

			memcpy(recs[i].our_mac, our, 6);
			memcpy(recs[i].ac_mac, ac, 6);
			recs[i].session_id = (uint16_t)(i + 1);
		}
		ret = statefile_save(argv[2], recs, (size_t)n, 0);
		free(recs);
		if (ret) {
			fprintf(stderr, "statefile-tool: %s: %s\n", argv[2], strerror(-ret));
			return 1;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "count")) {
		ret = statefile_load(argv[2], &st);
		if (ret) {
			fprintf(stderr, "statefile-tool: %s: %s\n", argv[2], strerror(-ret));
			return 1;
		}
		for (i = 0; i < st.n; i++)
			up += (st.recs[i].flags & STATEFILE_F_UP) != 0;
		printf("%zu %zu\n", st.n, up);
		statefile_free(&st);
		return 0;
	}
	fprintf(stderr, "usage: statefile-tool write PATH N AC_MAC | count PATH\n");
	return 1;
}

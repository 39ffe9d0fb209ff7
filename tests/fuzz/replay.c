// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay.c - run a libFuzzer target over every file of a corpus directory
 * without libFuzzer, so `make check` (gcc, optionally ASan/UBSan) replays
 * the seed corpora and any crash found earlier stays fixed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	uint8_t *buf;
	long len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	/* An exact-size heap copy lets ASan catch reads past the input. */
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	struct dirent *de;
	int n = 0, i;
	DIR *dir;

	for (i = 1; i < argc; i++) {
		dir = opendir(argv[i]);
		if (!dir) {
			perror(argv[i]);
			return 1;
		}
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path))
				return 1;
			n++;
		}
		closedir(dir);
	}
	printf("replay %s: %d inputs, 0 crashes\n", argc > 1 ? argv[1] : "-", n);
	return n ? 0 : 1;
}

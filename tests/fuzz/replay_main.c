// SPDX-License-Identifier: GPL-2.0
/*
 * Without libFuzzer: feed every file named on the command line to
 * LLVMFuzzerTestOneInput once; a directory is walked recursively (dot files
 * and dot directories skipped), so scenarios/ and its sub-folders replay as
 * one argument. A crash or a sanitizer report fails the test; so does an
 * argument that holds no input at all (a seed directory gone missing).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	long len;
	uint8_t *buf;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

/* Replay @path, a file or a directory tree; counts inputs in *@n. */
static int replay_path(const char *path, int depth, int *n)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int bad = 0;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		(*n)++;
		return replay_file(path) != 0;
	}
	if (depth > 16) {
		fprintf(stderr, "replay: %s: directories nest too deep\n", path);
		return 1;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: cannot open directory %s\n", path);
		return 1;
	}
	while ((e = readdir(d))) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (stat(sub, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
			bad |= replay_path(sub, depth + 1, n);
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int total = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		int n = 0;

		bad |= replay_path(argv[i], 0, &n);
		if (n == 0) {
			fprintf(stderr, "replay: no inputs in %s\n", argv[i]);
			bad = 1;
		}
		total += n;
	}
	printf("replayed %d inputs\n", total);
	if (total == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		return 1;
	}
	return bad;
}

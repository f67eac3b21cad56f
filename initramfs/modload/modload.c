// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr-modload: the guest's module loader for modular kernels. The agent
 * runs it before it looks for its virtio ports. It reads the list the host
 * wrote (module paths relative to /lib/modules/$(uname -r), dependencies
 * first) and inserts each with libkmod. Dynamically linked (Debian ships no
 * static libkmod): the host packs it with its libraries.
 *
 * usage: ktstr-modload [LIST]    (default /ktstr/modules.load)
 * Exit 0 when every module is loaded (or was already), 1 otherwise.
 */
#include <errno.h>
#include <libkmod.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#define DEFAULT_LIST "/ktstr/modules.load"

int main(int argc, char **argv)
{
	const char *list = argc > 1 ? argv[1] : DEFAULT_LIST;
	char dir[PATH_MAX], line[PATH_MAX], path[2 * PATH_MAX];
	struct kmod_ctx *ctx;
	struct utsname u;
	unsigned ok = 0, bad = 0;
	FILE *f;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))) {
		fprintf(stderr, "usage: ktstr-modload [LIST]\n");
		return argc > 2 ? 2 : 0;
	}
	if (uname(&u)) {
		perror("ktstr-modload: uname");
		return 1;
	}
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	f = fopen(list, "re");
	if (!f) {
		fprintf(stderr, "ktstr-modload: %s: %s\n", list, strerror(errno));
		return 1;
	}
	ctx = kmod_new(dir, NULL);
	if (!ctx) {
		fprintf(stderr, "ktstr-modload: libkmod could not start\n");
		fclose(f);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct kmod_module *m = NULL;
		int ret;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		ret = kmod_module_new_from_path(ctx, path, &m);
		if (!ret)
			ret = kmod_module_insert_module(m, 0, NULL);
		if (ret && ret != -EEXIST) {
			fprintf(stderr, "ktstr-modload: %s: %s\n", path, strerror(-ret));
			bad++;
		} else {
			ok++;
		}
		if (m)
			kmod_module_unref(m);
	}
	fclose(f);
	kmod_unref(ctx);
	fprintf(stderr, "ktstr-modload: %u module%s loaded%s\n", ok, ok == 1 ? "" : "s",
		bad ? ", some failed" : "");
	return bad ? 1 : 0;
}

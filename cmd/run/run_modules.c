// SPDX-License-Identifier: GPL-2.0
/* A modular kernel's modules and their loader, for the run's initramfs overlay. */
#include "run_modules.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int run_modules__prepare(const struct run_opts *o, struct kmods *km, char *loader, size_t len,
			 char *err, size_t errlen)
{
	char dir[PATH_MAX], release[256];
	const char *slash;
	int ret;

	memset(km, 0, sizeof(*km));
	ret = kmods__find_dir(o->kernel, o->modules_dir, dir, sizeof(dir), release,
			      sizeof(release), err, errlen);
	if (ret <= 0)
		return ret;
	ret = kmods__collect(dir, release, kmods__guest_needs, kmods__nguest_needs, km, err,
			     errlen);
	if (ret)
		return ret;
	if (!km->nload)
		return 0;			/* everything the guest needs is built in */
	/* The loader is installed (and built) next to the agent. */
	slash = strrchr(o->agent, '/');
	if ((size_t)snprintf(loader, len, "%.*s/ktstr-modload",
			     slash ? (int)(slash - o->agent) : 1, slash ? o->agent : ".") >= len ||
	    access(loader, X_OK)) {
		snprintf(err, errlen, "kernel %s needs modules (%s), but the module loader %s is "
			 "missing; reinstall ktstr", o->kernel, dir, loader);
		kmods__free(km);
		return -ENOENT;
	}
	if (o->verbose) {
		fprintf(stderr, "ktstr: modules from %s:", dir);
		for (size_t i = 0; i < km->nload; i++)
			fprintf(stderr, " %s", km->load[i]);
		fputc('\n', stderr);
	}
	return 1;
}

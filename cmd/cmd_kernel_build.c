// SPDX-License-Identifier: GPL-2.0
/* ktstr kernel build: build (or find cached) a sched_ext-enabled kernel. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "cmd_kernel.h"
#include "kernel/kernel_build.h"
#include "kernel/kernel_recipe.h"
#include "base/kproc.h"

/* --config and every --fragment into @rc, before anything is built: 0 or EXIT_USAGE. */
static int load_recipe(struct krecipe *rc, const char *base, char **frags, size_t nfrags)
{
	enum kconfig_base b = KCONFIG_LEAN;
	char err[512];

	if (base && kconfig_base__parse(base, &b)) {
		fprintf(stderr, "ktstr kernel build: --config %s: no such base; it is lean "
				"(the default: allnoconfig + ktstr's fragment) or full (defconfig + "
				"kvm_guest.config + ktstr's fragment: drivers, file systems, "
				"networking)\n", base);
		return EXIT_USAGE;
	}
	kernel_recipe__init(rc, b);
	for (size_t i = 0; i < nfrags; i++) {
		if (kernel_recipe__add_file(rc, frags[i], err, sizeof(err))) {
			fprintf(stderr, "ktstr kernel build: --fragment %s\n", err);
			kernel_recipe__free(rc);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int cmd_kernel_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "tarball", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'C' },
		{ "fragment", required_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' },
		{ "clean", no_argument, NULL, 'c' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct kbuild_opts o = { .log = stderr, .tty = isatty(STDERR_FILENO) };
	struct kbuild_result r;
	struct krecipe recipe;
	char *frags[KRECIPE_USER_MAX];
	const char *base = NULL;
	size_t nfrags = 0;
	long jobs;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":j:", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.source_dir = optarg;
			break;
		case 't':
			o.tarball = optarg;
			break;
		case 'C':
			base = optarg;
			break;
		case 'F':
			if (nfrags == KRECIPE_USER_MAX) {
				fprintf(stderr, "ktstr kernel build: --fragment %s: at most %d "
						"--fragment files; merge some into one\n", optarg,
					KRECIPE_USER_MAX);
				return EXIT_USAGE;
			}
			frags[nfrags++] = optarg;
			break;
		case 'f':
			o.force = true;
			break;
		case 'c':
			o.clean = true;
			break;
		case 'j':
			if (cli__parse_uint("-j", optarg, 1, 4096, &jobs))
				return EXIT_USAGE;
			o.jobs = (unsigned)jobs;
			break;
		default:
			return cli__bad_option("kernel build", c, argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ktstr kernel build: unexpected argument '%s'; the source is "
				"--source DIR or --tarball FILE\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (o.source_dir && o.tarball) {
		fprintf(stderr, "ktstr kernel build: --source and --tarball exclude each other\n");
		return EXIT_USAGE;
	}
	if (o.clean && !o.source_dir) {
		fprintf(stderr, "ktstr kernel build: --clean applies to --source trees only; a "
				"tarball is always built from a fresh extraction\n");
		return EXIT_USAGE;
	}

	if (load_recipe(&recipe, base, frags, nfrags))
		return EXIT_USAGE;
	o.recipe = &recipe;

	if (kproc__signals_catch()) {
		fprintf(stderr, "ktstr kernel build: cannot install signal handlers: %s\n",
			strerror(errno));
		kernel_recipe__free(&recipe);
		return EXIT_USAGE;
	}
	err = kernel_build__run(&o, &r);
	kproc__signals_restore();
	kernel_recipe__free(&recipe);
	fflush(stderr);
	if (err == -EINTR) {
		fprintf(stderr, "ktstr kernel build: stopped by SIG%s; nothing was cached\n",
			sigabbrev_np(r.signo) ? sigabbrev_np(r.signo) : "?");
		return 128 + r.signo;
	}
	if (err == -EIO) {
		fprintf(stderr, "ktstr kernel build: failed; nothing was cached\n");
		return EXIT_FAILED;
	}
	if (err)
		return EXIT_USAGE;
	if (r.hit)
		printf("kernel %s is cached (built %s); --force rebuilds\n", r.key, r.built_at);
	else if (r.cached)
		printf("kernel %s built in %u:%02u: %s\n", r.key, r.secs / 60, r.secs % 60,
		       r.image);
	else
		printf("kernel built in place in %u:%02u, not cached: %s\n", r.secs / 60,
		       r.secs % 60, r.image);
	return EXIT_OK;
}

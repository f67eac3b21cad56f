// SPDX-License-Identifier: GPL-2.0
/* ktstr kernel build|list|clean|path: the kernels ktstr boots. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "run/initrd_base.h"
#include "cmd.h"
#include "cmd_kernel.h"
#include "base/diag.h"
#include "base/fsutil.h"
#include "base/json_out.h"
#include "kernel/kernel_cache.h"
#include "kernel/kernel_find.h"
#include "kernel/kernel_recipe.h"

const char cmd_kernel_usage[] =
	"usage: ktstr kernel build [--source DIR | --tarball FILE] [--config lean|full]\n"
	"                          [--fragment FILE]... [--force] [--clean] [-j N]\n"
	"       ktstr kernel list [--json]\n"
	"       ktstr kernel clean [--keep N] [--force]\n"
	"       ktstr kernel path [--kernel K]\n"
	"\n"
	"Build, cache and find the sched_ext-enabled kernels that ktstr boots. All of it\n"
	"works offline: the source is Debian's linux-source package, a tarball or a tree.\n"
	"\n"
	"ktstr kernel build\n"
	"  Build a kernel and store it in the cache. With no option the source is the\n"
	"  newest /usr/src/linux-source-*.tar.xz (sudo apt-get install linux-source-6.12)\n"
	"  and the configuration is lean. A kernel that is already cached is not built\n"
	"  again.\n"
	"  --source DIR      build the kernel tree DIR in place; it is cached only when DIR\n"
	"                    is a git tree without uncommitted changes. A .config that has\n"
	"                    every option of the fragments is kept\n"
	"  --tarball FILE    build from a kernel source tarball\n"
	"  --config BASE     lean (default): allnoconfig + ktstr's fragment: what a\n"
	"                    scheduler test needs and no drivers, file systems or network;\n"
	"                    full: defconfig + kvm_guest.config + ktstr's fragment\n"
	"  --fragment FILE   a Kconfig fragment of yours (CONFIG_X=value and # CONFIG_X is\n"
	"                    not set lines), merged after ktstr's on either base; repeat\n"
	"                    for more (at most 8, merged in order). Every option of every\n"
	"                    fragment must survive make olddefconfig\n"
	"  --force           build even when the kernel is cached\n"
	"  --clean           run make mrproper first (--source only)\n"
	"  -j, --jobs N      parallel make jobs (default: every online CPU)\n"
	"  The cache key ends in kc + the CRC32 of the recipe (base, ktstr's fragment,\n"
	"  yours), so lean, full and full with a fragment are different kernels.\n"
	"\n"
	"ktstr kernel list\n"
	"  Every cached kernel: key, version, config (lean, full, full+1 fragment), age\n"
	"  and size, flagged (stale fragment) when built with another ktstr config\n"
	"  fragment and (corrupt: ...) when the entry is broken.\n"
	"  --json            one JSON object per kernel per line\n"
	"\n"
	"ktstr kernel clean\n"
	"  Remove cached kernels, builds left unfinished by killed processes, the\n"
	"  logs of failed builds, and all but the last used guest base archive\n"
	"  (<cache>/initramfs; rebuilt in about a second when needed).\n"
	"  --keep N          keep the N newest kernels built with this ktstr's config\n"
	"                    fragment; stale and corrupt entries are removed\n"
	"  --force           do not ask; required when standard input is not a terminal\n"
	"\n"
	"ktstr kernel path\n"
	"  Print the kernel image a command that boots a VM would use: --kernel, else\n"
	"  $KTSTR_KERNEL, else the newest cached kernel built with this ktstr's config\n"
	"  fragment (whatever its config), else /boot/vmlinuz-$(uname -r).\n"
	"  --kernel K        an image file, a kernel build tree, a cache key (picks that\n"
	"                    one, e.g. the full kernel when a lean one is newer), or a\n"
	"                    version such as 6.12 (the newest cached kernel of that version)\n"
	"\n"
	"The cache is $KTSTR_CACHE_DIR, else $XDG_CACHE_HOME/ktstr, else ~/.cache/ktstr.\n"
	"\n"
	"Exit status: 0 done, 1 the build failed, 2 usage or setup error (no source, no\n"
	"kernel found, a bad --config or --fragment), 130 or 143 stopped by SIGINT or\n"
	"SIGTERM.\n";

void cmd_kernel__size(uint64_t bytes, char *buf, size_t cap)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	unsigned u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		fsutil__fmt(buf, cap, "%" PRIu64 " B", bytes);
	else
		fsutil__fmt(buf, cap, "%.1f %s", v, units[u]);
}

static void fmt_age(time_t when, char *buf, size_t cap)
{
	long s = (long)(time(NULL) - when);

	if (s < 0)
		s = 0;
	if (s < 120)
		fsutil__fmt(buf, cap, "%lds", s);
	else if (s < 7200)
		fsutil__fmt(buf, cap, "%ldm", s / 60);
	else if (s < 3 * 86400)
		fsutil__fmt(buf, cap, "%ldh", s / 3600);
	else
		fsutil__fmt(buf, cap, "%ldd", s / 86400);
}

static void say_building(void *arg, const char *name)
{
	(void)arg;
	fprintf(stderr, "building now: %s (another ktstr holds its lock)\n", name);
}

static int get_root(const char *cmd, char *root, size_t cap)
{
	int err = kernel_cache__root(root, cap);
	char why[256];

	if (err) {
		kernel_cache__root_why(err, cap, why, sizeof(why));
		fprintf(stderr, "ktstr kernel %s: %s\n", cmd, why);
		return err;
	}
	return 0;
}

static const char *entry_version(const struct kcache_entry *e, char *buf, size_t cap)
{
	struct kcache_key k;

	if (e->status == KMETA_OK)
		return e->meta.version;
	if (!kernel_cache__key_parse(e->key, &k)) {
		fsutil__fmt(buf, cap, "%s", k.version);
		return buf;
	}
	return "?";
}

/* "lean", "full+1 fragment"; "?" when the entry is corrupt. */
static const char *entry_config(const struct kcache_entry *e, char *buf, size_t cap)
{
	if (e->status != KMETA_OK)
		return "?";
	kernel_recipe__label(e->meta.config, e->meta.nfrags, buf, cap);
	return buf;
}

static void list_json_recipe(struct json_out *j, const struct kcache_entry *e)
{
	char h[9];

	json_out__key(j, "config");
	json_out__string(j, e->status == KMETA_OK ? kconfig_base__name(e->meta.config) : NULL);
	json_out__key(j, "fragments");
	if (e->status != KMETA_OK) {
		json_out__null(j);
		return;
	}
	json_out__array_begin(j);
	for (size_t i = 0; i < e->meta.nfrags; i++) {
		json_out__object_begin(j);
		json_out__key(j, "path");
		json_out__string(j, e->meta.frags[i].path);
		json_out__key(j, "crc32");
		fsutil__fmt(h, sizeof(h), "%08" PRIx32, e->meta.frags[i].crc);
		json_out__string(j, h);
		json_out__object_end(j);
	}
	json_out__array_end(j);
}

static void list_json(const struct kcache_entry *e)
{
	struct json_out j;
	char vbuf[KCACHE_VERSION_MAX];

	json_out__init(&j, stdout);
	json_out__object_begin(&j);
	json_out__key(&j, "key");
	json_out__string(&j, e->key);
	json_out__key(&j, "path");
	json_out__string(&j, e->path);
	json_out__key(&j, "version");
	json_out__string(&j, entry_version(e, vbuf, sizeof(vbuf)));
	list_json_recipe(&j, e);
	json_out__key(&j, "built_at");
	json_out__string(&j, e->status == KMETA_OK ? e->meta.built_at : NULL);
	json_out__key(&j, "age_seconds");
	json_out__i64(&j, (int64_t)(time(NULL) - e->when));
	json_out__key(&j, "size");
	json_out__u64(&j, e->size);
	if (e->status == KMETA_OK) {
		json_out__key(&j, "source");
		json_out__object_begin(&j);
		json_out__key(&j, "kind");
		json_out__string(&j, ksrc_kind__name(e->meta.kind));
		json_out__key(&j, "path");
		json_out__string(&j, e->meta.source_path);
		json_out__key(&j, "id");
		json_out__string(&j, e->meta.source_id);
		json_out__object_end(&j);
	}
	json_out__key(&j, "stale");
	json_out__bool(&j, e->stale);
	json_out__key(&j, "corrupt");
	if (e->status == KMETA_OK) {
		json_out__null(&j);
	} else {
		json_out__object_begin(&j);
		json_out__key(&j, "kind");
		json_out__string(&j, kmeta_status__name(e->status));
		json_out__key(&j, "message");
		json_out__string(&j, e->why);
		json_out__object_end(&j);
	}
	json_out__object_end(&j);
	json_out__newline(&j);
}

static int kernel_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	char root[PATH_MAX];
	struct kcache_list l;
	bool json = false;
	int c, err, w = 0, cw = 4, building;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c != 'J')
			return cli__bad_option("kernel list", c, argv);
		json = true;
	}
	if (optind < argc) {
		fprintf(stderr, "ktstr kernel list: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (get_root("list", root, sizeof(root)))
		return EXIT_USAGE;
	err = kernel_cache__list(root, &l);
	if (err) {
		fprintf(stderr, "ktstr kernel list: cannot read %s/kernels: %s\n", root,
			strerror(-err));
		return EXIT_USAGE;
	}
	building = json ? 0 : kernel_cache__building(root, say_building, NULL);
	if (!l.n && !json && building > 0)
		fprintf(stderr, "no kernels cached in %s/kernels yet: the build%s above %s not "
			"finished\n", root, building == 1 ? "" : "s", building == 1 ? "has" : "have");
	else if (!l.n && !json)
		fprintf(stderr, "no kernels cached in %s/kernels; `ktstr kernel build` builds one\n",
			root);
	for (size_t i = 0; i < l.n; i++) {
		char cbuf[KRECIPE_LABEL_MAX];

		if ((int)strlen(l.items[i].key) > w)
			w = (int)strlen(l.items[i].key);
		if ((int)strlen(entry_config(&l.items[i], cbuf, sizeof(cbuf))) > cw)
			cw = (int)strlen(cbuf);
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct kcache_entry *e = &l.items[i];
		char vbuf[KCACHE_VERSION_MAX], cbuf[KRECIPE_LABEL_MAX], age[16], size[32];

		if (json) {
			list_json(e);
			continue;
		}
		fmt_age(e->when, age, sizeof(age));
		cmd_kernel__size(e->size, size, sizeof(size));
		printf("%-*s  %-12s %-*s %5s %10s", w, e->key, entry_version(e, vbuf, sizeof(vbuf)),
		       cw, entry_config(e, cbuf, sizeof(cbuf)), age, size);
		if (e->stale)
			printf("  (stale fragment)");
		if (e->status != KMETA_OK)
			printf("  (corrupt: %s)", e->why);
		putchar('\n');
	}
	kcache_list__free(&l);
	return EXIT_OK;
}

static bool confirm(const char *question)
{
	char line[16];

	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* Remove <root>/logs/failed-*.log; returns how many. */
static unsigned remove_failed_logs(const char *root)
{
	char dir[PATH_MAX + 8];

	fsutil__fmt(dir, sizeof(dir), "%s/logs", root);
	return access(dir, F_OK) ? 0 : !fsutil__rm_rf(dir);
}

/* Old guest base archives: derived data, so no question asked. */
static void prune_bases(const char *root)
{
	uint64_t freed;
	char size[32];
	unsigned n = initrd_base__prune(root, 1, &freed);

	if (n) {
		cmd_kernel__size(freed, size, sizeof(size));
		printf("removed %u old initramfs base archive%s (%s)\n", n, n == 1 ? "" : "s",
		       size);
	}
}

static int kernel_clean(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keep", required_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	char root[PATH_MAX], size[32], question[PATH_MAX + 128];
	struct kcache_list l;
	uint64_t total = 0, freed = 0;
	unsigned stale_tmp = 0, removed = 0;
	size_t ndrop = 0;
	bool force = false, *drop = NULL;
	long keep = 0;
	int c, err, rc = EXIT_OK;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (cli__parse_uint("--keep", optarg, 0, 1000000, &keep))
				return EXIT_USAGE;
			break;
		case 'f':
			force = true;
			break;
		default:
			return cli__bad_option("kernel clean", c, argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ktstr kernel clean: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (get_root("clean", root, sizeof(root)))
		return EXIT_USAGE;
	kernel_cache__clean_stale(root, &stale_tmp);
	if (stale_tmp)
		printf("removed %u unfinished build%s\n", stale_tmp, stale_tmp == 1 ? "" : "s");
	prune_bases(root);
	err = kernel_cache__list(root, &l);
	if (err) {
		fprintf(stderr, "ktstr kernel clean: cannot read %s/kernels: %s\n", root,
			strerror(-err));
		return EXIT_USAGE;
	}
	/* Keep the newest @keep usable kernels; stale and corrupt entries go. */
	drop = calloc(l.n ? l.n : 1, sizeof(*drop));
	if (!drop) {
		kcache_list__free(&l);
		return EXIT_USAGE;
	}
	for (size_t i = 0, good = 0; i < l.n; i++) {
		drop[i] = !kcache_entry__usable(&l.items[i]) || good++ >= (size_t)keep;
		if (drop[i]) {
			ndrop++;
			total += l.items[i].size;
		}
	}
	if (!ndrop) {
		remove_failed_logs(root);
		printf("nothing to remove: %zu kernel%s cached\n", l.n, l.n == 1 ? "" : "s");
		goto out;
	}
	cmd_kernel__size(total, size, sizeof(size));
	fsutil__fmt(question, sizeof(question), "remove %zu of %zu cached kernel%s (%s) from "
		    "%s/kernels?", ndrop, l.n, l.n == 1 ? "" : "s", size, root);
	if (!force && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "ktstr kernel clean: would %s; pass --force to remove them "
				"(standard input is not a terminal, so it cannot ask)\n", question);
		rc = EXIT_USAGE;
		goto out;
	}
	if (!force && !confirm(question)) {
		printf("nothing removed\n");
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct kcache_entry *e = &l.items[i];
		struct kcache_lock lock;

		if (!drop[i])
			continue;
		err = kernel_cache__lock(root, e->key, false, NULL, NULL, &lock);
		if (err == -EWOULDBLOCK) {
			fprintf(stderr, "ktstr kernel clean: %s is being rebuilt; left alone\n",
				e->key);
			continue;
		}
		if (!err)
			err = kernel_cache__remove(root, e->key);
		kernel_cache__unlock(&lock);
		if (err) {
			fprintf(stderr, "ktstr kernel clean: cannot remove %s: %s\n", e->path,
				strerror(-err));
			rc = EXIT_FAILED;
			continue;
		}
		cmd_kernel__size(e->size, size, sizeof(size));
		printf("removed %s (%s)\n", e->key, size);
		removed++;
		freed += e->size;
	}
	remove_failed_logs(root);
	cmd_kernel__size(freed, size, sizeof(size));
	printf("removed %u kernel%s, %s freed; %zu kept\n", removed, removed == 1 ? "" : "s", size,
	       l.n - removed);
out:
	free(drop);
	kcache_list__free(&l);
	return rc;
}

static int kernel_path(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct kfind_opts o = { 0 };
	struct kfind_result r;
	char err[2048];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c != 'k')
			return cli__bad_option("kernel path", c, argv);
		o.kernel = optarg;
	}
	if (optind < argc) {
		fprintf(stderr, "ktstr kernel path: unexpected argument '%s'; did you mean "
				"--kernel %s?\n", argv[optind], argv[optind]);
		return EXIT_USAGE;
	}
	if (kernel_find(&o, &r, err, sizeof(err))) {
		fprintf(stderr, "ktstr: %s\n", err);
		return EXIT_USAGE;
	}
	if (r.warning[0])
		fprintf(stderr, "ktstr: warning: %s\n", r.warning);
	printf("%s\n", r.image);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "build", cmd_kernel_build },
	{ "list", kernel_list },
	{ "clean", kernel_clean },
	{ "path", kernel_path },
};

#define NSUBS (sizeof(subs) / sizeof(subs[0]))

int cmd_kernel(int argc, char **argv)
{
	const char *names[NSUBS];
	const char *hint;

	if (argc < 2) {
		fprintf(stderr, "ktstr kernel: which one: build, list, clean or path?\n%s",
			cmd_kernel_usage);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < NSUBS; i++) {
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
		names[i] = subs[i].name;
	}
	hint = diag__suggest(argv[1], names, NSUBS);
	if (hint)
		fprintf(stderr, "ktstr kernel: no subcommand '%s'; did you mean '%s'?\n", argv[1],
			hint);
	else
		fprintf(stderr, "ktstr kernel: no subcommand '%s'; it has build, list, clean and "
				"path\n", argv[1]);
	return EXIT_USAGE;
}

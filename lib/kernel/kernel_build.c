// SPDX-License-Identifier: GPL-2.0
/* `ktstr kernel build`: pick the source, key it, lock it, build it, install it. */
#include "kernel_build_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel_config.h"
#include "base/kproc.h"

/* A Debian linux-source tarball where apt put it: its entries say "package". */
static bool is_package_path(const char *path)
{
	static const char dir[] = KSOURCE_PACKAGE_DIR "/linux-source-";
	size_t n = strlen(path);

	return !strncmp(path, dir, sizeof(dir) - 1) && !strchr(path + sizeof(dir) - 1, '/') &&
	       n > 7 && !strcmp(path + n - 7, ".tar.xz");
}

static int pick_source(struct kbuild *b)
{
	const struct kbuild_opts *o = b->o;
	const char *dir = o->package_dir ? o->package_dir : KSOURCE_PACKAGE_DIR;
	char pkg[PATH_MAX];
	int err;

	if (o->source_dir)
		return kernel_source__tree(&b->src, o->source_dir, b->log);
	if (o->clean) {
		fprintf(b->log, "ktstr kernel build: --clean applies to --source trees only; a "
			     "tarball is always built from a fresh extraction\n");
		return -EINVAL;
	}
	if (o->tarball) {
		char real[PATH_MAX];
		enum ksrc_kind kind = KSRC_TARBALL;

		if (realpath(o->tarball, real) && is_package_path(real))
			kind = KSRC_PACKAGE;
		return kernel_source__tarball(&b->src, o->tarball, kind, b->log);
	}
	err = kernel_source__find_package(dir, pkg, sizeof(pkg));
	if (err) {
		fprintf(b->log,
			"ktstr kernel build: no kernel source: no %s/linux-source-*.tar.xz\n"
			"  install Debian's: sudo apt-get install linux-source-6.12\n"
			"  or name one: --tarball FILE (a kernel .tar.xz) or --source DIR (a tree)\n",
			dir);
		return -ENOENT;
	}
	fprintf(b->log, "using %s (Debian's linux-source package)\n", pkg);
	return kernel_source__tarball(&b->src, pkg, KSRC_PACKAGE, b->log);
}

static int make_key(struct kbuild *b)
{
	struct kcache_key k;

	memset(&k, 0, sizeof(k));
	fsutil__fmt(k.version, sizeof(k.version), "%s", b->src.version);
	k.kind = b->src.kind;
	k.source_id = b->src.id;
	fsutil__fmt(k.arch, sizeof(k.arch), "%s", KCACHE_ARCH);
	k.recipe_crc = b->recipe_crc;
	return kernel_cache__key_format(&k, b->r->key, sizeof(b->r->key));
}

static void hit(struct kbuild *b, const struct kcache_entry *e)
{
	struct kbuild_result *r = b->r;

	fsutil__fmt(r->key, sizeof(r->key), "%s", e->key);
	fsutil__fmt(r->entry, sizeof(r->entry), "%s", e->path);
	fsutil__fmt(r->image, sizeof(r->image), "%s/%s", e->path, e->meta.image);
	fsutil__fmt(r->built_at, sizeof(r->built_at), "%s", e->meta.built_at);
	r->hit = r->cached = true;
}

/* The entry for r->key, when usable: a hit. 1 = hit, 0 = build it. */
static int check_entry(struct kbuild *b, bool say_corrupt)
{
	struct kcache_entry e;

	if (kernel_cache__entry(b->root, b->r->key, &e))
		return 0;
	if (kcache_entry__usable(&e)) {
		hit(b, &e);
		return 1;
	}
	if (say_corrupt && e.status != KMETA_OK)
		fprintf(b->log, "replacing the corrupt cache entry %s (%s: %s)\n", e.key,
			kmeta_status__name(e.status), e.why);
	return 0;
}

static void say_waiting(void *arg, const char *name)
{
	struct kbuild *b = arg;

	fprintf(b->log, "waiting for another ktstr building %s\n", name);
	fflush(b->log);
}

/* Keep the log of a failed build where the user can read it after tmp is gone. */
static void keep_failed_log(struct kbuild *b)
{
	char dir[PATH_MAX], path[PATH_MAX + KCACHE_KEY_MAX + 16];

	fsutil__fmt(dir, sizeof(dir), "%s/logs", b->root);
	if (fsutil__mkdir_p(dir, 0755))
		return;
	fsutil__fmt(path, sizeof(path), "%s/failed-%s.log", dir, b->r->key);
	if (!fsutil__copy(b->log_path, path))
		fprintf(b->log, "the full log: %s\n", path);
}

static int open_log(struct kbuild *b)
{
	if (b->tmp[0])
		fsutil__fmt(b->log_path, sizeof(b->log_path), "%s/build.log", b->tmp);
	else
		fsutil__fmt(b->log_path, sizeof(b->log_path), "%s/.ktstr-build.log", b->src.path);
	b->log_fd = open(b->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
			 0644);
	if (b->log_fd < 0) {
		int err = -errno;

		fprintf(b->log, "ktstr kernel build: cannot create %s: %s\n", b->log_path,
			strerror(-err));
		return err;
	}
	return 0;
}

static int build(struct kbuild *b)
{
	char *mrproper[] = { "make", "mrproper", NULL };
	char src[PATH_MAX + 8];
	int err;

	if (b->src.kind != KSRC_TREE) {
		err = kbuild__extract(b);
		if (err)
			return err;
	} else {
		fsutil__fmt(b->tree, sizeof(b->tree), "%s", b->src.path);
		if (b->o->clean) {
			fprintf(b->log, "make mrproper in %s\n", b->tree);
			err = kbuild__step(b, "make mrproper", mrproper);
			if (err)
				return err;
		}
	}
	err = kbuild__configure(b);
	if (!err)
		err = kbuild__make(b);
	if (err || !b->tmp[0])
		return err;
	err = kbuild__collect(b);
	if (err)
		return err;
	if (b->src.kind != KSRC_TREE) {
		fprintf(b->log, "removing the build tree\n");
		fsutil__fmt(src, sizeof(src), "%s/src", b->tmp);
		err = fsutil__rm_rf(src);
	}
	return err;
}

static int run_locked(struct kbuild *b)
{
	struct kbuild_result *r = b->r;
	int err;

	if (b->src.cacheable) {
		err = kernel_cache__tmp_create(b->root, r->key, b->tmp, sizeof(b->tmp));
		if (err) {
			fprintf(b->log, "ktstr kernel build: cannot create a directory in %s/kernels: "
				     "%s; set KTSTR_CACHE_DIR to a writable directory\n", b->root,
				strerror(-err));
			b->tmp[0] = '\0';
			return err;
		}
	}
	err = open_log(b);
	if (err)
		return err;
	b->start = time(NULL);
	err = build(b);
	close(b->log_fd);
	b->log_fd = -1;
	r->secs = (unsigned)(time(NULL) - b->start);
	if (err)
		return err;
	if (!b->tmp[0]) {
		fsutil__fmt(r->image, sizeof(r->image), "%s/arch/x86/boot/bzImage", b->tree);
		return 0;
	}
	err = kernel_cache__install(b->root, r->key, b->tmp);
	if (err) {
		fprintf(b->log, "ktstr kernel build: cannot rename %s into place: %s\n", b->tmp,
			strerror(-err));
		return err;
	}
	b->tmp[0] = '\0';
	r->cached = true;
	fsutil__fmt(r->entry, sizeof(r->entry), "%s/kernels/%s", b->root, r->key);
	fsutil__fmt(r->image, sizeof(r->image), "%s/%s", r->entry, KCACHE_IMAGE);
	return 0;
}

/* Undo a build that did not finish: nothing half-written stays. */
static void abandon(struct kbuild *b, int err)
{
	if (b->log_fd >= 0)
		close(b->log_fd);
	b->log_fd = -1;
	if (!b->tmp[0])
		return;
	if (err == -EIO)
		keep_failed_log(b);
	if (err == -EINTR)
		fprintf(b->log, "stopped; removing %s\n", b->tmp);
	fsutil__rm_rf(b->tmp);
	b->tmp[0] = '\0';
}

static void use_recipe(struct kbuild *b, const struct krecipe *r)
{
	b->recipe = r;
	b->nfrags = kernel_recipe__frags(r, b->frags);
	b->recipe_crc = kernel_recipe__crc(r);
	kernel_recipe__label(r->base, r->nuser, b->label, sizeof(b->label));
}

static int prepare(struct kbuild *b)
{
	const struct kbuild_opts *o = b->o;
	unsigned removed = 0;
	long cpus;
	int err;

	if (o->cache_root)
		fsutil__fmt(b->root, sizeof(b->root), "%s", o->cache_root);
	else if ((err = kernel_cache__root(b->root, sizeof(b->root)))) {
		char why[256];

		kernel_cache__root_why(err, sizeof(b->root), why, sizeof(why));
		fprintf(b->log, "ktstr kernel build: %s\n", why);
		return err;
	}
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	b->jobs = o->jobs ? o->jobs : (cpus > 0 ? (unsigned)cpus : 1);
	err = pick_source(b);
	if (err)
		return err;
	if (!kernel_cache__clean_stale(b->root, &removed) && removed)
		fprintf(b->log, "removed %u unfinished build%s of ktstr processes that are gone\n",
			removed, removed == 1 ? "" : "s");
	return 0;
}

int kernel_build__run(const struct kbuild_opts *o, struct kbuild_result *r)
{
	struct kbuild b = { .o = o, .r = r, .log = o->log ? o->log : stderr, .log_fd = -1 };
	struct kcache_lock lock = { -1 };
	struct kcache_entry e;
	struct krecipe lean;
	char lock_name[KCACHE_KEY_MAX];
	int err;

	memset(r, 0, sizeof(*r));
	kernel_recipe__init(&lean, KCONFIG_LEAN);
	use_recipe(&b, o->recipe ? o->recipe : &lean);
	err = prepare(&b);
	if (err)
		goto out;
	/* Fast path for tarballs: their CRC finds the entry without reading a version. */
	if (b.src.kind != KSRC_TREE && !o->force &&
	    !kernel_cache__find_source(b.root, b.src.kind, b.src.id, b.recipe_crc, &e)) {
		hit(&b, &e);
		goto out;
	}
	if (b.src.kind != KSRC_TREE) {
		err = kernel_source__tarball_version(&b.src, b.log);
		if (err)
			goto out;
	}
	err = make_key(&b);
	if (err) {
		fprintf(b.log, "ktstr kernel build: cannot make a cache key of version '%s'\n",
			b.src.version);
		goto out;
	}
	if (!b.src.cacheable) {
		fsutil__fmt(r->why_not, sizeof(r->why_not), "%s", b.src.why_not);
		fprintf(b.log, "not caching this build: %s; it is built in place\n", b.src.why_not);
		/* One build at a time per tree, still. */
		fsutil__fmt(lock_name, sizeof(lock_name), "tree-%08x",
			    kernel_config__crc(b.src.path, strlen(b.src.path)));
	} else {
		fsutil__fmt(lock_name, sizeof(lock_name), "%s", r->key);
		if (!o->force && check_entry(&b, false))
			goto out;
	}
	err = kernel_cache__lock(b.root, lock_name, true, say_waiting, &b, &lock);
	if (err) {
		if (err != -EINTR)
			fprintf(b.log, "ktstr kernel build: cannot lock %s in %s/kernels/.locks: "
				     "%s\n", lock_name, b.root, strerror(-err));
		goto out;
	}
	/* Whoever held the lock may have just built it. */
	if (b.src.cacheable && !o->force && check_entry(&b, true))
		goto out;
	err = run_locked(&b);
	if (err)
		abandon(&b, err);
out:
	kernel_cache__unlock(&lock);
	if (err == -EINTR)
		r->signo = kproc__signal_pending() ? kproc__signal_pending() : SIGINT;
	return err;
}

// SPDX-License-Identifier: GPL-2.0
#include "kernel_find.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/fsutil.h"

const char *kfind_how__name(enum kfind_how h)
{
	switch (h) {
	case KFIND_ARG: return "--kernel";
	case KFIND_ENV: return "KTSTR_KERNEL";
	case KFIND_CACHE: return "cache";
	case KFIND_BOOT: return "/boot";
	}
	return "?";
}

int kernel_find__is_image(const char *path)
{
	unsigned char buf[0x206];
	ssize_t n;
	int fd = fsutil__open_regular(path);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n >= 4 && !memcmp(buf, "\177ELF", 4))
		return 1;
	return n == (ssize_t)sizeof(buf) && !memcmp(buf + 0x202, "HdrS", 4);
}

static bool is_elf(const char *path)
{
	unsigned char buf[4];
	int fd = fsutil__open_regular(path);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == 4 && !memcmp(buf, "\177ELF", 4);
}

static void set_path(char *dst, const char *dir, const char *name)
{
	char tmp[PATH_MAX * 2];

	fsutil__fmt(tmp, sizeof(tmp), "%s%s%s", dir, name ? "/" : "", name ? name : "");
	if (!realpath(tmp, dst))
		fsutil__fmt(dst, PATH_MAX, "%s", tmp);
}

static void use_entry(struct kfind_result *r, const struct kcache_entry *e)
{
	set_path(r->image, e->path, e->meta.image);
	set_path(r->vmlinux, e->path, "vmlinux");
	fsutil__fmt(r->key, sizeof(r->key), "%s", e->key);
	if (e->stale)
		fsutil__fmt(r->warning, sizeof(r->warning), "kernel %s was built with another "
			    "ktstr config fragment; `ktstr kernel build` builds one with this one",
			    e->key);
}

/*
 * A bzImage named as a file still has its vmlinux when it is a cache entry's
 * image or a build tree's arch/x86/boot/bzImage: the same build, so booting
 * either is booting the same kernel.
 */
static void sibling_vmlinux(struct kfind_result *r)
{
	static const char tree_tail[] = "/arch/x86/boot/bzImage";
	char dir[PATH_MAX], path[PATH_MAX * 2];
	size_t len = strlen(r->image), tl = sizeof(tree_tail) - 1;
	struct kernel_meta meta;
	char why[256];
	const char *slash = strrchr(r->image, '/');

	if (!slash)
		return;
	fsutil__fmt(dir, sizeof(dir), "%.*s", (int)(slash - r->image), r->image);
	if (len > tl && !strcmp(r->image + len - tl, tree_tail))
		fsutil__fmt(path, sizeof(path), "%.*s/vmlinux", (int)(len - tl), r->image);
	else if (kernel_meta__load(dir, &meta, why, sizeof(why)) == KMETA_OK &&
		 !strcmp(meta.image, slash + 1))
		fsutil__fmt(path, sizeof(path), "%s/vmlinux", dir);
	else
		return;
	if (fsutil__nonempty_file(path) && is_elf(path))
		fsutil__fmt(r->vmlinux, sizeof(r->vmlinux), "%s", path);
}

static int from_file(const char *what, const char *value, struct kfind_result *r, char *err,
		     size_t cap)
{
	if (!kernel_find__is_image(value)) {
		fsutil__fmt(err, cap, "%s %s: not a kernel image (neither a bzImage nor an ELF "
			    "vmlinux)", what, value);
		return -EINVAL;
	}
	set_path(r->image, value, NULL);
	if (is_elf(value))
		fsutil__fmt(r->vmlinux, sizeof(r->vmlinux), "%s", r->image);
	else
		sibling_vmlinux(r);
	return 0;
}

static int from_dir(const char *what, const char *value, struct kfind_result *r, char *err,
		    size_t cap)
{
	char path[PATH_MAX * 2];
	struct kcache_entry e;
	const char *base;

	fsutil__fmt(path, sizeof(path), "%s/arch/x86/boot/bzImage", value);
	if (fsutil__nonempty_file(path)) {
		set_path(r->image, path, NULL);
		fsutil__fmt(path, sizeof(path), "%s/vmlinux", value);
		if (fsutil__nonempty_file(path))
			set_path(r->vmlinux, path, NULL);
		return 0;
	}
	fsutil__fmt(path, sizeof(path), "%s/%s", value, KCACHE_META);
	if (access(path, F_OK)) {
		fsutil__fmt(err, cap, "%s %s: no arch/x86/boot/bzImage in this directory; build it "
			    "with `ktstr kernel build --source %s`", what, value, value);
		return -EINVAL;
	}
	/* A cache entry's directory. */
	memset(&e, 0, sizeof(e));
	fsutil__fmt(e.path, sizeof(e.path), "%s", value);
	base = strrchr(value, '/');
	fsutil__fmt(e.key, sizeof(e.key), "%s", base ? base + 1 : value);
	e.status = kernel_meta__load(value, &e.meta, e.why, sizeof(e.why));
	if (e.status != KMETA_OK) {
		fsutil__fmt(err, cap, "%s %s: corrupt cache entry (%s: %s); `ktstr kernel build "
			    "--force` rebuilds it", what, value, kmeta_status__name(e.status),
			    e.why);
		return -EINVAL;
	}
	use_entry(r, &e);
	return 0;
}

static bool version_like(const char *v)
{
	if (!isdigit((unsigned char)v[0]))
		return false;
	return kernel_cache__version_ok(v);
}

/* @version is @prefix, or starts with it followed by '.' or '-'. */
static bool version_matches(const char *version, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(version, prefix, n) &&
	       (version[n] == '\0' || version[n] == '.' || version[n] == '-');
}

static int from_version(const char *what, const char *value, const char *root,
			struct kfind_result *r, char *err, size_t cap)
{
	const struct kcache_entry *best = NULL;
	struct kcache_list l;
	int ret;

	if (kernel_cache__list(root, &l)) {
		fsutil__fmt(err, cap, "%s %s: cannot read the kernel cache in %s", what, value,
			    root);
		return -EIO;
	}
	/* Newest first; an entry with this fragment beats a stale one. */
	for (size_t i = 0; i < l.n; i++) {
		const struct kcache_entry *e = &l.items[i];

		if (e->status != KMETA_OK || !version_matches(e->meta.version, value))
			continue;
		if (!best || (best->stale && !e->stale))
			best = e;
	}
	if (best) {
		use_entry(r, best);
		ret = 0;
	} else {
		fsutil__fmt(err, cap, "%s %s: no cached kernel of version %s in %s/kernels; "
			    "`ktstr kernel list` shows the cache, `ktstr kernel build` builds one",
			    what, value, value, root);
		ret = -EINVAL;
	}
	kcache_list__free(&l);
	return ret;
}

static int resolve(const char *what, const char *value, const char *root, struct kfind_result *r,
		   char *err, size_t cap)
{
	struct kcache_entry e;
	struct stat st;

	if (!*value) {
		fsutil__fmt(err, cap, "%s is empty; give a kernel image, build tree, cache key or "
			    "version", what);
		return -EINVAL;
	}
	if (!stat(value, &st)) {
		if (S_ISREG(st.st_mode))
			return from_file(what, value, r, err, cap);
		if (S_ISDIR(st.st_mode))
			return from_dir(what, value, r, err, cap);
		fsutil__fmt(err, cap, "%s %s: not a file or a directory", what, value);
		return -EINVAL;
	}
	if (!strchr(value, '/') && root && !kernel_cache__entry(root, value, &e)) {
		if (e.status != KMETA_OK) {
			fsutil__fmt(err, cap, "%s %s: corrupt cache entry (%s: %s); `ktstr kernel "
				    "build --force` rebuilds it", what, value,
				    kmeta_status__name(e.status), e.why);
			return -EINVAL;
		}
		use_entry(r, &e);
		return 0;
	}
	if (root && version_like(value))
		return from_version(what, value, root, r, err, cap);
	fsutil__fmt(err, cap, "%s %s: no such file or directory, and no cache key or version of "
		    "that name; `ktstr kernel list` shows the cache", what, value);
	return -EINVAL;
}

/* /boot/vmlinuz-<release>: say whether its config has sched_ext. */
static int from_boot(const struct kfind_opts *o, struct kfind_result *r)
{
	const char *dir = o->boot_dir ? o->boot_dir : "/boot";
	char path[PATH_MAX], config[PATH_MAX];
	struct utsname u;
	const char *rel = o->release;
	char *text = NULL;

	if (!rel) {
		if (uname(&u))
			return -ENOENT;
		rel = u.release;
	}
	fsutil__fmt(path, sizeof(path), "%s/vmlinuz-%s", dir, rel);
	if (access(path, R_OK))
		return -ENOENT;
	fsutil__fmt(r->image, sizeof(r->image), "%s", path);
	fsutil__fmt(config, sizeof(config), "%s/config-%s", dir, rel);
	if (fsutil__read(config, 16u << 20, &text, NULL)) {
		fsutil__fmt(r->warning, sizeof(r->warning), "using %s, the running distribution "
			    "kernel; there is no %s to check it for sched_ext, and Debian's kernels "
			    "have none: `ktstr kernel build` builds one that has", path, config);
	} else if (!strstr(text, "\nCONFIG_SCHED_CLASS_EXT=y")) {
		fsutil__fmt(r->warning, sizeof(r->warning), "using %s, the running distribution "
			    "kernel: it has no sched_ext (CONFIG_SCHED_CLASS_EXT is not set in %s), so "
			    "only scenarios on the default scheduler can run; `ktstr kernel build` "
			    "builds one with sched_ext", path, config);
	}
	free(text);
	r->how = KFIND_BOOT;
	return 0;
}

static int find(const struct kfind_opts *o, struct kfind_result *r, char *err, size_t cap)
{
	char root_buf[PATH_MAX];
	const char *root = o->cache_root;
	const char *env = getenv("KTSTR_KERNEL");
	size_t stale = 0, corrupt = 0;
	struct kcache_list l = { 0 };
	int ret;

	memset(r, 0, sizeof(*r));
	if (cap)
		err[0] = '\0';
	if (!root && !kernel_cache__root(root_buf, sizeof(root_buf)))
		root = root_buf;
	if (o->kernel) {
		r->how = KFIND_ARG;
		return resolve("--kernel", o->kernel, root, r, err, cap);
	}
	if (env) {
		r->how = KFIND_ENV;
		return resolve("KTSTR_KERNEL", env, root, r, err, cap);
	}
	if (root && !kernel_cache__list(root, &l)) {
		for (size_t i = 0; i < l.n; i++) {
			if (kcache_entry__usable(&l.items[i])) {
				use_entry(r, &l.items[i]);
				r->how = KFIND_CACHE;
				kcache_list__free(&l);
				return 0;
			}
			stale += l.items[i].stale;
			corrupt += l.items[i].status != KMETA_OK;
		}
		kcache_list__free(&l);
	}
	if (!from_boot(o, r))
		return 0;
	memset(r, 0, sizeof(*r));
	ret = snprintf(err, cap,
		       "no kernel found: no --kernel, KTSTR_KERNEL is not set, no kernel in the "
		       "cache (%s/kernels) built with this ktstr's config fragment, and no "
		       "%s/vmlinuz-%s\n"
		       "  build one: ktstr kernel build   (from Debian's linux-source-6.12 package; "
		       "or --source DIR, --tarball FILE)\n"
		       "  or name one: --kernel PATH, or KTSTR_KERNEL=PATH (a bzImage, an ELF "
		       "vmlinux or a built kernel tree)",
		       root ? root : "?", o->boot_dir ? o->boot_dir : "/boot",
		       o->release ? o->release : "$(uname -r)");
	if (stale && ret > 0 && (size_t)ret < cap)
		ret += snprintf(err + ret, cap - (size_t)ret,
				"\n  %zu cached kernel%s built with another config fragment "
				"(stale): `ktstr kernel list` shows %s", stale,
				stale == 1 ? " was" : "s were", stale == 1 ? "it" : "them");
	if (corrupt && ret > 0 && (size_t)ret < cap)
		fsutil__fmt(err + ret, cap - (size_t)ret,
			    "\n  %zu cache entr%s corrupt: `ktstr kernel list` says what is wrong",
			    corrupt, corrupt == 1 ? "y is" : "ies are");
	return -ENOENT;
}

int kernel_find(const struct kfind_opts *o, struct kfind_result *r, char *err, size_t cap)
{
	int ret = find(o, r, err, cap);

	if (!ret && r->vmlinux[0]) {
		r->vmlinux_pvh = kernel_find__has_pvh(r->vmlinux);
		r->static_keys = kernel_find__static_keys(r->vmlinux);
	} else {
		r->static_keys = -ENOENT;
	}
	return ret;
}

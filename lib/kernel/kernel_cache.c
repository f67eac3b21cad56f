// SPDX-License-Identifier: GPL-2.0
/* The kernel cache: root, keys, entries, locks and atomic install. */
#include "kernel_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel_config.h"
#include "base/kproc.h"

static int fmt_path(char *buf, size_t cap, const char *fmt, const char *a, const char *b)
{
	int n = snprintf(buf, cap, fmt, a, b);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int kernel_cache__root(char *buf, size_t cap)
{
	const char *env = getenv("KTSTR_CACHE_DIR");
	const char *home;

	if (env && *env)
		return fmt_path(buf, cap, "%s%s", env, "");
	env = getenv("XDG_CACHE_HOME");
	if (env && env[0] == '/')	/* the XDG spec ignores relative paths */
		return fmt_path(buf, cap, "%s%s", env, "/ktstr");
	home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || !*home)
		return -ENOENT;
	return fmt_path(buf, cap, "%s%s", home, "/.cache/ktstr");
}

void kernel_cache__root_why(int err, size_t cap, char *buf, size_t buflen)
{
	const char *env = getenv("KTSTR_CACHE_DIR");

	if (err == -ENAMETOOLONG)
		snprintf(buf, buflen, "the cache directory's path is longer than %zu characters: "
			 "shorten %s", cap - 1, env && *env ? "KTSTR_CACHE_DIR" :
			 "XDG_CACHE_HOME or HOME, or set a shorter KTSTR_CACHE_DIR");
	else
		snprintf(buf, buflen, "no cache directory: set KTSTR_CACHE_DIR or HOME");
}

int kernel_cache__kernels_dir(const char *root, char *buf, size_t cap)
{
	return fmt_path(buf, cap, "%s%s", root, "/kernels");
}

const char *kmeta_status__name(enum kmeta_status s)
{
	switch (s) {
	case KMETA_OK: return "ok";
	case KMETA_MISSING: return "missing";
	case KMETA_UNREADABLE: return "unreadable";
	case KMETA_TRUNCATED: return "truncated";
	case KMETA_MALFORMED: return "malformed";
	case KMETA_SCHEMA: return "schema_mismatch";
	case KMETA_IMAGE_MISSING: return "image_missing";
	}
	return "unknown";
}

bool kcache_entry__usable(const struct kcache_entry *e)
{
	return e->status == KMETA_OK && !e->stale;
}

static int load_entry(const char *kdir, const char *key, struct kcache_entry *e)
{
	struct stat st;

	memset(e, 0, sizeof(*e));
	if (strlen(key) >= sizeof(e->key))
		return -ENAMETOOLONG;
	strcpy(e->key, key);
	if (fmt_path(e->path, sizeof(e->path), "%s/%s", kdir, key))
		return -ENAMETOOLONG;
	if (stat(e->path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	e->status = kernel_meta__load(e->path, &e->meta, e->why, sizeof(e->why));
	e->stale = e->status == KMETA_OK &&
		   e->meta.fragment_crc != kernel_config__fragment_crc();
	e->when = e->status == KMETA_OK ? e->meta.built : st.st_mtime;
	e->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	fsutil__du(e->path, &e->size);
	return 0;
}

int kernel_cache__entry(const char *root, const char *key, struct kcache_entry *e)
{
	char kdir[PATH_MAX];
	int err;

	if (!*key || strchr(key, '/') || key[0] == '.')
		return -ENOENT;
	err = kernel_cache__kernels_dir(root, kdir, sizeof(kdir));
	if (err)
		return err;
	err = load_entry(kdir, key, e);
	return err == -ENOTDIR ? -ENOENT : err;
}

static int newest_first(const void *a, const void *b)
{
	const struct kcache_entry *x = a, *y = b;

	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns > y->mtime_ns ? -1 : 1;
	return strcmp(x->key, y->key);
}

int kernel_cache__list(const char *root, struct kcache_list *l)
{
	char kdir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int err;

	l->items = NULL;
	l->n = 0;
	err = kernel_cache__kernels_dir(root, kdir, sizeof(kdir));
	if (err)
		return err;
	d = opendir(kdir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		struct kcache_entry *items;

		if (de->d_name[0] == '.')
			continue;
		items = realloc(l->items, (l->n + 1) * sizeof(*items));
		if (!items) {
			closedir(d);
			kcache_list__free(l);
			return -ENOMEM;
		}
		l->items = items;
		if (!load_entry(kdir, de->d_name, &l->items[l->n]))
			l->n++;
	}
	closedir(d);
	if (l->n)
		qsort(l->items, l->n, sizeof(*l->items), newest_first);
	return 0;
}

void kcache_list__free(struct kcache_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int kernel_cache__find_source(const char *root, enum ksrc_kind kind, uint32_t source_id,
			      uint32_t recipe_crc, struct kcache_entry *e)
{
	struct kcache_list l;
	int err = kernel_cache__list(root, &l);

	if (err)
		return err;
	err = -ENOENT;
	for (size_t i = 0; i < l.n; i++) {
		struct kcache_key k;

		if (kernel_cache__key_parse(l.items[i].key, &k) || k.kind != kind ||
		    k.source_id != source_id || k.recipe_crc != recipe_crc ||
		    strcmp(k.arch, KCACHE_ARCH) || !kcache_entry__usable(&l.items[i]))
			continue;
		*e = l.items[i];
		err = 0;
		break;
	}
	kcache_list__free(&l);
	return err;
}

int kernel_cache__lock(const char *root, const char *name, bool wait,
		       void (*waiting)(void *arg, const char *name), void *arg,
		       struct kcache_lock *l)
{
	char dir[PATH_MAX], path[PATH_MAX];
	bool told = false;
	int fd, err;

	l->fd = -1;
	if (fmt_path(dir, sizeof(dir), "%s%s", root, "/kernels/.locks") ||
	    fmt_path(path, sizeof(path), "%s/%s.lock", dir, name))
		return -ENAMETOOLONG;
	err = fsutil__mkdir_p(dir, 0755);
	if (err)
		return err;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	/*
	 * Poll rather than block: a signal that arrives just before a blocking
	 * flock() would otherwise go unnoticed until the other build ends.
	 */
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			err = -errno;
			close(fd);
			return err;
		}
		if (!wait) {
			close(fd);
			return -EWOULDBLOCK;
		}
		if (!told && waiting)
			waiting(arg, name);
		told = true;
		if (kproc__signal_pending()) {
			close(fd);
			return -EINTR;
		}
		usleep(100 * 1000);
	}
	l->fd = fd;
	return 0;
}

void kernel_cache__unlock(struct kcache_lock *l)
{
	if (l->fd >= 0)
		close(l->fd);	/* releases the flock */
	l->fd = -1;
}

int kernel_cache__tmp_create(const char *root, const char *key, char *out, size_t cap)
{
	char kdir[PATH_MAX];
	int err, n;

	err = kernel_cache__kernels_dir(root, kdir, sizeof(kdir));
	if (err)
		return err;
	err = fsutil__mkdir_p(kdir, 0755);
	if (err)
		return err;
	n = snprintf(out, cap, "%s/.tmp-%s-%ld", kdir, key, (long)getpid());
	if (n < 0 || (size_t)n >= cap)
		return -ENAMETOOLONG;
	err = fsutil__rm_rf(out);
	if (err)
		return err;
	return mkdir(out, 0755) ? -errno : 0;
}

int kernel_cache__install(const char *root, const char *key, const char *tmp)
{
	char kdir[PATH_MAX], dst[PATH_MAX], old[PATH_MAX];
	int err;

	err = kernel_cache__kernels_dir(root, kdir, sizeof(kdir));
	if (err || fmt_path(dst, sizeof(dst), "%s/%s", kdir, key))
		return err ? err : -ENAMETOOLONG;
	if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE))
		return 0;
	if (errno == EEXIST) {
		/* Replace the old entry in one step; tmp then holds the old one. */
		if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_EXCHANGE))
			return fsutil__rm_rf(tmp);
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EEXIST)
		return -errno;
	/* A file system without renameat2 flags: move the old entry aside first. */
	if (snprintf(old, sizeof(old), "%s/.tmp-%s-old-%ld", kdir, key, (long)getpid()) >=
	    (int)sizeof(old))
		return -ENAMETOOLONG;
	if (rename(dst, old) && errno != ENOENT)
		return -errno;
	if (rename(tmp, dst))
		return -errno;
	return fsutil__rm_rf(old);
}

/*
 * The key of a build's temporary directory, ".tmp-<key>-<pid>" or
 * ".tmp-<key>-old-<pid>", into @key; false when @name is not one.
 */
static bool tmp_key(const char *name, char *key, size_t cap)
{
	const char *k = name + 5, *dash = strrchr(name, '-');
	size_t len;

	if (strncmp(name, ".tmp-", 5) || !dash || dash <= k || !dash[1] ||
	    strspn(dash + 1, "0123456789") != strlen(dash + 1))
		return false;
	len = (size_t)(dash - k);
	if (len > 4 && !memcmp(dash - 4, "-old", 4))
		len -= 4;
	if (!len || len >= cap)
		return false;
	memcpy(key, k, len);
	key[len] = '\0';
	return true;
}

int kernel_cache__clean_stale(const char *root, unsigned *removed)
{
	char kdir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *d;

	*removed = 0;
	if (kernel_cache__kernels_dir(root, kdir, sizeof(kdir)))
		return -ENAMETOOLONG;
	d = opendir(kdir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		struct kcache_lock l;
		char key[KCACHE_KEY_MAX + 1];

		if (!tmp_key(de->d_name, key, sizeof(key)) ||
		    fmt_path(path, sizeof(path), "%s/%s", kdir, de->d_name))
			continue;
		/*
		 * A build holds its key's lock while its directory exists: taking
		 * the lock proves the builder gone, in any PID namespace (a pid
		 * would not), and keeps a new build of that key out meanwhile.
		 */
		if (kernel_cache__lock(root, key, false, NULL, NULL, &l))
			continue;
		if (fsutil__rm_rf(path))
			err = -EIO;
		else
			(*removed)++;
		kernel_cache__unlock(&l);
	}
	closedir(d);
	return err;
}

int kernel_cache__remove(const char *root, const char *key)
{
	char kdir[PATH_MAX], path[PATH_MAX], gone[PATH_MAX];
	int err;

	if (kernel_cache__kernels_dir(root, kdir, sizeof(kdir)) ||
	    fmt_path(path, sizeof(path), "%s/%s", kdir, key))
		return -ENAMETOOLONG;
	if (snprintf(gone, sizeof(gone), "%s/.tmp-%s-%ld", kdir, key, (long)getpid()) >=
	    (int)sizeof(gone))
		return -ENAMETOOLONG;
	err = fsutil__rm_rf(gone);

	if (err)
		return err;
	if (rename(path, gone))
		return -errno;
	return fsutil__rm_rf(gone);
}

int kernel_cache__building(const char *root, void (*fn)(void *arg, const char *name),
			   void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *de;
	int n = 0;
	DIR *d;

	if (fmt_path(dir, sizeof(dir), "%s%s", root, "/kernels/.locks"))
		return -ENAMETOOLONG;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		int fd;

		if (len <= 5 || strcmp(de->d_name + len - 5, ".lock") ||
		    fmt_path(path, sizeof(path), "%s/%s", dir, de->d_name))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			continue;
		/* A build holds its lock exclusively: a shared one is then refused. */
		if (flock(fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK) {
			de->d_name[len - 5] = '\0';
			fn(arg, de->d_name);
			n++;
		}
		close(fd);
	}
	closedir(d);
	return n;
}

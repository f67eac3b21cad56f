// SPDX-License-Identifier: GPL-2.0
/* Assemble the guest's initramfs: directories, /init, binaries, their libraries, files. */
#include "initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "elf_deps.h"
#include "ldcache.h"

static const struct { const char *path; mode_t mode; } base_dirs[] = {
	{ "/dev", 0755 }, { "/proc", 0555 }, { "/sys", 0555 }, { "/tmp", 01777 },
	{ "/run", 0755 },
};

/* Where the guest's ld.so looks without a cache (Debian's system dirs). */
static const char *const guest_sys_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
};

/* ---- output: temp file + rename, or memory ---- */

struct sink {
	const char *path;
	char tmp[PATH_MAX];
	int fd;
};

static int sink_open(struct sink *s, const char *path, char *err, size_t errlen)
{
	int ret;

	s->path = path;
	s->fd = -1;
	s->tmp[0] = '\0';
	if (!path)
		return 0;
	if (snprintf(s->tmp, sizeof(s->tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(s->tmp)) {
		snprintf(err, errlen, "output path %s is too long", path);
		s->tmp[0] = '\0';
		return -ENAMETOOLONG;
	}
	s->fd = mkostemp(s->tmp, O_CLOEXEC);
	if (s->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create %s: %s (is its directory there and writable?)",
			 s->tmp, strerror(-ret));
		s->tmp[0] = '\0';
		return ret;
	}
	return 0;
}

static void sink_abort(struct sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp[0])
		unlink(s->tmp);
	s->fd = -1;
	s->tmp[0] = '\0';
}

static int sink_commit(struct sink *s, char *err, size_t errlen)
{
	int ret = 0;

	if (!s->path)
		return 0;
	if (fchmod(s->fd, 0644) || fsync(s->fd))
		ret = -errno;
	if (close(s->fd) && !ret)
		ret = -errno;
	s->fd = -1;
	if (!ret && rename(s->tmp, s->path))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", s->path, strerror(-ret));
		sink_abort(s);
		return ret;
	}
	s->tmp[0] = '\0';
	return 0;
}

/* ---- packing ---- */

struct seen {
	dev_t dev;
	ino_t ino;
	char *path;		/* archive path holding it */
};

struct pack {
	const struct initramfs_opts *o;
	struct cpio *c;
	struct seen *seen;
	size_t nseen, capseen;
	bool need_cache;
	char *err;
	size_t errlen;
};

static int cpio_fail(struct pack *p, int ret)
{
	snprintf(p->err, p->errlen, "%s", cpio__errmsg(p->c));
	return ret;
}

static const char *seen_find(const struct pack *p, const struct stat *st)
{
	for (size_t i = 0; i < p->nseen; i++)
		if (p->seen[i].dev == st->st_dev && p->seen[i].ino == st->st_ino)
			return p->seen[i].path;
	return NULL;
}

static int seen_add(struct pack *p, const struct stat *st, const char *path)
{
	if (p->nseen == p->capseen) {
		size_t ncap = p->capseen ? p->capseen * 2 : 16;
		struct seen *s = realloc(p->seen, ncap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		p->seen = s;
		p->capseen = ncap;
	}
	p->seen[p->nseen].path = strdup(path);
	if (!p->seen[p->nseen].path)
		return -ENOMEM;
	p->seen[p->nseen].dev = st->st_dev;
	p->seen[p->nseen].ino = st->st_ino;
	p->nseen++;
	return 0;
}

static bool in_guest_sys_dirs(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	for (size_t i = 0; i < sizeof(guest_sys_dirs) / sizeof(guest_sys_dirs[0]); i++)
		if (strlen(guest_sys_dirs[i]) == n && !strncmp(guest_sys_dirs[i], path, n))
			return true;
	return false;
}

/* One library at the path the loader opens; a second path to the same file becomes a symlink. */
static int pack_lib(struct pack *p, const struct elf_dep *d)
{
	const char *first;
	struct stat st;
	int ret;

	if (cpio__exists(p->c, d->path))
		return 0;
	if (stat(d->real, &st)) {
		ret = -errno;
		snprintf(p->err, p->errlen, "cannot stat %s (%s): %s", d->real, d->name, strerror(-ret));
		return ret;
	}
	if (d->via == ELF_DEP_CACHE && !in_guest_sys_dirs(d->path))
		p->need_cache = true;
	first = seen_find(p, &st);
	if (p->o->verbose)
		fprintf(stderr, "initramfs: %s <- %s (%s%s%s)\n", d->path, d->real,
			elf_deps__via_name(d->via), first ? ", same file as " : "", first ? first : "");
	if (first) {
		ret = cpio__add_symlink(p->c, d->path, first);
		return ret ? cpio_fail(p, ret) : 0;
	}
	ret = cpio__add_host_file(p->c, d->path, 0, d->real);
	if (ret)
		return cpio_fail(p, ret);
	ret = seen_add(p, &st, d->path);
	if (ret)
		snprintf(p->err, p->errlen, "out of memory");
	return ret;
}

/* An ELF at @guest with its closure. */
static int pack_elf(struct pack *p, const char *host, const char *guest)
{
	const struct elf_deps_opts eo = {
		.ld_library_path = p->o->ld_library_path,
		.ldcache_path = p->o->ldcache_path,
		.guest_path = guest,
	};
	struct elf_deps deps;
	int ret;

	ret = elf_deps__closure(host, &eo, &deps, p->err, p->errlen);
	if (ret)
		return ret;
	if (p->o->verbose)
		fprintf(stderr, "initramfs: /%s <- %s (%s)\n", guest[0] == '/' ? guest + 1 : guest,
			host, deps.is_static ? "static" : "dynamic");
	ret = cpio__add_host_file(p->c, guest, 0755, host);
	if (ret) {
		cpio_fail(p, ret);
		goto out;
	}
	for (size_t i = 0; i < deps.n && !ret; i++)
		ret = pack_lib(p, &deps.v[i]);
out:
	elf_deps__free(&deps);
	return ret;
}

static int pack_files(struct pack *p, const struct initramfs_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ret = cpio__add_file(p->c, f[i].guest_path, f[i].mode ? f[i].mode : 0644,
					 f[i].data, f[i].len);

		if (ret)
			return cpio_fail(p, ret);
	}
	return 0;
}

static int pack_base(struct pack *p)
{
	const struct initramfs_opts *o = p->o;
	int ret;

	for (size_t i = 0; i < sizeof(base_dirs) / sizeof(base_dirs[0]); i++) {
		ret = cpio__add_dir(p->c, base_dirs[i].path, base_dirs[i].mode);
		if (ret)
			return cpio_fail(p, ret);
	}
	ret = pack_elf(p, o->init, "/init");
	if (ret)
		return ret;
	if (o->busybox) {
		ret = pack_elf(p, o->busybox_path ? o->busybox_path : INITRAMFS_BUSYBOX,
			       INITRAMFS_BUSYBOX);
		if (ret)
			return ret;
		ret = cpio__add_symlink(p->c, "/bin/sh", "busybox");
		if (ret)
			return cpio_fail(p, ret);
	}
	for (size_t i = 0; i < o->nbins; i++) {
		const struct initramfs_bin *b = &o->bins[i];

		ret = pack_elf(p, b->host_path, b->guest_path ? b->guest_path : b->host_path);
		if (ret)
			return ret;
	}
	/* A library the guest's ld.so finds only through the cache needs the cache. */
	if (p->need_cache && !cpio__exists(p->c, LDCACHE_PATH)) {
		ret = cpio__add_host_file(p->c, LDCACHE_PATH, 0644,
					  o->ldcache_path ? o->ldcache_path : LDCACHE_PATH);
		if (ret)
			return cpio_fail(p, ret);
	}
	return pack_files(p, o->files, o->nfiles);
}

static int run(const char *out_path, int level, const struct initramfs_opts *o,
	       const struct initramfs_file *files, size_t nfiles,
	       void **buf, size_t *len, char *err, size_t errlen)
{
	struct pack p = { .o = o, .err = err, .errlen = errlen };
	struct sink s;
	int ret;

	ret = sink_open(&s, out_path, err, errlen);
	if (ret)
		return ret;
	p.c = cpio__new(s.fd, level);
	if (!p.c) {
		snprintf(err, errlen, "out of memory starting the archive");
		ret = -ENOMEM;
		goto out;
	}
	ret = o ? pack_base(&p) : pack_files(&p, files, nfiles);
	if (ret)
		goto out;
	ret = cpio__finish(p.c, buf, len);
	if (ret) {
		cpio_fail(&p, ret);
		goto out;
	}
	ret = sink_commit(&s, err, errlen);
	if (ret && !out_path && buf) {
		free(*buf);
		*buf = NULL;
	}
out:
	if (ret)
		sink_abort(&s);
	cpio__free(p.c);
	for (size_t i = 0; i < p.nseen; i++)
		free(p.seen[i].path);
	free(p.seen);
	return ret;
}

int initramfs__build(const struct initramfs_opts *o, void **buf, size_t *len,
		     char *err, size_t errlen)
{
	if (!o) {
		snprintf(err, errlen, "no initramfs options given");
		return -EINVAL;
	}
	if (!o->init) {
		snprintf(err, errlen, "no /init binary given (the ktstr agent)");
		return -EINVAL;
	}
	if (!o->out_path && (!buf || !len)) {
		snprintf(err, errlen, "no output: give out_path or a buffer");
		return -EINVAL;
	}
	if (o->level < 0 || o->level > 9) {
		snprintf(err, errlen, "compression level %d is not in 1..9", o->level);
		return -EINVAL;
	}
	return run(o->out_path, o->level ? o->level : -1, o, NULL, 0, buf, len, err, errlen);
}

int initramfs__write_overlay(const struct initramfs_file *files, size_t nfiles,
			     const char *out_path, void **buf, size_t *len,
			     char *err, size_t errlen)
{
	if (!out_path && (!buf || !len)) {
		snprintf(err, errlen, "no output: give out_path or a buffer");
		return -EINVAL;
	}
	return run(out_path, -1, NULL, files, nfiles, buf, len, err, errlen);
}

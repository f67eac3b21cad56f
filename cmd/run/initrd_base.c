// SPDX-License-Identifier: GPL-2.0
/* The guest's base archive, cached by content; see initrd_base.h. */
#include "initrd_base.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "elf_deps.h"
#include "base/fsutil.h"
#include "kernel/kernel_cache.h"
#include "ktstr-config.h"

/* Fold a file's path and content into @crc. */
static int key_file(uLong *crc, const char *path)
{
	uint32_t fcrc;
	int ret = fsutil__crc32(path, &fcrc);

	if (ret)
		return ret;
	*crc = crc32(*crc, (const Bytef *)path, (uInt)strlen(path) + 1);
	*crc = crc32(*crc, (const Bytef *)&fcrc, sizeof(fcrc));
	return 0;
}

/* Fold a binary, where it goes in the guest, and its whole library closure. */
static int key_binary(uLong *crc, const char *host, const char *guest, char *err, size_t errlen)
{
	struct elf_deps_opts o = { .guest_path = guest };
	struct elf_deps d = { 0 };
	int ret = key_file(crc, host);

	if (ret) {
		snprintf(err, errlen, "cannot read %s: %s", host, strerror(-ret));
		return ret;
	}
	if (guest)
		*crc = crc32(*crc, (const Bytef *)guest, (uInt)strlen(guest) + 1);
	ret = elf_deps__closure(host, &o, &d, err, errlen);
	if (ret)
		return ret;
	for (size_t i = 0; i < d.n && !ret; i++) {
		*crc = crc32(*crc, (const Bytef *)d.v[i].path, (uInt)strlen(d.v[i].path) + 1);
		ret = key_file(crc, d.v[i].real);
		if (ret)
			snprintf(err, errlen, "cannot read %s: %s", d.v[i].real, strerror(-ret));
	}
	elf_deps__free(&d);
	return ret;
}

int initrd_base__get(const char *agent, const struct initramfs_bin *bins, size_t nbins,
		     const char *tmpdir, char *path, size_t len, char *err, size_t errlen)
{
	struct initramfs_opts o = { .init = agent, .bins = bins, .nbins = nbins };
	const char *no_cache = getenv("KTSTR_NO_INITRAMFS_CACHE");
	char root[PATH_MAX], dir[PATH_MAX + 16];
	uLong crc = crc32(0L, Z_NULL, 0);
	int ret;

	crc = crc32(crc, (const Bytef *)KTSTR_VERSION, sizeof(KTSTR_VERSION));
	ret = key_binary(&crc, agent, "/init", err, errlen);
	for (size_t i = 0; i < nbins && !ret; i++)
		ret = key_binary(&crc, bins[i].host_path, bins[i].guest_path, err, errlen);
	if (ret)
		return ret;

	if ((no_cache && *no_cache) || kernel_cache__root(root, sizeof(root)) ||
	    fsutil__fmt(dir, sizeof(dir), "%s/initramfs", root) || fsutil__mkdir_p(dir, 0755)) {
		snprintf(dir, sizeof(dir), "%s", tmpdir);	/* not cached: build per run */
	}
	if (snprintf(path, len, "%s/base-%08lx.cpio.gz", dir, crc) >= (int)len) {
		snprintf(err, errlen, "path too long in %s", dir);
		return -ENAMETOOLONG;
	}
	if (!access(path, R_OK)) {
		utimensat(AT_FDCWD, path, NULL, 0);	/* last use, for initrd_base__prune */
		return 0;			/* a hit: same agent, programs, libraries */
	}
	o.out_path = path;			/* written to a temporary file, then renamed */
	return initramfs__build(&o, NULL, NULL, err, errlen);
}

struct base_file {
	char name[64];
	time_t mtime;
	off_t size;
};

static int newest_first(const void *a, const void *b)
{
	const struct base_file *x = a, *y = b;

	return (x->mtime < y->mtime) - (x->mtime > y->mtime);
}

unsigned initrd_base__prune(const char *root, unsigned keep, uint64_t *freed)
{
	char dir[PATH_MAX], path[PATH_MAX + 80];
	struct base_file *v = NULL;
	size_t n = 0, cap = 0;
	unsigned removed = 0;
	struct dirent *de;
	DIR *d;

	if (freed)
		*freed = 0;
	if (fsutil__fmt(dir, sizeof(dir), "%s/initramfs", root) || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		struct stat st;

		size_t len = strlen(de->d_name);

		/* Only finished archives: a running build's "base-X.cpio.gz.tmp-Y" stays. */
		if (strncmp(de->d_name, "base-", 5) || len < 8 || len >= sizeof(v->name) ||
		    strcmp(de->d_name + len - 8, ".cpio.gz"))
			continue;
		snprintf(path, sizeof(path), "%s/%.63s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			struct base_file *nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		snprintf(v[n].name, sizeof(v[n].name), "%.63s", de->d_name);
		v[n].mtime = st.st_mtime;
		v[n++].size = st.st_size;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), newest_first);
	for (size_t i = keep; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
		if (!unlink(path)) {
			removed++;
			if (freed)
				*freed += (uint64_t)v[i].size;
		}
	}
	free(v);
	return removed;
}

int initrd__assemble(const char *base, const struct initramfs_file *files, size_t nfiles,
		     const char *out, char *err, size_t errlen)
{
	void *overlay = NULL;
	size_t olen = 0;
	int fd, ret;

	ret = fsutil__copy(base, out);
	if (ret) {
		snprintf(err, errlen, "cannot copy %s to %s: %s", base, out, strerror(-ret));
		return ret;
	}
	ret = initramfs__write_overlay(files, nfiles, NULL, &overlay, &olen, err, errlen);
	if (ret)
		return ret;
	/* The kernel unpacks concatenated archives in order; later files win. */
	fd = open(out, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
	} else {
		ssize_t w = write(fd, overlay, olen);

		ret = w < 0 ? -errno : (size_t)w != olen ? -EIO : 0;
		close(fd);
	}
	if (ret)
		snprintf(err, errlen, "cannot append the overlay to %s: %s", out, strerror(-ret));
	free(overlay);
	return ret;
}

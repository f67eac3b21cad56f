// SPDX-License-Identifier: GPL-2.0
/* The cpio newc writer: headers, padding, path checks, gzip output. */
#include "cpio.h"
#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/err.h"

#define CPIO_CHUNK	(64 * 1024)
#define CPIO_HDR_LEN	110
#define CPIO_BLOCK	512

struct cpio_name {
	char *path;		/* normalised; NULL = free slot */
	bool dir;
};

struct cpio {
	int fd;			/* < 0: memory */
	z_stream zs;
	bool z_ready, finished, failed;
	uint8_t *mem;		/* memory output */
	size_t mem_len, mem_cap;
	uint64_t out_bytes;	/* compressed bytes emitted */
	uint64_t in_bytes;	/* uncompressed archive offset, for padding */
	uint32_t ino;
	struct cpio_name *names;
	size_t nnames, cap;	/* hash set, cap a power of two */
	uint8_t buf[CPIO_CHUNK];	/* deflate output */
	uint8_t inbuf[CPIO_CHUNK];	/* host file reads */
	char err[512];
};

struct cpio *cpio__new(int fd, int level)
{
	struct cpio *c;

	if (level == -1)
		level = CPIO_LEVEL_DEFAULT;
	if (level < 0 || level > 9)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = fd;
	/* 15 + 16: a gzip wrapper; zlib writes mtime 0 and no name into it. */
	if (deflateInit2(&c->zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(c);
		return NULL;
	}
	c->z_ready = true;
	return c;
}

void cpio__free(struct cpio *c)
{
	if (!c)
		return;
	if (c->z_ready)
		deflateEnd(&c->zs);
	for (size_t i = 0; i < c->cap; i++)
		free(c->names[i].path);
	free(c->names);
	free(c->mem);
	free(c);
}

const char *cpio__errmsg(const struct cpio *c)
{
	return c ? c->err : "out of memory";
}

uint64_t cpio__out_bytes(const struct cpio *c)
{
	return c->out_bytes;
}

uint32_t cpio__entries(const struct cpio *c)
{
	return c->ino;
}

/* ---- path set ---- */

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h;
}

static struct cpio_name *name_find(const struct cpio *c, const char *path)
{
	if (!c->cap)
		return NULL;
	for (size_t i = name_hash(path) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
		if (!c->names[i].path)
			return NULL;
		if (!strcmp(c->names[i].path, path))
			return &c->names[i];
	}
}

static int name_insert_slot(struct cpio_name *tab, size_t cap, char *path, bool dir)
{
	size_t i = name_hash(path) & (cap - 1);

	while (tab[i].path)
		i = (i + 1) & (cap - 1);
	tab[i].path = path;
	tab[i].dir = dir;
	return 0;
}

static int name_add(struct cpio *c, const char *path, bool dir)
{
	char *dup;

	if ((c->nnames + 1) * 2 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct cpio_name *tab = calloc(ncap, sizeof(*tab));

		if (!tab)
			return -ENOMEM;
		for (size_t i = 0; i < c->cap; i++)
			if (c->names[i].path)
				name_insert_slot(tab, ncap, c->names[i].path, c->names[i].dir);
		free(c->names);
		c->names = tab;
		c->cap = ncap;
	}
	dup = strdup(path);
	if (!dup)
		return -ENOMEM;
	name_insert_slot(c->names, c->cap, dup, dir);
	c->nnames++;
	return 0;
}

int cpio__check_path(const char *path, char *out, size_t cap, char *err, size_t errlen)
{
	const char *p = path, *comp;
	size_t len;

	if (!path) {
		snprintf(err, errlen, "archive path is missing");
		return -EINVAL;
	}
	if (*p == '/')
		p++;
	len = strlen(p);
	if (!len) {
		snprintf(err, errlen, "archive path '%s' is empty: name a file below the root", path);
		return -EINVAL;
	}
	if (len >= cap || len >= CPIO_PATH_MAX) {
		snprintf(err, errlen, "archive path '%.64s...' is too long (%zu bytes, at most %d)",
			 path, len, CPIO_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	for (comp = p;;) {
		const char *slash = strchr(comp, '/');
		size_t n = slash ? (size_t)(slash - comp) : strlen(comp);

		if (n == 0) {
			snprintf(err, errlen, "archive path '%s' has an empty component%s", path,
				 *p == '/' ? " (absolute after the leading '/')" :
				 !slash ? " (trailing '/')" : " ('//')");
			return -EINVAL;
		}
		if ((n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.')) {
			snprintf(err, errlen, "archive path '%s' has a '%.*s' component: give it without '.' or '..'",
				 path, (int)n, comp);
			return -EINVAL;
		}
		if (!slash)
			break;
		comp = slash + 1;
	}
	memcpy(out, p, len + 1);
	return 0;
}

bool cpio__exists(const struct cpio *c, const char *path)
{
	if (path && *path == '/')
		path++;
	return path && name_find(c, path) != NULL;
}

/* ---- output ---- */

static int sink(struct cpio *c, const uint8_t *p, size_t n)
{
	c->out_bytes += n;
	if (c->fd < 0) {
		if (c->mem_len + n > c->mem_cap) {
			size_t ncap = c->mem_cap ? c->mem_cap : CPIO_CHUNK;
			uint8_t *m;

			while (ncap < c->mem_len + n)
				ncap *= 2;
			m = realloc(c->mem, ncap);
			if (!m)
				return err__set(-ENOMEM, c->err, sizeof(c->err),
						"out of memory growing the archive to %zu bytes",
						ncap);
			c->mem = m;
			c->mem_cap = ncap;
		}
		memcpy(c->mem + c->mem_len, p, n);
		c->mem_len += n;
	} else {
		while (n) {
			ssize_t w = write(c->fd, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int e = w < 0 ? errno : EIO;

				return err__set(-e, c->err, sizeof(c->err),
						"writing the archive: %s", strerror(e));
			}
			p += w;
			n -= (size_t)w;
		}
	}
	return 0;
}

static int deflate_some(struct cpio *c, const void *data, size_t len, int flush)
{
	int zr, ret;

	c->zs.next_in = (Bytef *)data;
	c->zs.avail_in = (uInt)len;
	do {
		size_t have;

		c->zs.next_out = c->buf;
		c->zs.avail_out = sizeof(c->buf);
		zr = deflate(&c->zs, flush);
		if (zr == Z_STREAM_ERROR)
			return err__set(-EIO, c->err, sizeof(c->err), "zlib deflate failed");
		have = sizeof(c->buf) - c->zs.avail_out;
		ret = sink(c, c->buf, have);
		if (ret)
			return ret;
	} while (c->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

/* Feed uncompressed archive bytes (len fits in uInt: callers chunk). */
static int emit(struct cpio *c, const void *data, size_t len)
{
	int ret = deflate_some(c, data, len, Z_NO_FLUSH);

	if (!ret)
		c->in_bytes += len;
	return ret;
}

static int emit_pad4(struct cpio *c)
{
	static const uint8_t zeros[4];
	size_t pad = (4 - (c->in_bytes & 3)) & 3;

	return pad ? emit(c, zeros, pad) : 0;
}

static int emit_header(struct cpio *c, const char *name, mode_t mode, uint32_t nlink,
		       uint64_t size)
{
	char hdr[CPIO_HDR_LEN * 2];
	unsigned namesize = (unsigned)strlen(name) + 1;	/* < CPIO_PATH_MAX + 1 */
	int ret;

	/* ino mode uid gid nlink mtime size devmaj devmin rdevmaj rdevmin namesize check */
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ++c->ino, (unsigned)mode, 0u, 0u, nlink, 0u, (unsigned)size,
		 0u, 0u, 0u, 0u, namesize, 0u);
	ret = emit(c, hdr, CPIO_HDR_LEN);
	if (!ret)
		ret = emit(c, name, namesize);
	if (!ret)
		ret = emit_pad4(c);
	return ret;
}

static int usable(struct cpio *c)
{
	if (c->finished)
		return err__set(-EINVAL, c->err, sizeof(c->err), "archive already finished");
	if (c->failed)
		return err__set(-EIO, c->err, sizeof(c->err),
				"archive is incomplete after an earlier write error");
	return 0;
}

static int fail(struct cpio *c, int ret)
{
	c->failed = true;
	return ret;
}

/* Check @path into @norm; add missing parents; -EEXIST if @path exists. */
static int prepare(struct cpio *c, const char *path, char *norm)
{
	char err[sizeof(c->err)];
	struct cpio_name *e;
	int ret = usable(c);

	if (ret)
		return ret;
	ret = cpio__check_path(path, norm, CPIO_PATH_MAX, err, sizeof(err));
	if (ret) {
		memcpy(c->err, err, sizeof(err));
		return ret;
	}
	if (name_find(c, norm))
		return err__set(-EEXIST, c->err, sizeof(c->err),
				"archive path '/%s' is added twice", norm);
	for (char *s = strchr(norm, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		e = name_find(c, norm);
		if (e && !e->dir) {
			err__set(-ENOTDIR, c->err, sizeof(c->err),
				 "cannot add '/%s/%s': '/%s' is not a directory in the archive",
				 norm, s + 1, norm);
			*s = '/';
			return -ENOTDIR;
		}
		if (!e) {
			ret = name_add(c, norm, true);
			if (!ret)
				ret = emit_header(c, norm, S_IFDIR | 0755, 2, 0);
			if (ret) {
				*s = '/';
				return fail(c, ret);
			}
		}
		*s = '/';
	}
	return 0;
}

int cpio__add_dir(struct cpio *c, const char *path, mode_t mode)
{
	char norm[CPIO_PATH_MAX];
	int ret = prepare(c, path, norm);

	if (ret)
		return ret;
	ret = name_add(c, norm, true);
	if (!ret)
		ret = emit_header(c, norm, S_IFDIR | (mode & 07777), 2, 0);
	return ret ? fail(c, ret) : 0;
}

static int emit_body(struct cpio *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	int ret = 0;

	while (len && !ret) {
		size_t n = len < CPIO_CHUNK ? len : CPIO_CHUNK;

		ret = emit(c, p, n);
		p += n;
		len -= n;
	}
	return ret ? ret : emit_pad4(c);
}

int cpio__add_file(struct cpio *c, const char *path, mode_t mode, const void *data, size_t len)
{
	char norm[CPIO_PATH_MAX];
	int ret;

	if (len > UINT32_MAX)
		return err__set(-EFBIG, c->err, sizeof(c->err),
				"'%s' is %zu bytes: a newc archive holds at most 4 GiB - 1 per file",
				path, len);
	ret = prepare(c, path, norm);
	if (ret)
		return ret;
	ret = name_add(c, norm, false);
	if (!ret)
		ret = emit_header(c, norm, S_IFREG | (mode & 07777), 1, len);
	if (!ret)
		ret = emit_body(c, data, len);
	return ret ? fail(c, ret) : 0;
}

int cpio__add_host_file(struct cpio *c, const char *path, mode_t mode, const char *host)
{
	char norm[CPIO_PATH_MAX];
	struct stat st;
	uint64_t left;
	int fd, ret;

	ret = usable(c);
	if (ret)
		return ret;
	fd = fsutil__open_regular(host);
	if (fd < 0 || fstat(fd, &st)) {
		ret = fd < 0 ? fd : -errno;
		err__set(ret, c->err, sizeof(c->err),
			 "cannot read %s (for '%s' in the archive): %s", host, path,
			 fsutil__strerror(-ret));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = err__set(-EINVAL, c->err, sizeof(c->err),
			       "%s (for '%s' in the archive) is not a regular file", host, path);
		goto out;
	}
	if ((uint64_t)st.st_size > UINT32_MAX) {
		ret = err__set(-EFBIG, c->err, sizeof(c->err),
			       "%s is %lld bytes: a newc archive holds at most 4 GiB - 1 per file",
			       host, (long long)st.st_size);
		goto out;
	}
	ret = prepare(c, path, norm);
	if (ret)
		goto out;
	ret = name_add(c, norm, false);
	if (!ret)
		ret = emit_header(c, norm, S_IFREG | (mode ? mode & 07777 : st.st_mode & 07777),
				  1, (uint64_t)st.st_size);
	if (ret)
		goto failed;
	for (left = (uint64_t)st.st_size; left;) {
		ssize_t r = read(fd, c->inbuf, left < CPIO_CHUNK ? (size_t)left : CPIO_CHUNK);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = r < 0 ? -errno : -EIO;
			err__set(ret, c->err, sizeof(c->err), "reading %s: %s", host,
				 r < 0 ? strerror(-ret) : "file shrank while it was being archived");
			goto failed;
		}
		ret = emit(c, c->inbuf, (size_t)r);
		if (ret)
			goto failed;
		left -= (uint64_t)r;
	}
	ret = emit_pad4(c);
	if (ret)
		goto failed;
out:
	if (fd >= 0)
		close(fd);
	return ret;
failed:
	c->failed = true;
	goto out;
}

int cpio__add_symlink(struct cpio *c, const char *path, const char *target)
{
	char norm[CPIO_PATH_MAX];
	size_t len = target ? strlen(target) : 0;
	int ret;

	if (!len || len >= CPIO_PATH_MAX)
		return err__set(-EINVAL, c->err, sizeof(c->err),
				"symlink '%s' needs a target of 1..%d bytes", path,
				CPIO_PATH_MAX - 1);
	ret = prepare(c, path, norm);
	if (ret)
		return ret;
	ret = name_add(c, norm, false);
	if (!ret)
		ret = emit_header(c, norm, S_IFLNK | 0777, 1, len);
	if (!ret)
		ret = emit_body(c, target, len);
	return ret ? fail(c, ret) : 0;
}

int cpio__finish(struct cpio *c, void **buf, size_t *len)
{
	static const uint8_t zeros[CPIO_BLOCK];
	uint32_t ino;
	int ret = usable(c);

	if (ret)
		return ret;
	/* The trailer's inode is 0 by convention; keep the count of entries. */
	ino = c->ino;
	c->ino = (uint32_t)-1;
	ret = emit_header(c, "TRAILER!!!", 0, 1, 0);
	c->ino = ino;
	if (!ret)
		ret = deflate_some(c, NULL, 0, Z_FINISH);
	if (!ret && c->out_bytes % CPIO_BLOCK)
		ret = sink(c, zeros, CPIO_BLOCK - c->out_bytes % CPIO_BLOCK);
	if (ret)
		return fail(c, ret);
	c->finished = true;
	if (c->fd < 0) {
		if (buf) {
			*buf = c->mem;
			c->mem = NULL;
		}
		if (len)
			*len = c->mem_len;
	} else {
		if (buf)
			*buf = NULL;
		if (len)
			*len = c->out_bytes;
	}
	return 0;
}

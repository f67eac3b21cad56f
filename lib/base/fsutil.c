// SPDX-License-Identifier: GPL-2.0
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

int fsutil__open_regular(const char *path)
{
	struct stat st;
	int fd, flags;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int fsutil__create(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);

	return fd < 0 ? -errno : fd;
}

int fsutil__mkdir_here(const char *path)
{
	struct stat st;

	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	if (lstat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

const char *fsutil__strerror(int err)
{
	if (err == EINVAL)
		return "not a regular file (a FIFO, socket or device)";
	if (err == ELOOP)
		return "a symbolic link: ktstr writes no file through one (remove it, or name "
		       "the file itself)";
	return strerror(err);
}

int fsutil__read(const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = NULL;
	int fd, err = 0;

	*buf = NULL;
	fd = fsutil__open_regular(path);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t r;

		if (!b || n + 1 >= cap) {
			char *nb;

			if (b)
				cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
		if (n > max) {
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int fsutil__write(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	int err;

	if (fd < 0)
		return -errno;
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}

int fsutil__copy(const char *src, const char *dst)
{
	char buf[1 << 16];
	struct stat st;
	int in, out, err = 0;

	in = fsutil__open_regular(src);
	if (in < 0)
		return in;
	if (fstat(in, &st)) {
		err = -errno;
		close(in);
		return err;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, st.st_mode & 0777);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (!r)
			break;
		err = write_all(out, buf, (size_t)r);
		if (err)
			break;
	}
	close(in);
	if (close(out) && !err)
		err = -errno;
	if (err)
		unlink(dst);
	return err;
}

int fsutil__mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		return rmdir(path) && errno != ENOENT ? -1 : 0;
	return unlink(path) && errno != ENOENT ? -1 : 0;
}

int fsutil__rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? -errno : 0;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT))
		return errno ? -errno : -EIO;
	return 0;
}

static uint64_t du_total;

static int du_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		du_total += (uint64_t)st->st_size;
	return 0;
}

int fsutil__du(const char *path, uint64_t *bytes)
{
	int err;

	du_total = 0;
	err = nftw(path, du_one, 16, FTW_PHYS);
	*bytes = du_total;
	return err ? (errno ? -errno : -EIO) : 0;
}

int fsutil__crc32(const char *path, uint32_t *crc)
{
	static unsigned char buf[1 << 20];
	uLong c = crc32(0L, Z_NULL, 0);
	int fd, err = 0;

	fd = fsutil__open_regular(path);
	if (fd < 0)
		return fd;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (!r)
			break;
		c = crc32(c, buf, (uInt)r);
	}
	close(fd);
	*crc = (uint32_t)c;
	return err;
}

int fsutil__nonempty_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && st.st_size > 0;
}

int fsutil__fmt(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int fsutil__beside(const char *file, const char *name, char *buf, size_t cap)
{
	const char *slash = file ? strrchr(file, '/') : NULL;

	return fsutil__fmt(buf, cap, "%.*s/%s", slash ? (int)(slash - file) : 1,
			   slash ? file : ".", name);
}

static int fsutil__is_exec(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int fsutil__which(const char *name, char *path, size_t cap)
{
	const char *env = getenv("PATH"), *p;

	if (strchr(name, '/')) {
		if (!fsutil__is_exec(name) || (size_t)snprintf(path, cap, "%s", name) >= cap)
			return -ENOENT;
		return 0;
	}
	for (p = env && *env ? env : "/usr/local/bin:/usr/bin:/bin"; p; ) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int n = snprintf(path, cap, "%.*s/%s", (int)len, len ? p : ".", name);

		if (n > 0 && (size_t)n < cap && fsutil__is_exec(path))
			return 0;
		p = end ? end + 1 : NULL;
	}
	if (cap)
		path[0] = '\0';
	return -ENOENT;
}

// SPDX-License-Identifier: GPL-2.0
/* Reading a small file whole; see sysfs_read.h. */
#include "sysfs_read.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int sysfs__read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	if (r < 0) {
		int e = errno;

		close(fd);
		buf[0] = '\0';
		return -e;
	}
	close(fd);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	return (int)n;
}

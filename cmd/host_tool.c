// SPDX-License-Identifier: GPL-2.0
/* Asking host programs their version (finding them is fsutil__which()). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host_tool.h"

/* Pick the line from @out: the first saying "version", else the first non-empty one. */
static int host_tool__pick(char *out, char *buf, size_t cap)
{
	char *first = NULL, *save = NULL;

	for (char *l = strtok_r(out, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (!*l)
			continue;
		if (strcasestr(l, "version")) {
			first = l;
			break;
		}
		if (!first)
			first = l;
	}
	if (!first)
		return -ENODATA;
	snprintf(buf, cap, "%s", first);
	return 0;
}

int host_tool__version(const char *path, const char *arg, char *buf, size_t cap)
{
	char out[4096];
	size_t len = 0;
	int fds[2], status, ret = 0;
	struct timespec t0, now;
	pid_t pid;

	if (cap)
		buf[0] = '\0';
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(fds[0]);
		close(fds[1]);
		return ret;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (null >= 0)
			dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execl(path, path, arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= 5) {
			kill(pid, SIGKILL);
			ret = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = read(fds[0], out + len, sizeof(out) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(out) - 1) {
			kill(pid, SIGKILL);	/* enough said */
			break;
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret)
		return ret;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !len)
		return -ENOEXEC;
	out[len] = '\0';
	return host_tool__pick(out, buf, cap);
}

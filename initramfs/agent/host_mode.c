// SPDX-License-Identifier: GPL-2.0
/* The agent's host mode; see host_mode.h. */
#include "host_mode.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int host_mode__option(struct host_mode *h, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	char *end;
	long fd;

	if (!strcmp(a, "--host")) {
		h->on = true;
		return 1;
	}
	if (strcmp(a, "--cgroup") && strcmp(a, "--results-fd"))
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "ktstr-agent: missing value for '%s'\n", a);
		return -1;
	}
	if (!strcmp(a, "--cgroup")) {
		h->cgroup = argv[++*i];
		return 1;
	}
	errno = 0;
	fd = strtol(argv[++*i], &end, 10);
	if (errno || *end || end == argv[*i] || fd < 0 || fd > INT_MAX ||
	    fcntl((int)fd, F_GETFD) < 0) {
		fprintf(stderr, "ktstr-agent: --results-fd '%s': not an open file descriptor\n",
			argv[*i]);
		return -1;
	}
	h->results_fd = (int)fd;
	/* Workers fork without exec; what they exec must not hold ktstr's pipe open. */
	fcntl(h->results_fd, F_SETFD, FD_CLOEXEC);
	return 1;
}

int host_mode__check(const struct host_mode *h)
{
	if (h->on && (!h->cgroup || h->results_fd < 0)) {
		fprintf(stderr, "ktstr-agent: --host needs --cgroup DIR and --results-fd N\n");
		return -1;
	}
	if (!h->on && (h->cgroup || h->results_fd >= 0)) {
		fprintf(stderr, "ktstr-agent: --cgroup and --results-fd are for --host\n");
		return -1;
	}
	return 0;
}

int host_mode__enter(struct host_mode *h)
{
	char procs[CGROUP_PATH_MAX + 16];
	int fd, n, ret = 0;

	n = snprintf(h->park, sizeof(h->park), "%s/" HOST_MODE_AGENT_CG, h->cgroup);
	if (n < 0 || (size_t)n >= sizeof(h->park)) {
		fprintf(stderr, "ktstr-agent: --cgroup %s: path too long\n", h->cgroup);
		return -1;
	}
	if (mkdir(h->park, 0755) && errno != EEXIST) {
		fprintf(stderr, "ktstr-agent: cannot create the cgroup %s: %s\n", h->park,
			strerror(errno));
		return -1;
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", h->park);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	/* "0" is the writer itself. */
	if (fd < 0 || write(fd, "0", 1) != 1) {
		fprintf(stderr, "ktstr-agent: cannot move into %s: %s\n", procs, strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* The cgroups of ktstr run --host; see host_cgroup.h. */
#include "host_cgroup.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"

/* /proc/mounts writes ' ', '\t', '\n' and '\\' in paths as \ooo. */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int host_cg__find_mount(const char *mounts, char *buf, size_t len)
{
	const char *line = mounts;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char copy[PATH_MAX * 2], dev[64], dir[PATH_MAX], type[64];

		if (n < sizeof(copy)) {
			memcpy(copy, line, n);
			copy[n] = '\0';
			if (sscanf(copy, "%63s %4095s %63s", dev, dir, type) == 3 &&
			    !strcmp(type, "cgroup2")) {
				unescape(dir);
				if (strlen(dir) >= len)
					return -ENAMETOOLONG;
				strcpy(buf, dir);
				return 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

bool host_cg__is_ours(const char *name)
{
	const char *p = name + strlen(HOST_CG_PREFIX);

	if (strncmp(name, HOST_CG_PREFIX, strlen(HOST_CG_PREFIX)) || !*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

static bool write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

/* SIGKILL every pid in @dir/cgroup.procs and below; how many were listed. */
static unsigned kill_procs(const char *dir, int depth)
{
	char path[PATH_MAX], line[32];
	unsigned n = 0;
	struct dirent *de;
	FILE *f;
	DIR *d;

	if (depth > 64 || snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= (int)sizeof(path))
		return 0;
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		long pid = strtol(line, NULL, 10);

		if (pid > 0 && pid != getpid()) {
			kill((pid_t)pid, SIGKILL);
			n++;
		}
	}
	if (f)
		fclose(f);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		n += kill_procs(path, depth + 1);
	}
	if (d)
		closedir(d);
	return n;
}

/* rmdir @dir's subdirectories, then @dir. 0 or -errno of the first that stays. */
static int remove_tree(const char *dir, int depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (depth > 64)
		return -ELOOP;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		int r;

		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		r = remove_tree(path, depth + 1);
		if (r && !ret)
			ret = r;
	}
	closedir(d);
	if (rmdir(dir) && errno != ENOENT && !ret)
		ret = -errno;
	return ret;
}

int host_cg__kill_remove(const char *dir, unsigned timeout_ms)
{
	char kill_path[PATH_MAX];
	struct timespec t0, now;
	bool killed;
	int ret = 0;

	if (snprintf(kill_path, sizeof(kill_path), "%s/cgroup.kill", dir) >= (int)sizeof(kill_path))
		return -ENAMETOOLONG;
	/* cgroup.kill (5.14) takes the whole subtree, forks racing it included. */
	killed = write_str(kill_path, "1");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		/* Without cgroup.kill, or a straggler: each pid listed, by hand. */
		if (!killed || ret == -EBUSY)
			kill_procs(dir, 0);
		ret = remove_tree(dir, 0);
		if (ret != -EBUSY)
			return ret;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((uint64_t)(now.tv_sec - t0.tv_sec) * 1000 +
		    (uint64_t)(now.tv_nsec - t0.tv_nsec) / 1000000 >= timeout_ms)
			return ret;
		/* Killed tasks leave the cgroup as they finish exiting. */
		usleep(20000);
	}
}

/*
 * Creation and the leftover scan take this lock on @root, so that a scan
 * never sees a directory between its mkdir and its own lock.
 */
static int root_lock(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		return -1;
	}
	return fd;
}

int host_cg__clean_leftovers(const char *root)
{
	char path[PATH_MAX];
	struct dirent *de;
	int lock, n = 0, e;
	DIR *d;

	lock = root_lock(root);
	if (lock < 0)
		return -errno;
	d = opendir(root);
	if (!d) {
		e = -errno;
		close(lock);
		return e;
	}
	while ((de = readdir(d))) {
		int fd;

		if (de->d_type != DT_DIR || !host_cg__is_ours(de->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", root, de->d_name) >= (int)sizeof(path))
			continue;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* Held: its run lives (in whatever PID namespace). */
		if (!flock(fd, LOCK_EX | LOCK_NB) && !host_cg__kill_remove(path, 5000))
			n++;
		close(fd);
	}
	closedir(d);
	close(lock);
	return n;
}

int host_cg__create(struct host_cg *g, const char *root, char *err, size_t errlen)
{
	int lock, e;

	g->lock_fd = -1;
	if (snprintf(g->path, sizeof(g->path), "%s/" HOST_CG_PREFIX "%d", root, (int)getpid()) >=
	    (int)sizeof(g->path)) {
		g->path[0] = '\0';
		return err__set(-ENAMETOOLONG, err, errlen, "%s: path too long", root);
	}
	lock = root_lock(root);
	if (lock < 0) {
		e = errno;
		g->path[0] = '\0';
		return err__set(-e, err, errlen, "cannot open %s: %s", root, strerror(e));
	}
	if (mkdir(g->path, 0755)) {
		e = errno;
		close(lock);
		err__set(-e, err, errlen, "cannot create the cgroup %s: %s", g->path, strerror(e));
		g->path[0] = '\0';
		return -e;
	}
	g->lock_fd = open(g->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (g->lock_fd < 0 || flock(g->lock_fd, LOCK_EX | LOCK_NB)) {
		e = errno;
		close(lock);
		err__set(-e, err, errlen, "cannot lock the cgroup %s: %s", g->path, strerror(e));
		host_cg__remove(g);
		return -e;
	}
	close(lock);
	return 0;
}

int host_cg__remove(struct host_cg *g)
{
	int ret = 0;

	if (g->path[0])
		ret = host_cg__kill_remove(g->path, 5000);
	if (!ret)
		g->path[0] = '\0';
	if (g->lock_fd >= 0)
		close(g->lock_fd);	/* after the removal: never a moment unlocked */
	g->lock_fd = -1;
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* The agent's cgroup v2 tree; see cgroup.h. */
#include "cgroup.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Write @val to @path in one write(2). Returns 0 or -errno. */
static int write_now(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	/* cpuset.cpus takes "" as "\n"; an empty write would be a no-op. */
	if (write(fd, len ? val : "\n", len ? len : 1) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* A write done by a helper thread; whoever drops the last reference frees it. */
struct wjob {
	atomic_int refs;
	atomic_int done;
	int ret;
	char path[CGROUP_PATH_MAX + 32];
	char val[1024];
};

static void wjob__put(struct wjob *j)
{
	if (atomic_fetch_sub(&j->refs, 1) == 1)
		free(j);
}

static void *wjob__run(void *arg)
{
	struct wjob *j = arg;

	j->ret = write_now(j->path, j->val);
	atomic_store(&j->done, 1);
	wjob__put(j);
	return NULL;
}

/*
 * cgroup writes can block (a sched_ext scheduler vetting a move): do them in
 * a helper thread and give up after CGROUP_WRITE_TIMEOUT_MS.
 */
static int write_file(const char *path, const char *val)
{
	struct wjob *j = calloc(1, sizeof(*j));
	uint64_t deadline = mono_ns() + CGROUP_WRITE_TIMEOUT_MS * NSEC_PER_MSEC;
	pthread_t t;
	int ret;

	if (!j || strlen(path) >= sizeof(j->path) || strlen(val) >= sizeof(j->val)) {
		free(j);
		return write_now(path, val);
	}
	strcpy(j->path, path);
	strcpy(j->val, val);
	atomic_init(&j->refs, 2);
	if (pthread_create(&t, NULL, wjob__run, j)) {
		free(j);
		return write_now(path, val);
	}
	pthread_detach(t);
	while (!atomic_load(&j->done) && mono_ns() < deadline)
		usleep(200);
	ret = atomic_load(&j->done) ? j->ret : -ETIMEDOUT;
	if (ret == -ETIMEDOUT)
		agent__log("writing '%s' to %s did not finish in %d ms", val, path,
			   CGROUP_WRITE_TIMEOUT_MS);
	wjob__put(j);
	return ret;
}

/* Enable the controllers one by one, so a missing one does not block the rest. */
static void enable_controllers(const char *dir)
{
	static const char *const ctl[] = { "+cpuset", "+cpu" };
	char path[CGROUP_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	for (size_t i = 0; i < 2; i++) {
		int ret = write_file(path, ctl[i]);

		if (ret)
			agent__log("cannot enable the %s controller in %s: %s (see cgroup.controllers)",
				   ctl[i] + 1, path, strerror(-ret));
	}
}

static int path_of(const struct cgroups *c, const char *name, const char *file, char *buf,
		   size_t len)
{
	int n = snprintf(buf, len, "%s/%s%s%s", c->root, name, file ? "/" : "", file ? file : "");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int cgroups__init(struct cgroups *c, const char *base, const char *name, char *err,
		  size_t errlen)
{
	struct statfs sf;

	memset(c, 0, sizeof(*c));
	if (!base)
		return 0;
	if (strlen(base) + strlen(name) + 2 >= sizeof(c->base)) {
		snprintf(err, errlen, "cgroup base %s: path too long", base);
		return -ENAMETOOLONG;
	}
	if (statfs(base, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(err, errlen, "%s is not a cgroup2 mount; use a cgroup2 directory or "
			 "run without cgroups", base);
		return -ENOTDIR;
	}
	snprintf(c->base, sizeof(c->base), "%s", base);
	snprintf(c->root, sizeof(c->root), "%s/%s", base, name);
	enable_controllers(c->base);
	if (mkdir(c->root, 0755) && errno != EEXIST) {
		int ret = -errno;

		snprintf(err, errlen, "cannot create the cgroup %s: %s", c->root, strerror(errno));
		return ret;
	}
	enable_controllers(c->root);
	c->enabled = true;
	return 0;
}

void cgroups__park(struct cgroups *c, const char *dir)
{
	snprintf(c->park, sizeof(c->park), "%s", dir ? dir : "");
}

/* Move every pid listed in @dir/cgroup.procs to the base cgroup (or the park). */
static void drain(const struct cgroups *c, const char *dir)
{
	char path[CGROUP_PATH_MAX + 32], dst[CGROUP_PATH_MAX + 32], line[32];
	FILE *f;

	/* A threaded cgroup cannot list cgroup.procs; its cgroup.threads works. */
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(dst, sizeof(dst), "%s/cgroup.procs", c->park[0] ? c->park : c->base);
	f = fopen(path, "re");
	if (f && !fgets(line, sizeof(line), f) && ferror(f)) {
		fclose(f);
		snprintf(path, sizeof(path), "%s/cgroup.threads", dir);
		f = fopen(path, "re");
	} else if (f) {
		rewind(f);
	}
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		/* A tid written to cgroup.procs moves its whole process. */
		write_file(dst, line);
	}
	fclose(f);
}

/* @dir has tasks, or is threaded (then cgroup.procs cannot be read). */
static bool has_tasks(const char *dir)
{
	char path[CGROUP_PATH_MAX + 32], line[32];
	bool ret;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return false;
	ret = fgets(line, sizeof(line), f) != NULL || ferror(f);
	fclose(f);
	return ret;
}

/* Remove @dir and every cgroup below it, deepest first (leftovers only). */
static void remove_tree(const struct cgroups *c, const char *dir, int depth)
{
	char sub[CGROUP_PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (depth > 32)
		return;
	d = opendir(dir);
	if (d) {
		while ((de = readdir(d))) {
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			if (snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= (int)sizeof(sub))
				continue;
			remove_tree(c, sub, depth + 1);
		}
		closedir(d);
	}
	drain(c, dir);
	rmdir(dir);
}

void cgroups__destroy(struct cgroups *c)
{
	if (!c->enabled)
		return;
	remove_tree(c, c->root, 0);
	c->enabled = false;
}

int cgroup__create(struct cgroups *c, const char *name, char *err, size_t errlen)
{
	char path[CGROUP_PATH_MAX];
	bool threaded = false;
	const char *slash;

	if (!c->enabled)
		return 0;
	if (path_of(c, name, NULL, path, sizeof(path))) {
		snprintf(err, errlen, "cgroup '%s': path too long", name);
		return -ENAMETOOLONG;
	}
	slash = strrchr(name, '/');
	if (slash) {
		char parent[CGROUP_PATH_MAX];

		/* @path is root/name: cut it at the last '/' of name. */
		snprintf(parent, sizeof(parent), "%s", path);
		parent[strlen(c->root) + 1 + (size_t)(slash - name)] = '\0';
		enable_controllers(parent);
		threaded = has_tasks(parent);
	}
	if (mkdir(path, 0755)) {
		int ret = -errno;

		snprintf(err, errlen, "cannot create the cgroup %s: %s", path, strerror(errno));
		return ret;
	}
	/*
	 * The no-internal-process rule: a parent with workers of its own
	 * (cpuset and cpu are threaded controllers) can only have threaded
	 * children; whole processes may still be moved into those.
	 */
	if (threaded) {
		char type[CGROUP_PATH_MAX + 16];
		int ret;

		snprintf(type, sizeof(type), "%s/cgroup.type", path);
		ret = write_file(type, "threaded");
		if (ret)
			agent__log("cannot make %s threaded: %s", path, strerror(-ret));
	}
	return 0;
}

int cgroup__remove(struct cgroups *c, const char *name, char *err, size_t errlen)
{
	char path[CGROUP_PATH_MAX];

	if (!c->enabled)
		return 0;
	if (path_of(c, name, NULL, path, sizeof(path)))
		return -ENAMETOOLONG;
	drain(c, path);
	/* A task that just exited may still be listed for a moment. */
	for (int i = 0; i < 20; i++) {
		if (!rmdir(path) || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		usleep(10000);
	}
	snprintf(err, errlen, "cannot remove the cgroup %s: %s", path, strerror(errno));
	return -errno;
}

/*
 * The kernel refuses to empty the cpuset of a cgroup with tasks (ENOSPC), so
 * clearing one gives it what it would inherit: the parent's effective CPUs.
 * @path is ".../cg/cpuset.cpus"; the result is in @buf.
 */
static int parent_effective_cpus(const char *path, char *buf, size_t len)
{
	char parent[CGROUP_PATH_MAX + 32], *slash;
	ssize_t n;
	int fd;

	snprintf(parent, sizeof(parent), "%s", path);
	for (int i = 0; i < 2; i++) {	/* drop "cpuset.cpus", then the cgroup */
		slash = strrchr(parent, '/');
		if (!slash)
			return -EINVAL;
		*slash = '\0';
	}
	if (strlen(parent) + sizeof("/cpuset.cpus.effective") > sizeof(parent))
		return -ENAMETOOLONG;
	strcat(parent, "/cpuset.cpus.effective");
	fd = open(parent, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? 0 : -ENOENT;
}

int cgroup__set_cpus(struct cgroups *c, const char *name, const struct cpumask *m, char *err,
		     size_t errlen)
{
	char path[CGROUP_PATH_MAX], list[1024] = "";
	int ret;

	if (!c->enabled)
		return 0;
	if (path_of(c, name, "cpuset.cpus", path, sizeof(path)))
		return -ENAMETOOLONG;
	if (m)
		cpumask__format(m, list, sizeof(list));
	ret = write_file(path, list);
	if (ret == -ENOSPC && !m && parent_effective_cpus(path, list, sizeof(list)) == 0)
		ret = write_file(path, list);
	if (ret)
		snprintf(err, errlen, "cannot write '%s' to %s: %s", list, path, strerror(-ret));
	return ret;
}

const char *cgroup__procs(const struct cgroups *c, const char *name, char *buf, size_t len)
{
	if (!c->enabled || path_of(c, name, "cgroup.procs", buf, len))
		return NULL;
	return buf;
}

int cgroup__add_pid(struct cgroups *c, const char *name, int pid)
{
	char path[CGROUP_PATH_MAX], val[16];
	int ret = 0;

	if (!cgroup__procs(c, name, path, sizeof(path)))
		return 0;
	snprintf(val, sizeof(val), "%d", pid);
	for (int i = 0; i < 4; i++) {
		ret = write_file(path, val);
		if (ret != -EBUSY)
			break;
		usleep(100000);
	}
	return ret == -ESRCH ? 0 : ret;
}

int cgroup__clear_subtree(struct cgroups *c, const char *name)
{
	char path[CGROUP_PATH_MAX];

	if (!c->enabled)
		return 0;
	if (path_of(c, name, "cgroup.subtree_control", path, sizeof(path)))
		return -ENAMETOOLONG;
	return write_file(path, "-cpuset -cpu");
}

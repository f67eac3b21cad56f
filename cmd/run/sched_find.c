// SPDX-License-Identifier: GPL-2.0
/* Finding a scheduler's binary; see sched_find.h. */
#include "sched_find.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "scenario/scenario_load.h"

static int exe_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

static int try_at(const char *dir, const char *name, char *out, size_t len)
{
	return !fsutil__fmt(out, len, "%s/%s", dir, name) && exe_file(out);
}

int sched_find__in(const char *binary, const char *env, const char *exe_dir, char *out,
		   size_t len, char *err, size_t errlen)
{
	char bpf_dir[PATH_MAX + 8] = "";
	struct stat st;

	if (!binary || !*binary) {
		snprintf(err, errlen, "a scheduler definition without a binary");
		return -EINVAL;
	}
	if (strchr(binary, '/')) {
		if (exe_file(binary)) {
			snprintf(out, len, "%s", binary);
			return 0;
		}
		snprintf(err, errlen, "scheduler binary %s: %s", binary,
			 access(binary, F_OK) ? strerror(errno) : "not an executable file");
		return -ENOENT;
	}
	if (env && *env) {
		if (!stat(env, &st) && S_ISDIR(st.st_mode)) {
			if (try_at(env, binary, out, len))
				return 0;
		} else if (exe_file(env)) {
			snprintf(out, len, "%s", env);
			return 0;
		} else {
			snprintf(err, errlen, "KTSTR_SCHEDULER=%s is neither an executable file nor "
				 "a directory", env);
			return -ENOENT;
		}
	}
	if (exe_dir && *exe_dir) {
		if (try_at(exe_dir, binary, out, len))
			return 0;
		fsutil__fmt(bpf_dir, sizeof(bpf_dir), "%s/../bpf", exe_dir);
		if (try_at(bpf_dir, binary, out, len))
			return 0;
	}
	if (!fsutil__which(binary, out, len) && exe_file(out))
		return 0;
	snprintf(err, errlen,
		 "scheduler '%s' not found. Set KTSTR_SCHEDULER=/path (the binary, or a "
		 "directory holding it), or put it next to ktstr (%s), in the build's bpf/ "
		 "(%s) or on PATH%s%s",
		 binary, exe_dir && *exe_dir ? exe_dir : "?", bpf_dir[0] ? bpf_dir : "?",
		 env && *env ? "; KTSTR_SCHEDULER=" : "", env && *env ? env : "");
	return -ENOENT;
}

int sched_find(const char *binary, char *out, size_t len, char *err, size_t errlen)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return sched_find__in(binary, getenv("KTSTR_SCHEDULER"), exe, out, len, err, errlen);
}

/* ---- flags: from-binary */

#define LIST_FLAGS_MAX (64u << 10)
#define LIST_FLAGS_TIMEOUT_MS 5000

/* Milliseconds left of LIST_FLAGS_TIMEOUT_MS since @t0 (@now is scratch). */
static long ms_left(const struct timespec *t0, struct timespec *now)
{
	clock_gettime(CLOCK_MONOTONIC, now);
	return LIST_FLAGS_TIMEOUT_MS - ((now->tv_sec - t0->tv_sec) * 1000 +
					(now->tv_nsec - t0->tv_nsec) / 1000000);
}

/*
 * Run @path --list-flags; its stdout into *@out (malloc'd, NUL-terminated).
 * Bounded: LIST_FLAGS_TIMEOUT_MS from start to exit, then its process group
 * is killed.
 */
static int list_flags(const char *path, char **out, char *err, size_t errlen)
{
	char *buf = malloc(LIST_FLAGS_MAX + 1);
	size_t len = 0;
	int pfd[2], st = 0, ret = 0;
	struct timespec t0, now;
	pid_t pid;

	if (!buf || pipe2(pfd, O_CLOEXEC)) {
		free(buf);
		snprintf(err, errlen, "%s", buf ? strerror(errno) : "out of memory");
		return -ENOMEM;
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		setpgid(0, 0);	/* its own group: a timeout kills what it started too */
		dup2(pfd[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		execl(path, path, "--list-flags", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		free(buf);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -errno;
	}
	setpgid(pid, pid);	/* as the child does: no race with the kill below */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		long ms = ms_left(&t0, &now);
		ssize_t n;

		if (ms <= 0 || poll(&p, 1, (int)ms) == 0) {
			snprintf(err, errlen, "%s --list-flags did not finish within %d s", path,
				 LIST_FLAGS_TIMEOUT_MS / 1000);
			ret = -ETIMEDOUT;
			break;
		}
		n = read(pfd[0], buf + len, LIST_FLAGS_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == LIST_FLAGS_MAX) {
			snprintf(err, errlen, "%s --list-flags printed more than %u bytes", path,
				 LIST_FLAGS_MAX);
			ret = -E2BIG;
			break;
		}
	}
	close(pfd[0]);
	/*
	 * Its stdout closed is not its end: wait for the exit within the same
	 * deadline, then kill its whole group (it, and whatever it started).
	 */
	while (!ret) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			ret = -errno;
			snprintf(err, errlen, "waiting for %s --list-flags: %s", path, strerror(errno));
			break;
		}
		if (ms_left(&t0, &now) <= 0) {
			snprintf(err, errlen, "%s --list-flags did not exit within %d s", path,
				 LIST_FLAGS_TIMEOUT_MS / 1000);
			ret = -ETIMEDOUT;
			break;
		}
		usleep(10000);
	}
	kill(-pid, SIGKILL);	/* the group: harmless when it is gone */
	if (ret)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	if (!ret && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		snprintf(err, errlen, "%s --list-flags failed (%s %d): does it support "
			 "--list-flags?", path, WIFEXITED(st) ? "exit status" : "signal",
			 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		ret = -EINVAL;
	}
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static const char **copy_strs(struct arena *a, const char **v, size_t n)
{
	const char **c = n ? arena__calloc(a, n, sizeof(*c)) : NULL;

	for (size_t i = 0; c && i < n; i++)
		if (!(c[i] = arena__strdup(a, v[i])))
			return NULL;
	return n && !c ? NULL : c;
}

int sched_find__learn_flags(struct scenario_set *set, struct sched_def *def, char *err,
			    size_t errlen)
{
	char path[PATH_MAX], *json = NULL;
	int ret;

	ret = sched_find(def->binary ? def->binary : def->name, path, sizeof(path), err, errlen);
	if (ret)
		return ret;
	ret = list_flags(path, &json, err, errlen);
	if (ret)
		return ret;
	ret = sched_find__flags_from_json(set, def, path, json, err, errlen);
	free(json);
	return ret;
}

int sched_find__flags_from_json(struct scenario_set *set, struct sched_def *def,
				const char *path, const char *json, char *err, size_t errlen)
{
	char name[PATH_MAX + 32], *doc = NULL;
	struct scenario_set scratch;
	struct diag_list d = { 0 };
	const struct sched_def *got;
	int ret = 0;

	/* JSON is YAML: load it as a written flags list, with the same checks. */
	if (asprintf(&doc, "name: x\nflags: %s\n", json) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "%s --list-flags", path);
	scenario_set__init(&scratch);
	if (sched_defs__load_buffer(&scratch, name, doc, strlen(doc), &d) || !scratch.nscheds) {
		snprintf(err, errlen, "%s: %s", name,
			 d.n ? d.items[0].msg : "not a JSON array of {name, args, requires}");
		ret = -EINVAL;
		goto out;
	}
	got = scratch.scheds[0];
	def->flags = got->nflags ? arena__calloc(&set->arena, got->nflags, sizeof(*def->flags))
				 : NULL;
	def->nflags = 0;
	for (size_t i = 0; i < got->nflags; i++) {
		const struct sched_flag *g = &got->flags[i];
		struct sched_flag *f = def->flags ? &def->flags[i] : NULL;

		if (!f || !(f->name = arena__strdup(&set->arena, g->name)) ||
		    (g->nargs && !(f->args = copy_strs(&set->arena, g->args, g->nargs))) ||
		    (g->nrequires &&
		     !(f->requires = copy_strs(&set->arena, g->requires, g->nrequires)))) {
			snprintf(err, errlen, "out of memory");
			ret = -ENOMEM;
			goto out;
		}
		f->nargs = g->nargs;
		f->nrequires = g->nrequires;
		f->loc = def->loc;
		def->nflags++;
	}
out:
	free(doc);
	diag__free(&d);
	scenario_set__free(&scratch);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* --json, --junit and --results-dir for `ktstr run` and `ktstr gauntlet`. */
#include "outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "out_junit.h"
#include "results_dir.h"

struct outputs {
	struct outputs_opts oo;
	char *cmd;
	FILE *json;			/* NULL, stdout or an opened file */
	FILE *junit;			/* opened at open, written at close */
	char *json_tmp, *junit_tmp;	/* their temporary names until outputs__close() */
	struct outcome *cases;		/* copies for the JUnit file */
	size_t ncases, cap;
	long long started;
	int lost;			/* the first write that failed (-errno), else 0 */
};

int outputs__option(struct outputs_opts *oo, int c, const char *arg, const char *cmd)
{
	const char **slot;
	const char *name;

	switch (c) {
	case OUTPUTS_OPT_JSON:
		slot = &oo->json;
		name = "--json";
		break;
	case OUTPUTS_OPT_JUNIT:
		slot = &oo->junit;
		name = "--junit";
		break;
	case OUTPUTS_OPT_RESULTS_DIR:
		slot = &oo->results_dir;
		name = "--results-dir";
		break;
	default:
		return 0;
	}
	if (!arg || !*arg) {
		fprintf(stderr, "ktstr %s: %s needs a non-empty path\n", cmd, name);
		return -1;
	}
	if (c == OUTPUTS_OPT_JUNIT && !strcmp(arg, "-")) {
		fprintf(stderr, "ktstr %s: --junit needs a file name ('-' is for --json only)\n",
			cmd);
		return -1;
	}
	*slot = arg;
	return 1;
}

/*
 * A stream for @path, written under a temporary name beside it (@tmp,
 * malloc'd) and renamed into place by outputs__close(): a run that fails
 * before its end leaves @path as it was, and opening it here proves the
 * directory writable before any VM boots. Never through a symbolic link.
 */
static FILE *create_stream(const char *path, char **tmp, int *e)
{
	const char *base = strrchr(path, '/');
	struct stat st;
	FILE *f;
	int fd;

	*tmp = NULL;
	if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		*e = ELOOP;
		return NULL;
	}
	base = base ? base + 1 : path;
	if (asprintf(tmp, "%.*s.%s.ktstr-%d.tmp", (int)(base - path), path, base,
		     (int)getpid()) < 0) {
		*tmp = NULL;
		*e = ENOMEM;
		return NULL;
	}
	fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	*e = errno;
	if (!f) {
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

/* Close @f and rename @tmp to @path (0), or remove @tmp when @keep is false or it fails. */
static int finish_stream(FILE *f, char *tmp, const char *path, bool keep)
{
	int ret = 0;

	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		ret = -(errno ? errno : EIO);
	if (fclose(f) && !ret)
		ret = -(errno ? errno : EIO);
	if (keep && !ret && rename(tmp, path))
		ret = -errno;
	if (!keep || ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

int outputs__open(const struct outputs_opts *oo, const char *cmd, struct outputs **out)
{
	struct outputs *o = calloc(1, sizeof(*o));
	char err[512];
	int e;

	*out = NULL;
	if (!o || !(o->cmd = strdup(cmd))) {
		free(o);
		fprintf(stderr, "ktstr %s: out of memory\n", cmd);
		return 2;
	}
	o->oo = *oo;
	o->started = (long long)time(NULL);
	if (oo->json) {
		if (!strcmp(oo->json, "-")) {
			o->json = stdout;
		} else if (!(o->json = create_stream(oo->json, &o->json_tmp, &e))) {
			fprintf(stderr, "ktstr %s: --json %s: %s\n", cmd, oo->json, fsutil__strerror(e));
			goto fail;
		}
	}
	if (oo->junit && !(o->junit = create_stream(oo->junit, &o->junit_tmp, &e))) {
		fprintf(stderr, "ktstr %s: --junit %s: %s\n", cmd, oo->junit, fsutil__strerror(e));
		goto fail;
	}
	if (oo->results_dir && results_dir__create(oo->results_dir, err, sizeof(err))) {
		fprintf(stderr, "ktstr %s: --results-dir: %s\n", cmd, err);
		goto fail;
	}
	*out = o;
	return 0;
fail:
	if (o->json && o->json != stdout)
		finish_stream(o->json, o->json_tmp, oo->json, false);
	if (o->junit)
		finish_stream(o->junit, o->junit_tmp, oo->junit, false);
	free(o->cmd);
	free(o);
	return 2;
}

FILE *outputs__human(const struct outputs *outs)
{
	return outs && outs->json == stdout ? stderr : stdout;
}

const char *outputs__results_dir(const struct outputs *outs)
{
	return outs ? outs->oo.results_dir : NULL;
}

static int keep_case(struct outputs *outs, const struct outcome *o)
{
	if (outs->ncases == outs->cap) {
		size_t cap = outs->cap ? outs->cap * 2 : 16;
		struct outcome *p = realloc(outs->cases, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		outs->cases = p;
		outs->cap = cap;
	}
	if (outcome__dup(&outs->cases[outs->ncases], o))
		return -ENOMEM;
	outs->ncases++;
	return 0;
}

int outputs__variant(struct outputs *outs, struct outcome *o, const struct results_logs *logs)
{
	char err[512];
	int ret = 0, r;

	if (!outs)
		return 0;
	if (outs->oo.results_dir && logs &&
	    (r = results_dir__write(outs->oo.results_dir, o, logs, err, sizeof(err)))) {
		fprintf(stderr, "ktstr %s: warning: --results-dir: %s\n", outs->cmd, err);
		ret = r;
	}
	if (outs->json) {
		r = outcome__write_json(o, outs->json);
		if (!r && fflush(outs->json))
			r = -errno;
		if (r) {
			fprintf(stderr, "ktstr %s: warning: --json %s: %s\n", outs->cmd,
				outs->oo.json, strerror(-r));
			ret = ret ? ret : r;
		}
	}
	if (outs->junit && (r = keep_case(outs, o))) {
		fprintf(stderr, "ktstr %s: warning: out of memory keeping %s for --junit\n",
			outs->cmd, o->name);
		ret = ret ? ret : r;
	}
	if (ret && !outs->lost)
		outs->lost = ret;
	return ret;
}

static int close_all(struct outputs *outs, bool keep)
{
	char suite[64];
	int ret = 0, r;

	if (!outs)
		return 0;
	if (outs->json && outs->json != stdout &&
	    (r = finish_stream(outs->json, outs->json_tmp, outs->oo.json, keep))) {
		fprintf(stderr, "ktstr %s: --json %s: %s\n", outs->cmd, outs->oo.json,
			strerror(-r));
		ret = r;
	}
	if (outs->junit) {
		snprintf(suite, sizeof(suite), "ktstr %s", outs->cmd);
		int w = keep ? out_junit__write(outs->junit, suite, outs->started, outs->cases,
						outs->ncases) : 0;

		r = finish_stream(outs->junit, outs->junit_tmp, outs->oo.junit, keep && !w);
		if (w || r) {
			fprintf(stderr, "ktstr %s: --junit %s: write failed: %s\n", outs->cmd,
				outs->oo.junit, strerror(r < 0 ? -r : EIO));
			ret = ret ? ret : -EIO;
		}
	}
	/* The human lines (or --json -) on stdout: a full disk is no green run. */
	if (keep && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "ktstr %s: writing to standard output failed: %s\n", outs->cmd,
			strerror(errno ? errno : EIO));
		ret = ret ? ret : -EIO;
	}
	if (!ret && outs->lost)
		ret = outs->lost;	/* said when it happened: a result was not kept */
	for (size_t i = 0; i < outs->ncases; i++)
		outcome__free(&outs->cases[i]);
	free(outs->cases);
	free(outs->cmd);
	free(outs);
	return ret;
}

int outputs__close(struct outputs *outs)
{
	return close_all(outs, true);
}

void outputs__abort(struct outputs *outs)
{
	close_all(outs, false);
}

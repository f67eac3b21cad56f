// SPDX-License-Identifier: GPL-2.0
/* --json, --junit and --results-dir for `ktstr run` and `ktstr gauntlet`. */
#include "outputs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
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

/* @path created for writing, never through a symbolic link (fsutil__create). */
static FILE *create_stream(const char *path, int *e)
{
	int fd = fsutil__create(path, 0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	*e = fd < 0 ? -fd : errno;
	if (!f && fd >= 0)
		close(fd);
	return f;
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
		} else if (!(o->json = create_stream(oo->json, &e))) {
			fprintf(stderr, "ktstr %s: --json %s: %s\n", cmd, oo->json, fsutil__strerror(e));
			goto fail;
		}
	}
	if (oo->junit && !(o->junit = create_stream(oo->junit, &e))) {
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
		fclose(o->json);
	if (o->junit)
		fclose(o->junit);
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

int outputs__close(struct outputs *outs)
{
	char suite[64];
	int ret = 0;

	if (!outs)
		return 0;
	if (outs->json && outs->json != stdout && fclose(outs->json)) {
		fprintf(stderr, "ktstr %s: --json %s: %s\n", outs->cmd, outs->oo.json,
			strerror(errno));
		ret = -EIO;
	}
	if (outs->junit) {
		snprintf(suite, sizeof(suite), "ktstr %s", outs->cmd);
		if (out_junit__write(outs->junit, suite, outs->started, outs->cases, outs->ncases) |
		    fclose(outs->junit)) {
			fprintf(stderr, "ktstr %s: --junit %s: write failed\n", outs->cmd,
				outs->oo.junit);
			ret = -EIO;
		}
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

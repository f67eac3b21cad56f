// SPDX-License-Identifier: GPL-2.0
/* What the subcommands share: loading scenario files, the expansion options. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "base/diag.h"
#include "base/tmpdir.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"
#include "run/sched_find.h"

int cli_inputs__add_sched(struct cli_inputs *in, const char *path)
{
	const char **p = realloc(in->sched_files, (in->nsched_files + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	p[in->nsched_files++] = path;
	in->sched_files = p;
	return 0;
}

void cli_inputs__free(struct cli_inputs *in)
{
	free(in->sched_files);
	in->sched_files = NULL;
	in->nsched_files = 0;
}

/* The paths found under a directory argument. */
struct found {
	char **paths;
	size_t n, cap;
};

static int found__add(struct found *f, const char *path)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		char **p = realloc(f->paths, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		f->paths = p;
		f->cap = cap;
	}
	if (!(f->paths[f->n] = strdup(path)))
		return -ENOMEM;
	f->n++;
	return 0;
}

static bool is_yaml(const char *name)
{
	size_t len = strlen(name);

	return (len > 5 && !strcmp(name + len - 5, ".yaml")) ||
	       (len > 4 && !strcmp(name + len - 4, ".yml"));
}

/*
 * The scenario files under @dir, recursively: *.yaml and *.yml, but not in a
 * schedulers/ folder (scheduler definitions, found beside their scenarios)
 * nor hidden entries. Depth-limited: a link loop ends.
 */
static int collect(const char *dir, struct found *f, int depth)
{
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (depth > 16)
		return 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path) ||
		    stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && strcmp(de->d_name, "schedulers"))
			ret = collect(path, f, depth + 1);
		else if (S_ISREG(st.st_mode) && is_yaml(de->d_name))
			ret = found__add(f, path);
	}
	closedir(d);
	return ret;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load one scenario file; an error count. */
static int load_one(struct scenario_set *set, const char *path, struct diag_list *d)
{
	size_t before = set->n;
	int e = scenario__load_file(set, path, d);

	if (!e && set->n == before) {
		diag__add(d, (struct src_loc){ .file = path },
			  "no scenario in this file (expected a YAML map with at least 'name')");
		e = 1;
	}
	return e;
}

/* A directory argument: every scenario file under it, in byte order of the paths. */
static int load_dir(struct scenario_set *set, const char *dir, struct diag_list *d)
{
	struct found f = { 0 };
	int errors = 0, r = collect(dir, &f, 0);

	if (r) {
		diag__add(d, (struct src_loc){ .file = dir }, "cannot read the directory: %s",
			  strerror(-r));
		errors++;
	} else if (!f.n) {
		diag__add(d, (struct src_loc){ .file = dir },
			  "no scenario files (*.yaml) under this directory");
		errors++;
	}
	if (f.n)	/* qsort's array may not be NULL, even for no element */
		qsort(f.paths, f.n, sizeof(*f.paths), path_cmp);
	for (size_t i = 0; !r && i < f.n; i++)
		errors += load_one(set, f.paths[i], d);
	for (size_t i = 0; i < f.n; i++)
		free(f.paths[i]);
	free(f.paths);
	return errors;
}

int cli_inputs__sched_override(struct cli_inputs *in, const char *name, const char *cmd)
{
	if (!name[0] || strchr(name, '/')) {
		fprintf(stderr, "ktstr %s: --scheduler takes a scheduler's name (eevdf, or a "
			"definition's name), got '%s'; a definition file goes to --schedulers\n",
			cmd, name);
		return -EINVAL;
	}
	in->sched_override = name;
	return 0;
}

int cli__load(struct scenario_set *set, const struct cli_inputs *in)
{
	struct diag_list d = { 0 };
	int errors = 0;

	for (size_t i = 0; i < in->nsched_files; i++)
		errors += sched_defs__load_file(set, in->sched_files[i], &d);
	for (size_t i = 0; i < in->nfiles; i++) {
		struct stat st;

		if (!stat(in->files[i], &st) && S_ISDIR(st.st_mode))
			errors += load_dir(set, in->files[i], &d);
		else
			errors += load_one(set, in->files[i], &d);
	}
	/* --scheduler: the named one replaces each scenario's own (validation finds it). */
	for (size_t i = 0; in->sched_override && i < set->n; i++) {
		set->items[i]->sched_name = in->sched_override;
		set->items[i]->sched_inline = NULL;
	}
	/* `flags: from-binary` definitions ask their binary (sched_find.h), if allowed. */
	set->learn_flags = in->learn_flags ? sched_find__learn_flags : NULL;
	/* Validate what loaded, even when some files had errors: report everything at once. */
	errors += scenario_set__validate(set, &d);
	diag__print(&d, stderr);
	diag__free(&d);
	return errors;
}

void cli__note_unknown_flags(const struct scenario_set *set, const char *cmd)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct sched_def *d = set->items[i]->sched;
		bool seen = false;

		if (!d || !d->flags_unknown)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = set->items[j]->sched == d;
		if (!seen)
			fprintf(stderr, "ktstr %s: scheduler '%s' has flags: from-binary, not asked "
				"for (%s runs nothing on this host): its flags are unchecked and "
				"only its default profile is counted; --learn-flags runs its "
				"--list-flags\n", cmd, d->name, cmd);
	}
}

void cli__clean_leftovers(const char *cmd)
{
	int n = 0, r;

	r = tmpdir__clean_stale("run");
	n += r > 0 ? r : 0;
	r = tmpdir__clean_stale("vm");
	n += r > 0 ? r : 0;
	if (n)
		fprintf(stderr, "ktstr %s: removed %d temporary director%s left by killed runs\n",
			cmd, n, n == 1 ? "y" : "ies");
}

int cli__split_list(char *arg, const char ***out, size_t *n)
{
	const char **items = NULL;
	size_t count = 0;
	char *save = NULL;

	for (char *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char **p;

		if (!*tok)
			continue;
		p = realloc(items, (count + 1) * sizeof(*p));
		if (!p) {
			free(items);
			return -ENOMEM;
		}
		items = p;
		items[count++] = tok;
	}
	*out = items;
	*n = count;
	return 0;
}

int cli__parse_uint(const char *opt, const char *arg, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "ktstr: %s takes a whole number from %ld to %ld, got '%s'\n", opt, min,
			max, arg);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int cli_expand__opts(struct cli_expand *e, struct gauntlet_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	if (e->presets_arg) {
		if (cli__split_list(e->presets_arg, &e->presets, &e->npresets))
			return -ENOMEM;
		opts->presets = e->presets;
		opts->npresets = e->npresets;
	}
	if (e->flags_arg) {
		if (cli__split_list(e->flags_arg, &e->flags, &e->nflags))
			return -ENOMEM;
		opts->flags = e->flags;
		opts->nflags = e->nflags;
	}
	if (e->overcommit)
		opts->host.unlimited = true;
	else if (e->host_cpus > 0)
		opts->host = host_capacity__cpus((uint32_t)e->host_cpus);
	opts->shard_index = e->shard_k;
	opts->shard_count = e->shard_n;
	opts->max_variants = (size_t)e->max_variants;
	return 0;
}

void cli_expand__free(struct cli_expand *e)
{
	free(e->presets);
	free(e->flags);
	e->presets = e->flags = NULL;
}

void cli__explain_host_filter(const struct variant_list *l, const struct gauntlet_opts *opts)
{
	struct host_capacity h = opts->host;
	const char *s = l->filtered_host == 1 ? " was" : "s were";

	if (!l->filtered_host || h.unlimited)
		return;
	if (h.cpus) {	/* from --host-cpus */
		fprintf(stderr, "ktstr: %zu preset%s dropped: more than --host-cpus %u CPUs; "
				"--overcommit lifts the filter\n", l->filtered_host, s, h.cpus);
		return;
	}
	if (host_capacity__detect(&h) < 0)
		return;
	fprintf(stderr,
		"ktstr: %zu preset%s dropped: larger than this host (%u CPUs, %u LLC group%s of at "
		"most %u CPUs), where vCPUs would queue for host CPUs and the checks would "
		"measure the host, not the scheduler; --host-cpus N or --overcommit lifts "
		"the filter\n",
		l->filtered_host, s, h.cpus, h.llc_groups, h.llc_groups == 1 ? "" : "s",
		h.max_cpus_per_llc);
}

int cli__bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		fprintf(stderr, "ktstr %s: option '%s' needs a value\n", cmd, arg);
	else
		fprintf(stderr, "ktstr %s: unknown option '%s'; 'ktstr %s --help' lists the options\n",
			cmd, arg, cmd);
	return EXIT_USAGE;
}

int cli_expand__option(struct cli_inputs *in, struct cli_expand *e, int c, const char *arg,
		       bool shard, const char *cmd)
{
	char err[256];

	switch (c) {
	case CLI_OPT_SCHED:
		if (cli_inputs__add_sched(in, arg)) {
			fprintf(stderr, "ktstr %s: out of memory\n", cmd);
			return -1;
		}
		return 1;
	case CLI_OPT_PRESETS:
		e->presets_arg = (char *)arg;
		return 1;
	case CLI_OPT_FLAGS:
		e->flags_arg = (char *)arg;
		return 1;
	case CLI_OPT_HOST_CPUS:
		return cli__parse_uint("--host-cpus", arg, 1, 4096, &e->host_cpus) ? -1 : 1;
	case CLI_OPT_OVERCOMMIT:
		e->overcommit = true;
		return 1;
	case CLI_OPT_LEARN_FLAGS:
		in->learn_flags = true;
		return 1;
	case CLI_OPT_SCHEDULER:
		return cli_inputs__sched_override(in, arg, cmd) ? -1 : 1;
	case CLI_OPT_MAX_VARIANTS:
		return cli__parse_uint("--max-variants", arg, 1, 100000000, &e->max_variants) ?
			-1 : 1;
	case CLI_OPT_SHARD:
		if (!shard)
			return 0;
		if (gauntlet__parse_shard(arg, &e->shard_k, &e->shard_n, err, sizeof(err))) {
			fprintf(stderr, "ktstr %s: --shard: %s\n", cmd, err);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int cli__load_expand(const struct cli_inputs *in, struct cli_expand *e, struct scenario_set *set,
		     struct variant_list *vl, struct gauntlet_opts *opts, const char *cmd)
{
	char err[512];

	if (cli_expand__opts(e, opts)) {
		fprintf(stderr, "ktstr %s: out of memory\n", cmd);
		return EXIT_USAGE;
	}
	if (cli__load(set, in))
		return EXIT_FAILED;
	if (gauntlet__expand(set, opts, vl, err, sizeof(err))) {
		fprintf(stderr, "ktstr %s: %s\n", cmd, err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

bool cli__source_scenarios(char *buf, size_t len)
{
#ifdef KTSTR_SOURCE_ROOT
	char exe[PATH_MAX], probe[PATH_MAX + 32], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(probe, sizeof(probe), "%s/../build.ninja", exe);
	if (access(probe, F_OK))
		return false;
	snprintf(buf, len, "%s/scenarios", KTSTR_SOURCE_ROOT);
	return true;
#else
	(void)buf;
	(void)len;
	return false;
#endif
}

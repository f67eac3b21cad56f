// SPDX-License-Identifier: GPL-2.0
/* ktstr compare: two runs' JSON lines, variant by variant and metric by metric. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "base/fsutil.h"
#include "cmd.h"
#include "verdict/metrics.h"
#include "out/outcome.h"

const char cmd_compare_usage[] =
	"usage: ktstr compare [OPTIONS] A.jsonl B.jsonl\n"
	"\n"
	"Compare two runs written with --json (A the baseline, B the change): pair\n"
	"their variants by name (and by kernel when a side holds several kernels), and\n"
	"for every metric both sides have, call the difference significant when\n"
	"\n"
	"    |B - A| >= the metric's abs gate  AND  |B - A| / |A| >= its rel gate\n"
	"\n"
	"(A = 0: the abs gate alone decides). Whether significant means worse or better\n"
	"follows the metric's polarity (lower or higher is better). A variant that\n"
	"passed in A and failed in B is a regression too; variants that failed or were\n"
	"skipped on either side are listed but their metrics are not compared. Variants\n"
	"present more than once on a side are averaged (and failed if any run failed).\n"
	"\n"
	"Options:\n"
	"  --threshold PCT    use PCT percent as every metric's rel gate\n"
	"  -a, --all          list every compared metric, not only significant ones\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 no regression, 1 a regression, 2 usage error, bad input\n"
	"(FILE:LINE: what is wrong) or no variant in common.\n";

/* One variant of one side: its runs merged. */
struct entry {
	char *key;			/* name, or "name @ kernel" */
	struct outcome o;		/* the first run's outcome */
	size_t runs;
	size_t failed, skipped;
	double sum[METRICS_MAX];	/* by registry index */
	size_t count[METRICS_MAX];
	size_t first;			/* the index of its first line */
	bool paired;
};

struct side {
	const char *file;
	struct entry *e;		/* in the order of their first line */
	size_t n, cap;
	struct entry **by_key;		/* the same, sorted by key: bsearch */
	size_t kernels;			/* distinct kernel labels */
	char *kernel0;
};

/* The longest JSON line read: a report is a few KiB, a line without end is an error. */
#define COMPARE_LINE_MAX (4u << 20)

struct row {
	const char *key;
	const struct metric_desc *m;
	double a, b, delta, rel;
	int sign;			/* -1 improvement, 0 not significant, 1 regression */
};

static void side__free(struct side *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].key);
		outcome__free(&s->e[i].o);
	}
	free(s->e);
	free(s->by_key);
	free(s->kernel0);
}

/*
 * One line of @f into *@buf (NUL-terminated, newline kept): its length, 0 at
 * the end, -E2BIG past COMPARE_LINE_MAX (nothing more is read), -EIO.
 */
static ssize_t read_line(FILE *f, char **buf, size_t *cap)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF) {
		if (n + 2 > *cap) {
			size_t nc = *cap ? *cap * 2 : 4096;
			char *p;

			if (nc > COMPARE_LINE_MAX + 2)
				nc = COMPARE_LINE_MAX + 2;
			if (n + 2 > nc)
				return -E2BIG;
			if (!(p = realloc(*buf, nc)))
				return -ENOMEM;
			*buf = p;
			*cap = nc;
		}
		(*buf)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (ferror(f))
		return -EIO;
	if (*buf)
		(*buf)[n] = '\0';
	return (ssize_t)n;
}

static int side__read(struct side *s, struct outcome **all, size_t *nall)
{
	int fd = fsutil__open_regular(s->file);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	char *line = NULL, err[512];
	size_t cap = 0, lineno = 0, acap = 0;
	ssize_t len;
	int ret = 0;

	*all = NULL;
	*nall = 0;
	if (!f) {
		fprintf(stderr, "ktstr compare: %s: %s\n", s->file,
			fsutil__strerror(fd < 0 ? -fd : errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((len = read_line(f, &line, &cap)) > 0) {
		struct outcome o;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if (memchr(line, '\0', (size_t)len)) {
			fprintf(stderr, "ktstr compare: %s:%zu: a NUL byte: not a JSON line\n",
				s->file, lineno);
			ret = -1;
			break;
		}
		if (outcome__parse_json(line, (size_t)len, &o, err, sizeof(err))) {
			fprintf(stderr, "ktstr compare: %s:%zu: %s\n", s->file, lineno, err);
			ret = -1;
			break;
		}
		if (*nall == acap) {
			size_t nc = acap ? acap * 2 : 64;
			struct outcome *p = realloc(*all, nc * sizeof(*p));

			if (!p) {
				outcome__free(&o);
				fprintf(stderr, "ktstr compare: out of memory\n");
				ret = -1;
				break;
			}
			*all = p;
			acap = nc;
		}
		(*all)[(*nall)++] = o;
	}
	if (!ret && len < 0) {
		if (len == -E2BIG)
			fprintf(stderr, "ktstr compare: %s:%zu: a line longer than %u MiB: not a "
				"file written by --json\n", s->file, lineno + 1,
				COMPARE_LINE_MAX >> 20);
		else
			fprintf(stderr, "ktstr compare: %s: %s\n", s->file, strerror((int)-len));
		ret = -1;
	}
	if (!ret && !*nall) {
		fprintf(stderr, "ktstr compare: %s: no variants (write one with 'ktstr run --json "
			"FILE')\n", s->file);
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

static void count_kernels(struct side *s, const struct outcome *all, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = all[i].kernel ? all[i].kernel : "";

		if (!s->kernels) {
			s->kernel0 = strdup(k);
			s->kernels = 1;
		} else if (s->kernels == 1 && s->kernel0 && strcmp(s->kernel0, k)) {
			s->kernels = 2;	/* "more than one" is all that matters */
		}
	}
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp((*(struct entry *const *)a)->key, (*(struct entry *const *)b)->key);
}

static struct entry *side__find(struct side *s, const char *key)
{
	struct entry probe = { .key = (char *)key }, *pp = &probe, **hit;

	hit = s->n ? bsearch(&pp, s->by_key, s->n, sizeof(*s->by_key), entry_cmp) : NULL;
	return hit ? *hit : NULL;
}

/* A line's key and its place in the file, to group the lines by key. */
struct keyed {
	char *key;
	size_t idx;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int entry_first_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/*
 * Merge the runs of @all into entries keyed by name (and kernel), in the
 * order of each key's first line. Takes the outcomes. Sorting, not a scan per
 * line: 200k lines merge in well under a second.
 */
static int side__merge(struct side *s, struct outcome *all, size_t n, bool by_kernel)
{
	size_t ntable;
	const struct metric_desc *table = metrics__table(&ntable);
	struct keyed *k = calloc(n ? n : 1, sizeof(*k));
	int ret = -ENOMEM;

	s->e = calloc(n ? n : 1, sizeof(*s->e));
	if (!k || !s->e)
		goto out;
	s->cap = n;
	for (size_t i = 0; i < n; i++) {
		k[i].idx = i;
		if (by_kernel ? asprintf(&k[i].key, "%s @ %s", all[i].name,
					 all[i].kernel ? all[i].kernel : "?") < 0 :
		    !(k[i].key = strdup(all[i].name))) {
			k[i].key = NULL;
			goto out;
		}
	}
	qsort(k, n, sizeof(*k), keyed_cmp);
	for (size_t i = 0; i < n; i++) {
		struct outcome *o = &all[k[i].idx];
		struct entry *e;

		if (!s->n || strcmp(k[i].key, s->e[s->n - 1].key)) {
			e = &s->e[s->n++];
			e->first = k[i].idx;	/* the group's smallest: sorted by index too */
			e->key = k[i].key;	/* taken */
			k[i].key = NULL;
			e->o = *o;
			memset(o, 0, sizeof(*o));	/* moved */
			o = &e->o;
		} else {
			e = &s->e[s->n - 1];
		}
		e->runs++;
		e->failed += o->verdict == OUTCOME_FAIL;
		e->skipped += o->verdict == OUTCOME_SKIP;
		for (size_t m = 0; m < o->nmetrics; m++)
			for (size_t t = 0; t < ntable && t < METRICS_MAX; t++)
				if (o->metrics[m].name && !strcmp(o->metrics[m].name, table[t].name)) {
					e->sum[t] += o->metrics[m].value;
					e->count[t]++;
				}
	}
	/* Back to the file's order (first lines), then the index for lookups. */
	qsort(s->e, s->n, sizeof(*s->e), entry_first_cmp);
	s->by_key = calloc(s->n ? s->n : 1, sizeof(*s->by_key));
	if (!s->by_key)
		goto out;
	for (size_t i = 0; i < s->n; i++)
		s->by_key[i] = &s->e[i];
	qsort(s->by_key, s->n, sizeof(*s->by_key), entry_cmp);
	ret = 0;
out:
	for (size_t i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
	return ret;
}

static const char *state(const struct entry *e)
{
	if (e->failed)
		return e->runs > 1 ? "failed (in some runs)" : "failed";
	if (e->skipped)
		return "skipped";
	return "passed";
}

/* Whole numbers in full (iterations, ms), others with 4 significant digits. */
static void fmt_num(char *buf, size_t len, double v, const char *unit, bool sign)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, sign ? "%+.0f%s" : "%.0f%s", v, unit);
	else
		snprintf(buf, len, sign ? "%+.4g%s" : "%.4g%s", v, unit);
}

static void print_rows(const struct row *rows, size_t n)
{
	int wk = 7, wm = 6;
	char a[48], b[48], d[48], r[32];

	for (size_t i = 0; i < n; i++) {
		int k = (int)strlen(rows[i].key), m = (int)strlen(rows[i].m->name);

		wk = k > wk ? k : wk;
		wm = m > wm ? m : wm;
	}
	printf("%-*s  %-*s  %12s  %12s  %12s  %9s\n", wk, "VARIANT", wm, "METRIC", "A", "B",
	       "DELTA", "REL");
	for (size_t i = 0; i < n; i++) {
		const struct row *x = &rows[i];

		fmt_num(a, sizeof(a), x->a, x->m->unit, false);
		fmt_num(b, sizeof(b), x->b, x->m->unit, false);
		fmt_num(d, sizeof(d), x->delta, x->m->unit, true);
		if (isinf(x->rel))
			snprintf(r, sizeof(r), "new");
		else
			snprintf(r, sizeof(r), "%+.1f%%", x->delta / fabs(x->a) * 100);
		printf("%-*s  %-*s  %12s  %12s  %12s  %9s  %s\n", wk, x->key, wm, x->m->name, a, b, d,
		       x->delta == 0 ? "0.0%" : r,
		       x->sign > 0 ? "REGRESSION" : x->sign < 0 ? "improvement" : "-");
	}
}

/* Compare one metric (registry index @t) of a pair; fills @row. */
static void compare_metric(const struct metric_desc *m, double a, double b, double rel_gate,
			   struct row *row)
{
	row->m = m;
	row->a = a;
	row->b = b;
	row->delta = b - a;
	/* A zero baseline has no relative difference: any change is infinitely large. */
	row->rel = a != 0 ? fabs(row->delta / a) : row->delta != 0 ? INFINITY : 0;
	row->sign = 0;
	if (row->delta != 0 && fabs(row->delta) >= m->abs && row->rel >= rel_gate) {
		bool worse = m->polarity == METRIC_LOWER_BETTER ? row->delta > 0 : row->delta < 0;

		row->sign = worse ? 1 : -1;
	}
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct side sa = { 0 }, sb = { 0 };
	struct outcome *all_a = NULL, *all_b = NULL;
	size_t nall_a = 0, nall_b = 0, ntable, nrows = 0, rows_cap = 0;
	const struct metric_desc *table = metrics__table(&ntable);
	struct row *rows = NULL;
	double threshold = -1;
	bool show_all = false, by_kernel;
	size_t regressions = 0, improvements = 0, same = 0, compared = 0, not_compared = 0;
	size_t only_a = 0, only_b = 0, verdict_reg = 0, verdict_imp = 0;
	char *end;
	int c, ret = EXIT_USAGE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			errno = 0;
			threshold = strtod(optarg, &end);
			if (end != optarg && *end == '%')
				end++;
			if (end == optarg || *end)
				threshold = -1;
			if (errno || !(threshold >= 0) || threshold > 1e6) {
				fprintf(stderr, "ktstr compare: --threshold takes a percentage >= 0 "
					"(e.g. 10 or 10%%), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'a':
			show_all = true;
			break;
		default:
			return cli__bad_option("compare", c, argv);
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "ktstr compare: needs two files, A (baseline) and B\n%s",
			cmd_compare_usage);
		return EXIT_USAGE;
	}
	sa.file = argv[optind];
	sb.file = argv[optind + 1];
	if (side__read(&sa, &all_a, &nall_a) || side__read(&sb, &all_b, &nall_b))
		goto out;
	count_kernels(&sa, all_a, nall_a);
	count_kernels(&sb, all_b, nall_b);
	/* One kernel per side: A/B of a scheduler change, or of two kernels. */
	by_kernel = sa.kernels > 1 || sb.kernels > 1;
	if (side__merge(&sa, all_a, nall_a, by_kernel) || side__merge(&sb, all_b, nall_b, by_kernel)) {
		fprintf(stderr, "ktstr compare: out of memory\n");
		goto out;
	}

	printf("A: %s (%zu variants)\nB: %s (%zu variants)\n", sa.file, sa.n, sb.file, sb.n);
	if (threshold >= 0)
		printf("rel gate: %g%% for every metric (--threshold)\n", threshold);
	putchar('\n');

	for (size_t i = 0; i < sa.n; i++) {
		struct entry *ea = &sa.e[i], *eb = side__find(&sb, ea->key);

		if (!eb)
			continue;
		ea->paired = eb->paired = true;
		if (ea->failed || ea->skipped || eb->failed || eb->skipped) {
			not_compared++;
			continue;
		}
		compared++;
		for (size_t t = 0; t < ntable && t < METRICS_MAX; t++) {
			struct row row = { .key = ea->key };

			if (!ea->count[t] || !eb->count[t])
				continue;
			compare_metric(&table[t], ea->sum[t] / (double)ea->count[t],
				       eb->sum[t] / (double)eb->count[t],
				       threshold >= 0 ? threshold / 100.0 : table[t].rel, &row);
			regressions += row.sign > 0;
			improvements += row.sign < 0;
			same += row.sign == 0;
			if (!row.sign && !show_all)
				continue;
			if (nrows == rows_cap) {
				size_t cap = rows_cap ? rows_cap * 2 : 64;
				struct row *p = realloc(rows, cap * sizeof(*p));

				if (!p) {
					fprintf(stderr, "ktstr compare: out of memory\n");
					goto out;
				}
				rows = p;
				rows_cap = cap;
			}
			rows[nrows++] = row;
		}
	}
	if (nrows)
		print_rows(rows, nrows);
	else
		printf("no significant metric differences\n");

	if (not_compared) {
		printf("\nnot compared (failed or skipped on a side):\n");
		for (size_t i = 0; i < sa.n; i++) {
			struct entry *ea = &sa.e[i], *eb = side__find(&sb, ea->key);
			bool reg, imp;

			if (!eb || !(ea->failed || ea->skipped || eb->failed || eb->skipped))
				continue;
			reg = !ea->failed && !ea->skipped && eb->failed;
			imp = ea->failed && !eb->failed && !eb->skipped;
			verdict_reg += reg;
			verdict_imp += imp;
			printf("  %s: A %s, B %s%s\n", ea->key, state(ea), state(eb),
			       reg ? "  REGRESSION" : imp ? "  improvement" : "");
		}
	}
	for (size_t i = 0; i < sa.n; i++) {
		if (sa.e[i].paired)
			continue;
		if (!only_a++)
			printf("\nonly in A (%s):\n", sa.file);
		printf("  %s (%s)\n", sa.e[i].key, state(&sa.e[i]));
	}
	for (size_t i = 0; i < sb.n; i++) {
		if (sb.e[i].paired)
			continue;
		if (!only_b++)
			printf("\nonly in B (%s):\n", sb.file);
		printf("  %s (%s)\n", sb.e[i].key, state(&sb.e[i]));
	}
	printf("\n%zu variants compared: %zu regressions, %zu improvements, %zu metrics unchanged",
	       compared, regressions, improvements, same);
	if (not_compared)
		printf("; %zu not compared (%zu newly failing, %zu newly passing)", not_compared,
		       verdict_reg, verdict_imp);
	if (only_a || only_b)
		printf("; %zu only in A, %zu only in B", only_a, only_b);
	printf("\n");
	fflush(stdout);
	ret = regressions || verdict_reg ? EXIT_FAILED : EXIT_OK;
	if (!compared && !not_compared) {
		/* Nothing was compared: no regression found is no pass. */
		fprintf(stderr, "ktstr compare: %s and %s have no variant in common: compare runs "
			"of the same scenarios (names are scenario/preset/profile)\n", sa.file,
			sb.file);
		ret = EXIT_USAGE;
	}
out:
	for (size_t i = 0; i < nall_a; i++)
		outcome__free(&all_a[i]);
	for (size_t i = 0; i < nall_b; i++)
		outcome__free(&all_b[i]);
	free(all_a);
	free(all_b);
	free(rows);
	side__free(&sa);
	side__free(&sb);
	return ret;
}

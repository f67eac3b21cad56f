// SPDX-License-Identifier: GPL-2.0
/*
 * One variant's outcome as a JSON line, and back. The line is parsed with
 * libyaml (lib/base/yaml_tree.h): a JSON object is a YAML flow mapping.
 */
#include "outcome.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/json_out.h"
#include "ktstr-config.h"
#include "utf8.h"
#include "base/yaml_tree.h"

const char *outcome_verdict__str(enum outcome_verdict v)
{
	switch (v) {
	case OUTCOME_PASS:
		return "pass";
	case OUTCOME_FAIL:
		return "fail";
	case OUTCOME_SKIP:
		return "skip";
	}
	return "?";
}

/* ---- writing */

/* Strings are written as valid UTF-8, whatever they hold. */
static void put_str(struct json_out *j, const char *key, const char *s)
{
	char *clean = NULL;

	json_out__key(j, key);
	if (s && !utf8__valid(s) && (clean = strdup(s)))
		utf8__sanitize(clean);
	json_out__string(j, clean ? clean : s);
	free(clean);
}

/* An array of text lines (reasons, waived), made valid UTF-8. */
static void put_lines(struct json_out *j, const char *key, char *const *lines, size_t n)
{
	json_out__key(j, key);
	json_out__array_begin(j);
	for (size_t i = 0; i < n; i++) {
		char *clean = lines[i] && !utf8__valid(lines[i]) ? strdup(lines[i]) : NULL;

		if (clean)
			utf8__sanitize(clean);
		json_out__string(j, clean ? clean : lines[i] ? lines[i] : "");
		free(clean);
	}
	json_out__array_end(j);
}

int outcome__write_json(const struct outcome *o, FILE *out)
{
	struct json_out j;

	clearerr(out);
	json_out__init(&j, out);
	json_out__object_begin(&j);
	put_str(&j, "name", o->name);
	put_str(&j, "scenario", o->scenario);
	put_str(&j, "preset", o->preset);
	put_str(&j, "topology", o->topology);
	put_str(&j, "scheduler", o->scheduler);
	put_str(&j, "profile", o->profile);
	put_str(&j, "kernel", o->kernel);
	put_str(&j, "checks_profile", o->checks_profile);
	put_str(&j, "verdict", outcome_verdict__str(o->verdict));
	json_out__key(&j, "expect_fail");
	json_out__bool(&j, o->expect_fail);
	json_out__key(&j, "harness_failure");
	json_out__bool(&j, o->harness_failure);
	put_str(&j, "topology_check", o->topology_check);
	put_str(&j, "monitor", o->monitor);
	put_str(&j, "work_type", o->work_type);
	put_lines(&j, "reasons", o->reasons, o->nreasons);
	put_lines(&j, "waived", o->waived, o->nwaived);
	put_str(&j, "skip_reason", o->skip_reason);
	json_out__key(&j, "metrics");
	json_out__object_begin(&j);
	for (size_t i = 0; i < o->nmetrics && i < METRICS_MAX; i++) {
		if (!o->metrics[i].name)
			continue;
		json_out__key(&j, o->metrics[i].name);
		json_out__double(&j, o->metrics[i].value);
	}
	json_out__object_end(&j);
	json_out__key(&j, "durations_ms");
	json_out__object_begin(&j);
	json_out__key(&j, "initramfs");
	json_out__u64(&j, o->ms_initramfs);
	json_out__key(&j, "boot");
	json_out__u64(&j, o->ms_boot);
	json_out__key(&j, "scenario");
	json_out__u64(&j, o->ms_scenario);
	json_out__key(&j, "teardown");
	json_out__u64(&j, o->ms_teardown);
	json_out__key(&j, "total");
	json_out__u64(&j, o->ms_total);
	json_out__object_end(&j);
	put_str(&j, "stats", o->stats);
	put_str(&j, "report", o->report);
	put_str(&j, "console_log", o->console_log);
	put_str(&j, "sched_log", o->sched_log);
	put_str(&j, "monitor_csv", o->monitor_csv);
	put_str(&j, "ktstr_version", KTSTR_VERSION);
	json_out__object_end(&j);
	json_out__newline(&j);
	return ferror(out) ? -EIO : 0;
}

/* ---- parsing */

struct pctx {
	struct ytree *t;
	char *err;
	size_t errlen;
	int ret;
};

__attribute__((format(printf, 3, 4)))
static int perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		p->ret = err__set(-EINVAL, p->err, p->errlen, "column %u: %s", ytree__col(n), msg);
	else
		p->ret = err__set(-EINVAL, p->err, p->errlen, "%s", msg);
	return p->ret;
}

static bool is_null(const yaml_node_t *n)
{
	const char *s;

	if (ytree__kind(n) != YNODE_SCALAR || !ytree__plain(n))
		return false;
	s = ytree__scalar(n, NULL);
	return !strcmp(s, "null") || !strcmp(s, "~") || !*s;
}

/* A JSON string (quoted scalar) or null; *out is malloc'd or NULL. */
static int get_str(struct pctx *p, const char *key, const yaml_node_t *n, char **out)
{
	const char *s;
	size_t len;

	free(*out);
	*out = NULL;
	if (is_null(n))
		return 0;
	if (ytree__kind(n) != YNODE_SCALAR || ytree__plain(n))
		return perr(p, n, "\"%s\" must be a string or null", key);
	s = ytree__scalar(n, &len);
	if (strlen(s) != len)	/* "\u0000": C strings would cut it there */
		return perr(p, n, "\"%s\" has a NUL character", key);
	if (!(*out = strdup(s)))
		return perr(p, n, "out of memory");
	if (!utf8__valid(*out))
		utf8__sanitize(*out);
	return 0;
}

static int get_num(struct pctx *p, const char *key, const yaml_node_t *n, double *out)
{
	const char *s;
	char *end;

	if (ytree__kind(n) != YNODE_SCALAR || !ytree__plain(n))
		return perr(p, n, "\"%s\" must be a number", key);
	s = ytree__scalar(n, NULL);
	errno = 0;
	*out = strtod(s, &end);
	if (!*s || *end || errno == ERANGE || !isfinite(*out))
		return perr(p, n, "\"%s\": '%s' is not a number", key, s);
	return 0;
}

static int get_u64(struct pctx *p, const char *key, const yaml_node_t *n, uint64_t *out)
{
	double d;

	if (get_num(p, key, n, &d))
		return -EINVAL;
	if (d < 0 || d > 1.8e19)
		return perr(p, n, "\"%s\" must be a non-negative integer", key);
	*out = (uint64_t)d;
	return 0;
}

static int get_bool(struct pctx *p, const char *key, const yaml_node_t *n, bool *out)
{
	const char *s = ytree__kind(n) == YNODE_SCALAR && ytree__plain(n) ?
			ytree__scalar(n, NULL) : "";

	if (!strcmp(s, "true"))
		*out = true;
	else if (!strcmp(s, "false"))
		*out = false;
	else
		return perr(p, n, "\"%s\" must be true or false", key);
	return 0;
}

static int get_verdict(struct pctx *p, const yaml_node_t *n, enum outcome_verdict *v)
{
	const char *s = ytree__kind(n) == YNODE_SCALAR && !ytree__plain(n) ?
			ytree__scalar(n, NULL) : NULL;

	for (int i = OUTCOME_PASS; s && i <= OUTCOME_SKIP; i++) {
		if (!strcmp(s, outcome_verdict__str(i))) {
			*v = i;
			return 0;
		}
	}
	return perr(p, n, "\"verdict\" must be \"pass\", \"fail\" or \"skip\"");
}

/* An array of strings into *@out (calloc'd), *@count of them. */
static int get_lines(struct pctx *p, const char *key, const yaml_node_t *n, char ***out,
		     size_t *count)
{
	size_t len;

	if (*out)
		return perr(p, n, "\"%s\" given twice", key);
	if (is_null(n))
		return 0;
	if (ytree__kind(n) != YNODE_SEQ)
		return perr(p, n, "\"%s\" must be an array of strings", key);
	len = ytree__seq_len(n);
	if (!ytree__charge(p->t, len))
		return perr(p, n, "too many %s", key);
	*out = calloc(len ? len : 1, sizeof(**out));
	if (!*out)
		return perr(p, n, "out of memory");
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *e = ytree__seq_at(p->t, n, i);

		if (!e || ytree__kind(e) != YNODE_SCALAR || ytree__plain(e))
			return perr(p, e ? e : n, "\"%s\" must be an array of strings", key);
		if (get_str(p, key, e, &(*out)[*count]))
			return -EINVAL;
		(*count)++;
	}
	return 0;
}

#define METRIC_VALUE_MAX 1e18

static int get_metrics(struct pctx *p, const yaml_node_t *n, struct outcome *o)
{
	size_t len;

	if (is_null(n))
		return 0;
	if (ytree__kind(n) != YNODE_MAP)
		return perr(p, n, "\"metrics\" must be an object of numbers");
	len = ytree__map_len(n);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *k, *v;
		const char *name;
		double d;

		if (!ytree__map_at(p->t, n, i, &k, &v))
			return perr(p, n, "document too complex");
		name = ytree__scalar(k, NULL);
		if (ytree__kind(k) != YNODE_SCALAR || !name)
			return perr(p, k, "a metric's name must be a string");
		if (is_null(v))
			continue;	/* written for a non-finite value */
		if (get_num(p, name, v, &d))
			return -EINVAL;
		/* Far beyond any count or time; compare's deltas stay finite. */
		if (fabs(d) > METRIC_VALUE_MAX)
			return perr(p, v, "metric \"%s\": %s is out of range (at most %g)", name,
				    ytree__scalar(v, NULL), METRIC_VALUE_MAX);
		for (size_t j = 0; j < o->nmetrics; j++)
			if (!strcmp(o->metrics[j].name, name))
				return perr(p, k, "metric \"%s\" given twice", name);
		if (o->nmetrics == METRICS_MAX)
			return perr(p, k, "more than %d metrics", METRICS_MAX);
		if (!(o->metrics[o->nmetrics].name = strdup(name)))
			return perr(p, k, "out of memory");
		o->metrics[o->nmetrics++].value = d;
	}
	return 0;
}

static int get_durations(struct pctx *p, const yaml_node_t *n, struct outcome *o)
{
	static const char *const names[] = { "initramfs", "boot", "scenario", "teardown",
					     "total" };
	uint64_t *slots[] = { &o->ms_initramfs, &o->ms_boot, &o->ms_scenario, &o->ms_teardown,
			      &o->ms_total };
	size_t len;

	if (is_null(n))
		return 0;
	if (ytree__kind(n) != YNODE_MAP)
		return perr(p, n, "\"durations_ms\" must be an object of numbers");
	len = ytree__map_len(n);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *k, *v;
		const char *name;

		if (!ytree__map_at(p->t, n, i, &k, &v))
			return perr(p, n, "document too complex");
		name = ytree__scalar(k, NULL);
		for (size_t s = 0; name && s < sizeof(names) / sizeof(names[0]); s++)
			if (!strcmp(name, names[s]) && get_u64(p, name, v, slots[s]))
				return -EINVAL;
	}
	return 0;
}

static int parse_key(struct pctx *p, const char *key, const yaml_node_t *v, struct outcome *o,
		     bool *have_verdict)
{
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
#define S(f) { #f, offsetof(struct outcome, f) }
		S(name), S(scenario), S(preset), S(topology), S(scheduler), S(profile), S(kernel),
		S(checks_profile), S(skip_reason), S(stats), S(report), S(console_log),
		S(sched_log), S(ktstr_version), S(topology_check), S(monitor), S(monitor_csv),
		S(work_type),
#undef S
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (!strcmp(key, strs[i].key))
			return get_str(p, key, v, (char **)((char *)o + strs[i].off));
	if (!strcmp(key, "verdict")) {
		*have_verdict = true;
		return get_verdict(p, v, &o->verdict);
	}
	if (!strcmp(key, "expect_fail"))
		return get_bool(p, key, v, &o->expect_fail);
	if (!strcmp(key, "harness_failure"))
		return get_bool(p, key, v, &o->harness_failure);
	if (!strcmp(key, "reasons"))
		return get_lines(p, key, v, &o->reasons, &o->nreasons);
	if (!strcmp(key, "waived"))
		return get_lines(p, key, v, &o->waived, &o->nwaived);
	if (!strcmp(key, "metrics"))
		return o->nmetrics ? perr(p, v, "\"metrics\" given twice") : get_metrics(p, v, o);
	if (!strcmp(key, "durations_ms"))
		return get_durations(p, v, o);
	return 0;	/* unknown: a newer writer's */
}

/* Whether an entry of @map before @i has the key @key (JSON allows it; we do not). */
static bool key_seen(struct ytree *t, const yaml_node_t *map, size_t i, const char *key)
{
	for (size_t j = 0; j < i; j++) {
		yaml_node_t *k, *v;

		if (ytree__map_at(t, map, j, &k, &v) && ytree__kind(k) == YNODE_SCALAR &&
		    !strcmp(ytree__scalar(k, NULL), key))
			return true;
	}
	return false;
}

int outcome__parse_json(const char *line, size_t len, struct outcome *o, char *err, size_t errlen)
{
	struct pctx p = { .err = err, .errlen = errlen };
	struct ytree t;
	struct ytree_error yerr;
	yaml_node_t *root;
	bool have_verdict = false;
	int r;

	memset(o, 0, sizeof(*o));
	if (errlen)
		err[0] = '\0';
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len || line[0] != '{') {
		snprintf(err, errlen, "not a JSON object (a line must start with '{')");
		return -EINVAL;
	}
	if (ytree__open(&t, line, len, 100000)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	p.t = &t;
	r = ytree__next(&t, &yerr);
	if (r <= 0) {
		if (r < 0)
			snprintf(err, errlen, "column %u: %s", yerr.col, yerr.msg);
		else
			snprintf(err, errlen, "empty line");
		p.ret = -EINVAL;
		goto out;
	}
	root = ytree__root(&t);
	if (ytree__kind(root) != YNODE_MAP) {
		perr(&p, root, "not a JSON object");
		goto out;
	}
	for (size_t i = 0; i < ytree__map_len(root); i++) {
		yaml_node_t *k, *v;

		if (!ytree__map_at(&t, root, i, &k, &v)) {
			perr(&p, root, "document too complex");
			goto out;
		}
		if (ytree__kind(k) != YNODE_SCALAR) {
			perr(&p, k, "keys must be strings");
			goto out;
		}
		if (key_seen(&t, root, i, ytree__scalar(k, NULL))) {
			perr(&p, k, "key \"%s\" given twice", ytree__scalar(k, NULL));
			goto out;
		}
		if (parse_key(&p, ytree__scalar(k, NULL), v, o, &have_verdict))
			goto out;
	}
	if (ytree__next(&t, &yerr) != 0) {
		snprintf(err, errlen, "more than one JSON value on the line");
		p.ret = -EINVAL;
		goto out;
	}
	if (!o->name)
		snprintf(err, errlen, "missing required key \"name\"");
	else if (!have_verdict)
		snprintf(err, errlen, "missing required key \"verdict\" (\"pass\", \"fail\" or \"skip\")");
	if (!o->name || !have_verdict)
		p.ret = -EINVAL;
out:
	ytree__close(&t);
	if (p.ret)
		outcome__free(o);
	return p.ret;
}

/* ---- memory */

void outcome__free(struct outcome *o)
{
	char **strs[] = { &o->name, &o->scenario, &o->preset, &o->topology, &o->scheduler,
			  &o->profile, &o->kernel, &o->checks_profile, &o->skip_reason,
			  &o->stats, &o->report, &o->console_log, &o->sched_log,
			  &o->ktstr_version, &o->topology_check, &o->monitor, &o->monitor_csv,
			  &o->work_type };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	for (size_t i = 0; i < o->nreasons; i++)
		free(o->reasons[i]);
	free(o->reasons);
	for (size_t i = 0; i < o->nwaived; i++)
		free(o->waived[i]);
	free(o->waived);
	for (size_t i = 0; i < o->nmetrics && i < METRICS_MAX; i++)
		free((char *)o->metrics[i].name);
	memset(o, 0, sizeof(*o));
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	return src && !(*dst = strdup(src)) ? -ENOMEM : 0;
}

static int dup_lines(char ***dst, size_t *ndst, char *const *src, size_t n)
{
	int r = 0;

	*dst = NULL;
	*ndst = 0;
	if (n && !(*dst = calloc(n, sizeof(char *))))
		return -ENOMEM;
	for (size_t i = 0; *dst && i < n; i++) {
		r |= dup_str(&(*dst)[i], src[i]);
		(*ndst)++;
	}
	return r;
}

int outcome__dup(struct outcome *dst, const struct outcome *src)
{
	int r = 0;

	*dst = *src;
	/* Every owned pointer is replaced below; none may stay shared. */
	r |= dup_str(&dst->name, src->name);
	r |= dup_str(&dst->scenario, src->scenario);
	r |= dup_str(&dst->preset, src->preset);
	r |= dup_str(&dst->topology, src->topology);
	r |= dup_str(&dst->scheduler, src->scheduler);
	r |= dup_str(&dst->profile, src->profile);
	r |= dup_str(&dst->kernel, src->kernel);
	r |= dup_str(&dst->checks_profile, src->checks_profile);
	r |= dup_str(&dst->skip_reason, src->skip_reason);
	r |= dup_str(&dst->stats, src->stats);
	r |= dup_str(&dst->report, src->report);
	r |= dup_str(&dst->console_log, src->console_log);
	r |= dup_str(&dst->sched_log, src->sched_log);
	r |= dup_str(&dst->ktstr_version, src->ktstr_version);
	r |= dup_str(&dst->topology_check, src->topology_check);
	r |= dup_str(&dst->monitor, src->monitor);
	r |= dup_str(&dst->monitor_csv, src->monitor_csv);
	r |= dup_str(&dst->work_type, src->work_type);
	r |= dup_lines(&dst->reasons, &dst->nreasons, src->reasons, src->nreasons);
	r |= dup_lines(&dst->waived, &dst->nwaived, src->waived, src->nwaived);
	dst->nmetrics = 0;
	for (size_t i = 0; i < src->nmetrics && i < METRICS_MAX; i++) {
		char *name = NULL;

		r |= dup_str(&name, src->metrics[i].name);
		dst->metrics[i].name = name;
		dst->nmetrics++;
	}
	if (r) {
		outcome__free(dst);
		return -ENOMEM;
	}
	return 0;
}

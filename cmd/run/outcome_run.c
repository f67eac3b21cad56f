// SPDX-License-Identifier: GPL-2.0
/* A run__variant() result flattened into a struct outcome and its logs. */
#include "outcome_run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/utf8.h"
#include "run_monitor.h"
#include "run_report.h"
#include "work_override.h"

/* The report as run__print_report() prints it, malloc'd and valid UTF-8 (or NULL). */
static char *capture_report(const struct scenario *sc, const struct topology *t,
			    const struct run_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	run__print_report(sc, t, res, f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	utf8__sanitize(buf);
	return buf;
}

static char *capture_stats(const struct run_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	verdict__print_stats(&res->verdict, f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	utf8__sanitize(buf);
	return buf;
}

static int set(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	if (!(*dst = strdup(src)))
		return -ENOMEM;
	utf8__sanitize(*dst);
	return 0;
}

int outcome__from_run(struct outcome *o, const struct scenario *sc, const struct topology *t,
		      const char *preset, const char *profile, const struct run_opts *ro,
		      const struct run_result *res)
{
	const struct verdict *v = &res->verdict;
	char topo[TOPOLOGY_NAME_MAX];
	struct metric_value mv[METRICS_MAX];
	char mon[400];
	size_t n = 0;
	int r = 0;

	memset(o, 0, sizeof(*o));
	topology__format(t, topo);
	if (preset || profile) {
		if (asprintf(&o->name, "%s/%s/%s", sc->name, preset ? preset : topo,
			     profile ? profile : "default") < 0) {
			o->name = NULL;
			r = -ENOMEM;
		}
	} else {
		r |= set(&o->name, sc->name);
	}
	r |= set(&o->scenario, sc->name);
	r |= set(&o->preset, preset);
	r |= set(&o->topology, topo);
	r |= set(&o->scheduler, sc->sched ? sc->sched->name : "eevdf");
	r |= set(&o->profile, profile ? profile : "default");
	r |= set(&o->kernel, ro->kernel_label ? ro->kernel_label : ro->kernel);
	r |= set(&o->checks_profile, res->checks_profile);
	r |= set(&o->topology_check, topo_guest_status__str(res->topo_status));
	r |= set(&o->work_type, work_override__applied(sc, t, ro));
	o->verdict = v->passed ? OUTCOME_PASS : OUTCOME_FAIL;
	o->expect_fail = sc->expect_fail;
	o->harness_failure = res->harness_failure;
	if (v->nreasons && !(o->reasons = calloc(v->nreasons, sizeof(*o->reasons))))
		r = -ENOMEM;
	for (size_t i = 0; o->reasons && i < v->nreasons; i++) {
		r |= set(&o->reasons[i], v->reasons[i]);
		o->nreasons++;
	}
	if (v->nwaived && !(o->waived = calloc(v->nwaived, sizeof(*o->waived))))
		r = -ENOMEM;
	for (size_t i = 0; o->waived && i < v->nwaived; i++) {
		r |= set(&o->waived[i], v->waived[i]);
		o->nwaived++;
	}
	n = verdict__metrics(v, mv, METRICS_MAX);
	n += run_monitor__metrics(&res->monitor, mv + n, METRICS_MAX - n);
	r |= set(&o->monitor, run_monitor__state_str(&res->monitor, mon, sizeof(mon)));
	for (size_t i = 0; i < n && i < METRICS_MAX; i++) {
		char *name = NULL;

		r |= set(&name, mv[i].name);
		o->metrics[o->nmetrics].name = name;
		o->metrics[o->nmetrics++].value = mv[i].value;
	}
	if (!(o->stats = capture_stats(res)) || !(o->report = capture_report(sc, t, res)))
		r = -ENOMEM;
	o->ms_initramfs = res->ms_initramfs;
	o->ms_boot = res->ms_boot;
	o->ms_scenario = res->ms_scenario;
	o->ms_teardown = res->ms_teardown;
	o->ms_total = res->ms_total;
	if (r) {
		outcome__free(o);
		return -ENOMEM;
	}
	return 0;
}

int outcome__skipped(struct outcome *o, const struct scenario *sc, const struct topology *t,
		     const char *name, const char *preset, const char *profile, const char *kernel,
		     const char *why)
{
	char topo[TOPOLOGY_NAME_MAX];
	int r = 0;

	memset(o, 0, sizeof(*o));
	topology__format(t, topo);
	r |= set(&o->name, name ? name : sc->name);
	r |= set(&o->scenario, sc->name);
	r |= set(&o->preset, preset);
	r |= set(&o->topology, topo);
	r |= set(&o->scheduler, sc->sched ? sc->sched->name : "eevdf");
	r |= set(&o->profile, profile ? profile : "default");
	r |= set(&o->kernel, kernel);
	r |= set(&o->skip_reason, why ? why : "skipped");
	o->expect_fail = sc->expect_fail;
	o->verdict = OUTCOME_SKIP;
	if (r) {
		outcome__free(o);
		return -ENOMEM;
	}
	return 0;
}

struct results_logs outcome__logs_from_run(const struct run_result *res)
{
	return (struct results_logs){
		.console = res->console_log, .console_len = res->console_log_len,
		.console_dropped = res->console_log_dropped,
		.sched = res->sched_log, .sched_len = res->sched_log_len,
		.monitor_csv = res->monitor.series ? run_monitor__csv : NULL,
		.monitor_arg = &res->monitor,
	};
}

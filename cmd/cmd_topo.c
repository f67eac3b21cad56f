// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr topo: the host's topology in the scenarios' vocabulary, and which
 * gauntlet presets fit it by the rule the gauntlet's host filter applies.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "base/json_out.h"
#include "scenario/scenario.h"
#include "topo/topo_host_desc.h"

const char cmd_topo_usage[] =
	"usage: ktstr topo [OPTIONS]\n"
	"\n"
	"Show this host's CPU topology (NUMA nodes, LLCs, cores, SMT threads per core,\n"
	"online CPUs, memory) named as a scenario topology (NnNlNcNt; the nearest one,\n"
	"saying how, when the host is irregular), and which gauntlet presets fit it:\n"
	"the gauntlet's host-capacity filter, without oversubscription (no more vCPUs\n"
	"than online CPUs, LLCs than host LLCs, CPUs per LLC than the largest host LLC),\n"
	"and the memory 'run' gives each VM within the host's.\n"
	"\n"
	"Options:\n"
	"  --json             one JSON object instead\n"
	"  --sysfs DIR        read DIR as if it were /sys (a copy of another host's)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 when it could read the topology, 2 on usage errors or when\n"
	"it cannot.\n";

enum { OPT_JSON = CLI_OPT_OWN, OPT_SYSFS };

struct topo_report {
	struct host_topo h;
	struct host_capacity cap;	/* what the gauntlet filters presets with */
	struct topology near;
	char name[TOPOLOGY_NAME_MAX];
	char note[512];			/* how an irregular host was rounded, or "" */
	uint32_t vm_mb;			/* what run gives a VM */
};

/*
 * Why @t does not fit: host_capacity__fits's three limits and the memory
 * check a VM gets before it boots. "" when it fits.
 */
static void why_not(const struct topo_report *r, const struct topology *t, char *buf,
		    size_t len)
{
	const struct host_capacity *c = &r->cap;
	uint32_t cpus = topology__total_cpus(t), per_llc = topology__cpus_per_llc(t);
	size_t used = 0;

	buf[0] = '\0';
#define ADD(...) do { \
		if (used < len) \
			used += (size_t)snprintf(buf + used, len - used, "%s", used ? "; " : ""); \
		if (used < len) \
			used += (size_t)snprintf(buf + used, len - used, __VA_ARGS__); \
	} while (0)
	if (cpus > c->cpus)
		ADD("%u vCPUs > %u host CPUs", cpus, c->cpus);
	if (t->llcs > c->llc_groups)
		ADD("%u LLCs > %u host LLC%s", t->llcs, c->llc_groups,
		    c->llc_groups == 1 ? "" : "s");
	if (per_llc > c->max_cpus_per_llc)
		ADD("%u CPUs per LLC > %u in the largest host LLC", per_llc, c->max_cpus_per_llc);
	if (!used && !host_capacity__fits(c, t))
		ADD("larger than the host");
	if (r->h.memory_mb && r->vm_mb > r->h.memory_mb)
		ADD("%u MiB memory > %llu MiB on the host", r->vm_mb,
		    (unsigned long long)r->h.memory_mb);
#undef ADD
}

static size_t count_fits(const struct topo_report *r)
{
	size_t n, fits = 0;
	const struct topo_preset *p = topo_presets(&n);
	char why[256];

	for (size_t i = 0; i < n; i++) {
		why_not(r, &p[i].topo, why, sizeof(why));
		fits += !why[0];
	}
	return fits;
}

static void print_text(const struct topo_report *r)
{
	const struct host_topo *h = &r->h;
	size_t n;
	const struct topo_preset *p = topo_presets(&n);
	char tname[TOPOLOGY_NAME_MAX], why[256];

	printf("host topology:    %s%s\n", r->name, r->note[0] ? " (nearest: irregular host)" : "");
	if (r->note[0])
		printf("  rounded:        %s\n", r->note);
	printf("numa nodes:       %u", h->nodes);
	if (!h->numa_known)
		printf(" (no NUMA information in sysfs)");
	else if (h->cpuless_nodes)
		printf(" (and %u of memory only, not counted)", h->cpuless_nodes);
	printf("\nllcs:             %u", h->llcs);
	if (!h->llc_known)
		printf(" (no cache information in sysfs: one assumed)");
	else if (h->min_llc_cpus == h->max_llc_cpus)
		printf(" of %u CPUs", h->max_llc_cpus);
	else
		printf(" of %u to %u CPUs", h->min_llc_cpus, h->max_llc_cpus);
	printf("\ncores:            %u (%u per LLC%s)\n", h->cores, r->near.cores_per_llc,
	       r->note[0] ? " in the name" : "");
	printf("threads per core: ");
	if (!h->smt_known)
		printf("1 (no thread siblings in sysfs: one assumed)\n");
	else if (h->min_threads == h->max_threads)
		printf("%u\n", h->max_threads);
	else
		printf("%u to %u (%u in the name)\n", h->min_threads, h->max_threads,
		       r->near.threads_per_core);
	printf("online cpus:      %u\n", h->cpus);
	if (h->memory_mb)
		printf("memory:           %llu MiB\n", (unsigned long long)h->memory_mb);
	else
		printf("memory:           unknown (not checked)\n");

	printf("\npresets: %zu of %zu fit this host without oversubscription (the gauntlet's\n"
	       "host filter: at most %u vCPUs, %u LLC%s, %u CPUs per LLC; --overcommit runs\n"
	       "the others oversubscribed) with the %u MiB each VM gets (the scenario\n"
	       "default; a scenario's memory: key changes it)%s:\n",
	       count_fits(r), n, r->cap.cpus, r->cap.llc_groups,
	       r->cap.llc_groups == 1 ? "" : "s", r->cap.max_cpus_per_llc, r->vm_mb,
	       h->memory_mb ? " within the host's memory" : "");
	printf("  %-20s %-11s %4s %9s  %s\n", "PRESET", "TOPOLOGY", "CPUS", "MEMORY", "FITS");
	for (size_t i = 0; i < n; i++) {
		topology__format(&p[i].topo, tname);
		why_not(r, &p[i].topo, why, sizeof(why));
		printf("  %-20s %-11s %4u %5u MiB  %s%s\n", p[i].name, tname,
		       topology__total_cpus(&p[i].topo), r->vm_mb, why[0] ? "no: " : "yes", why);
	}
	if (!count_fits(r) && host_capacity__fits(&r->cap, &r->near))
		printf("None fits. A scenario with 'topology: %s' runs here without\n"
		       "oversubscription; 'ktstr gauntlet --overcommit' runs the presets anyway.\n",
		       r->name);
}

static void json_u(struct json_out *j, const char *key, uint64_t v)
{
	json_out__key(j, key);
	json_out__u64(j, v);
}

static void print_json(const struct topo_report *r)
{
	const struct host_topo *h = &r->h;
	size_t n;
	const struct topo_preset *p = topo_presets(&n);
	char tname[TOPOLOGY_NAME_MAX], why[256];
	struct json_out j;

	json_out__init(&j, stdout);
	json_out__object_begin(&j);
	json_out__key(&j, "host");
	json_out__object_begin(&j);
	json_u(&j, "nodes", h->nodes);
	json_u(&j, "llcs", h->llcs);
	json_u(&j, "cores_per_llc", r->near.cores_per_llc);
	json_u(&j, "threads_per_core", r->near.threads_per_core);
	json_u(&j, "cpus", h->cpus);
	json_out__key(&j, "memory_mb");
	if (h->memory_mb)
		json_out__u64(&j, h->memory_mb);
	else
		json_out__null(&j);
	json_out__key(&j, "topology");
	json_out__string(&j, r->name);
	json_out__key(&j, "irregular");
	json_out__bool(&j, r->note[0]);
	json_out__key(&j, "rounding");
	json_out__string(&j, r->note[0] ? r->note : NULL);
	json_u(&j, "cores", h->cores);
	json_u(&j, "cpuless_nodes", h->cpuless_nodes);
	json_u(&j, "llc_cpus_min", h->min_llc_cpus);
	json_u(&j, "llc_cpus_max", h->max_llc_cpus);
	json_u(&j, "threads_min", h->min_threads);
	json_u(&j, "threads_max", h->max_threads);
	json_out__object_end(&j);

	json_out__key(&j, "oversubscribe");
	json_out__bool(&j, false);
	json_out__key(&j, "capacity");
	json_out__object_begin(&j);
	json_u(&j, "cpus", r->cap.cpus);
	json_u(&j, "llcs", r->cap.llc_groups);
	json_u(&j, "max_cpus_per_llc", r->cap.max_cpus_per_llc);
	json_out__object_end(&j);

	json_out__key(&j, "presets");
	json_out__array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		topology__format(&p[i].topo, tname);
		why_not(r, &p[i].topo, why, sizeof(why));
		json_out__object_begin(&j);
		json_out__key(&j, "name");
		json_out__string(&j, p[i].name);
		json_out__key(&j, "topology");
		json_out__string(&j, tname);
		json_u(&j, "cpus", topology__total_cpus(&p[i].topo));
		json_u(&j, "memory_mb", r->vm_mb);
		json_out__key(&j, "fits");
		json_out__bool(&j, !why[0]);
		json_out__key(&j, "why_not");
		json_out__string(&j, why[0] ? why : NULL);
		json_out__object_end(&j);
	}
	json_out__array_end(&j);
	json_out__object_end(&j);
	json_out__newline(&j);
}

int cmd_topo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "sysfs", required_argument, NULL, OPT_SYSFS },
		{ NULL, 0, NULL, 0 },
	};
	struct topo_report r = { .vm_mb = SCENARIO_DEFAULT_MEMORY_MB };
	const char *sysfs = NULL;
	bool json = false;
	char err[512];
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_SYSFS:
			sysfs = optarg;
			break;
		default:
			return cli__bad_option("topo", c, argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ktstr topo: takes no arguments ('%s')\n%s", argv[optind],
			cmd_topo_usage);
		return EXIT_USAGE;
	}
	if (host_topo__detect(sysfs, &r.h, err, sizeof(err))) {
		fprintf(stderr, "ktstr topo: cannot read the host's topology: %s\n", err);
		return EXIT_USAGE;
	}
	ret = host_capacity__detect_at(sysfs, &r.cap);
	if (ret) {
		fprintf(stderr, "ktstr topo: cannot read the host's capacity from %s: %s\n",
			sysfs ? sysfs : "/sys", strerror(-ret));
		return EXIT_USAGE;
	}
	host_topo__nearest(&r.h, &r.near, r.note, sizeof(r.note));
	topology__format(&r.near, r.name);
	if (json)
		print_json(&r);
	else
		print_text(&r);
	return EXIT_OK;
}

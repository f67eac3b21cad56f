// SPDX-License-Identifier: GPL-2.0
/*
 * The periodic sampler thread (lib/monitor/monitor_run.h) over a synthetic
 * guest whose rq clocks this test advances while the thread samples: the
 * series comes back in time order with plausible counts (bounds, not
 * timings: the machine is shared and noisy), stop is prompt whatever the
 * period, the cap keeps the first samples and counts the rest, vCPU times
 * known and unknown are kept per sample. And the guest's CONFIG_HZ
 * (kconfig_hz.h): plain and gzipped configs, the cached vmlinux's embedded
 * one (skipped with a reason without one), the fallback.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "kernel/kernel_find.h"
#include "monitor/kconfig_hz.h"
#include "monitor/monitor_run.h"

#define RAM_SIZE	(4u << 20)
#define PO		0xffff888000000000ull	/* the default direct map */
#define IMG(pa)		(KADDR_START_KERNEL_MAP + (pa))
#define PCO_PA		0x100000u
#define NRIDS_PA	0x100800u
#define AREA_PA(c)	(0x200000u + (c) * 0x80000u)
#define TASK_PA(c)	(0x180000u + (c) * 0x4000u)
#define NCPU		3
#define RUNQUEUES	0x2d680u

struct guest {
	uint8_t *ram;
	struct gmem m;
	struct klayout kl;
	atomic_uint_fast64_t vcpu_calls;	/* the vCPU callback's calls */
	atomic_uint_fast64_t samples;		/* on_sample's calls */
	atomic_bool vcpu_odd_unknown;		/* odd calls say "unknown" */
	atomic_bool order_ok;			/* on_sample's idx counted up from 0 */
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

static void put(struct guest *g, uint64_t pa, uint64_t v, uint32_t size)
{
	assert_true(pa + size <= RAM_SIZE);
	memcpy(g->ram + pa, &v, size);
}

static uint64_t rq_pa(unsigned int c)
{
	return AREA_PA(c) + RUNQUEUES;
}

/* The thread reads the clock while this writes it: one aligned 8-byte store. */
static void set_clock(struct guest *g, unsigned int c, uint64_t v)
{
	__atomic_store_n((uint64_t *)(g->ram + rq_pa(c) + g->kl.rq_clock.off), v,
			 __ATOMIC_RELAXED);
}

static int setup(void **state)
{
	struct guest *g = calloc(1, sizeof(*g));
	struct klayout *kl;

	if (!g || !(g->ram = calloc(1, RAM_SIZE)))
		return -1;
	kl = &g->kl;
	kl->rq_size = 1024;
	kl->rq_nr_running = (struct klayout_field){ 4, 4, true };
	kl->rq_clock = (struct klayout_field){ 200, 8, true };
	kl->rq_curr = (struct klayout_field){ 64, 8, true };
	kl->rq_scx_nr_running = (struct klayout_field){ 512, 4, true };
	kl->rq_scx_local_dsq_nr = (struct klayout_field){ 600, 4, true };
	kl->task_pid = (struct klayout_field){ 1400, 4, true };
	kl->has_scx = true;
	kl->runqueues = RUNQUEUES;
	kl->per_cpu_offset = IMG(PCO_PA);
	kl->nr_cpu_ids = IMG(NRIDS_PA);
	kl->nr_cpus_max = 64;
	gmem__init(&g->m);
	if (gmem__add_ram(&g->m, 0, g->ram, RAM_SIZE, RAM_SIZE))
		return -1;
	put(g, NRIDS_PA, NCPU, 4);
	for (unsigned int c = 0; c < NCPU; c++) {
		put(g, PCO_PA + 8 * c, PO + AREA_PA(c), 8);
		put(g, rq_pa(c) + kl->rq_nr_running.off, c + 1, 4);
		put(g, rq_pa(c) + kl->rq_scx_nr_running.off, 0, 4);
		put(g, rq_pa(c) + kl->rq_scx_local_dsq_nr.off, c, 4);
		put(g, rq_pa(c) + kl->rq_curr.off, PO + TASK_PA(c), 8);
		put(g, TASK_PA(c) + kl->task_pid.off, 100 + c, 4);
		set_clock(g, c, 1000);
	}
	atomic_init(&g->vcpu_calls, 0);
	atomic_init(&g->samples, 0);
	atomic_init(&g->vcpu_odd_unknown, false);
	atomic_init(&g->order_ok, true);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct guest *g = *state;

	free(g->ram);
	free(g);
	return 0;
}

/* vCPU c's time: 1000 * the call number + c, so every call's values are distinct. */
static int vcpu_ns(void *arg, uint64_t *ns, uint32_t n)
{
	struct guest *g = arg;
	uint64_t call = atomic_fetch_add(&g->vcpu_calls, 1) + 1;

	if (atomic_load(&g->vcpu_odd_unknown) && (call & 1))
		return -ENOENT;
	for (uint32_t c = 0; c < n; c++)
		ns[c] = call * 1000 + c;
	return 0;
}

static void on_sample(void *arg, const struct mon_point *p, uint64_t idx)
{
	struct guest *g = arg;

	if (idx != atomic_fetch_add(&g->samples, 1) || !p->s)
		atomic_store(&g->order_ok, false);
}

static struct mon_run_opts opts(struct guest *g, uint32_t period_ms, uint32_t max)
{
	return (struct mon_run_opts){
		.m = &g->m, .kl = &g->kl, .ncpus = NCPU, .period_ms = period_ms,
		.max_samples = max, .vcpu_ns = vcpu_ns, .on_sample = on_sample, .arg = g,
	};
}

/* Wait until the thread took @n samples, at most @ms. */
static void wait_samples(struct guest *g, uint64_t n, unsigned int ms)
{
	for (unsigned int i = 0; i < ms && atomic_load(&g->samples) < n; i++)
		sleep_ms(1);
}

/*
 * 10 ms period, about 300 ms with the clocks advanced every 2 ms: at most
 * one sample per period (never a burst), at least a few, in time order,
 * each with its CPUs' values, the clocks never going back and moving.
 */
static void test_series(void **state)
{
	struct guest *g = *state;
	struct mon_run_opts o = opts(g, 10, 0);
	struct mon_series *s;
	struct mon_run *r;
	char err[256];
	uint64_t t0, t1, clock = 1000;

	t0 = now_ns();
	assert_int_equal(mon_run__start(&o, &r, err, sizeof(err)), 0);
	while (now_ns() - t0 < 300000000ull) {
		clock += 1000000;
		for (unsigned int c = 0; c < NCPU; c++)
			set_clock(g, c, clock + c);
		sleep_ms(2);
	}
	s = mon_run__stop(r);
	t1 = now_ns();
	assert_non_null(s);
	assert_true(s->taken == s->n && s->dropped == 0);
	assert_int_equal(s->period_ms, 10);
	assert_int_equal(s->cap, MON_RUN_MAX_SAMPLES);
	assert_true(s->n <= (t1 - t0) / 10000000ull);
	assert_true(s->n >= 5);
	assert_true(atomic_load(&g->order_ok));
	assert_int_equal(atomic_load(&g->samples), s->taken);
	assert_int_equal(s->vcpu_known, s->n);
	for (size_t i = 0; i < s->n; i++) {
		const struct mon_point *p = &s->pts[i];

		/* Sample i waits out i + 1 periods at least. */
		assert_true(p->t_ns >= t0 + (i + 1) * 10000000ull && p->t_ns <= t1);
		if (i)
			assert_true(p->t_ns > s->pts[i - 1].t_ns);
		assert_int_equal(p->s->flags, 0);
		assert_int_equal(p->s->nr_cpus, NCPU);
		assert_int_equal(p->nr_vcpu_ns, NCPU);
		for (unsigned int c = 0; c < NCPU; c++) {
			assert_int_equal(p->s->cpu[c].nr_running, c + 1);
			assert_int_equal(p->s->cpu[c].local_dsq_nr, c);
			assert_int_equal(p->s->cpu[c].curr_pid, 100 + c);
			assert_true(p->vcpu_ns[c] % 1000 == c);
			if (i) {
				assert_true(p->s->cpu[c].clock >= s->pts[i - 1].s->cpu[c].clock);
				assert_true(p->vcpu_ns[c] > s->pts[i - 1].vcpu_ns[c]);
			}
		}
	}
	assert_true(s->pts[s->n - 1].s->cpu[0].clock > s->pts[0].s->cpu[0].clock);
	/* It ran, and it cannot have used more CPU than there was time. */
	assert_true(s->cpu_ns > 0 && s->cpu_ns <= t1 - t0);
	printf("# %zu samples, sampler thread %llu us of CPU\n", s->n,
	       (unsigned long long)(s->cpu_ns / 1000));
	mon_series__free(s);
}

/* A 10 s period: stop right after the start returns at once, with nothing taken. */
static void test_stop_prompt(void **state)
{
	struct guest *g = *state;
	struct mon_run_opts o = opts(g, 10000, 0);
	struct mon_series *s;
	struct mon_run *r;
	uint64_t t;

	assert_int_equal(mon_run__start(&o, &r, NULL, 0), 0);
	sleep_ms(20);
	t = now_ns();
	s = mon_run__stop(r);
	assert_true(now_ns() - t < 2000000000ull);
	assert_non_null(s);
	assert_int_equal(s->n, 0);
	assert_int_equal(s->taken, 0);
	assert_null(s->pts);
	mon_series__free(s);

	/* Stopped right away, no sleep: no sample, no hang. */
	assert_int_equal(mon_run__start(&o, &r, NULL, 0), 0);
	s = mon_run__stop(r);
	assert_non_null(s);
	assert_int_equal(s->taken, 0);
	mon_series__free(s);
	mon_series__free(NULL);
	assert_null(mon_run__stop(NULL));
}

/* A cap of 5: the first 5 are kept (vCPU calls 1..5), the rest counted. */
static void test_cap(void **state)
{
	struct guest *g = *state;
	struct mon_run_opts o = opts(g, 2, 5);
	struct mon_series *s;
	struct mon_run *r;

	assert_int_equal(mon_run__start(&o, &r, NULL, 0), 0);
	wait_samples(g, 12, 10000);
	s = mon_run__stop(r);
	assert_non_null(s);
	assert_true(s->taken >= 12);
	assert_int_equal(s->n, 5);
	assert_int_equal(s->cap, 5);
	assert_int_equal(s->dropped, s->taken - 5);
	for (size_t i = 0; i < s->n; i++)
		assert_true(s->pts[i].vcpu_ns[1] == (i + 1) * 1000 + 1);
	mon_series__free(s);

	/* The byte cap: 512 CPUs keep fewer than 30 minutes' worth, 4 keep all. */
	assert_int_equal(mon_run__cap(4, 0), MON_RUN_MAX_SAMPLES);
	assert_int_equal(mon_run__cap(4, 7), 7);
	assert_true(mon_run__cap(512, 0) < MON_RUN_MAX_SAMPLES);
	assert_true((uint64_t)mon_run__cap(512, 0) * 512 * sizeof(struct mon_cpu) <=
		    MON_RUN_MAX_BYTES);
	assert_true(mon_run__cap(100000, 0) == mon_run__cap(MON_MAX_CPUS, 0));
}

/* vCPU times unknown every other sample: those points carry none. */
static void test_vcpu_unknown(void **state)
{
	struct guest *g = *state;
	struct mon_run_opts o = opts(g, 2, 0);
	struct mon_series *s;
	struct mon_run *r;
	uint32_t known = 0;

	atomic_store(&g->vcpu_odd_unknown, true);
	assert_int_equal(mon_run__start(&o, &r, NULL, 0), 0);
	wait_samples(g, 6, 10000);
	s = mon_run__stop(r);
	assert_non_null(s);
	assert_true(s->n >= 6);
	for (size_t i = 0; i < s->n; i++) {
		/* Call i + 1: odd ones said unknown. */
		if (i % 2 == 0) {
			assert_null(s->pts[i].vcpu_ns);
			assert_int_equal(s->pts[i].nr_vcpu_ns, 0);
		} else {
			assert_non_null(s->pts[i].vcpu_ns);
			assert_true(s->pts[i].vcpu_ns[0] == (i + 1) * 1000);
			known++;
		}
	}
	assert_int_equal(s->vcpu_known, known);
	mon_series__free(s);

	/* No callback at all: nothing known, the samples still taken. */
	o.vcpu_ns = NULL;
	atomic_store(&g->samples, 0);
	assert_int_equal(mon_run__start(&o, &r, NULL, 0), 0);
	wait_samples(g, 2, 10000);
	s = mon_run__stop(r);
	assert_true(s->n >= 2 && s->vcpu_known == 0 && !s->pts[0].vcpu_ns);
	mon_series__free(s);
}

/* The guest's kernel not up (nr_cpu_ids 0), then up: flagged, then sampled; eval reads it. */
static void test_not_up_then_eval(void **state)
{
	struct guest *g = *state;
	struct mon_run_opts o = opts(g, 2, 0);
	struct mon_limits l;
	struct mon_verdict v;
	struct mon_summary *sum = calloc(1, sizeof(*sum));
	struct mon_series *s;
	struct mon_run *r;
	uint64_t clock = 5000;
	size_t i;

	assert_non_null(sum);
	put(g, NRIDS_PA, 0, 4);
	assert_int_equal(mon_run__start(&o, &r, NULL, 0), 0);
	wait_samples(g, 3, 10000);
	put(g, NRIDS_PA, NCPU, 4);
	for (uint64_t base = atomic_load(&g->samples); atomic_load(&g->samples) < base + 30;) {
		clock += 1000000;
		for (unsigned int c = 0; c < NCPU; c++)
			set_clock(g, c, clock);
		sleep_ms(1);
	}
	s = mon_run__stop(r);
	assert_non_null(s);
	assert_true(s->pts[0].s->flags & MON_SAMPLE_NO_KERNEL);
	assert_int_equal(s->pts[0].s->nr_cpus, 0);
	for (i = 0; i < s->n && (s->pts[i].s->flags & MON_SAMPLE_NO_KERNEL); i++)
		;
	assert_true(i >= 3 && i < s->n);
	assert_int_equal(s->pts[s->n - 1].s->nr_cpus, NCPU);

	/* nr_running 1, 2, 3: imbalance 3 under the default 4; no stall as clocks move. */
	mon_eval__defaults(&l);
	l.trim = 0;
	mon_eval__series(s->pts, s->n, &l, &v, sum);
	assert_true(v.passed);
	assert_int_equal(v.nr_fail, 0);
	assert_int_equal(sum->samples, s->n);
	assert_int_equal(sum->nr_cpus, NCPU);
	assert_int_equal(sum->cpu[2].max_nr_running, 3);
	assert_int_equal(sum->cpu[2].max_local_dsq, 2);
	mon_series__free(s);
	free(sum);
}

static void test_start_errors(void **state)
{
	struct guest *g = *state;
	struct mon_run_opts o = opts(g, 10, 0);
	struct klayout kl = g->kl;
	struct mon_run *r = (struct mon_run *)1;
	char err[256];

	o.ncpus = 0;
	assert_int_equal(mon_run__start(&o, &r, err, sizeof(err)), -EINVAL);
	assert_null(r);
	o.ncpus = NCPU;
	kl.runqueues = 0;
	snprintf(kl.path, sizeof(kl.path), "/x/vmlinux");
	o.kl = &kl;
	assert_int_equal(mon_run__start(&o, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "monitor: /x/vmlinux: the layout lacks runqueues, "
			    "__per_cpu_offset or nr_cpu_ids");
}

static void test_hz_parse(void **state)
{
	static const char cfg[] = "# comment\nCONFIG_HZ_PERIODIC=y\n# CONFIG_HZ_100 is not set\n"
				  "CONFIG_HZ_1000=y\nCONFIG_HZ=1000\nCONFIG_X=1\n";

	(void)state;
	assert_int_equal(kconfig_hz__parse(cfg, strlen(cfg)), 1000);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=300", 13), 300);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=100\r\n", 15), 100);
	/* The length bounds the text: "CONFIG_HZ=25" of "CONFIG_HZ=250". */
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=250", 12), 25);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ_250=y\n", 16), -ENOENT);
	assert_int_equal(kconfig_hz__parse("# CONFIG_HZ=250\n", 16), -ENOENT);
	assert_int_equal(kconfig_hz__parse("", 0), -ENOENT);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=\n", 11), -EINVAL);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=0\n", 12), -EINVAL);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=-1\n", 13), -EINVAL);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=250x\n", 15), -EINVAL);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=\"250\"\n", 16), -EINVAL);
	assert_int_equal(kconfig_hz__parse("CONFIG_HZ=99999999999999999999\n", 31), -EINVAL);
}

/* @text gzipped (as the kernel's IKCONFIG is) into a malloc'd buffer. */
static uint8_t *gzip(const char *text, size_t *len)
{
	size_t cap = compressBound(strlen(text)) + 64;
	uint8_t *out = malloc(cap);
	z_stream z;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static void test_hz_gzip(void **state)
{
	size_t big_len = 200000, len;
	char *big = malloc(big_len + 32);
	uint8_t *gz;

	(void)state;
	assert_non_null(big);
	/* Past the first 64 KiB of output: the inflater grows its buffer. */
	memset(big, '#', big_len);
	for (size_t i = 79; i < big_len; i += 80)
		big[i] = '\n';
	strcpy(big + big_len, "\nCONFIG_HZ=300\n");
	gz = gzip(big, &len);
	assert_int_equal(kconfig_hz__parse_gzip(gz, len), 300);
	/* Truncated, corrupt, not gzip at all. */
	assert_int_equal(kconfig_hz__parse_gzip(gz, len / 2), -EINVAL);
	gz[len / 2] ^= 0xff;
	gz[len / 2 + 1] ^= 0x55;
	assert_true(kconfig_hz__parse_gzip(gz, len) < 0);
	assert_int_equal(kconfig_hz__parse_gzip("CONFIG_HZ=100\n", 14), -EINVAL);
	free(gz);
	gz = gzip("CONFIG_X=y\n", &len);
	assert_int_equal(kconfig_hz__parse_gzip(gz, len), -ENOENT);
	free(gz);
	free(big);
}

static void test_hz_files(void **state)
{
	char dir[] = "/tmp/ktstr-hz-XXXXXX", path[64], how[1024], err[1024];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("CONFIG_HZ_100=y\nCONFIG_HZ=100\n", f);
	fclose(f);
	assert_int_equal(kconfig_hz__from_file(path, err, sizeof(err)), 100);
	/* A vmlinux without IKCONFIG (this test), then the .config. */
	assert_int_equal(kconfig_hz__from_vmlinux("/proc/self/exe", err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/proc/self/exe: no embedded config (CONFIG_IKCONFIG)");
	assert_int_equal(kconfig_hz__guest("/proc/self/exe", path, how, sizeof(how)), 100);
	assert_non_null(strstr(how, "CONFIG_HZ=100 from /tmp/ktstr-hz-"));
	/* Neither: 250, and why. */
	assert_int_equal(kconfig_hz__guest(NULL, NULL, how, sizeof(how)), MON_EVAL_HZ_DEFAULT);
	assert_string_equal(how, "HZ 250 assumed: no vmlinux; no .config");
	assert_int_equal(kconfig_hz__guest("/proc/self/exe", "/nonexistent/.config", how,
					   sizeof(how)), 250);
	assert_non_null(strstr(how, "HZ 250 assumed: /proc/self/exe: no embedded config "
				    "(CONFIG_IKCONFIG); /nonexistent/.config: "));
	assert_int_equal(kconfig_hz__from_vmlinux("/etc/hostname", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "/etc/hostname: not an ELF vmlinux");
	unlink(path);
	rmdir(dir);
}

/* The cached kernel's embedded config: one of Kconfig's HZ choices. */
static void test_hz_vmlinux(void **state)
{
	struct kfind_opts ko = { 0 };
	struct kfind_result *kr = calloc(1, sizeof(*kr));
	const char *env = getenv("KTSTR_TEST_VMLINUX");
	char path[PATH_MAX] = "", err[1024], how[1024];
	int hz;

	(void)state;
	assert_non_null(kr);
	if (env && *env)
		snprintf(path, sizeof(path), "%s", env);
	else if (!kernel_find(&ko, kr, err, sizeof(err)) && kr->vmlinux[0])
		snprintf(path, sizeof(path), "%s", kr->vmlinux);
	free(kr);
	if (!path[0]) {
		fprintf(stderr, "skip: no cached kernel with a vmlinux (ktstr kernel build, "
			"or KTSTR_TEST_VMLINUX)\n");
		skip();
	}
	hz = kconfig_hz__from_vmlinux(path, err, sizeof(err));
	if (hz == -ENOENT && strstr(err, "CONFIG_IKCONFIG")) {
		fprintf(stderr, "skip: %s\n", err);
		skip();
	}
	assert_true(hz == 100 || hz == 250 || hz == 300 || hz == 1000);
	assert_int_equal(kconfig_hz__guest(path, NULL, how, sizeof(how)), hz);
	assert_non_null(strstr(how, "'s embedded config"));
	fprintf(stderr, "%s\n", how);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_up_then_eval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_errors, setup, teardown),
		cmocka_unit_test(test_hz_parse),
		cmocka_unit_test(test_hz_gzip),
		cmocka_unit_test(test_hz_files),
		cmocka_unit_test(test_hz_vmlinux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

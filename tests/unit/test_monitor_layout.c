// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's foundations (lib/monitor): guest memory reads that stay in
 * bounds (guest_mem.h), nokaslr address translation (kaddr.h), BTF member
 * lookups on a BTF built here (nested, anonymous, bit fields), and the
 * symbols and run queue layout of the cached kernel's vmlinux, cross-checked
 * against its System.map (skipped with a reason when there is no vmlinux).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmlinux_fx.h"

#include "base/fsutil.h"
#include "kernel/kernel_find.h"
#include "monitor/guest_mem.h"
#include "monitor/kaddr.h"
#include "monitor/kernel_layout.h"

/*
 * Symbols with the names klayout__load() looks for, so that this test's own
 * executable is an ELF with them but without BTF.
 */
unsigned long runqueues[4] = { 1 };
unsigned long __per_cpu_offset[8] = { 1 };
unsigned int nr_cpu_ids = 1;

static void test_gmem_bounds(void **state)
{
	static uint8_t lo[4096], hi[4096];
	struct gmem m;
	uint64_t v = 0x1122334455667788ull;
	uint32_t w;
	uint8_t buf[16];

	(void)state;
	for (unsigned i = 0; i < sizeof(lo); i++) {
		lo[i] = (uint8_t)i;
		hi[i] = (uint8_t)(0x80 | i);
	}
	gmem__init(&m);
	assert_int_equal(gmem__add(&m, 0x1000, lo, sizeof(lo)), 0);
	/* Overlaps, empty, wrapping: refused. */
	assert_int_equal(gmem__add(&m, 0x1800, hi, 16), -EINVAL);
	assert_int_equal(gmem__add(&m, 0, hi, 0x1001), -EINVAL);
	assert_int_equal(gmem__add(&m, 0x9000, hi, 0), -EINVAL);
	assert_int_equal(gmem__add(&m, UINT64_MAX - 10, hi, 4096), -EINVAL);
	/* Contiguous with the first: a read may cross from one to the other. */
	assert_int_equal(gmem__add(&m, 0x2000, hi, sizeof(hi)), 0);

	assert_int_equal(gmem__u32(&m, 0x1004, &w), 0);
	assert_int_equal(w, 0x07060504u);
	assert_int_equal(gmem__read(&m, 0x1ffc, buf, 8), 0);
	assert_int_equal(buf[3], 0xff);
	assert_int_equal(buf[4], 0x80);
	/* Out of range, past the end, before the start, wrapping: -EFAULT, @v untouched. */
	assert_int_equal(gmem__u64(&m, 0x2ffc, &v), -EFAULT);
	assert_int_equal(gmem__u64(&m, 0xffc, &v), -EFAULT);
	assert_int_equal(gmem__u64(&m, 0, &v), -EFAULT);
	assert_int_equal(gmem__u64(&m, UINT64_MAX - 3, &v), -EFAULT);
	assert_int_equal(gmem__read(&m, 0x1000, buf, SIZE_MAX), -EFAULT);
	assert_true(v == 0x1122334455667788ull);
	assert_int_equal(gmem__u64(&m, 0x2ff8, &v), 0);
	assert_true(v == 0xfffefdfcfbfaf9f8ull);

	/* A full table. */
	for (unsigned i = 2; i < GMEM_MAX_REGIONS; i++)
		assert_int_equal(gmem__add(&m, 0x100000ull * i, lo, 16), 0);
	assert_int_equal(gmem__add(&m, 0x100000ull * 99, lo, 16), -ENOSPC);

	/* An empty view reads nothing. */
	gmem__init(&m);
	assert_int_equal(gmem__u32(&m, 0, &w), -EFAULT);
}

/* RAM split around the 32-bit hole: below low_size at once, the rest at 4 GiB. */
static void test_gmem_ram_split(void **state)
{
	static uint8_t ram[3 * 4096];
	struct gmem m;
	uint32_t w;

	(void)state;
	for (unsigned i = 0; i < sizeof(ram) / 4; i++)
		memcpy(ram + 4 * i, &i, 4);
	gmem__init(&m);
	/* Two pieces (two NUMA nodes' files): [0, 4K) and [4K, 12K), low 8 KiB. */
	assert_int_equal(gmem__add_ram(&m, 0, ram, 4096, 8192), 0);
	assert_int_equal(gmem__add_ram(&m, 4096, ram + 4096, 8192, 8192), 0);
	assert_int_equal(m.nr, 3);
	assert_int_equal(gmem__u32(&m, 4096 + 8, &w), 0);
	assert_int_equal(w, 1026);
	assert_int_equal(gmem__u32(&m, 8192, &w), -EFAULT);	/* the hole */
	assert_int_equal(gmem__u32(&m, GMEM_4G, &w), 0);
	assert_int_equal(w, 2048);
	assert_int_equal(gmem__u32(&m, GMEM_4G + 4092, &w), 0);
	assert_int_equal(w, 3071);
	assert_int_equal(gmem__u32(&m, GMEM_4G + 4096, &w), -EFAULT);
	assert_int_equal(gmem__add_ram(&m, 0, ram, 16, GMEM_4G + 1), -EINVAL);

	/* qemu q35: all below 4 GiB up to 2.75 GiB, then 2 GiB below. */
	assert_true(gmem__q35_low(1ull << 30) == 1ull << 30);
	assert_true(gmem__q35_low(0xafffffffull) == 0xafffffffull);
	assert_true(gmem__q35_low(0xb0000000ull) == 0x80000000ull);
	assert_true(gmem__q35_low(16ull << 30) == 0x80000000ull);
}

static void test_kaddr(void **state)
{
	static uint8_t ram[8192];
	struct klayout kl;
	struct kaddr k;
	struct gmem m;
	uint64_t pa = 7, v;

	(void)state;
	kaddr__init(&k);
	assert_int_equal(kaddr__pa(&k, 0xffffffff81000000ull, &pa), 0);
	assert_true(pa == 0x1000000);
	assert_int_equal(kaddr__pa(&k, 0xffff888000001000ull, &pa), 0);
	assert_true(pa == 0x1000);
	assert_int_equal(kaddr__pa(&k, 0xffff888000000000ull + (1ull << 46) - 1, &pa), 0);
	/* User space, vmalloc, past the direct map, modules: not translated. */
	pa = 7;
	assert_int_equal(kaddr__pa(&k, 0x400000, &pa), -EFAULT);
	assert_int_equal(kaddr__pa(&k, 0xffffc90000000000ull, &pa), -EFAULT);
	assert_int_equal(kaddr__pa(&k, 0xffff888000000000ull + (1ull << 46), &pa), -EFAULT);
	assert_int_equal(kaddr__pa(&k, 0xffffffffc0000000ull, &pa), -EFAULT);
	assert_int_equal(kaddr__pa(&k, 0xffff887fffffffffull, &pa), -EFAULT);
	assert_true(pa == 7);

	/* page_offset_base read from the guest: a plausible one is taken. */
	gmem__init(&m);
	assert_int_equal(gmem__add(&m, 0, ram, sizeof(ram)), 0);
	memset(&kl, 0, sizeof(kl));
	kl.page_offset_base = KADDR_START_KERNEL_MAP + 0x100;
	v = 0xff11000000000000ull;		/* a 5-level direct map */
	memcpy(ram + 0x100, &v, 8);
	assert_int_equal(kaddr__refresh(&k, &kl, &m), 0);
	assert_true(k.page_offset == 0xff11000000000000ull);
	assert_int_equal(kaddr__pa(&k, 0xff11000000000040ull, &pa), 0);
	assert_true(pa == 0x40);
	assert_int_equal(kaddr__read(&k, &m, 0xff11000000000100ull, 8, &v), 0);
	assert_true(v == 0xff11000000000000ull);
	assert_int_equal(kaddr__read(&k, &m, 0xff11000000000100ull, 3, &v), -EINVAL);
	assert_int_equal(kaddr__read(&k, &m, 0xff11000000000000ull + sizeof(ram) - 4, 8, &v),
			 -EFAULT);
	/* Not set yet (zero) or garbage: the last good value stays. */
	v = 0;
	memcpy(ram + 0x100, &v, 8);
	assert_int_equal(kaddr__refresh(&k, &kl, &m), 0);
	assert_true(k.page_offset == 0xff11000000000000ull);
	v = 0xffff888000000123ull;
	memcpy(ram + 0x100, &v, 8);
	assert_int_equal(kaddr__refresh(&k, &kl, &m), 0);
	assert_true(k.page_offset == 0xff11000000000000ull);
	/* The symbol outside guest memory. */
	kl.page_offset_base = KADDR_START_KERNEL_MAP + (1u << 20);
	assert_int_equal(kaddr__refresh(&k, &kl, &m), -EFAULT);
}

/*
 * struct outer {
 *	u32 a;				// 0
 *	union { u64 x; u32 y; };	// 8
 *	struct inner { u16 p; u32 q; } in;	// 16: p 16, q 20
 *	u32 bf:3;			// 24
 *	char arr[3];			// 28
 *	struct inner *ptr;		// 32
 * };
 */
static struct btf *make_btf(void)
{
	struct btf *b = btf__new_empty();
	int u16, u32, u64, chr, inner, anon, arr, ptr;

	assert_non_null(b);
	u16 = btf__add_int(b, "u16", 2, 0);
	u32 = btf__add_int(b, "u32", 4, 0);
	u64 = btf__add_int(b, "u64", 8, 0);
	chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	inner = btf__add_struct(b, "inner", 8);
	assert_int_equal(btf__add_field(b, "p", u16, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "q", u32, 32, 0), 0);
	anon = btf__add_union(b, NULL, 8);
	assert_int_equal(btf__add_field(b, "x", u64, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "y", u32, 0, 0), 0);
	arr = btf__add_array(b, u32, chr, 3);
	ptr = btf__add_ptr(b, inner);
	assert_true(btf__add_struct(b, "outer", 40) > 0);
	assert_int_equal(btf__add_field(b, "a", u32, 0, 0), 0);
	assert_int_equal(btf__add_field(b, NULL, anon, 64, 0), 0);
	assert_int_equal(btf__add_field(b, "in", inner, 128, 0), 0);
	assert_int_equal(btf__add_field(b, "bf", u32, 192, 3), 0);
	assert_int_equal(btf__add_field(b, "arr", arr, 224, 0), 0);
	assert_int_equal(btf__add_field(b, "ptr", ptr, 256, 0), 0);
	return b;
}

static void test_btf_field(void **state)
{
	struct btf *b = make_btf();
	struct klayout_field f;
	char err[256];

	(void)state;
	assert_int_equal(klayout__btf_field(b, "outer", "a", &f, err, sizeof(err)), 0);
	assert_true(f.present && f.off == 0 && f.size == 4);
	/* In an anonymous union. */
	assert_int_equal(klayout__btf_field(b, "outer", "y", &f, err, sizeof(err)), 0);
	assert_true(f.off == 8 && f.size == 4);
	assert_int_equal(klayout__btf_field(b, "outer", "x", &f, err, sizeof(err)), 0);
	assert_true(f.off == 8 && f.size == 8);
	/* Nested: the offsets add up. */
	assert_int_equal(klayout__btf_field(b, "outer", "in.q", &f, err, sizeof(err)), 0);
	assert_true(f.off == 20 && f.size == 4);
	assert_int_equal(klayout__btf_field(b, "outer", "in.p", &f, err, sizeof(err)), 0);
	assert_true(f.off == 16 && f.size == 2);
	assert_int_equal(klayout__btf_field(b, "outer", "ptr", &f, err, sizeof(err)), 0);
	assert_true(f.off == 32 && f.size == 8);
	/* Refused: a bit field, an array of 3 bytes, a whole struct of 8 is fine. */
	assert_int_equal(klayout__btf_field(b, "outer", "bf", &f, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bit field"));
	assert_false(f.present);
	assert_int_equal(klayout__btf_field(b, "outer", "arr", &f, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "3 bytes"));
	assert_int_equal(klayout__btf_field(b, "outer", "in", &f, err, sizeof(err)), 0);
	assert_true(f.off == 16 && f.size == 8);
	/* Absent members, paths through a non-struct or a pointer, bad paths. */
	assert_int_equal(klayout__btf_field(b, "outer", "nope", &f, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "struct outer has no member nope");
	assert_int_equal(klayout__btf_field(b, "outer", "in.r", &f, err, sizeof(err)), -ENOENT);
	assert_int_equal(klayout__btf_field(b, "outer", "a.b", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(klayout__btf_field(b, "outer", "ptr.p", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(klayout__btf_field(b, "outer", "in..p", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(klayout__btf_field(b, "outer", "", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(klayout__btf_field(b, "rq", "clock", &f, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "no struct rq in BTF");
	btf__free(b);
}

/* Errors name the file and what is missing. */
static void test_layout_errors(void **state)
{
	struct klayout kl;
	char err[512];

	(void)state;
	assert_int_equal(klayout__load(&kl, "", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no vmlinux"));
	assert_int_equal(klayout__load(&kl, "/nonexistent/vmlinux", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/vmlinux: "));
	assert_int_equal(klayout__load(&kl, "/etc/hostname", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "/etc/hostname: not an ELF vmlinux");
	/* An ELF with a symbol table but no runqueues: a PVH fixture. */
	if (getenv("PVH_FIXTURE")) {
		char want[PATH_MAX + 64];

		assert_int_equal(klayout__load(&kl, getenv("PVH_FIXTURE"), err, sizeof(err)),
				 -ENOENT);
		snprintf(want, sizeof(want), "%s: symbol runqueues not found",
			 getenv("PVH_FIXTURE"));
		assert_string_equal(err, want);
	}
	/* This test: the three symbols, no BTF. */
	assert_int_equal(klayout__load(&kl, "/proc/self/exe", err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/proc/self/exe: vmlinux has no BTF (build it with "
				 "CONFIG_DEBUG_INFO_BTF=y)");
	/* Found (link-time addresses: this test may be PIE). */
	assert_true(kl.runqueues && kl.per_cpu_offset && kl.nr_cpu_ids);
	assert_int_equal(kl.nr_cpus_max, 8);
}

/* The address System.map (next to @vmlinux) gives @sym, or 0. */
static uint64_t sysmap_addr(const char *vmlinux, const char *sym)
{
	char path[PATH_MAX], needle[128], *text = NULL, *p;
	uint64_t addr = 0;
	size_t n;

	snprintf(path, sizeof(path), "%.*s/System.map",
		 (int)(strrchr(vmlinux, '/') - vmlinux), vmlinux);
	if (fsutil__read(path, 64u << 20, &text, &n))
		return 0;
	snprintf(needle, sizeof(needle), " %s\n", sym);
	for (p = strstr(text, needle); p; p = strstr(p + 1, needle)) {
		char *line = p;

		while (line > text && line[-1] != '\n')
			line--;
		if ((p - line == 18) && (p[-1] == 'D' || p[-1] == 'd' || p[-1] == 'B' ||
					 p[-1] == 'b')) {
			addr = strtoull(line, NULL, 16);
			break;
		}
	}
	free(text);
	return addr;
}

static void test_layout_vmlinux(void **state)
{
	static const char *const syms[] = { "runqueues", "__per_cpu_offset", "nr_cpu_ids",
					    "page_offset_base" };
	char path[PATH_MAX], err[1024];
	struct klayout_field f;
	struct klayout kl;
	struct btf *btf;
	uint32_t scx_off;

	(void)state;
	if (!fx__find_vmlinux(path, sizeof(path)) || !strchr(path, '/'))
		skip();
	assert_int_equal(klayout__load(&kl, path, err, sizeof(err)), 0);
	/* Per-CPU symbols are offsets; the others kernel image addresses. */
	assert_true(kl.runqueues > 0 && kl.runqueues < (1u << 24));
	assert_true(kl.per_cpu_offset >= KADDR_START_KERNEL_MAP);
	assert_true(kl.nr_cpu_ids >= KADDR_START_KERNEL_MAP);
	assert_true(kl.page_offset_base >= KADDR_START_KERNEL_MAP);
	assert_true(kl.nr_cpus_max >= 2 && kl.nr_cpus_max <= 8192);
	/* The same as System.map, when there is one. */
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		uint64_t want = sysmap_addr(path, syms[i]);
		uint64_t got = i == 0 ? kl.runqueues : i == 1 ? kl.per_cpu_offset :
			       i == 2 ? kl.nr_cpu_ids : kl.page_offset_base;

		if (want)
			assert_true(got == want);
	}
	/* Sizes as the kernel declares them; all inside struct rq. */
	assert_true(kl.rq_size > 256);
	assert_int_equal(kl.rq_nr_running.size, 4);
	assert_int_equal(kl.rq_clock.size, 8);
	assert_int_equal(kl.rq_curr.size, 8);
	assert_int_equal(kl.task_pid.size, 4);
	assert_true(kl.rq_clock.off + 8 <= kl.rq_size);
	assert_true(kl.rq_nr_running.off != kl.rq_clock.off);
	/* ktstr's kernels have sched_ext (lib/kernel/ktstr.kconfig). */
	assert_true(kl.has_scx);
	assert_int_equal(kl.rq_scx_nr_running.size, 4);
	assert_int_equal(kl.rq_scx_local_dsq_nr.size, 4);

	/* The nested path is the sum of its parts. */
	btf = btf__parse_elf(path, NULL);
	assert_non_null(btf);
	assert_int_equal(klayout__btf_field(btf, "rq", "scx", &f, err, sizeof(err)), -EINVAL);
	scx_off = kl.rq_scx_nr_running.off;
	assert_int_equal(klayout__btf_field(btf, "scx_rq", "nr_running", &f, err, sizeof(err)), 0);
	scx_off -= f.off;	/* rq.scx's own offset */
	assert_int_equal(klayout__btf_field(btf, "scx_rq", "local_dsq.nr", &f, err, sizeof(err)),
			 0);
	assert_int_equal(kl.rq_scx_local_dsq_nr.off, scx_off + f.off);
	assert_int_equal(klayout__btf_field(btf, "scx_dispatch_q", "nr", &f, err, sizeof(err)), 0);
	assert_true(f.size == 4);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gmem_bounds),
		cmocka_unit_test(test_gmem_ram_split),
		cmocka_unit_test(test_kaddr),
		cmocka_unit_test(test_btf_field),
		cmocka_unit_test(test_layout_errors),
		cmocka_unit_test(test_layout_vmlinux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

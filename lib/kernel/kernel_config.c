// SPDX-License-Identifier: GPL-2.0
#include "kernel_config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Generated from ktstr.kconfig by lib/kernel/embed.py (see lib/kernel/meson.build). */
extern const char kernel_config__fragment_text[];
extern const size_t kernel_config__fragment_len;

const char *kernel_config__fragment(size_t *len)
{
	if (len)
		*len = kernel_config__fragment_len;
	return kernel_config__fragment_text;
}

uint32_t kernel_config__crc(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uLong crc = crc32(0L, Z_NULL, 0);

	while (len) {
		uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, p, chunk);
		p += chunk;
		len -= chunk;
	}
	return (uint32_t)crc;
}

uint32_t kernel_config__fragment_crc(void)
{
	return kernel_config__crc(kernel_config__fragment_text, kernel_config__fragment_len);
}

/* A line of a .config or fragment. */
enum kline_kind { KLINE_OTHER, KLINE_SET, KLINE_UNSET };

struct kline {
	enum kline_kind kind;
	const char *name;	/* CONFIG_X, not NUL-terminated */
	size_t name_len;
	const char *value;	/* after '=', KLINE_SET only */
	size_t value_len;
};

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static size_t name_span(const char *p, const char *end)
{
	size_t n = 0;

	if (end - p < 8 || memcmp(p, "CONFIG_", 7))
		return 0;
	while (p + n < end && is_name_char(p[n]))
		n++;
	return n > 7 ? n : 0;
}

static struct kline parse_line(const char *p, size_t len)
{
	static const char unset_tail[] = " is not set";
	const char *end = p + len;
	struct kline l = { KLINE_OTHER, NULL, 0, NULL, 0 };
	size_t n;

	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (end - p > 2 && p[0] == '#' && p[1] == ' ') {
		n = name_span(p + 2, end);
		if (n && (size_t)(end - (p + 2 + n)) == sizeof(unset_tail) - 1 &&
		    !memcmp(p + 2 + n, unset_tail, sizeof(unset_tail) - 1)) {
			l.kind = KLINE_UNSET;
			l.name = p + 2;
			l.name_len = n;
		}
		return l;
	}
	n = name_span(p, end);
	if (n && p + n < end && p[n] == '=') {
		l.kind = KLINE_SET;
		l.name = p;
		l.name_len = n;
		l.value = p + n + 1;
		l.value_len = (size_t)(end - l.value);
	}
	return l;
}

struct kline_vec {
	struct kline *v;
	size_t n, cap;
};

/* Every SET/UNSET line of @text. Returns 0 or -ENOMEM. */
static int parse_all(const char *text, size_t len, struct kline_vec *out)
{
	const char *p = text, *end = text + len;

	out->v = NULL;
	out->n = out->cap = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct kline l = parse_line(p, ll);

		if (l.kind != KLINE_OTHER) {
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 256;
				struct kline *v = realloc(out->v, cap * sizeof(*v));

				if (!v) {
					free(out->v);
					out->v = NULL;
					return -ENOMEM;
				}
				out->v = v;
				out->cap = cap;
			}
			out->v[out->n++] = l;
		}
		p += ll + 1;
	}
	return 0;
}

static const struct kline *lookup(const struct kline_vec *lines, const struct kline *want)
{
	const struct kline *found = NULL;

	/* The last assignment wins, as in Kconfig. */
	for (size_t i = 0; i < lines->n; i++)
		if (lines->v[i].name_len == want->name_len &&
		    !memcmp(lines->v[i].name, want->name, want->name_len))
			found = &lines->v[i];
	return found;
}

static void copy_span(char *dst, size_t cap, const char *src, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int add_problem(struct kconfig_check *c, const struct kline *want, const struct kline *got)
{
	struct kconfig_problem *p = realloc(c->items, (c->n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	c->items = p;
	p = &c->items[c->n++];
	copy_span(p->name, sizeof(p->name), want->name, want->name_len);
	if (want->kind == KLINE_SET)
		copy_span(p->want, sizeof(p->want), want->value, want->value_len);
	else
		strcpy(p->want, "not set");
	if (!got)
		strcpy(p->got, "absent");
	else if (got->kind == KLINE_UNSET)
		strcpy(p->got, "not set");
	else
		copy_span(p->got, sizeof(p->got), got->value, got->value_len);
	p->hint = kernel_config__hint(p->name);
	return 0;
}

int kernel_config__verify(const char *frag, size_t flen, const char *config, size_t clen,
			  struct kconfig_check *out)
{
	struct kline_vec fl, cl;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (parse_all(frag, flen, &fl))
		return -ENOMEM;
	if (parse_all(config, clen, &cl)) {
		free(fl.v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < fl.n && !err; i++) {
		const struct kline *want = &fl.v[i];
		const struct kline *got = lookup(&cl, want);
		bool ok;

		out->checked++;
		if (want->kind == KLINE_SET)
			ok = got && got->kind == KLINE_SET && got->value_len == want->value_len &&
			     !memcmp(got->value, want->value, want->value_len);
		else
			ok = !got || got->kind == KLINE_UNSET ||
			     (got->value_len == 1 && got->value[0] == 'n');
		if (!ok)
			err = add_problem(out, want, got);
	}
	free(fl.v);
	free(cl.v);
	if (err) {
		kconfig_check__free(out);
		return err;
	}
	return (int)out->n;
}

void kconfig_check__free(struct kconfig_check *c)
{
	free(c->items);
	c->items = NULL;
	c->n = 0;
}

void kconfig_check__print(const struct kconfig_check *c, FILE *f)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct kconfig_problem *p = &c->items[i];

		fprintf(f, "  %s: want %s, got %s\n    hint: %s\n", p->name, p->want, p->got,
			p->hint);
	}
}

char *kernel_config__merge(const char *config, size_t clen, const char *frag, size_t flen,
			   size_t *outlen)
{
	static const char banner[] = "\n# -- ktstr fragment (lib/kernel/ktstr.kconfig) --\n";
	struct kline_vec fl;
	const char *p = config, *end = config + clen;
	char *out, *o;

	if (parse_all(frag, flen, &fl))
		return NULL;
	out = malloc(clen + sizeof(banner) + flen + 2);
	if (!out) {
		free(fl.v);
		return NULL;
	}
	o = out;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct kline l = parse_line(p, ll);

		if (l.kind == KLINE_OTHER || !lookup(&fl, &l)) {
			memcpy(o, p, ll);
			o += ll;
			*o++ = '\n';
		}
		p += ll + 1;
	}
	memcpy(o, banner, sizeof(banner) - 1);
	o += sizeof(banner) - 1;
	memcpy(o, frag, flen);
	o += flen;
	if (flen && frag[flen - 1] != '\n')
		*o++ = '\n';
	*o = '\0';
	if (outlen)
		*outlen = (size_t)(o - out);
	free(fl.v);
	return out;
}

static const struct {
	const char *name;
	const char *hint;
} hints[] = {
	{ "CONFIG_SCHED_CLASS_EXT", "needs BPF_SYSCALL, BPF_JIT and DEBUG_INFO_BTF, and a kernel "
				    "of 6.12 or newer (sched_ext arrived in 6.12)" },
	{ "CONFIG_DEBUG_INFO_BTF", "needs pahole >= 1.16 (apt-get install dwarves) and DEBUG_INFO "
				   "without DEBUG_INFO_REDUCED or DEBUG_INFO_SPLIT" },
	{ "CONFIG_DEBUG_INFO", "needs a DEBUG_INFO_DWARF* choice; is DEBUG_KERNEL on?" },
	{ "CONFIG_DEBUG_INFO_DWARF5", "needs a compiler and assembler that emit DWARF 5 (gcc >= 11 "
				      "or clang >= 14)" },
	{ "CONFIG_BPF_JIT", "needs BPF_SYSCALL and an architecture with an eBPF JIT (x86_64 has "
			    "one)" },
	{ "CONFIG_BPF_JIT_ALWAYS_ON", "needs BPF_JIT" },
	{ "CONFIG_BPF_EVENTS", "needs KPROBE_EVENTS or UPROBE_EVENTS, and PERF_EVENTS" },
	{ "CONFIG_KPROBE_EVENTS", "needs KPROBES and FTRACE" },
	{ "CONFIG_FUNCTION_TRACER", "needs FTRACE" },
	{ "CONFIG_DYNAMIC_FTRACE", "needs FUNCTION_TRACER" },
	{ "CONFIG_ACPI_NUMA", "needs NUMA and ACPI (and PCI, from defconfig, on x86_64)" },
	{ "CONFIG_X86_64_ACPI_NUMA", "needs NUMA, ACPI and PCI (PCI comes from defconfig)" },
	{ "CONFIG_VIRTIO_MMIO", "needs VIRTIO_MENU and HAS_IOMEM" },
	{ "CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES", "needs VIRTIO_MMIO" },
	{ "CONFIG_VIRTIO_CONSOLE", "needs TTY and VIRTIO" },
	{ "CONFIG_KVM_GUEST", "needs HYPERVISOR_GUEST and PARAVIRT" },
	{ "CONFIG_PVH", "needs HYPERVISOR_GUEST and X86_64 (PVH entry boots the ELF vmlinux)" },
	{ "CONFIG_PARAVIRT_TIME_ACCOUNTING", "needs PARAVIRT" },
	{ "CONFIG_CPUSETS", "needs CGROUPS" },
	{ "CONFIG_FAIR_GROUP_SCHED", "needs CGROUP_SCHED" },
	{ "CONFIG_NUMA_BALANCING", "needs NUMA and an architecture that supports it" },
	{ "CONFIG_IKCONFIG_PROC", "needs IKCONFIG and PROC_FS" },
	{ "CONFIG_KALLSYMS_ALL", "needs KALLSYMS and DEBUG_KERNEL" },
	{ "CONFIG_DEVTMPFS_MOUNT", "needs DEVTMPFS" },
	{ "CONFIG_SERIAL_8250_CONSOLE", "needs SERIAL_8250=y (not m)" },
	{ "CONFIG_MODULES", "something selects it; with modules on, the guest needs them in the "
			    "initramfs" },
};

const char *kernel_config__hint(const char *name)
{
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (!strcmp(hints[i].name, name))
			return hints[i].hint;
	return "its dependencies are not met: look it up with `make menuconfig` and '/' "
	       "(Depends on / Selected by)";
}

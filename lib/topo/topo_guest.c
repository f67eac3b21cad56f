// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's TOPOLOGY text, parsed as untrusted input; see topo_guest.h.
 * Lines are "cpu N PKG DIE CORE SIBLINGS L3" and "node N CPULIST DISTS",
 * fields separated by exactly one space, '-' for what the guest lacks.
 */
#include "topo_guest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define FIELDS_MAX	7		/* the cpu line's */
#define EXCERPT		40		/* bytes of a bad line quoted in the message */

struct line {
	unsigned no;			/* 1-based */
	const char *s;
	size_t len;
	const char *f[FIELDS_MAX];	/* fields, NUL-terminated copies in buf */
	size_t nf;
	char buf[TOPO_GUEST_LINE_MAX];
};

/* "line 3 ('cpu 300 0 0 ...'): MSG": the start of the line, printable. */
__attribute__((format(printf, 4, 5)))
static int line_err(const struct line *l, char *err, size_t errlen, const char *fmt, ...)
{
	char ex[EXCERPT + 4], msg[192];
	size_t n = l->len < EXCERPT ? l->len : EXCERPT;
	va_list ap;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l->s[i];

		ex[i] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
	}
	strcpy(ex + n, l->len > EXCERPT ? "..." : "");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err__set(-EINVAL, err, errlen, "line %u ('%s'): %s", l->no, ex, msg);
}

/* Split @l into fields at single spaces; errors name the line. */
static int split(struct line *l, char *err, size_t errlen)
{
	char *p = l->buf;

	memcpy(l->buf, l->s, l->len);
	l->buf[l->len] = '\0';
	l->nf = 0;
	for (;;) {
		char *sp = strchr(p, ' ');

		if (sp == p || !*p)
			return line_err(l, err, errlen, "an empty field (fields are separated by "
					"one space)");
		if (l->nf == FIELDS_MAX)
			return line_err(l, err, errlen, "more than %d fields", FIELDS_MAX);
		l->f[l->nf++] = p;
		if (!sp)
			return 0;
		*sp = '\0';
		p = sp + 1;
	}
}

/* A decimal number <= @max (no sign, no space), or '-' when @dash_ok: TOPO_GUEST_NONE. */
static int number(const struct line *l, const char *what, const char *s, uint32_t max,
		  bool dash_ok, uint32_t *out, char *err, size_t errlen)
{
	uint64_t v = 0;

	if (dash_ok && !strcmp(s, "-")) {
		*out = TOPO_GUEST_NONE;
		return 0;
	}
	if (!*s)
		return line_err(l, err, errlen, "%s: a number is missing", what);
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return line_err(l, err, errlen, "%s '%.24s' is not a number", what, s);
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return line_err(l, err, errlen, "%s %.24s%s is past %u", what, s,
					strlen(s) > 24 ? "..." : "", max);
	}
	*out = (uint32_t)v;
	return 0;
}

/* A CPU list, or '-' (then *has = false). */
static int cpu_list(const struct line *l, const char *what, const char *s, bool *has,
		    struct cpuset *out, char *err, size_t errlen)
{
	char msg[160];

	cpuset__zero(out);
	*has = strcmp(s, "-") != 0;
	if (!*has)
		return 0;
	/* cpuset__parse takes white space; the wire has none in a field. */
	if (cpuset__parse(s, out, msg, sizeof(msg)))
		return line_err(l, err, errlen, "%s: %s", what, msg);
	return 0;
}

/* "10,20,20" (at most TOPO_GUEST_MAX_NODES entries), or '-'. */
static int distances(const struct line *l, const char *s, struct topo_guest_node *n, char *err,
		     size_t errlen)
{
	char tok[8];

	n->ndist = 0;
	if (!strcmp(s, "-"))
		return 0;
	for (;;) {
		size_t k = strcspn(s, ",");
		uint32_t v;

		if (n->ndist == TOPO_GUEST_MAX_NODES)
			return line_err(l, err, errlen, "more than %d distances",
					TOPO_GUEST_MAX_NODES);
		if (!k || k >= sizeof(tok))
			return line_err(l, err, errlen, "distance %u: '%.*s' is not a number up "
					"to %d", n->ndist, (int)(k < 16 ? k : 16), s,
					TOPO_GUEST_DIST_MAX);
		memcpy(tok, s, k);
		tok[k] = '\0';
		if (number(l, "a distance", tok, TOPO_GUEST_DIST_MAX, false, &v, err, errlen))
			return -EINVAL;
		n->dist[n->ndist++] = (uint8_t)v;
		if (!s[k])
			return 0;
		s += k + 1;
	}
}

static int cpu_line(const struct line *l, struct topo_guest *g, char *err, size_t errlen)
{
	static const char *const ids[] = { "the package id", "the die id", "the core id" };
	struct topo_guest_cpu c = { .present = true };
	uint32_t *slots[] = { &c.pkg, &c.die, &c.core };
	uint32_t cpu;

	if (l->nf != 7)
		return line_err(l, err, errlen, "%zu fields; a cpu line has 7: cpu N PKG DIE CORE "
				"SIBLINGS L3", l->nf);
	if (number(l, "the CPU number", l->f[1], TOPO_GUEST_MAX_CPUS - 1, false, &cpu, err,
		   errlen))
		return -EINVAL;
	if (g->cpus[cpu].present)
		return line_err(l, err, errlen, "CPU %u is reported twice", cpu);
	for (int i = 0; i < 3; i++)
		if (number(l, ids[i], l->f[2 + i], TOPO_GUEST_ID_MAX, true, slots[i], err, errlen))
			return -EINVAL;
	if (cpu_list(l, "the thread siblings", l->f[5], &c.has_siblings, &c.siblings, err,
		     errlen) ||
	    cpu_list(l, "the L3's CPUs", l->f[6], &c.has_l3, &c.l3, err, errlen))
		return -EINVAL;
	g->cpus[cpu] = c;
	g->ncpus++;
	return 0;
}

static int node_line(const struct line *l, struct topo_guest *g, char *err, size_t errlen)
{
	struct topo_guest_node n = { .present = true };
	uint32_t node;

	if (l->nf != 4)
		return line_err(l, err, errlen, "%zu fields; a node line has 4: node N CPULIST "
				"DISTANCES", l->nf);
	if (number(l, "the node number", l->f[1], TOPO_GUEST_MAX_NODES - 1, false, &node, err,
		   errlen))
		return -EINVAL;
	if (g->nodes[node].present)
		return line_err(l, err, errlen, "node %u is reported twice", node);
	if (cpu_list(l, "the node's CPUs", l->f[2], &n.has_cpus, &n.cpus, err, errlen) ||
	    distances(l, l->f[3], &n, err, errlen))
		return -EINVAL;
	g->nodes[node] = n;
	g->nnodes++;
	return 0;
}

static int one_line(struct line *l, struct topo_guest *g, char *err, size_t errlen)
{
	if (!l->len)
		return line_err(l, err, errlen, "an empty line");
	if (l->len >= TOPO_GUEST_LINE_MAX)
		return line_err(l, err, errlen, "longer than %d bytes", TOPO_GUEST_LINE_MAX - 1);
	if (memchr(l->s, '\0', l->len))
		return line_err(l, err, errlen, "a NUL byte");
	for (size_t i = 0; i < l->len; i++)
		if ((unsigned char)l->s[i] < 0x20 || (unsigned char)l->s[i] >= 0x7f)
			return line_err(l, err, errlen, "byte 0x%02x at column %zu is not "
					"printable", (unsigned char)l->s[i], i + 1);
	if (split(l, err, errlen))
		return -EINVAL;
	if (!strcmp(l->f[0], "cpu"))
		return cpu_line(l, g, err, errlen);
	if (!strcmp(l->f[0], "node"))
		return node_line(l, g, err, errlen);
	return line_err(l, err, errlen, "not a cpu or node line");
}

int topo_guest__parse(const char *text, size_t len, struct topo_guest *out, char *err,
		      size_t errlen)
{
	struct line l;
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	for (unsigned no = 1; off < len; no++) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;

		l.no = no;
		l.s = text + off;
		l.len = n;
		if (one_line(&l, out, err, errlen)) {
			memset(out, 0, sizeof(*out));
			return -EINVAL;
		}
		off += n + (nl ? 1 : 0);
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan parser's state and its field decoders (plan_fields.c), shared by
 * the record parser (plan_read.c). Every decoder reports a bad field through
 * pp__fail(), which names the line, and returns -EINVAL.
 */
#ifndef KTSTR_AGENT_PLAN_READ_INT_H
#define KTSTR_AGENT_PLAN_READ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan_read.h"

/* Parser state: the current line and what later records attach to. */
struct pp {
	struct plan *p;
	unsigned line;
	char *tok[PLAN_MAX_TOKENS];
	int ntok;
	struct plan_section *sec;	/* NULL before "backdrop" */
	struct plan_work *work;		/* last work, for phase and arg */
	struct plan_cgroup *cgroup;	/* last cgroup, for work */
	struct plan_op *op;		/* last op, for work and arg */
	bool header, ended;
	char *err;
	size_t errlen;
};

/* "plan line N: MSG" into the caller's err; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
int pp__fail(struct pp *s, const char *fmt, ...);
/* Grow *arr (of *n elements of @size) by one zeroed element, at most @max. */
void *pp__push(struct pp *s, void **arr, size_t *n, size_t size, size_t max, const char *what);
/* Split @line at single spaces into s->tok; empty tokens are errors. */
int pp__split(struct pp *s, char *line);
/* The record has exactly @n arguments after its keyword. */
int pp__args(struct pp *s, int n);

/* Decode a string token ("=..." percent-encoded) or "-" (absent: *out = NULL). */
int pp__str(struct pp *s, const char *t, bool optional, char **out);
/* A string that is a cgroup name (relative, no "." or ".." components). */
int pp__cgname(struct pp *s, const char *t, bool optional, char **out);
/* A string that is a program name (not empty, at most PLAN_MAX_NAME bytes). */
int pp__progname(struct pp *s, const char *t, char **out);
/* Append one string token to a NULL-terminated vector of at most @max. */
int pp__argv_push(struct pp *s, char ***argv, size_t *argc, size_t max, const char *tok);

/* Decimal numbers up to @max; a signed one; a hex mask "0x..." of 64 bits. */
int pp__u64(struct pp *s, const char *t, uint64_t max, uint64_t *out);
int pp__u32(struct pp *s, const char *t, uint32_t max, uint32_t *out);
int pp__i64(struct pp *s, const char *t, int64_t *out);
int pp__hex64(struct pp *s, const char *t, uint64_t *out);
/* The index of @t in the NULL-terminated @names ("unknown @what" otherwise). */
int pp__enum(struct pp *s, const char *t, const char *const *names, const char *what,
	     int *out);
/* A CPU list below ncpus, or "-" when @optional (then *has = false). */
int pp__cpus(struct pp *s, const char *t, bool optional, bool *has, struct cpumask *m);

/* plan_shell.c: a "shell" or "shell-*" record (@k its keyword), and freeing them. */
int pp__shell(struct pp *s, const char *k);
void plan_shell__free(struct plan_shell *sh);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* A fixed-size CPU bitmap, big enough for the largest topology (252 CPUs). */
#ifndef KTSTR_CPUSET_H
#define KTSTR_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KTSTR_CPUSET_BITS 256

struct cpuset {
	uint64_t bits[KTSTR_CPUSET_BITS / 64];
};

void cpuset__zero(struct cpuset *s);
/* Out-of-range CPUs are ignored by set/clear and read as unset. */
void cpuset__set(struct cpuset *s, unsigned cpu);
void cpuset__clear(struct cpuset *s, unsigned cpu);
bool cpuset__test(const struct cpuset *s, unsigned cpu);
unsigned cpuset__count(const struct cpuset *s);
bool cpuset__empty(const struct cpuset *s);
bool cpuset__equal(const struct cpuset *a, const struct cpuset *b);
bool cpuset__subset(const struct cpuset *sub, const struct cpuset *super);
void cpuset__and(struct cpuset *dst, const struct cpuset *a, const struct cpuset *b);
void cpuset__or(struct cpuset *dst, const struct cpuset *a, const struct cpuset *b);
void cpuset__andnot(struct cpuset *dst, const struct cpuset *a, const struct cpuset *b);
/* Fill @out with the set CPUs in ascending order; returns how many (<= max). */
size_t cpuset__to_array(const struct cpuset *s, unsigned *out, size_t max);
/* Highest set CPU, or -1 when empty. */
int cpuset__last(const struct cpuset *s);
/*
 * Render as sorted ranges, "0-3,5,7-9" ("" when empty). Returns the length
 * the full string needs (like snprintf); @buf is always NUL-terminated.
 */
size_t cpuset__format(const struct cpuset *s, char *buf, size_t len);
/*
 * Parse "0-3,6" (whitespace around items allowed). Returns 0, or -EINVAL with
 * a message in @err ("'9-3' is a reversed range", "CPU 300 is out of range").
 */
int cpuset__parse(const char *str, struct cpuset *out, char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics: a list of "FILE:LINE:COLUMN: message" errors. Loaders and
 * validators append every error they find instead of stopping at the first.
 */
#ifndef KTSTR_DIAG_H
#define KTSTR_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A position in an input file; line and col are 1-based, line 0 = unknown. */
struct src_loc {
	const char *file;	/* not owned; lives as long as the scenario set */
	uint32_t line;
	uint32_t col;
};

struct diag {
	struct src_loc loc;
	char *msg;		/* owned (malloc) */
};

struct diag_list {
	struct diag *items;
	size_t n, cap;
	size_t max;		/* stop recording past this many (0 = 1000) */
	size_t dropped;
};

__attribute__((format(printf, 3, 4)))
void diag__add(struct diag_list *d, struct src_loc loc, const char *fmt, ...);
/* "FILE:LINE:COL: msg" per line; "FILE: msg" when line is 0. */
void diag__print(const struct diag_list *d, FILE *out);
void diag__free(struct diag_list *d);

/*
 * The candidate closest to @word by edit distance, or NULL when none is
 * close enough to be a plausible typo (distance <= max(1, len/3)).
 */
const char *diag__suggest(const char *word, const char *const *candidates, size_t n);

#endif

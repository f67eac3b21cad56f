// SPDX-License-Identifier: GPL-2.0
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_DEFAULT_MAX 1000

void diag__add(struct diag_list *d, struct src_loc loc, const char *fmt, ...)
{
	size_t max = d->max ? d->max : DIAG_DEFAULT_MAX;
	va_list ap;
	char *msg = NULL;

	if (d->n >= max) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct diag *items = realloc(d->items, cap * sizeof(*items));

		if (!items) {
			d->dropped++;
			return;
		}
		d->items = items;
		d->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg) {
		d->dropped++;
		return;
	}
	d->items[d->n].loc = loc;
	d->items[d->n].msg = msg;
	d->n++;
}

void diag__print(const struct diag_list *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *e = &d->items[i];
		const char *file = e->loc.file ? e->loc.file : "<input>";

		if (e->loc.line)
			fprintf(out, "%s:%u:%u: %s\n", file, e->loc.line, e->loc.col, e->msg);
		else
			fprintf(out, "%s: %s\n", file, e->msg);
	}
	if (d->dropped)
		fprintf(out, "(%zu more errors not shown)\n", d->dropped);
}

void diag__free(struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].msg);
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->dropped = 0;
}

/* Optimal string alignment distance (Levenshtein plus transpositions). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t d[65][65];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *diag__suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t len = strlen(word);
	size_t limit = len / 3 > 1 ? len / 3 : 1;
	size_t best = (size_t)-1;
	const char *pick = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		size_t dist = edit_distance(word, candidates[i]);

		if (dist < best) {
			best = dist;
			pick = candidates[i];
		}
	}
	return best <= limit ? pick : NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bump allocator: everything a loaded scenario set owns comes from one
 * arena, so the whole model is released by a single arena__free().
 */
#ifndef KTSTR_ARENA_H
#define KTSTR_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_total;	/* bytes handed out, for limits and benchmarks */
};

/* Zeroed memory of @size bytes, 16-byte aligned. Returns NULL only on OOM. */
void *arena__alloc(struct arena *a, size_t size);
/* Zeroed array; NULL on overflow or OOM. */
void *arena__calloc(struct arena *a, size_t n, size_t size);
char *arena__strdup(struct arena *a, const char *s);
char *arena__strndup(struct arena *a, const char *s, size_t n);
/* Grow an arena array: copies @n old elements into a new block of @new_n. */
void *arena__grow(struct arena *a, void *old, size_t n, size_t new_n, size_t size);
void arena__free(struct arena *a);

#endif

// SPDX-License-Identifier: GPL-2.0
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_MIN (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void *arena__alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need = (size + 15) & ~(size_t)15;

	if (need < size)
		return NULL;
	if (!c || c->size - c->used < need) {
		size_t csize = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;

		if (csize > SIZE_MAX - sizeof(*c))
			return NULL;
		c = malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;

	c->used += need;
	a->used_total += need;
	memset(p, 0, size);
	return p;
}

void *arena__calloc(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return arena__alloc(a, n * size);
}

char *arena__strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena__alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *arena__strdup(struct arena *a, const char *s)
{
	return arena__strndup(a, s, strlen(s));
}

void *arena__grow(struct arena *a, void *old, size_t n, size_t new_n, size_t size)
{
	void *p = arena__calloc(a, new_n, size);

	if (p && old && n)
		memcpy(p, old, (n < new_n ? n : new_n) * size);
	return p;
}

void arena__free(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

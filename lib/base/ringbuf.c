// SPDX-License-Identifier: GPL-2.0
#include "ringbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ringbuf__init(struct ringbuf *rb, size_t cap)
{
	rb->buf = NULL;
	rb->cap = cap;
	rb->total = 0;
	if (cap) {
		rb->buf = malloc(cap);
		if (!rb->buf)
			return -ENOMEM;
	}
	return 0;
}

void ringbuf__free(struct ringbuf *rb)
{
	free(rb->buf);
	rb->buf = NULL;
	rb->cap = 0;
}

void ringbuf__append(struct ringbuf *rb, const void *data, size_t len)
{
	const char *p = data;
	size_t pos, first;

	rb->total += len;
	if (!rb->cap)
		return;
	if (len > rb->cap) {
		p += len - rb->cap;
		len = rb->cap;
	}
	/* Where the first of these bytes lands. */
	pos = (size_t)((rb->total - len) % rb->cap);
	first = rb->cap - pos < len ? rb->cap - pos : len;
	memcpy(rb->buf + pos, p, first);
	memcpy(rb->buf, p + first, len - first);
}

size_t ringbuf__len(const struct ringbuf *rb)
{
	return rb->total < rb->cap ? (size_t)rb->total : rb->cap;
}

/* Byte @i of the held bytes, 0 = oldest. */
static char rb_at(const struct ringbuf *rb, size_t i)
{
	size_t held = ringbuf__len(rb);
	uint64_t start = rb->total - held;

	return rb->buf[(size_t)((start + i) % rb->cap)];
}

size_t ringbuf__copy(const struct ringbuf *rb, char *out, size_t outcap)
{
	size_t held = ringbuf__len(rb), n, skip;

	if (!outcap)
		return 0;
	n = held < outcap - 1 ? held : outcap - 1;
	skip = held - n;
	for (size_t i = 0; i < n; i++)
		out[i] = rb_at(rb, skip + i);
	out[n] = '\0';
	return n;
}

size_t ringbuf__tail(const struct ringbuf *rb, unsigned int nlines, char *out, size_t outcap)
{
	size_t held = ringbuf__len(rb), start = held, n = 0;
	unsigned int lines = 0;

	if (!outcap)
		return 0;
	if (!nlines || !held) {
		out[0] = '\0';
		return 0;
	}
	/* A trailing '\n' ends the last line; it does not start a new one. */
	if (rb_at(rb, held - 1) == '\n')
		start--;
	while (start > 0) {
		if (rb_at(rb, start - 1) == '\n' && ++lines == nlines)
			break;
		start--;
	}
	/* Count what survives filtering, then keep the newest that fit. */
	for (size_t i = start; i < held; i++) {
		char c = rb_at(rb, i);

		if (c != '\r' && c != '\0')
			n++;
	}
	for (size_t i = start; i < held && n >= outcap; i++) {
		char c = rb_at(rb, i);

		start = i + 1;
		if (c != '\r' && c != '\0')
			n--;
	}
	n = 0;
	for (size_t i = start; i < held; i++) {
		char c = rb_at(rb, i);

		if (c != '\r' && c != '\0')
			out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

bool ringbuf__contains(const struct ringbuf *rb, const char *needle)
{
	size_t held = ringbuf__len(rb), nlen = strlen(needle);

	if (!nlen)
		return true;
	for (size_t i = 0; i + nlen <= held; i++) {
		size_t j = 0;

		while (j < nlen && rb_at(rb, i + j) == needle[j])
			j++;
		if (j == nlen)
			return true;
	}
	return false;
}

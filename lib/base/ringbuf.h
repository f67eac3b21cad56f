/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded byte ring that keeps the last @cap bytes written to it: the VM's
 * console, COM2 and qemu's stderr are kept this way so a failure report can
 * show their tail without holding an unbounded log in memory.
 */
#ifndef KTSTR_RINGBUF_H
#define KTSTR_RINGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ringbuf {
	char *buf;
	size_t cap;
	uint64_t total;		/* bytes ever appended; buf holds the last min(total, cap) */
};

/* Returns 0 or -ENOMEM. A @cap of 0 keeps nothing (but still counts). */
int ringbuf__init(struct ringbuf *rb, size_t cap);
void ringbuf__free(struct ringbuf *rb);
void ringbuf__append(struct ringbuf *rb, const void *data, size_t len);
/* Bytes held now: min(total, cap). */
size_t ringbuf__len(const struct ringbuf *rb);
/*
 * Copy the held bytes, oldest first, into @out (at most @outcap - 1 of the
 * newest ones; NUL-terminated when @outcap > 0). Returns the bytes copied.
 */
size_t ringbuf__copy(const struct ringbuf *rb, char *out, size_t outcap);
/*
 * The last @nlines lines (a trailing partial line counts as one), with '\r'
 * and NUL bytes dropped, NUL-terminated in @out. When they do not fit, the
 * newest bytes win. Returns the length written (excluding the NUL).
 */
size_t ringbuf__tail(const struct ringbuf *rb, unsigned int nlines, char *out, size_t outcap);
/* Whether @needle occurs in the held bytes. */
bool ringbuf__contains(const struct ringbuf *rb, const char *needle);

#endif

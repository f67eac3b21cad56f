/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper: gunzip an initramfs (checking the 512-byte padding) and
 * parse its newc entries back, strictly (magic, 4-byte padding, trailer).
 */
#ifndef KTSTR_TEST_NEWC_READ_H
#define KTSTR_TEST_NEWC_READ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct newc_ent {
	char name[4096];
	uint32_t ino, mode, uid, gid, nlink, mtime;
	const uint8_t *data;
	size_t size;
};

struct newc {
	uint8_t *raw;		/* the uncompressed archive */
	size_t len;
	struct newc_ent *v;
	size_t n;		/* not counting the trailer */
};

/* Inflate one or more concatenated gzip members separated by zero padding. 0 or -1. */
static inline int newc_gunzip(const void *gz, size_t gzlen, uint8_t **out, size_t *outlen)
{
	const uint8_t *in = gz;
	size_t pos = 0, cap = 1 << 20, len = 0;
	uint8_t *buf = malloc(cap);

	if (!buf || gzlen % 512)
		goto bad;
	while (pos < gzlen) {
		z_stream zs = { 0 };
		int zr;

		if (!in[pos]) {
			pos++;
			continue;
		}
		if (inflateInit2(&zs, 15 + 16) != Z_OK)
			goto bad;
		zs.next_in = (Bytef *)in + pos;
		zs.avail_in = (uInt)(gzlen - pos);
		do {
			if (len == cap) {
				uint8_t *nb = realloc(buf, cap * 2);

				if (!nb) {
					inflateEnd(&zs);
					goto bad;
				}
				buf = nb;
				cap *= 2;
			}
			zs.next_out = buf + len;
			zs.avail_out = (uInt)(cap - len);
			zr = inflate(&zs, Z_NO_FLUSH);
			len = cap - zs.avail_out;
		} while (zr == Z_OK);
		pos = gzlen - zs.avail_in;
		inflateEnd(&zs);
		if (zr != Z_STREAM_END)
			goto bad;
	}
	*out = buf;
	*outlen = len;
	return 0;
bad:
	free(buf);
	return -1;
}

static inline int newc_hex(const uint8_t *p, uint32_t *v)
{
	char tmp[9];
	char *end;

	memcpy(tmp, p, 8);
	tmp[8] = '\0';
	*v = (uint32_t)strtoul(tmp, &end, 16);
	return end == tmp + 8 ? 0 : -1;
}

static inline void newc_free(struct newc *a)
{
	free(a->raw);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* Parse an uncompressed archive (may hold several, each with a trailer). 0 or -1. */
static inline int newc_parse_raw(struct newc *a)
{
	size_t pos = 0;
	bool trailer = false;

	while (pos < a->len) {
		struct newc_ent e = { 0 };
		uint32_t f[13], namesize, size;

		if (trailer && !a->raw[pos]) {
			pos++;
			continue;
		}
		if (pos + 110 > a->len || memcmp(a->raw + pos, "070701", 6))
			return -1;
		for (int i = 0; i < 13; i++)
			if (newc_hex(a->raw + pos + 6 + 8 * i, &f[i]))
				return -1;
		namesize = f[11];
		size = f[6];
		if (!namesize || namesize > sizeof(e.name) || pos + 110 + namesize > a->len ||
		    a->raw[pos + 110 + namesize - 1])
			return -1;
		memcpy(e.name, a->raw + pos + 110, namesize);
		pos = (pos + 110 + namesize + 3) & ~(size_t)3;
		if (pos + size > a->len)
			return -1;
		e.ino = f[0];
		e.mode = f[1];
		e.uid = f[2];
		e.gid = f[3];
		e.nlink = f[4];
		e.mtime = f[5];
		e.data = a->raw + pos;
		e.size = size;
		pos = (pos + size + 3) & ~(size_t)3;
		if (!strcmp(e.name, "TRAILER!!!")) {
			trailer = true;
			continue;
		}
		trailer = false;
		a->v = realloc(a->v, (a->n + 1) * sizeof(*a->v));
		if (!a->v)
			return -1;
		a->v[a->n++] = e;
	}
	return trailer ? 0 : -1;
}

static inline int newc_read(const void *gz, size_t gzlen, struct newc *a)
{
	memset(a, 0, sizeof(*a));
	if (newc_gunzip(gz, gzlen, &a->raw, &a->len))
		return -1;
	/* data pointers point into raw: parse after raw is final */
	return newc_parse_raw(a);
}

/* The last entry named @name (later ones win, as in the kernel), or NULL. */
static inline const struct newc_ent *newc_find(const struct newc *a, const char *name)
{
	for (size_t i = a->n; i-- > 0;)
		if (!strcmp(a->v[i].name, name))
			return &a->v[i];
	return NULL;
}

#endif

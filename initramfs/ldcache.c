// SPDX-License-Identifier: GPL-2.0
/* Parse glibc's ld.so.cache ("glibc-ld.so.cache1.1"), bounds-checking everything. */
#include "ldcache.h"
#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC_NEW	"glibc-ld.so.cache1.1"	/* magic[17] + version[3] */
#define MAGIC_OLD	"ld.so-1.7.0"
#define HDR_LEN		48	/* magic, version, nlibs, len_strings, flags, pad, ext, unused[3] */
#define ENT_LEN		24	/* flags, key, value, osversion, hwcap */
#define FLAG_TYPE_MASK		0x00ff
#define FLAG_ELF_LIBC6		0x0003
#define FLAG_REQUIRED_MASK	0xff00
#define FLAG_X8664_LIB64	0x0300
#define ENDIAN_UNSET	0
#define ENDIAN_LITTLE	2

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* The NUL-terminated, non-empty string at @off, or NULL when out of bounds. */
static const char *str_at(const struct ldcache *c, uint32_t off, size_t min)
{
	if (off < min || off >= c->len)
		return NULL;
	if (!memchr(c->data + off, '\0', c->len - off) || !c->data[off])
		return NULL;
	return c->data + off;
}

void ldcache__free(struct ldcache *c)
{
	free(c->data);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int ldcache__parse(struct ldcache *c, const void *buf, size_t len, char *err, size_t errlen)
{
	const unsigned char *h;
	uint32_t nlibs, len_strings;
	uint64_t table_end;

	memset(c, 0, sizeof(*c));
	if (len >= strlen(MAGIC_OLD) && !memcmp(buf, MAGIC_OLD, strlen(MAGIC_OLD))) {
		snprintf(err, errlen, "old ld.so.cache format (%s): only %s is read; run ldconfig "
			 "from glibc >= 2.32", MAGIC_OLD, MAGIC_NEW);
		return -EINVAL;
	}
	if (len < HDR_LEN || memcmp(buf, MAGIC_NEW, strlen(MAGIC_NEW))) {
		snprintf(err, errlen, "not an ld.so.cache: %s", len < HDR_LEN ?
			 "shorter than the header" : "bad magic (want \"" MAGIC_NEW "\")");
		return -EINVAL;
	}
	h = buf;
	nlibs = rd32(h + 20);
	len_strings = rd32(h + 24);
	if (h[28] != ENDIAN_UNSET && h[28] != ENDIAN_LITTLE) {
		snprintf(err, errlen, "ld.so.cache is not little-endian (flags 0x%02x)", h[28]);
		return -EINVAL;
	}
	table_end = HDR_LEN + (uint64_t)nlibs * ENT_LEN;
	if (table_end > len || table_end + len_strings > len) {
		snprintf(err, errlen, "truncated ld.so.cache: %u entries and %u bytes of strings "
			 "do not fit in %zu bytes", nlibs, len_strings, len);
		return -EINVAL;
	}
	c->data = malloc(len + 1);
	c->v = calloc(nlibs ? nlibs : 1, sizeof(*c->v));
	if (!c->data || !c->v) {
		ldcache__free(c);
		snprintf(err, errlen, "out of memory reading ld.so.cache");
		return -ENOMEM;
	}
	memcpy(c->data, buf, len);
	c->data[len] = '\0';	/* not counted in len: strings must end inside the file */
	c->len = len;
	for (uint32_t i = 0; i < nlibs; i++) {
		const unsigned char *e = (const unsigned char *)c->data + HDR_LEN + (size_t)i * ENT_LEN;
		uint32_t flags = rd32(e), key = rd32(e + 4), value = rd32(e + 8);
		const char *name = str_at(c, key, (size_t)table_end);
		const char *path = str_at(c, value, (size_t)table_end);

		if (!name || !path || path[0] != '/') {
			snprintf(err, errlen, "corrupt ld.so.cache: entry %u has %s (key %u, value %u, "
				 "file %zu bytes)", i, !name ? "a bad name offset" :
				 !path ? "a bad path offset" : "a relative path", key, value, len);
			ldcache__free(c);
			return -EINVAL;
		}
		if ((flags & FLAG_TYPE_MASK) != FLAG_ELF_LIBC6 ||
		    (flags & FLAG_REQUIRED_MASK) != FLAG_X8664_LIB64 || rd64(e + 16) != 0)
			continue;
		c->v[c->n].name = name;
		c->v[c->n].path = path;
		c->n++;
	}
	return 0;
}

int ldcache__load(struct ldcache *c, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, ret;

	memset(c, 0, sizeof(*c));
	fd = fsutil__open_regular(path);
	if (fd < 0 || fstat(fd, &st)) {
		ret = fd < 0 ? fd : -errno;
		snprintf(err, errlen, "cannot read %s: %s", path, fsutil__strerror(-ret));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > LDCACHE_MAX) {
		snprintf(err, errlen, "%s: %s", path, S_ISREG(st.st_mode) ?
			 "larger than 64 MiB, not an ld.so.cache" : "not a regular file");
		ret = -EINVAL;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory reading %s", path);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	ret = ldcache__parse(c, buf, got, err, errlen);
	if (ret) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", err);
		snprintf(err, errlen, "%s: %s (regenerate it with ldconfig)", path, msg);
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

const char *ldcache__lookup(const struct ldcache *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name))
			return c->v[i].path;
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/* Cache keys: source kinds, kernel versions, formatting and parsing a key. */
#include "kernel_key.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {
	[KSRC_PACKAGE] = "package",
	[KSRC_TARBALL] = "tarball",
	[KSRC_TREE] = "tree",
};

const char *ksrc_kind__name(enum ksrc_kind k)
{
	return (unsigned)k < 3 ? kind_names[k] : "?";
}

int ksrc_kind__parse(const char *s, enum ksrc_kind *k)
{
	for (unsigned i = 0; i < 3; i++) {
		if (!strcmp(s, kind_names[i])) {
			*k = (enum ksrc_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

bool kernel_cache__version_ok(const char *v)
{
	size_t n = strlen(v);

	if (!n || n >= KCACHE_VERSION_MAX || v[0] == '.' || v[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == '_' || c == '+' || c == '~' || c == '-'))
			return false;
	}
	return true;
}

int kernel_cache__key_format(const struct kcache_key *k, char *buf, size_t cap)
{
	int n;

	if (!kernel_cache__version_ok(k->version) || !k->arch[0])
		return -EINVAL;
	n = snprintf(buf, cap, "%s-%s-%08" PRIx32 "-%s-kc%08" PRIx32, k->version,
		     ksrc_kind__name(k->kind), k->source_id, k->arch, k->recipe_crc);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* 8 lower-case hex digits at @s, exactly. */
static bool parse_hex8(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;

	if (len != 8)
		return false;
	for (size_t i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* Parsed from the right: the version may itself hold '-' (6.13-rc2). */
int kernel_cache__key_parse(const char *s, struct kcache_key *k)
{
	const char *end = s + strlen(s);
	const char *dash[4];
	const char *p = end;
	size_t vlen, alen;

	memset(k, 0, sizeof(*k));
	for (int i = 0; i < 4; i++) {
		while (p > s && p[-1] != '-')
			p--;
		if (p == s)
			return -EINVAL;
		dash[i] = --p;	/* dash[0] before "kc..", [1] arch, [2] id, [3] kind */
	}
	if (end - dash[0] != 11 || strncmp(dash[0] + 1, "kc", 2) ||
	    !parse_hex8(dash[0] + 3, 8, &k->recipe_crc))
		return -EINVAL;
	alen = (size_t)(dash[0] - dash[1] - 1);
	if (!alen || alen >= sizeof(k->arch))
		return -EINVAL;
	memcpy(k->arch, dash[1] + 1, alen);
	if (!parse_hex8(dash[2] + 1, (size_t)(dash[1] - dash[2] - 1), &k->source_id))
		return -EINVAL;
	{
		char kind[16];
		size_t klen = (size_t)(dash[2] - dash[3] - 1);

		if (klen >= sizeof(kind))
			return -EINVAL;
		memcpy(kind, dash[3] + 1, klen);
		kind[klen] = '\0';
		if (ksrc_kind__parse(kind, &k->kind))
			return -EINVAL;
	}
	vlen = (size_t)(dash[3] - s);
	if (!vlen || vlen >= sizeof(k->version))
		return -EINVAL;
	memcpy(k->version, s, vlen);
	k->version[vlen] = '\0';
	return kernel_cache__version_ok(k->version) ? 0 : -EINVAL;
}

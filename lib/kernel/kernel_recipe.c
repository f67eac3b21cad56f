// SPDX-License-Identifier: GPL-2.0
/* A kernel's configuration recipe: base, fragments, CRC32 and label. */
#include "kernel_recipe.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/fsutil.h"

static const char *const base_names[] = {
	[KCONFIG_LEAN] = "lean",
	[KCONFIG_FULL] = "full",
};

const char *kconfig_base__name(enum kconfig_base b)
{
	return (unsigned)b < 2 ? base_names[b] : "?";
}

int kconfig_base__parse(const char *s, enum kconfig_base *b)
{
	for (unsigned i = 0; i < 2; i++) {
		if (!strcmp(s, base_names[i])) {
			*b = (enum kconfig_base)i;
			return 0;
		}
	}
	return -EINVAL;
}

void kernel_recipe__init(struct krecipe *r, enum kconfig_base base)
{
	memset(r, 0, sizeof(*r));
	r->base = base;
}

void kernel_recipe__free(struct krecipe *r)
{
	for (size_t i = 0; i < r->nuser; i++) {
		free(r->user[i].name);
		free(r->user[i].path);
		free(r->user[i].text);
	}
	r->nuser = 0;
}

/* Add @text (taken over: freed on error) as fragment @name at @path. */
static int add(struct krecipe *r, const char *name, const char *path, char *text, size_t len,
	       char *err, size_t errlen)
{
	struct kconfig_frag f = { name, text, len };
	struct krecipe_frag *u = &r->user[r->nuser];
	int ret;

	ret = kernel_config__check_fragment(&f, err, errlen);
	if (ret) {
		free(text);
		return ret;
	}
	u->name = strdup(name);
	u->path = strdup(path);
	if (!u->name || !u->path) {
		free(u->name);
		free(u->path);
		free(text);
		return err__set(-ENOMEM, err, errlen, "%s: out of memory", name);
	}
	u->text = text;
	u->len = len;
	u->crc = kernel_config__crc(text, len);
	r->nuser++;
	return 0;
}

static int room_left(const struct krecipe *r, const char *name, char *err, size_t errlen)
{
	if (r->nuser < KRECIPE_USER_MAX)
		return 0;
	return err__set(-E2BIG, err, errlen, "%s: one fragment too many: at most %d", name,
			KRECIPE_USER_MAX);
}

int kernel_recipe__add_file(struct krecipe *r, const char *path, char *err, size_t errlen)
{
	char abs[PATH_MAX];
	size_t len;
	char *text;
	int ret;

	ret = room_left(r, path, err, errlen);
	if (ret)
		return ret;
	ret = fsutil__read(path, KRECIPE_FRAG_MAX_BYTES, &text, &len);
	if (ret == -EFBIG)
		return err__set(ret, err, errlen, "%s: larger than %u KiB; a fragment is a list "
				"of CONFIG_ lines", path, KRECIPE_FRAG_MAX_BYTES >> 10);
	if (ret)
		return err__set(ret, err, errlen, "%s: cannot read it: %s", path, strerror(-ret));
	if (!realpath(path, abs))
		fsutil__fmt(abs, sizeof(abs), "%s", path);
	return add(r, path, abs, text, len, err, errlen);
}

int kernel_recipe__add_text(struct krecipe *r, const char *name, const char *text, size_t len,
			    char *err, size_t errlen)
{
	char *copy;
	int ret;

	ret = room_left(r, name, err, errlen);
	if (ret)
		return ret;
	copy = malloc(len + 1);
	if (!copy)
		return err__set(-ENOMEM, err, errlen, "%s: out of memory", name);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return add(r, name, name, copy, len, err, errlen);
}

uint32_t kernel_recipe__crc(const struct krecipe *r)
{
	const char *base = kconfig_base__name(r->base);
	size_t flen;
	const char *frag = kernel_config__fragment(&flen);
	uint32_t crc;

	crc = kernel_config__crc(base, strlen(base) + 1);
	crc = kernel_config__crc_add(crc, KRECIPE_KCFLAGS, sizeof(KRECIPE_KCFLAGS));
	crc = kernel_config__crc_add(crc, frag, flen);
	crc = kernel_config__crc_add(crc, "", 1);
	for (size_t i = 0; i < r->nuser; i++) {
		crc = kernel_config__crc_add(crc, r->user[i].text, r->user[i].len);
		crc = kernel_config__crc_add(crc, "", 1);
	}
	return crc;
}

size_t kernel_recipe__frags(const struct krecipe *r, struct kconfig_frag *out)
{
	out[0] = kernel_config__ktstr();
	for (size_t i = 0; i < r->nuser; i++) {
		out[i + 1].name = r->user[i].name;
		out[i + 1].text = r->user[i].text;
		out[i + 1].len = r->user[i].len;
	}
	return r->nuser + 1;
}

void kernel_recipe__label(enum kconfig_base base, size_t nuser, char *buf, size_t cap)
{
	if (!nuser)
		fsutil__fmt(buf, cap, "%s", kconfig_base__name(base));
	else
		fsutil__fmt(buf, cap, "%s+%zu fragment%s", kconfig_base__name(base), nuser,
			    nuser == 1 ? "" : "s");
}

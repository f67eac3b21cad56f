// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CONFIG_HZ (kconfig_hz.h). kernel/configs.c embeds the
 * gzipped .config as the bytes from kernel_config_data to
 * kernel_config_data_end (between the "IKCFG_ST" and "IKCFG_ED" markers);
 * the symbols locate them in the vmlinux's sections, zlib inflates them.
 */
#include "kconfig_hz.h"

#include <errno.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/err.h"
#include "base/fsutil.h"
#include "elf_syms.h"
#include "monitor_eval.h"

/* A compressed config larger than this is not one (a typical one is 30 KiB). */
#define KCONFIG_GZ_MAX	(4u << 20)

int kconfig_hz__parse(const char *text, size_t len)
{
	static const char key[] = "CONFIG_HZ=";
	const size_t klen = sizeof(key) - 1;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if ((size_t)(eol - p) >= klen && !memcmp(p, key, klen)) {
			const char *q = p + klen, *e = eol;
			long v = 0;

			/* A '\r' before the '\n': a .config edited elsewhere. */
			if (e > q && e[-1] == '\r')
				e--;
			if (q == e)
				return -EINVAL;
			for (; q < e; q++) {
				if (*q < '0' || *q > '9')
					return -EINVAL;
				v = v * 10 + (*q - '0');
				if (v > 100000)
					return -EINVAL;
			}
			return v ? (int)v : -EINVAL;
		}
		p = eol + 1;
	}
	return -ENOENT;
}

int kconfig_hz__parse_gzip(const void *gz, size_t len)
{
	z_stream z;
	size_t cap = 64u << 10, n = 0;
	char *out = malloc(cap);
	int ret, zr;

	if (!out)
		return -ENOMEM;
	memset(&z, 0, sizeof(z));
	if (len > UINT32_MAX || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return -EINVAL;
	}
	z.next_in = (Bytef *)gz;
	z.avail_in = (uInt)len;
	for (;;) {
		if (n == cap) {
			char *o;

			if (cap >= KCONFIG_HZ_MAX_TEXT) {
				ret = -EFBIG;
				goto out;
			}
			o = realloc(out, cap * 2);
			if (!o) {
				ret = -ENOMEM;
				goto out;
			}
			out = o;
			cap *= 2;
		}
		z.next_out = (Bytef *)out + n;
		z.avail_out = (uInt)(cap - n);
		zr = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		/* Z_BUF_ERROR with input left means the output was full: go on. */
		if (zr != Z_OK && !(zr == Z_BUF_ERROR && z.avail_in && n == cap)) {
			ret = -EINVAL;
			goto out;
		}
		if (zr == Z_OK && !z.avail_in && n < cap) {
			ret = -EINVAL;	/* truncated stream */
			goto out;
		}
	}
	ret = kconfig_hz__parse(out, n);
out:
	inflateEnd(&z);
	free(out);
	return ret;
}

/* kernel_config_data's bytes from @elf (fd @fd) into a malloc'd *@buf. */
static int ikconfig_bytes(Elf *elf, int fd, void **buf, size_t *len)
{
	uint64_t start = 0, end = 0;
	/* Labels in an asm block (kernel/configs.c): not STT_OBJECT. */
	struct elf_sym_want want[] = {
		{ "kernel_config_data", &start, NULL, false },
		{ "kernel_config_data_end", &end, NULL, false },
	};
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int ret = elf_syms__find(elf, want, 2);

	if (ret && ret != -ENOENT)
		return ret;
	if (!start || !end)
		return -ENOENT;
	if (end <= start || end - start > KCONFIG_GZ_MAX)
		return -EINVAL;
	/* The section that holds them, and where that is in the file. */
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		ssize_t r;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    start < sh.sh_addr || end > sh.sh_addr + sh.sh_size)
			continue;
		*len = end - start;
		*buf = malloc(*len);
		if (!*buf)
			return -ENOMEM;
		r = pread(fd, *buf, *len, (off_t)(sh.sh_offset + (start - sh.sh_addr)));
		if (r != (ssize_t)*len) {
			free(*buf);
			*buf = NULL;
			return r < 0 ? -errno : -EIO;
		}
		return 0;
	}
	return -EINVAL;
}

int kconfig_hz__from_vmlinux(const char *vmlinux, char *err, size_t errlen)
{
	void *gz = NULL;
	size_t len = 0;
	Elf *elf;
	int fd, ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return err__set(-EINVAL, err, errlen, "libelf: %s", elf_errmsg(-1));
	fd = fsutil__open_regular(vmlinux);
	if (fd < 0)
		return err__set(fd, err, errlen, "%s: %s", vmlinux, fsutil__strerror(-fd));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		ret = err__set(-EINVAL, err, errlen, "%s: not an ELF vmlinux", vmlinux);
		goto out;
	}
	ret = ikconfig_bytes(elf, fd, &gz, &len);
	if (ret == -ENOENT)
		ret = err__set(ret, err, errlen, "%s: no embedded config (CONFIG_IKCONFIG)",
			       vmlinux);
	else if (ret)
		ret = err__set(ret, err, errlen, "%s: cannot read its embedded config: %s",
			       vmlinux, strerror(-ret));
	if (ret)
		goto out;
	ret = kconfig_hz__parse_gzip(gz, len);
	if (ret == -ENOENT)
		err__set(ret, err, errlen, "%s: its embedded config has no CONFIG_HZ", vmlinux);
	else if (ret < 0)
		err__set(ret, err, errlen, "%s: its embedded config does not inflate or has a "
			 "bad CONFIG_HZ", vmlinux);
out:
	free(gz);
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

int kconfig_hz__from_file(const char *path, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret = fsutil__read(path, KCONFIG_HZ_MAX_TEXT, &text, &len);

	if (ret)
		return err__set(ret, err, errlen, "%s: %s", path, fsutil__strerror(-ret));
	ret = kconfig_hz__parse(text, len);
	free(text);
	if (ret == -ENOENT)
		return err__set(ret, err, errlen, "%s: no CONFIG_HZ", path);
	if (ret < 0)
		return err__set(ret, err, errlen, "%s: CONFIG_HZ is no number of ticks", path);
	return ret;
}

uint32_t kconfig_hz__guest(const char *vmlinux, const char *config, char *how, size_t howlen)
{
	char e1[512] = "no vmlinux", e2[512] = "no .config";
	int hz;

	if (vmlinux && *vmlinux) {
		hz = kconfig_hz__from_vmlinux(vmlinux, e1, sizeof(e1));
		if (hz > 0) {
			err__set(0, how, howlen, "CONFIG_HZ=%d from %s's embedded config", hz,
				 vmlinux);
			return (uint32_t)hz;
		}
	}
	if (config && *config) {
		hz = kconfig_hz__from_file(config, e2, sizeof(e2));
		if (hz > 0) {
			err__set(0, how, howlen, "CONFIG_HZ=%d from %s", hz, config);
			return (uint32_t)hz;
		}
	}
	err__set(0, how, howlen, "HZ %u assumed: %s; %s", MON_EVAL_HZ_DEFAULT, e1, e2);
	return MON_EVAL_HZ_DEFAULT;
}

uint32_t kconfig_hz__beside(const char *vmlinux, char *how, size_t howlen)
{
	char config[PATH_MAX + 16];

	fsutil__beside(vmlinux, ".config", config, sizeof(config));
	return kconfig_hz__guest(vmlinux, config, how, howlen);
}

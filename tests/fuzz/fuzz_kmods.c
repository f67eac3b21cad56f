// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the module collector (kmods__collect, initramfs/kmods.h): a modules
 * directory described by the input, one item a line:
 *   M NAME DEPS   a module NAME.ko whose modinfo says depends=DEPS (as is)
 *   R NAME BYTES  a module file holding the rest of the line, raw
 *   B LINE        a line of modules.builtin
 *   W NAME        a module the guest wants
 * The directory is written out (.ko files as minimal ELF objects with a
 * .modinfo section, which libkmod reads) and collected. What loads must come
 * in dependency order, every wanted module loaded or built in, and the files
 * must be the modules, then modules.dep and the load list, a line a module.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmods.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ITEMS 24

static char dir[64], kdir[96];
static char files[MAX_ITEMS + 1][160];
static size_t nfiles;
/* The M lines: each module's name and its depends=, as written. */
static char mods[MAX_ITEMS][64], deps[MAX_ITEMS][1024];
static size_t nmods;

static void put(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || (len && write(fd, p, len) != (ssize_t)len))
		abort();
	close(fd);
	snprintf(files[nfiles++], sizeof(files[0]), "%s", path);
}

/* An ELF relocatable object with one section, .modinfo, holding @info. */
static void put_ko(const char *path, const char *info, size_t ilen)
{
	static const char shstr[] = "\0.modinfo\0.shstrtab";
	uint8_t buf[4096];
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
			     EV_CURRENT },
		.e_type = ET_REL, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_ehsize = sizeof(Elf64_Ehdr), .e_shentsize = sizeof(Elf64_Shdr),
		.e_shnum = 3, .e_shstrndx = 2,
	};
	Elf64_Shdr sh[3] = { { 0 } };
	size_t o = sizeof(eh);

	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_PROGBITS, .sh_offset = o,
			      .sh_size = ilen, .sh_addralign = 1 };
	memcpy(buf + o, info, ilen);
	o += ilen;
	sh[2] = (Elf64_Shdr){ .sh_name = 10, .sh_type = SHT_STRTAB, .sh_offset = o,
			      .sh_size = sizeof(shstr), .sh_addralign = 1 };
	memcpy(buf + o, shstr, sizeof(shstr));
	o = (o + sizeof(shstr) + 7) & ~(size_t)7;
	eh.e_shoff = o;
	memcpy(buf + o, sh, sizeof(sh));
	memcpy(buf, &eh, sizeof(eh));
	put(path, buf, o + sizeof(sh));
}

/* A NAME token: module name characters only, so that it stays in the directory. */
static size_t token(const char *p, const char *end, char *out, size_t cap)
{
	size_t n = 0;

	while (p + n < end && n + 1 < cap &&
	       (p[n] == '_' || p[n] == '-' || (p[n] >= 'a' && p[n] <= 'z') ||
		(p[n] >= '0' && p[n] <= '9')))
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

static bool same_mod(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

static size_t lines(const struct initramfs_file *f)
{
	const char *p = f->data;
	size_t n = 0;

	for (size_t i = 0; i < f->len; i++)
		n += p[i] == '\n';
	return n;
}

static ssize_t load_index(const struct kmods *k, const char *name)
{
	for (size_t i = 0; i < k->nload; i++)
		if (!strcmp(k->load[i], name))
			return (ssize_t)i;
	return -1;
}

/*
 * Every dependency of load[@i] that is loaded is loaded before it, by the
 * last M or R line that wrote its file (unless two files name one module).
 */
static void check_order(const struct kmods *k, size_t i)
{
	char d[1024], *save = NULL;
	ssize_t last = -1;

	for (size_t m = 0; m < nmods; m++) {
		if (!same_mod(mods[m], k->load[i]))
			continue;
		if (last >= 0 && strcmp(mods[last], mods[m]))
			return;
		last = (ssize_t)m;
	}
	if (last < 0)
		abort();	/* loaded, but never written */
	snprintf(d, sizeof(d), "%s", deps[last]);
	for (char *t = strtok_r(d, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (load_index(k, t) > (ssize_t)i)
			abort();
}

static void cleanup(void)
{
	rmdir(kdir);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char want_buf[MAX_ITEMS][64], builtin[4096], err[512], path[256], info[1024];
	const char *want[MAX_ITEMS];
	size_t nwant = 0, blen = 0, items = 0;
	struct kmods k;
	int ret;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/ktstr-fuzz-kmods-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			abort();
		snprintf(kdir, sizeof(kdir), "%s/kernel", dir);
		if (mkdir(kdir, 0755))
			abort();
		atexit(cleanup);
	}
	nfiles = nmods = 0;
	while (p < end && items < MAX_ITEMS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		char kind = *p, name[64];
		size_t n;

		items++;
		if (le - p < 3 || p[1] != ' ') {
			p = le + 1;
			continue;
		}
		n = token(p + 2, le, name, sizeof(name));
		const char *rest = p + 2 + n + (p + 2 + n < le);
		size_t rlen = (size_t)(le - rest);

		if (kind == 'W' && n) {
			snprintf(want_buf[nwant], sizeof(want_buf[0]), "%s", name);
			want[nwant] = want_buf[nwant];
			nwant++;
		} else if (kind == 'B' && blen + (size_t)(le - p) < sizeof(builtin)) {
			memcpy(builtin + blen, p + 2, (size_t)(le - p) - 2);
			blen += (size_t)(le - p) - 2;
			builtin[blen++] = '\n';
		} else if ((kind == 'M' || kind == 'R') && n) {
			snprintf(path, sizeof(path), "%s/%s.ko", kdir, name);
			if (kind == 'R') {
				put(path, rest, rlen);
				snprintf(mods[nmods], sizeof(mods[0]), "%s", name);
				deps[nmods++][0] = '\0';
			} else {
				int il = snprintf(info, sizeof(info), "name=%s%cdepends=%.*s%c",
						  name, 0, (int)(rlen < 900 ? rlen : 900), rest, 0);

				put_ko(path, info, (size_t)il);
				snprintf(mods[nmods], sizeof(mods[0]), "%s", name);
				snprintf(deps[nmods++], sizeof(deps[0]), "%.*s",
					 (int)(rlen < 900 ? rlen : 900), rest);
			}
		}
		p = le + 1;
	}
	if (blen) {
		snprintf(path, sizeof(path), "%s/modules.builtin", dir);
		put(path, builtin, blen);
	}

	ret = kmods__collect(dir, "6.1.0-fuzz", want, nwant, &k, err, sizeof(err));
	if (ret) {
		if (ret > 0 || !err[0] || k.nload || k.nfiles)
			abort();
	} else if (k.nload) {
		const struct initramfs_file *dep = &k.files[k.nload], *list = &k.files[k.nload + 1];

		if (k.nfiles != k.nload + 2 || strcmp(list->guest_path, KMODS_LOAD_LIST) ||
		    strcmp(dep->guest_path, "/lib/modules/6.1.0-fuzz/modules.dep") ||
		    lines(dep) != k.nload || lines(list) != k.nload)
			abort();	/* a line per module in modules.dep and the list */
		for (size_t i = 0; i < k.nload; i++)
			for (size_t j = i + 1; j < k.nload; j++)
				if (same_mod(k.load[i], k.load[j]))
					abort();	/* loaded twice */
		for (size_t i = 0; i < k.nload; i++)
			check_order(&k, i);
		for (size_t w = 0; w < nwant; w++)
			if (load_index(&k, want[w]) < 0 && !blen)
				abort();	/* wanted, neither loaded nor built in */
	}
	if (!ret)
		kmods__free(&k);
	for (size_t i = 0; i < nfiles; i++)
		unlink(files[i]);
	return 0;
}

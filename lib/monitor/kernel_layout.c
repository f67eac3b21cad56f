// SPDX-License-Identifier: GPL-2.0
/*
 * A vmlinux's symbols (libelf) and run queue layout (libbpf's BTF API) for
 * the monitor (kernel_layout.h).
 */
#include "kernel_layout.h"

#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fsutil.h"
#include "elf_syms.h"

static int load_syms(struct klayout *kl, char *err, size_t errlen)
{
	uint64_t pco_size = 0;
	struct elf_sym_want want[] = {
		{ "runqueues", &kl->runqueues, NULL, true },
		{ "__per_cpu_offset", &kl->per_cpu_offset, &pco_size, true },
		{ "nr_cpu_ids", &kl->nr_cpu_ids, NULL, true },
		{ "page_offset_base", &kl->page_offset_base, NULL, true },
		{ "phys_base", &kl->phys_base, NULL, true },
		{ "scx_root", &kl->scx_root, NULL, true },
		{ "scx_watchdog_timeout", &kl->scx_watchdog_timeout, NULL, true },
	};
	/* The first three are required. */
	const size_t nrequired = 3;
	Elf *elf;
	int fd, ret = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return err__set(-EINVAL, err, errlen, "libelf: %s", elf_errmsg(-1));
	fd = fsutil__open_regular(kl->path);
	if (fd < 0)
		return err__set(fd, err, errlen, "%s: %s", kl->path, fsutil__strerror(-fd));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		ret = err__set(-EINVAL, err, errlen, "%s: not an ELF vmlinux", kl->path);
		goto out;
	}
	ret = elf_syms__find(elf, want, sizeof(want) / sizeof(want[0]));
	if (ret == -ENOENT)
		ret = err__set(-ENOENT, err, errlen,
			       "%s: vmlinux has no symbol table (stripped?): the monitor needs "
			       "runqueues and __per_cpu_offset", kl->path);
	else if (ret)
		ret = err__set(ret, err, errlen, "%s: broken symbol table", kl->path);
	for (size_t j = 0; !ret && j < nrequired; j++)
		if (!*want[j].addr)
			ret = err__set(-ENOENT, err, errlen, "%s: symbol %s not found",
				       kl->path, want[j].name);
	/* NR_CPUS: the array's length, when the symbol table says it. */
	kl->nr_cpus_max = pco_size >= 8 && pco_size / 8 <= UINT32_MAX ? (uint32_t)(pco_size / 8) :
			  UINT32_MAX;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

/*
 * The member @name of the struct or union @t, looked for in anonymous
 * members too; its bit offset from @t's start added to *@bits.
 */
static const struct btf_member *find_member(const struct btf *btf, const struct btf_type *t,
					    const char *name, uint32_t *bits)
{
	const struct btf_member *m = btf_members(t);

	for (unsigned int i = 0; i < btf_vlen(t); i++, m++) {
		uint32_t off = btf_member_bit_offset(t, i);

		if (m->name_off) {
			const char *mn = btf__name_by_offset(btf, m->name_off);

			if (mn && !strcmp(mn, name)) {
				*bits += off;
				return m;
			}
		} else {
			int id = btf__resolve_type(btf, m->type);
			const struct btf_type *mt = id < 0 ? NULL : btf__type_by_id(btf, id);
			const struct btf_member *r;
			uint32_t inner = 0;

			if (!mt || !btf_is_composite(mt))
				continue;
			r = find_member(btf, mt, name, &inner);
			if (r) {
				*bits += off + inner;
				return r;
			}
		}
	}
	return NULL;
}

int klayout__btf_field(const struct btf *btf, const char *sname, const char *path,
		       struct klayout_field *f, char *err, size_t errlen)
{
	const struct btf_type *t, *outer;
	const struct btf_member *m = NULL;
	char comp[64];
	uint32_t bits = 0;
	const char *p = path;
	int id, bsz = 0;
	long long size;

	memset(f, 0, sizeof(*f));
	id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	if (id < 0)
		return err__set(-ENOENT, err, errlen, "no struct %s in BTF", sname);
	t = btf__type_by_id(btf, id);
	while (*p) {
		size_t n = strcspn(p, ".");

		if (!n || n >= sizeof(comp))
			return err__set(-EINVAL, err, errlen, "bad field path %s", path);
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (!t || !btf_is_composite(t))
			return err__set(-EINVAL, err, errlen,
					"struct %s: %s goes into something not a struct", sname, path);
		outer = t;
		m = find_member(btf, outer, comp, &bits);
		if (!m)
			return err__set(-ENOENT, err, errlen, "struct %s has no member %s",
					sname, path);
		/* The member's own index for its bit-field size. */
		for (unsigned int i = 0; i < btf_vlen(outer); i++)
			if (&btf_members(outer)[i] == m)
				bsz = (int)btf_member_bitfield_size(outer, i);
		if (bsz)
			return err__set(-EINVAL, err, errlen, "struct %s: %s is a bit field",
					sname, path);
		id = btf__resolve_type(btf, m->type);
		t = id < 0 ? NULL : btf__type_by_id(btf, id);
		p += n;
		if (*p == '.')
			p++;
	}
	if (!m)
		return err__set(-EINVAL, err, errlen, "empty field path");
	size = btf__resolve_size(btf, m->type);
	if (bits % 8 || (size != 1 && size != 2 && size != 4 && size != 8))
		return err__set(-EINVAL, err, errlen,
				"struct %s: %s is %lld bytes at bit %u, not a plain 1-8 byte field",
				sname, path, size, bits);
	f->off = bits / 8;
	f->size = (uint32_t)size;
	f->present = true;
	return 0;
}

static int load_btf(struct klayout *kl, char *err, size_t errlen)
{
	static const struct {
		const char *sname, *path;
		size_t field;
		bool scx;
	} fields[] = {
		{ "rq", "nr_running", offsetof(struct klayout, rq_nr_running), false },
		{ "rq", "clock", offsetof(struct klayout, rq_clock), false },
		{ "rq", "curr", offsetof(struct klayout, rq_curr), false },
		{ "rq", "scx.nr_running", offsetof(struct klayout, rq_scx_nr_running), true },
		{ "rq", "scx.local_dsq.nr", offsetof(struct klayout, rq_scx_local_dsq_nr), true },
		{ "task_struct", "pid", offsetof(struct klayout, task_pid), false },
	};
	struct klayout_field scx;
	char why[256];
	struct btf *btf;
	int ret = 0, id;

	btf = btf__parse_elf(kl->path, NULL);
	if (!btf) {
		ret = errno ? -errno : -EINVAL;
		if (ret == -ENOENT || ret == -ENODATA)
			return err__set(-ENOENT, err, errlen,
					"%s: vmlinux has no BTF (build it with "
					"CONFIG_DEBUG_INFO_BTF=y)", kl->path);
		return err__set(ret, err, errlen, "%s: cannot read its BTF: %s", kl->path,
				strerror(-ret));
	}
	id = btf__find_by_name_kind(btf, "rq", BTF_KIND_STRUCT);
	if (id < 0) {
		ret = err__set(-ENOENT, err, errlen, "%s: no struct rq in its BTF", kl->path);
		goto out;
	}
	kl->rq_size = (uint32_t)btf__resolve_size(btf, id);
	/* CONFIG_SCHED_CLASS_EXT: struct rq has an scx part */
	kl->has_scx = klayout__btf_field(btf, "rq", "scx.nr_running", &scx, NULL, 0) == 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct klayout_field *f = (void *)((char *)kl + fields[i].field);

		if (fields[i].scx && !kl->has_scx)
			continue;
		ret = klayout__btf_field(btf, fields[i].sname, fields[i].path, f, why, sizeof(why));
		if (ret) {
			ret = err__set(ret, err, errlen, "%s: %s", kl->path, why);
			goto out;
		}
		if (!strcmp(fields[i].sname, "rq") && f->off + f->size > kl->rq_size) {
			ret = err__set(-EINVAL, err, errlen, "%s: struct rq.%s past its end",
				       kl->path, fields[i].path);
			goto out;
		}
	}
	if (kl->rq_curr.size != 8) {
		ret = err__set(-EINVAL, err, errlen, "%s: struct rq.curr is not a 64-bit pointer",
			       kl->path);
		goto out;
	}
out:
	btf__free(btf);
	return ret;
}

int klayout__load(struct klayout *kl, const char *vmlinux, char *err, size_t errlen)
{
	int ret;

	memset(kl, 0, sizeof(*kl));
	if (!vmlinux || !*vmlinux)
		return err__set(-ENOENT, err, errlen,
				"no vmlinux next to the kernel image: the monitor needs its "
				"symbols and BTF");
	if (strlen(vmlinux) >= sizeof(kl->path))
		return err__set(-ENAMETOOLONG, err, errlen, "%s: path too long", vmlinux);
	strcpy(kl->path, vmlinux);
	ret = load_syms(kl, err, errlen);
	return ret ?: load_btf(kl, err, errlen);
}

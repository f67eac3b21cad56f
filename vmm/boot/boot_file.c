// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fsutil.h"
#include "boot.h"

int boot__map_file(const char *path, const char *what, struct boot_file *f,
		   char *err, size_t errlen)
{
	struct stat st;
	void *p;
	int fd, e;

	memset(f, 0, sizeof(*f));
	f->path = path;
	fd = fsutil__open_regular(path);
	if (fd < 0)
		return err__set(fd, err, errlen, "%s %s: %s", what, path, fsutil__strerror(-fd));
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return err__set(-e, err, errlen, "%s %s: %s", what, path, strerror(e));
	}
	if (st.st_size == 0) {
		close(fd);
		return err__set(-ENOEXEC, err, errlen, "%s %s: empty file", what, path);
	}
	if ((uint64_t)st.st_size > (1ull << 32)) {
		close(fd);
		return err__set(-EFBIG, err, errlen, "%s %s: %lld bytes, more than 4 GiB", what,
				path, (long long)st.st_size);
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	e = errno;
	close(fd);
	if (p == MAP_FAILED)
		return err__set(-e, err, errlen, "%s %s: mmap: %s", what, path, strerror(e));
	f->data = p;
	f->size = (size_t)st.st_size;
	return 0;
}

void boot__unmap_file(struct boot_file *f)
{
	if (f->data)
		munmap((void *)f->data, f->size);
	f->data = NULL;
	f->size = 0;
}

bool boot__is_elf(const struct boot_file *f)
{
	return f->size >= 4 && !memcmp(f->data, "\177ELF", 4);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The backend-independent half of lib/vm/vm.h's life cycle: options, rings,
 * the control-port queue, and the dispatch to a backend through the table of
 * struct vm_backend_ops (qemu's from the start, others registered). What
 * the backends' loops use (delivery, the clock, the wake-up pipe, signals)
 * is in vm_backend.c, the kernel command line in vm_cmdline.c.
 */
#include "vm_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "vm_console.h"

/* The backends: qemu's from the start, others registered by the program. */
static const struct vm_backend_ops *vm_backends[VM_BACKEND_VMM + 1] = {
	[VM_BACKEND_QEMU] = &vm_qemu__backend,
};

void vm__register_backend(enum vm_backend b, const struct vm_backend_ops *ops)
{
	if ((unsigned int)b < sizeof(vm_backends) / sizeof(vm_backends[0]))
		vm_backends[b] = ops;
}

const char *vm_exit__str(enum vm_exit e)
{
	switch (e) {
	case VM_EXIT_NONE:		return "running";
	case VM_EXIT_POWEROFF:		return "powered off";
	case VM_EXIT_RESET:		return "reset";
	case VM_EXIT_CRASH:		return "crashed";
	case VM_EXIT_TIMEOUT:		return "timed out";
	case VM_EXIT_KILLED:		return "killed";
	case VM_EXIT_INTERRUPTED:	return "interrupted";
	case VM_EXIT_BACKEND_ERROR:	return "backend error";
	case VM_EXIT_BACKEND_SIGNAL:	return "backend killed by signal";
	}
	return "unknown";
}

static void vm_wake(struct vm *vm)
{
	if (write(vm->wake[1], "w", 1) < 0) {
		/* full: the loop is awake anyway */
	}
}

static int vm_opts_copy(struct vm_opts *dst, const struct vm_opts *src, char *err, size_t errlen)
{
	if (!src)
		return err__set(-EINVAL, err, errlen, "no vm options given");
	*dst = *src;
	return 0;
}

static int vm_check_file(const char *what, const char *path, char *err, size_t errlen)
{
	if (!path || !*path)
		return err__set(-EINVAL, err, errlen, "no %s given", what);
	if (access(path, R_OK) < 0)
		return err__set(-errno, err, errlen, "cannot read the %s %s: %s",
				what, path, strerror(errno));
	return 0;
}

int vm__start(const struct vm_opts *opts, struct vm **out, char *err, size_t errlen)
{
	char terr[128];
	uint64_t host_mb;
	struct vm *vm;
	int ret;

	*out = NULL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return err__set(-ENOMEM, err, errlen, "out of memory creating a VM");
	vm->tee_fd = -1;
	vm->wake[0] = vm->wake[1] = -1;
	pthread_mutex_init(&vm->ctl_lock, NULL);
	vm__vcpu_init(vm);
	clock_gettime(CLOCK_MONOTONIC, &vm->t0);

	ret = vm_opts_copy(&vm->opts, opts, err, errlen);
	if (ret)
		goto fail;
	if (topology__validate(&vm->opts.topo, terr, sizeof(terr))) {
		ret = err__set(-EINVAL, err, errlen, "VM topology: %s", terr);
		goto fail;
	}
	if (!vm->opts.memory_mb) {
		ret = err__set(-EINVAL, err, errlen, "VM memory: 0 MiB; give it some");
		goto fail;
	}
	host_mb = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE) >> 20;
	if (host_mb && vm->opts.memory_mb > host_mb) {
		/* The guest would be killed (or hang swapping) long after it booted. */
		ret = err__set(-ENOMEM, err, errlen, "VM memory: %u MiB is more than this host's "
			       "%llu MiB; lower the scenario's memory:", vm->opts.memory_mb,
			       (unsigned long long)host_mb);
		goto fail;
	}
	ret = vm_check_file("kernel image", vm->opts.kernel, err, errlen);
	if (!ret && vm->opts.initramfs)
		ret = vm_check_file("initramfs", vm->opts.initramfs, err, errlen);
	if (ret)
		goto fail;

	if (!vm->opts.console_ring)
		vm->opts.console_ring = VM_CONSOLE_RING_DEFAULT;
	if (ringbuf__init(&vm->ring[VM_CHAN_CONSOLE], vm->opts.console_ring) ||
	    ringbuf__init(&vm->ring[VM_CHAN_COM2], VM_COM2_RING) ||
	    ringbuf__init(&vm->ring[VM_CHAN_STDERR], VM_STDERR_RING)) {
		ret = err__set(-ENOMEM, err, errlen, "out of memory for the VM's console buffers");
		goto fail;
	}
	if (pipe2(vm->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret = err__set(-errno, err, errlen, "creating the VM's wake-up pipe: %s",
			       strerror(errno));
		goto fail;
	}
	if (vm->opts.console_path) {
		vm->tee_fd = open(vm->opts.console_path,
				  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (vm->tee_fd < 0) {
			ret = err__set(-errno, err, errlen, "cannot create the console log %s: %s",
				       vm->opts.console_path, strerror(errno));
			goto fail;
		}
	}

	if ((unsigned int)vm->opts.backend >= sizeof(vm_backends) / sizeof(vm_backends[0]))
		ret = err__set(-EINVAL, err, errlen, "unknown VM backend %d",
			       (int)vm->opts.backend);
	else if (!vm_backends[vm->opts.backend])
		ret = err__set(-ENOSYS, err, errlen,
			       "the in-process KVM VMM is not linked into this program: "
			       "use the qemu backend");
	else
		ret = vm_backends[vm->opts.backend]->start(vm, err, errlen);
	if (ret)
		goto fail;
	/* Nothing in opts points anywhere we may follow after this. */
	vm->opts.kernel = vm->opts.initramfs = vm->opts.console_path = vm->opts.qemu = NULL;
	vm->opts.cmdline_extra = NULL;
	*out = vm;
	return 0;
fail:
	vm__free(vm);
	return ret;
}

int vm__wait(struct vm *vm, struct vm_result *res)
{
	int ret;

	if (vm->res.exit != VM_EXIT_NONE) {
		*res = vm->res;
		return 0;
	}
	ret = vm->ops->wait(vm, &vm->res);
	vm->res.wall_ms = vm__elapsed_ms(vm);
	*res = vm->res;
	return ret;
}

/* Append @len bytes to the queue [*off, *len) of *@buf, at most VM_CONTROL_QUEUE_MAX. */
static int vm_queue(struct vm *vm, char **buf, size_t *qlen, size_t *off, const void *data,
		    size_t len)
{
	int ret = 0;

	pthread_mutex_lock(&vm->ctl_lock);
	if (*off && *off == *qlen)
		*off = *qlen = 0;
	if (*qlen - *off + len > VM_CONTROL_QUEUE_MAX) {
		ret = -ENOBUFS;
	} else {
		char *nb;

		/* Compact, then grow. */
		if (*off) {
			memmove(*buf, *buf + *off, *qlen - *off);
			*qlen -= *off;
			*off = 0;
		}
		nb = realloc(*buf, *qlen + len);
		if (!nb) {
			ret = -ENOMEM;
		} else {
			*buf = nb;
			memcpy(nb + *qlen, data, len);
			*qlen += len;
		}
	}
	pthread_mutex_unlock(&vm->ctl_lock);
	if (!ret)
		vm_wake(vm);
	return ret;
}

int vm__write_control(struct vm *vm, const void *data, size_t len)
{
	return vm_queue(vm, &vm->ctl_buf, &vm->ctl_len, &vm->ctl_off, data, len);
}

int vm__write_console(struct vm *vm, const void *data, size_t len)
{
	return vm_queue(vm, &vm->con_buf, &vm->con_len, &vm->con_off, data, len);
}

void vm__kill(struct vm *vm)
{
	atomic_store(&vm->kill_requested, true);
	vm_wake(vm);
}

void vm__free(struct vm *vm)
{
	if (!vm)
		return;
	if (vm->ops) {
		vm->ops->stop(vm);
		vm->ops->destroy(vm);
	}
	for (int i = 0; i < VM_CHAN__NR; i++)
		ringbuf__free(&vm->ring[i]);
	if (vm->tee_fd >= 0)
		close(vm->tee_fd);
	if (vm->wake[0] >= 0)
		close(vm->wake[0]);
	if (vm->wake[1] >= 0)
		close(vm->wake[1]);
	pthread_mutex_destroy(&vm->ctl_lock);
	vm__vcpu_fini(vm);
	free(vm->ctl_buf);
	free(vm->con_buf);
	free(vm);
}

size_t vm__tail(const struct vm *vm, enum vm_chan chan, unsigned int nlines,
		char *buf, size_t cap)
{
	if ((unsigned int)chan >= VM_CHAN__NR) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	return ringbuf__tail(&vm->ring[chan], nlines, buf, cap);
}

pid_t vm__pid(const struct vm *vm)
{
	return vm->ops ? vm->ops->pid(vm) : -1;
}

const char *vm__tmpdir(const struct vm *vm)
{
	return vm->ops ? vm->ops->tmpdir(vm) : NULL;
}

unsigned int vm__console_lines(const struct vm *vm, unsigned int nlines)
{
	char *window;
	unsigned int n;

	if (nlines >= VM_CRASH_LINES_MAX || !(window = malloc(VM_CRASH_WINDOW_BYTES)))
		return nlines;
	ringbuf__tail(&vm->ring[VM_CHAN_CONSOLE], VM_CRASH_LINES_MAX, window,
		      VM_CRASH_WINDOW_BYTES);
	n = vm_console__crash_lines(window, nlines);
	free(window);
	return n;
}

size_t vm__report(const struct vm *vm, const struct vm_result *res, unsigned int nlines,
		  char *buf, size_t cap)
{
	unsigned int console = vm__console_lines(vm, nlines);
	size_t len = 0;
	int n;

	if (!cap)
		return 0;
	n = snprintf(buf, cap, "VM %s after %llu.%02llu s%s%s%s\n", vm_exit__str(res->exit),
		     (unsigned long long)(res->wall_ms / 1000),
		     (unsigned long long)(res->wall_ms % 1000 / 10),
		     res->reason[0] ? " (" : "", res->reason, res->reason[0] ? ")" : "");
	len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
	n = snprintf(buf + len, cap - len, "--- console (last %u lines) ---\n", console);
	len += n < 0 ? 0 : (size_t)n < cap - len ? (size_t)n : cap - len - 1;
	len += ringbuf__tail(&vm->ring[VM_CHAN_CONSOLE], console, buf + len, cap - len);
	if (res->exit == VM_EXIT_BACKEND_ERROR || res->exit == VM_EXIT_BACKEND_SIGNAL) {
		if (len && buf[len - 1] != '\n' && len + 1 < cap) {
			buf[len++] = '\n';
			buf[len] = '\0';
		}
		n = snprintf(buf + len, cap - len, "--- backend stderr ---\n");
		len += n < 0 ? 0 : (size_t)n < cap - len ? (size_t)n : cap - len - 1;
		len += ringbuf__tail(&vm->ring[VM_CHAN_STDERR], nlines, buf + len, cap - len);
	}
	return len;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * What the backends' event loops use (vm_backend.h): delivering a stream
 * into its ring, the console tee and opts.on_data, the clock since
 * vm__start(), the wake-up pipe, and the signals (with vm__signals_catch()
 * of vm.h, which sets up their pipe).
 */
#include "vm_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "monitor/guest_mem.h"

static volatile sig_atomic_t vm_sig_caught;
static int vm_sig_pipe[2] = { -1, -1 };

static void vm_sig_handler(int sig)
{
	int saved = errno;

	if (!vm_sig_caught)
		vm_sig_caught = sig;
	/* Never drained: the pipe stays readable and wakes every VM's loop. */
	if (write(vm_sig_pipe[1], "s", 1) < 0) {
		/* full: already readable */
	}
	errno = saved;
}

int vm__signals_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	if (vm_sig_pipe[0] < 0 && pipe2(vm_sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vm_sig_handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -errno;
	return 0;
}

int vm__signal_caught(void)
{
	return vm_sig_caught;
}

int vm__signal_fd(void)
{
	return vm_sig_pipe[0];
}

uint64_t vm__elapsed_ms(const struct vm *vm)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - vm->t0.tv_sec) * 1000 +
	       (uint64_t)((now.tv_nsec - vm->t0.tv_nsec) / 1000000);
}

void vm__deliver(struct vm *vm, enum vm_chan chan, const void *data, size_t len)
{
	if (!len)
		return;
	ringbuf__append(&vm->ring[chan], data, len);
	if (chan == VM_CHAN_CONSOLE && vm->tee_fd >= 0) {
		const char *p = data;
		size_t left = len;

		while (left) {
			ssize_t n = write(vm->tee_fd, p, left);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				/* Disk full or the like: keep running, stop teeing. */
				close(vm->tee_fd);
				vm->tee_fd = -1;
				break;
			}
			p += n;
			left -= (size_t)n;
		}
	}
	if (vm->opts.on_data)
		vm->opts.on_data(vm->opts.arg, chan, data, len);
}

void vm__wake_drain(struct vm *vm)
{
	char buf[64];

	while (read(vm->wake[0], buf, sizeof(buf)) > 0)
		;
}

int vm__guest_mem(struct vm *vm, struct gmem *m, char *err, size_t errlen)
{
	if (!vm || !vm->ops || !vm->ops->guest_mem)
		return err__set(-EOPNOTSUPP, err, errlen,
				"this VM backend cannot share the guest's RAM yet");
	return vm->ops->guest_mem(vm, m, err, errlen);
}

int vm__guest_mem_ram(struct gmem *m, const void *host, uint64_t size, uint64_t low,
		      char *err, size_t errlen)
{
	int ret;

	gmem__init(m);
	ret = gmem__add_ram(m, 0, host, size, low);
	if (ret)
		return err__set(ret, err, errlen, "the guest's RAM (%llu bytes, %llu below 4 GiB) "
				"does not fit the monitor's view", (unsigned long long)size,
				(unsigned long long)low);
	return 0;
}

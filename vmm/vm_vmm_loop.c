// SPDX-License-Identifier: GPL-2.0
/*
 * Running the VMM backend: the runner thread that runs vmm__run() and the
 * event loop in vm__wait()'s thread, which hands the vCPU threads' output to
 * opts.on_data, feeds the control port and COM1's input, calls the soft
 * deadline, enforces the hard one, notices kills and signals, and says how
 * the VM ended.
 */
#include "vm_vmm_int.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "wire/ktstr_proto.h"

/* How often queued control bytes are offered again while the port is full. */
#define VM_VMM_CTL_RETRY_MS	10

static void *vm_vmm_runner(void *arg)
{
	struct vm_vmm *v = arg;

	v->run_ret = vmm__run(v->vmm, &v->vres);
	atomic_store(&v->done, true);
	vm_vmm__wake(v->vm);
	return NULL;
}

void vm_vmm__kill(struct vm_vmm *v, enum vm_exit why)
{
	if (!v->vmm || v->stop_why != VM_EXIT_NONE || atomic_load(&v->done))
		return;
	v->stop_why = why;
	vmm__kill(v->vmm);
}

void vm_vmm__join(struct vm_vmm *v)
{
	if (!v->running)
		return;
	pthread_join(v->runner, NULL);
	v->running = false;
}

/* Start the thread that runs vmm__run(): 0 or -errno. */
static int vm_vmm_run_start(struct vm_vmm *v)
{
	sigset_t all, old;
	int ret;

	/* Signals stay with the caller's threads (vm__signals_catch()). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&v->runner, NULL, vm_vmm_runner, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return ret;
	v->running = true;
	return 0;
}

/* Offer the queued control bytes to the guest; true when some are left. */
static bool control_feed(struct vm *vm, struct vm_vmm *v)
{
	bool left;

	pthread_mutex_lock(&vm->ctl_lock);
	while (vm->ctl_off < vm->ctl_len) {
		long n = vmm__port_send(v->vmm, KTSTR_PORT_CONTROL, vm->ctl_buf + vm->ctl_off,
					vm->ctl_len - vm->ctl_off);

		if (n <= 0) {
			/* No control port: nobody will read it. */
			if (n < 0)
				vm->ctl_off = vm->ctl_len;
			break;
		}
		vm->ctl_off += (size_t)n;
	}
	left = vm->ctl_off < vm->ctl_len;
	pthread_mutex_unlock(&vm->ctl_lock);
	return left;
}

/* Offer the queued console input to COM1's receiver; true when some is left. */
static bool console_feed(struct vm *vm, struct vm_vmm *v)
{
	bool left;

	pthread_mutex_lock(&vm->ctl_lock);
	if (vm->con_off < vm->con_len)
		vm->con_off += vmm__serial_input(v->vmm, 0, vm->con_buf + vm->con_off,
						 vm->con_len - vm->con_off);
	left = vm->con_off < vm->con_len;
	pthread_mutex_unlock(&vm->ctl_lock);
	return left;
}

static void vm_vmm_outcome(struct vm *vm, struct vm_vmm *v, struct vm_result *res)
{
	const struct vmm_result *r = &v->vres;

	memset(res, 0, sizeof(*res));
	snprintf(res->reason, sizeof(res->reason), "%s", vmm_end__str(r->end));
	switch (r->end) {
	case VMM_END_POWEROFF:
		res->exit = VM_EXIT_POWEROFF;
		break;
	case VMM_END_RESET:
	case VMM_END_SHUTDOWN:
		res->exit = VM_EXIT_RESET;
		break;
	case VMM_END_CRASH:
		res->exit = VM_EXIT_CRASH;
		break;
	case VMM_END_TIMEOUT:
		res->exit = VM_EXIT_TIMEOUT;
		snprintf(res->reason, sizeof(res->reason), "timeout");
		break;
	case VMM_END_KILLED:
		res->exit = v->stop_why != VM_EXIT_NONE ? v->stop_why : VM_EXIT_KILLED;
		if (res->exit == VM_EXIT_INTERRUPTED) {
			res->status = vm__signal_caught();
			snprintf(res->reason, sizeof(res->reason), "signal %d", res->status);
		} else if (res->exit == VM_EXIT_TIMEOUT) {
			snprintf(res->reason, sizeof(res->reason), "timeout");
		}
		break;
	case VMM_END_NONE:
	case VMM_END_KVM_ERROR:
	default:
		res->exit = VM_EXIT_BACKEND_ERROR;
		res->status = (int)r->detail;
		/* The whole story goes to the backend's diagnostics. */
		{
			char what[256];
			size_t n = vmm_result__format(r, what, sizeof(what));

			if (n < sizeof(what) - 1)
				what[n++] = '\n';
			vm__deliver(vm, VM_CHAN_STDERR, what, n);
		}
		break;
	}
	/* panic=-1 turns a panic into a reset; the console says which it was. */
	if ((res->exit == VM_EXIT_RESET || res->exit == VM_EXIT_POWEROFF) &&
	    ringbuf__contains(&vm->ring[VM_CHAN_CONSOLE], "Kernel panic"))
		res->exit = VM_EXIT_CRASH;
}

/* Milliseconds to the next deadline (@soft, @hard: 0 = none), or -1. */
static int next_tmo(struct vm *vm, uint32_t soft, uint32_t hard, bool ctl_left)
{
	uint64_t now = vm__elapsed_ms(vm);
	int tmo = ctl_left ? VM_VMM_CTL_RETRY_MS : -1;

	if (hard) {
		int left = now >= hard ? 0 : (int)(hard - now);

		if (tmo < 0 || left < tmo)
			tmo = left;
	}
	if (soft) {
		int left = now >= soft ? 0 : (int)(soft - now);

		if (tmo < 0 || left < tmo)
			tmo = left;
	}
	return tmo;
}

int vm_vmm__wait(struct vm *vm, struct vm_result *res)
{
	struct vm_vmm *v = vm->priv;
	uint32_t hard = vm->opts.timeout_ms;
	uint32_t soft = hard > 5000 && vm->opts.on_soft_timeout ?
			hard - VM_SOFT_TIMEOUT_MARGIN_MS : 0;
	bool ctl_left = false;
	int ret = 0;

	if (!v->running && !atomic_load(&v->done)) {
		if (atomic_load(&vm->kill_requested) || vm__signal_caught()) {
			/* Killed before it ran: nothing to start. */
			v->stop_why = vm__signal_caught() ? VM_EXIT_INTERRUPTED : VM_EXIT_KILLED;
			v->vres.end = VMM_END_KILLED;
			vm_vmm_outcome(vm, v, res);
			return 0;
		}
		ctl_left = control_feed(vm, v);
		ret = vm_vmm_run_start(v);
		if (ret) {
			snprintf(res->reason, sizeof(res->reason), "no thread");
			res->exit = VM_EXIT_BACKEND_ERROR;
			res->status = -ret;
			return ret;
		}
	}
	while (!atomic_load(&v->done)) {
		bool stopping = v->stop_why != VM_EXIT_NONE;
		struct pollfd pfd[2];
		int n = 0, sigfd = vm__signal_fd();

		pfd[n++] = (struct pollfd){ .fd = vm->wake[0], .events = POLLIN };
		/* Never drained: once the VM is being killed, stop listening. */
		if (sigfd >= 0 && v->stop_why == VM_EXIT_NONE)
			pfd[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		if (poll(pfd, (nfds_t)n, next_tmo(vm, stopping ? 0 : soft, stopping ? 0 : hard,
						   ctl_left)) < 0 &&
		    errno != EINTR) {
			ret = -errno;
			vm_vmm__kill(v, VM_EXIT_KILLED);
			break;
		}
		if (pfd[0].revents)
			vm__wake_drain(vm);
		if (vm__signal_caught())
			vm_vmm__kill(v, VM_EXIT_INTERRUPTED);
		if (atomic_load(&vm->kill_requested))
			vm_vmm__kill(v, VM_EXIT_KILLED);
		if (hard && vm__elapsed_ms(vm) >= hard)
			vm_vmm__kill(v, VM_EXIT_TIMEOUT);
		vm_vmm__flush(v);
		if (soft && v->stop_why == VM_EXIT_NONE && vm__elapsed_ms(vm) >= soft) {
			soft = 0;
			vm->opts.on_soft_timeout(vm->opts.arg, vm);
		}
		ctl_left = v->stop_why == VM_EXIT_NONE && control_feed(vm, v);
		/* The UART's FIFO takes 64 bytes: offer the rest at the retry interval. */
		if (v->stop_why == VM_EXIT_NONE && console_feed(vm, v))
			ctl_left = true;
	}
	vm_vmm__join(v);
	vm_vmm__flush(v);
	if (!ret)
		ret = v->run_ret;
	vm_vmm_outcome(vm, v, res);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-process VMM as a backend of lib/vm/vm.h (VM_BACKEND_VMM). lib/ does
 * not link vmm/: a program that does calls vm_vmm__register() once at
 * start-up, before its first vm__start().
 *
 * vm__start() creates the VMM (KVM, RAM, devices, vCPUs, the kernel loaded);
 * the first vm__wait() runs it in a thread of its own, after handing the
 * device what vm__write_control() queued so far, so a guest finds the
 * host's first frames waiting on its control port. The vCPU threads' output (COM1, COM2, the virtio-console ports) is queued and handed
 * to opts.on_data in vm__wait()'s thread, as the qemu backend does. The
 * guest's console port 0 (hvc0) goes to VM_CHAN_CONSOLE with COM1.
 */
#ifndef KTSTR_VMM_VM_VMM_H
#define KTSTR_VMM_VM_VMM_H

void vm_vmm__register(void);

#endif

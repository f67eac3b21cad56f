/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest that never ends on its own: it spins (no HLT, so the vCPU stays in
 * guest mode) until the host's timeout or kill stops the VM.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
1:	pause
	jmp	1b

	.section .note.GNU-stack, "", @progbits

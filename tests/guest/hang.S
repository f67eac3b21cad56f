/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest that never ends on its own: it says so on COM1 (the console, as a
 * kernel's last words before it stopped would be) and spins (no HLT, so the
 * vCPU stays in guest mode) until the host's timeout or kill stops the VM.
 */
	.section .text.entry, "ax"
	.code64
	.globl _start
_start:
	leaq	msg(%rip), %rsi
	mov	$0x3f8, %dx
2:	lodsb
	test	%al, %al
	jz	1f
	outb	%al, %dx
	jmp	2b
1:	pause
	jmp	1b

	.section .rodata
msg:	.asciz	"KTSTR_GUEST hang: spinning\n"

	.section .note.GNU-stack, "", @progbits

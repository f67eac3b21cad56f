/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test guest's CPL0 part, entered in 64-bit mode like a kernel: RSI =
 * boot_params, the VMM's identity page tables in CR3. Kernel-mode code is
 * emulated very slowly on some KVMs, so do as little as possible here:
 * make the first 2 MiB user-accessible in the VMM's page tables, load a GDT
 * with user segments, and iretq to guest_main(boot_params) at CPL3 with
 * IOPL 3 (port I/O allowed in user mode).
 */
	.section .text.entry, "ax"
	.code64
	.globl _start
_start:
	mov	%cr3, %rax
	and	$~0xfff, %rax
	orq	$4, (%rax)		/* PML4[0].U */
	mov	(%rax), %rbx
	and	$~0xfff, %rbx
	orq	$4, (%rbx)		/* PDPT[0].U */
	mov	(%rbx), %rbx
	and	$~0xfff, %rbx
	orq	$4, (%rbx)		/* PD[0].U: 0-2 MiB, this image, zero page, stack */
	mov	%rax, %cr3		/* flush the TLB */
	lgdt	gdt_desc(%rip)
	mov	%rsi, %rdi		/* guest_main(boot_params) */
	pushq	$0x23			/* SS: user data, RPL 3 */
	leaq	user_stack_top-8(%rip), %rax
	pushq	%rax			/* RSP */
	pushq	$0x3002			/* RFLAGS: IOPL 3, IF clear */
	pushq	$0x1b			/* CS: user code, RPL 3 */
	leaq	guest_main(%rip), %rax
	pushq	%rax			/* RIP */
	iretq

	.section .rodata
	.balign 16
gdt:
	.quad	0			/* null */
	.quad	0x00af9a000000ffff	/* 0x08 kernel code, 64-bit */
	.quad	0x00cf92000000ffff	/* 0x10 kernel data */
	.quad	0x00affa000000ffff	/* 0x18 user code, 64-bit, DPL 3 */
	.quad	0x00cff2000000ffff	/* 0x20 user data, DPL 3 */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt

	.section .bss
	.balign 4096
user_stack:
	.skip	16384
user_stack_top:

	.section .note.GNU-stack, "", @progbits

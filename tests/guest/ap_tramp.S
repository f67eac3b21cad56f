/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The application processors' start-up code (tests/guest/smp_walk.c). The
 * boot CPU copies [ap_tramp_start, ap_tramp_end) to AP_TRAMP_BASE and sends
 * INIT-SIPI-SIPI with vector AP_TRAMP_BASE >> 12. Each AP starts here in
 * real mode, enters long mode through the VMM's page tables (the boot CPU
 * stores CR3 in ap_cr3), takes a slot, stores its CPUID APIC IDs and the
 * ID its local APIC answers with (the boot CPU mapped the APIC page) there and
 * halts. Everything is addressed as AP_TRAMP_BASE + offset: this code runs
 * only from the copy.
 */
#define AP_TRAMP_BASE	0x10000
#define ABS(x)		((x) - ap_tramp_start + AP_TRAMP_BASE)
#define AP_SLOT_SIZE	32
#define AP_MAX_SLOTS	64

	.section .rodata.ap_tramp, "a"
	.globl ap_tramp_start, ap_tramp_end, ap_cr3, ap_count, ap_slots
	.balign 16
	.code16
ap_tramp_start:
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	ap_gdt_desc - ap_tramp_start
	movl	$0x20, %eax		/* CR4.PAE */
	mov	%eax, %cr4
	movl	ap_cr3 - ap_tramp_start, %eax
	mov	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER.LME */
	rdmsr
	orl	$0x100, %eax
	wrmsr
	mov	%cr0, %eax
	orl	$0x80000001, %eax	/* PG | PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $ABS(ap_long)

	.code64
ap_long:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$1, %edi
	lock xaddl %edi, ABS(ap_count)	/* edi = this AP's slot */
	cmp	$AP_MAX_SLOTS, %edi
	jae	ap_halt
	shl	$5, %edi		/* AP_SLOT_SIZE bytes a slot */
	add	$ABS(ap_slots), %edi
	mov	$1, %eax
	cpuid
	shr	$24, %ebx
	mov	%ebx, 4(%rdi)		/* CPUID.1 EBX[31:24]: initial APIC ID */
	mov	$0xb, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%edx, 8(%rdi)		/* CPUID.0xB EDX: x2APIC ID */
	and	$0x1f, %eax
	mov	%eax, %esi		/* SMT level shift */
	mov	$0xb, %eax
	mov	$1, %ecx
	cpuid
	and	$0x1f, %eax
	shl	$8, %eax
	or	%esi, %eax
	mov	%eax, 12(%rdi)		/* core shift << 8 | SMT shift */
	mov	$0xFEE00020, %rax	/* the local APIC's ID register */
	mov	(%rax), %eax
	shr	$24, %eax
	mov	%eax, 16(%rdi)		/* the APIC ID KVM gave this vCPU */
	movl	$1, (%rdi)		/* done */
ap_halt:
	cli
1:	hlt
	jmp	1b

	.balign 8
ap_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08 code, 64-bit */
	.quad	0x00cf92000000ffff	/* 0x10 data */
ap_gdt_end:
	.balign 4
ap_gdt_desc:
	.word	ap_gdt_end - ap_gdt - 1
	.long	ABS(ap_gdt)
	.balign 4
ap_cr3:
	.long	0
ap_count:
	.long	0
	.balign 16
ap_slots:
	.skip	AP_SLOT_SIZE * AP_MAX_SLOTS
ap_tramp_end:

	.section .note.GNU-stack, "", @progbits

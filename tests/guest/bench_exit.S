/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The start-up benchmark's guests. bench_exit: the first instruction ends
 * the VM (0xFE to the i8042 command port). With BENCH_SERIAL: one byte to
 * COM1 first. The bytes mean the same in 32-bit and 64-bit mode, so QEMU can
 * enter through the PVH note (32-bit) and ktstr's VMM at e_entry (64-bit).
 * Where no i8042 listens (QEMU microvm), ud2 with no IDT triple-faults,
 * which -no-reboot turns into an exit.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
#ifdef BENCH_SERIAL
	.byte	0x66, 0xba, 0xf8, 0x03	/* mov $0x3f8, %dx */
	.byte	0xb0, 0x4b		/* mov $'K', %al */
	.byte	0xee			/* out %al, (%dx) */
#endif
	.byte	0xb0, 0xfe		/* mov $0xfe, %al */
	.byte	0xe6, 0x64		/* out %al, $0x64 */
	.byte	0x0f, 0x0b		/* ud2 */
1:	jmp	1b

	/* PVH entry for QEMU (XEN_ELFNOTE_PHYS32_ENTRY = 18). */
	.section .note.Xen, "a", @note
	.balign 4
	.long	4		/* name size */
	.long	4		/* desc size */
	.long	18		/* type */
	.asciz	"Xen"
	.long	_start

	.section .note.GNU-stack, "", @progbits

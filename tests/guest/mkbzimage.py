#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Wrap a test guest ELF (linked at 1 MiB, 64-bit entry at 1 MiB + 0x200) into
a bzImage: a boot sector and one setup sector holding the Linux x86 setup
header (protocol 2.15, 64-bit capable, relocatable), then the protected-mode
image as it must lie in memory from 1 MiB. Usage: mkbzimage.py IN.elf OUT"""
import struct
import sys

LOAD = 0x100000
SETUP_SECTS = 1


def flat_image(elf):
    if elf[:4] != b'\x7fELF' or elf[4] != 2:
        sys.exit('not an ELF64 file')
    entry, phoff = struct.unpack_from('<QQ', elf, 0x18)
    phentsize, phnum = struct.unpack_from('<HH', elf, 0x36)
    if entry != LOAD + 0x200:
        sys.exit('entry %#x is not 1 MiB + 0x200' % entry)
    segs = []
    for i in range(phnum):
        p_type, _, off, _, paddr, filesz, memsz, _ = struct.unpack_from(
            '<IIQQQQQQ', elf, phoff + i * phentsize)
        if p_type == 1 and memsz:
            segs.append((paddr, elf[off:off + filesz], memsz))
    if min(s[0] for s in segs) < LOAD:
        sys.exit('a segment lies below 1 MiB')
    end = max(p + len(d) for p, d, _ in segs)
    mem_end = max(p + m for p, _, m in segs)
    img = bytearray(end - LOAD)
    for p, d, _ in segs:
        img[p - LOAD:p - LOAD + len(d)] = d
    return bytes(img), (mem_end - LOAD + 0xfff) & ~0xfff


def main():
    img, init_size = flat_image(open(sys.argv[1], 'rb').read())
    img += b'\0' * (-len(img) % 16)
    setup = bytearray((SETUP_SECTS + 1) * 512)
    hdr_end = 0x268
    struct.pack_into('<B', setup, 0x1f1, SETUP_SECTS)
    struct.pack_into('<I', setup, 0x1f4, len(img) // 16)        # syssize
    struct.pack_into('<H', setup, 0x1fe, 0xAA55)                # boot_flag
    setup[0x200:0x202] = bytes([0xeb, hdr_end - 0x202])         # jump past the header
    setup[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', setup, 0x206, 0x020f)                # version
    struct.pack_into('<B', setup, 0x211, 0x01)                  # loadflags: LOADED_HIGH
    struct.pack_into('<I', setup, 0x214, LOAD)                  # code32_start
    struct.pack_into('<I', setup, 0x22c, 0x7fffffff)            # initrd_addr_max
    struct.pack_into('<I', setup, 0x230, 0x200000)              # kernel_alignment
    struct.pack_into('<B', setup, 0x234, 1)                     # relocatable_kernel
    struct.pack_into('<B', setup, 0x235, 21)                    # min_alignment
    struct.pack_into('<H', setup, 0x236, 0x0003)                # XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G
    struct.pack_into('<I', setup, 0x238, 2047)                  # cmdline_size
    struct.pack_into('<Q', setup, 0x258, LOAD)                  # pref_address
    struct.pack_into('<I', setup, 0x260, init_size)             # init_size
    open(sys.argv[2], 'wb').write(bytes(setup) + img)


if __name__ == '__main__':
    main()
